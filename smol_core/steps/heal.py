"""Run the project's examples, and repair the files a failing one concerns with what it printed.

After checks and repairs, the project is run: the spec's examples (made after the file list),
a smoke check for each program and page no example covers, and the project's own tests. Each
failing example sends the files it concerns back to the model with the command, what was
expected and what happened; then everything runs again. Bounded rounds, stopping early when all
pass or a round changes nothing, and the project is never left worse than its best round.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Collection, Mapping, Sequence

import openai

from ..events import Emit, ExampleDone, ExamplesReady, ExampleStarted, FileDone, Healing
from ..fixes.autofix import autofix
from ..fixes.failure import fixed_without_model
from ..project import Project
from ..prompts import render
from ..quality.checks import referenced_paths
from ..records import Example, ExampleResult
from ..running.execute import run_examples
from ..running.programs import smoke_examples
from ..running.provenance import untraced
from ..running.sandbox import isolation
from ..settings import Settings
from .code import generate_files
from .must_pass import checks_by_path
from .repair import check, related_files, with_related

WENT_BACK = "went back to the version that passed more examples"
SAMPLING_TEMPERATURE = 0.8
FRESH_CANDIDATES = 3  # candidates written anew in a round, each run, until one does better
TOLD_CHECKS = 8  # failing checks told in full to one file's repair


def full_examples(project: Project) -> list[Example]:
    """The project's own examples (spec, person) and, for what they don't cover, smoke checks
    and the project's tests, made from the files as they are now."""
    own = [e for e in project.examples if e.source not in ("smoke", "tests")]
    return own + smoke_examples(project.contents, own)


def consent_needed(settings: Settings) -> str:
    """Why the person must agree before generated code runs here ("" when they need not):
    running is on, and this machine can't isolate it."""
    where = isolation()
    return "" if not settings.run_examples or where == "namespaces" else where[6:]


def not_run_reason(settings: Settings) -> str:
    """Why examples can't run here ("" when they can)."""
    if not settings.run_examples:
        return "running the code is turned off"
    where = isolation()
    if where != "namespaces" and not settings.allow_unisolated:
        return f"not run: this machine can't isolate generated code ({where[6:]})"
    return ""


async def run_round(
    project: Project, settings: Settings, emit: Emit, round_no: int
) -> list[ExampleResult]:
    """Run every example once over a copy of the project as it is now; events as they go.
    Cancelled (a person's Stop), it kills the command running and starts no other example."""
    loop = asyncio.get_running_loop()
    contents = dict(project.contents)
    cancel = threading.Event()

    def started(index: int, example: Example) -> None:
        loop.call_soon_threadsafe(emit, ExampleStarted(index, example.name, round_no))

    def done(index: int, result: ExampleResult) -> None:
        loop.call_soon_threadsafe(emit, ExampleDone(index, result, round_no))

    try:
        results = await asyncio.to_thread(
            run_examples,
            contents,
            project.examples,
            allow_unisolated=settings.allow_unisolated,
            on_start=started,
            on_result=done,
            cancel=cancel,
        )
    except BaseException:  # cancelled: the worker thread must not go on running examples
        cancel.set()
        raise
    await asyncio.sleep(0)  # let the last events land before the caller reads the project
    return results


async def run_and_trim(
    project: Project, settings: Settings, emit: Emit, round_no: int
) -> list[ExampleResult]:
    """`run_round`, then what a failure shows has one right answer is changed without the model
    (`fixes.failure`) and run again: kept only if it does better."""
    results = await run_round(project, settings, emit, round_no)
    before = dict(project.contents)
    for index, result in enumerate(results):
        example = project.examples[index] if index < len(project.examples) else None
        if result.status != "fail" or example is None:
            continue
        concerned = [f for f in result.files if f in project.contents]
        if not example.commands:  # a page: what shows is its scripts' doing
            concerned += sorted(
                {
                    r
                    for f in concerned
                    for r in referenced_paths(f, project.contents[f], project.contents)
                }
            )
        for path in concerned:
            trimmed = fixed_without_model(example, result, path, project.contents[path])
            if trimmed:
                said = f"{trimmed.why}: `{_short(trimmed.before)}` is now `{trimmed.after}`"
                emit(FileDone(path=path, content=trimmed.source, fixed=(said,)))
                break
    if project.contents == before:
        return results
    again = await run_round(project, settings, emit, round_no)
    if score(again) <= score(results):  # a tie: the version it was (the one the person saw)
        return _go_back(project, emit, before, results)
    return again


