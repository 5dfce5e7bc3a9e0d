"""Orchestration: the whole run, and the jobs a person starts on a project afterwards.

The steps (steps/) each do one thing; here they are put in order with the checks and repairs
of quality/: generate then check and repair (`run_all`, `generate_checked`), add the files the
checks found missing, fix the files a pasted error concerns. `events_of` turns any of these
into an async iterator of their events.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from typing import TypeVar

import openai

from .events import (
    Emit,
    Event,
    ExamplesReady,
    FileListDone,
    Idle,
    no_emit,
)
from .model.client import prepare, using_client
from .paths import check_paths
from .project import Project, applying, run_done
from .prompts import render
from .quality.checks import check_project
from .records import Example, FileSpec
from .settings import Settings
from .steps.code import generate_files
from .steps.example_list import make_examples
from .steps.file_list import make_file_list
from .steps.heal import not_run_reason, run_and_heal
from .steps.must_pass import checks_by_path
from .steps.plan import make_plan
from .steps.repair import check, check_and_repair
from .steps.spec import validate_spec

T = TypeVar("T")


async def run_all(
    spec: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    plan: str | None = None,
    files: Sequence[FileSpec] | None = None,
    examples: Sequence[Example] | None = None,
) -> Project:
    """The whole pipeline, reusing a given plan, file list or examples instead of asking again.

    Ends with one RunDone for the whole run, after the checks and repairs.
    """
    started = time.monotonic()
    spec = validate_spec(spec)
    settings = await prepare(settings)
    project = Project(spec=spec)
    tracked = applying(project, emit)  # every step's events folded into the one project
    async with using_client(settings, None) as c:
        await _plan_and_files(project, settings, tracked, c, plan, files)
        if examples is not None:
            tracked(ExamplesReady(tuple(examples)))  # a person's (or a file's): as they are
        # Asked before the files are written: the examples come from the spec, not from what
        # the code happens to do. Same shared prefix as the files: it warms the cache.
        await ensure_examples(project, settings, tracked, client=c)
        await generate_files(
            spec,
            project.plan,
            project.files,
            settings,
            tracked,
            client=c,
            finish=False,
            checks=checks_by_path(project.examples, project.paths),
        )
        await verify(project, settings, tracked, client=c)
    emit(run_done(project, project.paths, started))
    return project


async def propose_all(
    spec: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    plan: str | None = None,
    files: Sequence[FileSpec] | None = None,
) -> Project:
    """Spec → plan → files → examples, and no code: how the run would judge its result (the
    CLI's `--examples-only`). The project holds the plan, the files and the examples."""
    spec = validate_spec(spec)
    settings = await prepare(settings)
    project = Project(spec=spec)
    tracked = applying(project, emit)
    async with using_client(settings, None) as c:
        await _plan_and_files(project, settings, tracked, c, plan, files)
        await propose_examples(spec, project.plan, project.files, settings, tracked, client=c)
    return project


async def _plan_and_files(
    project: Project,
    settings: Settings,
    emit: Emit,
    client: openai.AsyncOpenAI,
    plan: str | None,
    files: Sequence[FileSpec] | None,
) -> None:
    if plan is None:
        plan = await make_plan(project.spec, settings, emit, client=client)
    project.plan = plan
    if files is None:
        listed = await make_file_list(project.spec, plan, settings, emit, client=client)
        files, project.rejected, project.file_list_mode = (
            listed.files,
            listed.rejected,
            listed.mode,
        )
    else:
        project.file_list_mode = "given"
    project.files = list(files)


async def propose_examples(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    settings: Settings,
    emit: Emit = no_emit,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> list[Example]:
    """The examples the code will be judged by, made after the file list and before any code
    (the spec's own, then the model's); ends with ExamplesReady. A person may change them."""
    if client is None:
        settings = await prepare(settings)
    async with using_client(settings, client) as c:
        found = await make_examples(
            c, settings, spec, plan, list(files), {f.path: "" for f in files}, emit
        )
    emit(ExamplesReady(tuple(found)))
    return found


async def generate_checked(
    project: Project,
    settings: Settings,
    emit: Emit | None = None,
    *,
    paths: Sequence[str],
    instructions: dict[str, str] | None = None,
    current: dict[str, str] | None = None,
    client: openai.AsyncOpenAI | None = None,
) -> None:
    """Write some files of a project, then check them and repair what the checks find."""
    emit = emit or applying(project, no_emit)
    started = time.monotonic()
    await ensure_examples(project, settings, emit, client=client)
    await generate_files(
        project.spec,
        project.plan,
        project.files,
        settings,
        emit,
        paths=paths,
        instructions=instructions,
        current=current,
        client=client,
        finish=False,
        checks=checks_by_path(project.examples, project.paths),
    )
    await verify(project, settings, emit, client=client, only=paths)
    emit(run_done(project, paths, started))


async def ensure_examples(
    project: Project, settings: Settings, emit: Emit, *, client: openai.AsyncOpenAI | None = None
) -> None:
    """Ask once per project for the spec's examples, when they will be run here."""
    if project.examples_made or not project.files:
        return
    if not settings.run_examples or not_run_reason(settings):
        return
    await propose_examples(project.spec, project.plan, project.files, settings, emit, client=client)


async def verify(
    project: Project,
    settings: Settings,
    emit: Emit,
    *,
    client: openai.AsyncOpenAI | None = None,
    only: Sequence[str] | None = None,
    never_anew: Collection[str] = (),
) -> None:
    """After files are written or changed: checks, fixes without the model and repairs (then
    the project's examples are run and what fails is repaired). `emit` must fold events into
    `project`. `only` limits the rewrites to some files; the checks see the whole project;
    the files of `never_anew` (a person's own) are repaired, never written anew."""
    if settings.checks and project.contents:
        await check_and_repair(project, settings, emit, client=client, only=only)
    if settings.run_examples and project.contents:
        await run_and_heal(project, settings, emit, client=client, only=only, never_anew=never_anew)


def files_for_error(error: str, files: Sequence[FileSpec], limit: int = 3) -> list[str]:
    """The project files an error message concerns, innermost first (tracebacks end there)."""
    paths = [f.path for f in files]
    mentioned: list[tuple[int, str]] = []
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        spots = [m.start() for m in re.finditer(re.escape(name), error)]
        if spots:
            mentioned.append((max(spots), path))
    if mentioned:
        return [p for _, p in sorted(mentioned, reverse=True)][:limit]
    # No file named: the files that define a name the error mentions.
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]{2,}", error))
    return [p for p in paths if any(w in p for w in words)][:limit] or paths[:1]


async def fix_from_error(
    project: Project,
    error: str,
    settings: Settings,
    emit: Emit | None = None,
    *,
    paths: Sequence[str] | None = None,
) -> list[str]:
    """Regenerate the files an error concerns, each told about the error. Returns their paths."""
    emit = emit or applying(project, no_emit)
    error = error.strip()
    if not error:
        return []
    chosen = list(paths) if paths else files_for_error(error, project.files)
    chosen = [p for p in chosen if p in project.paths]
    instruction = render("fix_error", settings.prompts_dir, error=error[:4000])
    await generate_files(
        project.spec,
        project.plan,
        project.files,
        settings,
        emit,
        paths=chosen,
        instructions={p: instruction for p in chosen},
        current={p: project.contents[p] for p in chosen if p in project.contents},
        checks=checks_by_path(project.examples, project.paths),
    )
    if settings.checks:
        check(project, settings, emit, round=1)
    return chosen


def referenced_missing(project: Project) -> list[FileSpec]:
    """Files the checks found referenced but not listed, as safe FileSpecs to add."""
    wanted: dict[str, str] = {}
    for path, items in project.findings.items():
        for f in items:
            if f.kind == "missing-file" and f.target:
                wanted.setdefault(f.target, f"referenced by {path}")
    check = check_paths(wanted)
    listed = {p.lower() for p in project.paths}
    return [FileSpec(p, wanted.get(p, "")) for p in check.accepted if p.lower() not in listed]


async def add_missing_files(
    project: Project,
    settings: Settings,
    emit: Emit | None = None,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> list[str]:
    """Add the referenced-but-missing files to the list, write them, and check again."""
    emit = emit or applying(project, no_emit)
    extra = referenced_missing(project)
    if not extra:
        return []
    added = [f.path for f in extra]
    before = {(p, str(f)) for p, items in project.findings.items() for f in items}
    emit(FileListDone(files=(*project.files, *extra), rejected=(), mode="added"))
    await generate_files(
        project.spec,
        project.plan,
        project.files,
        settings,
        emit,
        paths=added,
        client=client,
        finish=False,
        checks=checks_by_path(project.examples, project.paths),
    )
    # Repair the new files and the files with *new* findings (a page that loads the script now
    # written, a manifest that now needs a permission); what failed before keeps its rounds.
    now = check_project(project.contents, project.plan, project.spec)
    changed = [
        p for p, items in now.findings.items() if any((p, str(f)) not in before for f in items)
    ]
    await check_and_repair(
        project,
        settings,
        emit,
        client=client,
        only=[*added, *changed],
        first_round=settings.repair_rounds + 1,
    )
    if settings.run_examples and project.examples:
        await run_and_heal(project, settings, emit, client=client)
    return added


async def events_of(
    job: Callable[[Emit], Awaitable[T]], *, record: Emit | None = None, idle: float | None = None
) -> AsyncIterator[Event]:
    """Run `job(emit)` and yield its events as they happen; re-raise its error at the end.

    `record` sees each event the moment it happens, before it is queued: state that must
    survive an interrupted consumer (the history) is saved there, not in the consumer's loop.
    With `idle`, an `Idle` event is yielded after each `idle` seconds without one (a consumer
    that must notice a Stop while a long step is silent: running examples).
    If the consumer stops early (a page rerun), the job is cancelled, so no work is orphaned.
    """
    queue: asyncio.Queue[Event | None] = asyncio.Queue()
    started = time.monotonic()

    def emit(event: Event) -> None:
        if record is not None:
            record(event)
        queue.put_nowait(event)

    task = asyncio.ensure_future(job(emit))
    task.add_done_callback(lambda _t: queue.put_nowait(None))
    getter: asyncio.Future[Event | None] | None = None
    try:
        while True:
            if idle is None:
                event = await queue.get()
            else:  # the same get waits on across the idle events: nothing is lost
                getter = getter or asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter}, timeout=idle)
                if not done:
                    yield Idle(round(time.monotonic() - started, 1))
                    continue
                event, getter = getter.result(), None
            if event is None:
                break
            yield event
        task.result()  # raises the job's exception, if any
    finally:
        if getter is not None:
            getter.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
