"""The one data model: a project as the steps leave it, kept in step by folding their events.

Plain data: the page keeps it in the session, the CLI writes it to a folder, the history stores
it. Every consumer folds the same events into it (`applying`), so they all agree on its state.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .events import (
    ChecksDone,
    Emit,
    Event,
    ExampleDone,
    ExamplesReady,
    FileDone,
    FileFailed,
    FileListDone,
    FilesDeleted,
    Healing,
    PlanDone,
    RunDone,
    UsageReport,
)
from .paths import Rejected, check_paths
from .quality.checks import referenced_paths
from .records import (
    Example,
    ExampleResult,
    FileSpec,
    Finding,
    example_from_dict,
    example_to_dict,
    result_from_dict,
    result_to_dict,
)
from .settings import Settings
from .usage import TokenUsage, estimate_cost


@dataclass(frozen=True)
class Verdict:
    """What running the examples showed, counted so that nothing claims more than was checked:
    an example that passed without checking any output, file, element or value was only run."""

    checked: int = 0  # examples that check a behaviour and ran (passed or failed)
    passed: int = 0  # of those, the ones that passed
    ran: int = 0  # every example that ran to a verdict (passed or failed)
    failed: int = 0  # of those, the ones that failed
    only_run: int = 0  # passed, but checked no behaviour ("ran without errors")
    not_run: int = 0  # not run (yet, or here), or refused
    checked_files: tuple[str, ...] = ()  # covered by a passing example that checks something
    only_run_files: tuple[str, ...] = ()  # run by a passing example, never checked

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "passed": self.passed,
            "only_run": self.only_run,
            "failed": self.failed,
            "not_run": self.not_run,
            "checked_files": list(self.checked_files),
            "only_run_files": list(self.only_run_files),
        }


@dataclass
class Project:
    """Everything a run produced so far. Plain data: the page keeps it, the CLI writes it."""

    spec: str
    plan: str = ""
    files: list[FileSpec] = field(default_factory=list)
    contents: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    truncated: set[str] = field(default_factory=set)
    rejected: list[Rejected] = field(default_factory=list)
    usage: TokenUsage = field(default_factory=TokenUsage)
    file_list_mode: str = ""
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # latest checks
    first_findings: dict[str, list[Finding]] = field(default_factory=dict)  # before any repair
    fixed: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # path → changes made without the model
    looped: set[str] = field(default_factory=set)  # replies stopped because they repeated
    check_notes: tuple[str, ...] = ()
    examples: list[Example] = field(default_factory=list)  # what running the code checks
    results: dict[int, ExampleResult] = field(default_factory=dict)  # latest, by example index
    run_note: str = ""  # why the examples were not run, if they were not
    healed: set[str] = field(default_factory=set)  # rewritten after an example failed
    examples_made: bool = False  # the spec's examples were asked for (maybe there were none)
    binary: dict[str, bytes] = field(default_factory=dict)  # imported, never sent to a model
    by_hand: set[str] = field(default_factory=set)  # last changed by the person, not a model

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    def all_files(self) -> dict[str, str | bytes]:
        """Texts and binary files (imported ones, kept as they are): what a zip holds."""
        return {**self.contents, **self.binary}

    def ruled_out(self) -> set[str]:
        """Paths the file list took off (with their reasons) and nobody put back."""
        return {r.path for r in self.rejected} - set(self.paths)

    def missing(self) -> list[str]:
        """Listed files with no content yet (never generated, or failed)."""
        return [p for p in self.paths if p not in self.contents]

    def apply(self, event: Event) -> None:
        """Fold one event into the project: how every consumer keeps its state in step."""
        if isinstance(event, PlanDone):
            self.plan = event.plan
        elif isinstance(event, FileListDone):
            self.files = list(event.files)
            self.rejected = list(event.rejected)
            self.file_list_mode = event.mode
        elif isinstance(event, FileDone):
            self.contents[event.path] = event.content
            self.failed.pop(event.path, None)
            self.by_hand.discard(event.path)
            if event.fixed:
                self.fixed[event.path] = self.fixed.get(event.path, ()) + event.fixed
            else:
                self.fixed.pop(event.path, None)  # written again by the model
                if event.looped:
                    self.looped.add(event.path)
                else:
                    self.looped.discard(event.path)
            if event.truncated:
                self.truncated.add(event.path)
            else:
                self.truncated.discard(event.path)
        elif isinstance(event, FileFailed):
            self.failed[event.path] = event.error
        elif isinstance(event, UsageReport):
            self.usage = self.usage + event.usage
        elif isinstance(event, ChecksDone):
            latest = {p: list(v) for p, v in event.findings.items()}
            if event.round == 0:
                self.first_findings = dict(latest)
            self.findings.update(latest)
            self.check_notes = event.notes
        elif isinstance(event, ExamplesReady):
            self.examples = list(event.examples)
            self.results = {}
            self.run_note = event.note
            self.examples_made = True
        elif isinstance(event, ExampleDone):
            self.results[event.index] = event.result
        elif isinstance(event, Healing):
            self.healed.update(event.paths)
        elif isinstance(event, FilesDeleted):
            gone = set(event.paths)
            self.files = [f for f in self.files if f.path not in gone]
            for path in gone:
                self.contents.pop(path, None)
                self.failed.pop(path, None)
                self.findings.pop(path, None)
                self.fixed.pop(path, None)
                self.binary.pop(path, None)
            self.truncated -= gone
            self.looped -= gone
            self.by_hand -= gone

    def failing_examples(self) -> list[ExampleResult]:
        return [r for r in self.results.values() if r.status == "fail"]

    def examples_state(self) -> str:
        """none | failing | passing | unchecked | not_run: what running the code says of the
        project. A project whose examples have not all passed is never shown as clean, and one
        none of whose examples checks a behaviour is "unchecked", never "passing" (it ran
        without errors; nobody knows whether it works). A refused example (not one of the
        project's programs) counts neither way."""
        if not self.examples:
            return "none"
        got = [self.results.get(i) for i in range(len(self.examples))]
        if any(r is not None and r.status == "fail" for r in got):
            return "failing"
        counted = [
            (e, r)
            for e, r in zip(self.examples, got, strict=True)
            if r is None or r.status != "refused"
        ]
        if counted and all(r is not None and r.passed for _, r in counted):
            return "passing" if any(e.checks_behaviour for e, _ in counted) else "unchecked"
        return "not_run"

    def verdict(self) -> Verdict:
        """The counts behind every claim the page, the CLI and the manifest make."""
        checked = passed = ran = failed = only_run = not_run = 0
        checked_files: set[str] = set()
        run_files: set[str] = set()
        for i, example in enumerate(self.examples):
            result = self.results.get(i)
            if result is None or result.status not in ("pass", "fail"):
                not_run += 1
                continue
            ran += 1
            failed += result.status == "fail"
            if example.checks_behaviour:
                checked += 1
                passed += result.passed
            elif result.passed:
                only_run += 1
            if result.passed:
                covered = self._covered(example, result)
                (checked_files if example.checks_behaviour else run_files).update(covered)
        return Verdict(
            checked,
            passed,
            ran,
            failed,
            only_run,
            not_run,
            tuple(p for p in self.paths if p in checked_files),
            tuple(p for p in self.paths if p in run_files - checked_files),
        )

    def _covered(self, example: Example, result: ExampleResult) -> set[str]:
        """The files a passing example exercised: those its result names and, for a page, the
        scripts and styles the page loads (what a page shows is their doing)."""
        files = {f for f in result.files if f in self.contents}
        if example.page in self.contents:
            page = example.page
            files |= {page} | referenced_paths(page, self.contents[page], self.contents)
        return files

    def behaviour_checked(self, path: str) -> bool:
        """An example that checks something passed over this file: what a ✓ beside it means."""
        return path in self.verdict().checked_files

    def check_status(self, path: str) -> str:
        """unchecked | ok | repaired | failing: what the checks say of one file now."""
        if any(path in r.files[:3] for r in self.failing_examples()):
            return "failing"  # it runs wrong, whatever the static checks say
        if path not in self.findings:
            return "unchecked"
        if self.findings[path]:
            return "failing"
        # Fixed by writing the file again; a missing *other* file is fixed by adding that file.
        rewritten = any(f.kind != "missing-file" for f in self.first_findings.get(path, []))
        if path in self.by_hand:
            return "ok"  # the person's own fix is never credited to a repair
        return "repaired" if rewritten or path in self.fixed or path in self.healed else "ok"

    def manifest(self, settings: Settings) -> dict[str, Any]:
        """What goes beside the files in a zip or folder: never the key, never a full URL."""
        return {
            "generator": "smol studio",
            "spec": self.spec,
            "plan": self.plan,
            "model": settings.model,
            "endpoint": settings.endpoint_label,
            "files": [{"path": f.path, "purpose": f.purpose} for f in self.files],
            "failed": dict(sorted(self.failed.items())),
            "truncated": sorted(self.truncated),
            "examples": self.examples_record()["examples"],
            "example_results": self.examples_record()["results"],
            "verdict": {"state": self.examples_state(), **self.verdict().as_dict()},
            "usage": self.usage.as_dict(),
            "estimated_cost_usd": estimate_cost(self.usage, settings.model),
        }

    def examples_record(self) -> dict[str, Any]:
        """The examples and their latest results as plain data (history, manifest)."""
        return {
            "examples": [example_to_dict(e) for e in self.examples],
            "results": [{"index": i, **result_to_dict(r)} for i, r in sorted(self.results.items())],
            "note": self.run_note,
        }

    def load_examples(self, stored: Mapping[str, Any]) -> None:
        """The examples and results of `examples_record`, read back (the history); what is
        broken in them is dropped, the rest kept."""
        if "examples" not in stored:
            return
        self.examples_made = True
        for item in stored.get("examples") or []:
            with contextlib.suppress(ValueError):
                self.examples.append(example_from_dict(item))
        for item in stored.get("results") or []:
            with contextlib.suppress(ValueError, TypeError):
                index = int(item["index"])
                if 0 <= index < len(self.examples):
                    self.results[index] = result_from_dict(item)
        self.run_note = str(stored.get("note") or "")


def applying(project: Project, emit: Emit) -> Emit:
    """An emitter that first folds each event into `project`, then passes it on."""

    def both(event: Event) -> None:
        project.apply(event)
        emit(event)

    return both


def run_done(project: Project, paths: Sequence[str], started: float) -> RunDone:
    return RunDone(
        done=tuple(p for p in paths if p in project.contents),
        failed=tuple((p, project.failed[p]) for p in paths if p in project.failed),
        usage=project.usage,
        seconds=round(time.monotonic() - started, 3),
    )


def restore(spec: str, plan: str, listed: Iterable[tuple[str, str]]) -> Project:
    """A project rebuilt from storage (the history, a folder's manifest): its (path, purpose)
    pairs are checked like anything a model proposes, since a file on disk can be edited. Paths
    not accepted in their clean form are kept out and listed in `rejected`."""
    listed = list(listed)
    check = check_paths(path for path, _ in listed)
    clean = set(check.accepted)
    refused = {r.path for r in check.rejected}
    project = Project(spec=spec, plan=plan)
    project.rejected = list(check.rejected) + [
        Rejected(path, "is not stored in its clean form")
        for path, _ in listed
        if path not in clean and path not in refused
    ]
    project.files = [FileSpec(path, purpose) for path, purpose in listed if path in clean]
    return project