def _short(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def score(results: Sequence[ExampleResult], findings: int = 0) -> tuple[int, int, int]:
    """Examples passed, then steps passed inside the failing ones, then fewer findings of the
    checks (tie-breakers: a page rewritten without the element its script needs failed its
    smoke check just as the version before did, and was kept)."""
    passed = sum(r.passed for r in results)
    return passed, sum(r.reached for r in results if not r.passed), -findings


def heal_targets(
    results: Sequence[ExampleResult], contents: Mapping[str, str], only: Sequence[str] | None
) -> dict[str, list[ExampleResult]]:
    """The files to rewrite, each with the failing examples that concern it: the one where it
    broke (a small model asked to rewrite two files at once was seen writing one's content into
    the other), or for a page its script and the page, whose contract (ids) breaks on either
    side (only the script once steps on its elements passed). A test file comes after the code it tests (rewriting a test to pass proves nothing)."""
    todo: dict[str, list[ExampleResult]] = {}
    for result in results:
        if result.status != "fail":
            continue
        files = [f for f in result.files if f in contents]
        for page in [f for f in files if f.lower().endswith((".html", ".htm"))]:
            scripts = sorted(
                p
                for p in referenced_paths(page, contents[page], contents)
                if p.endswith((".js", ".mjs"))
            )
            files = scripts + [f for f in files if f not in scripts]
        files.sort(key=lambda f: f.rsplit("/", 1)[-1].startswith("test_"))
        pages = any(f.lower().endswith((".html", ".htm")) for f in result.files)
        # Past its first steps, a page has the elements they used: what it shows is the
        # script's doing. A page rewritten anyway was seen coming back with an inline script
        # (an extension refuses it) or without its script tag.
        found = result.reached > 0 and "has no element" not in result.reason
        # Only the files a change wrote may be rewritten: the first of those the failure
        # concerns (a fix made in an imported module, not in the program that printed it).
        files = [f for f in files if only is None or f in only]
        for path in files[: 2 if pages and not found else 1]:
            todo.setdefault(path, []).append(result)
    return todo


def heal_instruction(
    failures: Sequence[ExampleResult],
    settings: Settings,
    related: Mapping[str, str],
    fresh: bool = False,
) -> str:
    """What failed, for a rewrite of the file shown; `fresh`: for a file written anew."""
    # Written anew, the file is not shown, nor the trace of its lines (they would be copied).
    details = [(untraced(r.detail) if fresh else r.detail).strip() for r in failures]
    # A detail many checks share (one import error failing a test file's every case) is told
    # once; past TOLD_CHECKS, checks are only counted: a small model's prompt stays short.
    parts: list[str] = []
    shown: set[str] = set()
    for r, detail in zip(failures, details, strict=True):
        if len(parts) < TOLD_CHECKS:
            again = detail in shown
            parts.append(
                f'Check "{r.name}": {r.reason}' + (f"\n\n{detail}" if detail and not again else "")
            )
            shown.add(detail)
    if len(failures) > len(parts):
        parts.append(f"({len(failures) - len(parts)} more checks failed.)")
    told = "\n\n".join(parts)
    name = "run_failed_fresh" if fresh else "run_failed"
    return with_related(render(name, settings.prompts_dir, failures=told), related, settings)


async def run_and_heal(
    project: Project,
    settings: Settings,
    emit: Emit,
    *,
    client: openai.AsyncOpenAI | None = None,
    only: Sequence[str] | None = None,
    never_anew: Collection[str] = (),
) -> list[ExampleResult]:
    """Run the examples; repair what fails, up to `settings.run_rounds` times. `emit` must fold
    events into `project`. Returns the latest results ([] when nothing could run). The files of
    `never_anew` (a person's own, under a change) are only ever repaired from what they are:
    written anew from a request of one line, they would lose all the rest."""
    why = not_run_reason(settings)
    unwritten = project.missing()
    if not why and unwritten:
        # Run now, it would fail for want of these, and a repair would write around them.
        why = f"not run yet: {', '.join(unwritten[:3])} not written"
    emit(ExamplesReady(tuple(full_examples(project)), why))
    if why or not project.examples:
        return []
    results = await run_and_trim(project, settings, emit, 0)

    def standing() -> tuple[int, int, int]:
        return score(results, sum(len(items) for items in project.findings.values()))

    best = (standing(), dict(project.contents), results)
    # A file that refers to a file not written yet is not rewritten around it: adding the
    # missing file is the fix (offered to the person; the CLI's --add-missing).
    waiting = {
        p for p, items in project.findings.items() if any(f.kind == "missing-file" for f in items)
    }
    asking, fresh = settings, False
    round_no = 0
    while round_no < settings.run_rounds:
        round_no += 1
        todo = heal_targets(results, project.contents, only)
        todo = {p: items for p, items in todo.items() if p not in waiting}
        if fresh:
            todo = {p: items for p, items in todo.items() if p not in never_anew}
        if not todo:
            break
        reasons = tuple(f"{r.name}: {r.reason}" for r in results if r.status == "fail")
        emit(Healing(round_no, tuple(todo), reasons))
        # Written anew, a candidate passes or not by luck: a few are tried, each from the best
        # version, until one does better (a page's script is ~200 tokens, ~15 s).
        changed = False
        for attempt in range(FRESH_CANDIDATES if fresh else 1):
            if attempt and changed:
                results = _go_back(project, emit, best[1], best[2])
            before = dict(project.contents)
            await generate_files(
                project.spec,
                project.plan,
                project.files,
                asking,
                emit,
                paths=list(todo),
                instructions={
                    p: heal_instruction(items, settings, related_files(project, p), fresh)
                    for p, items in todo.items()
                },
                current={} if fresh else {p: project.contents[p] for p in todo},
                checks=checks_by_path(project.examples, project.paths),
                client=client,
                finish=False,
            )
            _tidy(project, settings, emit, list(todo), settings.repair_rounds + round_no)
            changed = project.contents != before
            if changed:
                results = await run_and_trim(project, settings, emit, round_no)
                if all(r.status != "fail" for r in results) or standing() > best[0]:
                    break
        if not changed:
            if fresh:
                break  # nothing changed even so: running again would say the same
            # Shown its file, the 1.5B model writes it back, failure told or not, sampled
            # or not (seen on every failing page of bench.quality): the next candidates are
            # written anew, sampled, from the description and the failure only. One is kept
            # only if it passes more (the best version is gone back to otherwise).
            asking, fresh = settings.with_(temperature=SAMPLING_TEMPERATURE), True
            round_no -= 1  # nothing tried yet: this round, even the last, goes to them
            continue
        if all(r.status != "fail" for r in results):
            break
        if standing() > best[0]:
            best = (standing(), dict(project.contents), results)
            asking, fresh = settings, False  # better: the next round goes on from here
        elif round_no < settings.run_rounds or fresh:
            # No better: the next candidate is sampled, from the best version so far (never
            # built on a worse one). A Python repair is a few functions: candidates are cheap.
            # One written anew is kept only if it does better, a tie included: the version it
            # would replace is the one the person saw (or edited).
            results = _go_back(project, emit, best[1], best[2])
            asking = settings.with_(temperature=max(settings.temperature, SAMPLING_TEMPERATURE))
            if round_no == settings.run_rounds:
                check(project, settings, emit, settings.repair_rounds + round_no + 1)
    if standing() < best[0]:
        results = _go_back(project, emit, best[1], best[2])
        check(project, settings, emit, settings.repair_rounds + settings.run_rounds + 1)
    return results


def _tidy(
    project: Project, settings: Settings, emit: Emit, paths: list[str], round_no: int
) -> None:
    """After a rewrite: the mechanical fixes (a forgotten import...), without the model."""
    report = check(project, settings, emit, round_no)
    fixes = autofix(
        project.contents, {p: report.findings.get(p, []) for p in paths}, project.ruled_out()
    )
    for fix in fixes.values():
        emit(FileDone(path=fix.path, content=fix.content, fixed=fix.changes))
    if fixes:
        check(project, settings, emit, round_no)


def _go_back(
    project: Project, emit: Emit, contents: dict[str, str], results: list[ExampleResult]
) -> list[ExampleResult]:
    for path, text in contents.items():
        if project.contents.get(path) != text:
            emit(FileDone(path=path, content=text, fixed=(WENT_BACK,)))
    for index, result in enumerate(results):
        emit(ExampleDone(index, result, -1))
    return results
