"""The one data model: a project as the steps leave it, kept in step by folding their events.

Plain data: the page keeps it in the session, the CLI writes it to a folder, the history stores
it. Every consumer folds the same events into it (`applying`), so they all agree on its state.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .events import (
    ChecksDone,
    Emit,
    Event,
    FileDone,
    FileFailed,
    FileListDone,
    PlanDone,
    RunDone,
    UsageReport,
)
from .paths import Rejected, check_paths
from .records import FileSpec, Finding
from .settings import Settings
from .usage import TokenUsage, estimate_cost


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

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

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

    def check_status(self, path: str) -> str:
        """unchecked | ok | repaired | failing: what the checks say of one file now."""
        if path not in self.findings:
            return "unchecked"
        if self.findings[path]:
            return "failing"
        # Fixed by writing the file again; a missing *other* file is fixed by adding that file.
        rewritten = any(f.kind != "missing-file" for f in self.first_findings.get(path, []))
        return "repaired" if rewritten or path in self.fixed else "ok"

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
            "usage": self.usage.as_dict(),
            "estimated_cost_usd": estimate_cost(self.usage, settings.model),
        }


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
