"""The pipeline: spec → plan → file list → files. Async, UI-free, reporting through events.

Every step takes an `emit` callback that receives the events of `events.py`; `events_of()` turns
any step into an async iterator of those events instead. Each step opens its own client inside
its own event loop (clients can't outlive their loop) unless one is passed in.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai

from .chat import LOOPED, Emit, stream_chat
from .client import open_client, resolve
from .errors import SmolError, describe
from .events import (
    ChecksDone,
    Event,
    FileDelta,
    FileDone,
    FileFailed,
    FileListDone,
    FileStarted,
    PlanDelta,
    PlanDone,
    RunDone,
    UsageReport,
)
from .fences import strip_code_fences
from .file_list import FileList, specify_files
from .paths import Rejected
from .prompts import FileSpec, file_messages, plan_messages
from .settings import Settings
from .spec import validate_spec
from .usage import TokenUsage, estimate_cost

T = TypeVar("T")

# Errors that will fail the same way for every file: stop the run instead of trying them all.
FATAL = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)


def _no_emit(_event: Event) -> None:
    pass


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
    findings: dict[str, list] = field(default_factory=dict)  # latest checks, path → findings
    first_findings: dict[str, list] = field(default_factory=dict)  # before any repair
    fixed: dict[str, tuple] = field(default_factory=dict)  # path → changes made without the model
    looped: set[str] = field(default_factory=set)  # replies stopped because they repeated
    check_notes: tuple = ()

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


def cache_hint(settings: Settings, messages: Sequence[dict]) -> dict | None:
    """OpenAI routes requests with the same `prompt_cache_key` to the same cache: key it by
    the shared prefix, so all files of a run land together. Other servers may reject it."""
    if settings.provider != "openai":
        return None
    prefix = json.dumps(list(messages[:-1]), sort_keys=True).encode("utf-8")
    return {"prompt_cache_key": "smol-" + hashlib.sha256(prefix).hexdigest()[:24]}


def applying(project: Project, emit: Emit) -> Emit:
    """An emitter that first folds each event into `project`, then passes it on."""

    def both(event: Event) -> None:
        project.apply(event)
        emit(event)

    return both


@asynccontextmanager
async def _client_for(settings: Settings, client: openai.AsyncOpenAI | None):
    if client is not None:
        yield client
        return
    async with open_client(settings) as owned:
        yield owned


async def prepare(settings: Settings, progress: Callable[[str], None] | None = None) -> Settings:
    """Resolve the endpoint (starting the built-in model if chosen) without blocking the loop."""
    return await asyncio.to_thread(resolve, settings, progress)


async def make_plan(
    spec: str,
    settings: Settings,
    emit: Emit = _no_emit,
    *,
    extra_messages: Sequence[dict] = (),
    client: openai.AsyncOpenAI | None = None,
) -> str:
    """Step 1: a Markdown plan, streamed as PlanDelta events."""
    spec = validate_spec(spec)
    settings = await prepare(settings)
    # A plan capped on purpose (small local models ramble) is not continued past its cap.
    capped = settings.max_plan_tokens is not None
    plan_settings = settings.with_(max_tokens=settings.max_plan_tokens)
    async with _client_for(settings, client) as c:
        result = await stream_chat(
            c,
            plan_settings,
            [*plan_messages(spec, settings.prompts_dir), *extra_messages],
            step="plan",
            emit=emit,
            on_text=lambda t: emit(PlanDelta(t)),
            continue_on_length=not capped,
        )
    plan = result.text.strip()
    if not plan:
        raise SmolError("The model returned an empty plan. Try again or use another model.")
    emit(PlanDone(plan=plan, truncated=result.truncated))
    return plan


async def make_file_list(
    spec: str,
    plan: str,
    settings: Settings,
    emit: Emit = _no_emit,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> FileList:
    """Step 2: the files to write, checked for safety (rejections come with reasons)."""
    spec = validate_spec(spec)
    settings = await prepare(settings)
    async with _client_for(settings, client) as c:
        result = await specify_files(c, settings, spec, plan, emit=emit)
    emit(FileListDone(files=tuple(result.files), rejected=tuple(result.rejected), mode=result.mode))
    return result


async def write_file(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    path: str,
    settings: Settings,
    emit: Emit = _no_emit,
    *,
    instruction: str | None = None,
    current: str | None = None,
    client: openai.AsyncOpenAI | None = None,
) -> FileDone:
    """Step 3 for one file: stream it, continue it if cut by the limit, strip the chatter.

    Raises on failure (after retries); `generate_files` turns that into a FileFailed event.
    """
    settings = await prepare(settings)
    messages = file_messages(
        spec,
        plan,
        files,
        path,
        instruction=instruction,
        current=current,
        directory=settings.prompts_dir,
    )
    emit(FileStarted(path))
    async with _client_for(settings, client) as c:
        result = await stream_chat(
            c,
            settings,
            messages,
            step="code",
            path=path,
            emit=emit,
            on_text=lambda t: emit(FileDelta(path, t)),
            extra=cache_hint(settings, messages),
        )
    content = strip_code_fences(result.text, path)
    if not content.strip():
        raise SmolError(f"The model returned an empty reply for {path}.")
    done = FileDone(path=path, content=content, truncated=result.truncated, usage=result.usage,
                    looped=result.finish_reason == LOOPED)  # fmt: skip
    emit(done)
    return done


async def generate_files(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    settings: Settings,
    emit: Emit = _no_emit,
    *,
    paths: Sequence[str] | None = None,
    instructions: Mapping[str, str] | None = None,
    current: Mapping[str, str] | None = None,
    client: openai.AsyncOpenAI | None = None,
    finish: bool = True,
) -> Project:
    """Step 3 for many files, `settings.concurrency` at a time. One failure loses no other file.

    `paths` picks a subset (regenerate one, or "generate the missing files"); the shared
    context always holds the whole file list so every request keeps the same prefix.
    `finish=False` leaves the closing RunDone to a caller that does more after (run_all).
    """
    started = time.monotonic()
    settings = await prepare(settings)
    spec = validate_spec(spec)
    project = Project(spec=spec, plan=plan, files=list(files))
    todo = list(paths) if paths is not None else project.paths
    instructions = instructions or {}
    current = current or {}
    gate = asyncio.Semaphore(settings.concurrency)
    fatal: list[str] = []

    tracked = applying(project, emit)

    async with _client_for(settings, client) as c:

        async def one(path: str) -> None:
            async with gate:
                if fatal:
                    tracked(FileFailed(path, fatal[0]))
                    return
                try:
                    await write_file(
                        spec,
                        plan,
                        files,
                        path,
                        settings,
                        tracked,
                        instruction=instructions.get(path),
                        current=current.get(path),
                        client=c,
                    )
                except FATAL as exc:
                    fatal.append(describe(exc, settings))
                    tracked(FileFailed(path, fatal[0]))
                except (SmolError, openai.OpenAIError, ValueError) as exc:
                    tracked(FileFailed(path, describe(exc, settings)))
                except Exception as exc:  # noqa: BLE001 - one file's bug must not lose the others
                    tracked(FileFailed(path, describe(exc, settings)))

        await asyncio.gather(*(one(p) for p in todo))

    if finish or fatal:
        emit(run_done(project, todo, started))
    if fatal:
        raise SmolError(fatal[0])
    return project


def run_done(project: Project, paths: Sequence[str], started: float) -> RunDone:
    return RunDone(
        done=tuple(p for p in paths if p in project.contents),
        failed=tuple((p, project.failed[p]) for p in paths if p in project.failed),
        usage=project.usage,
        seconds=round(time.monotonic() - started, 3),
    )


async def run_all(
    spec: str,
    settings: Settings,
    emit: Emit = _no_emit,
    *,
    plan: str | None = None,
    files: Sequence[FileSpec] | None = None,
) -> Project:
    """The whole pipeline, reusing a given plan or file list instead of asking again.

    Ends with one RunDone for the whole run, after the checks and repairs.
    """
    started = time.monotonic()
    spec = validate_spec(spec)
    settings = await prepare(settings)
    usage = TokenUsage()

    def counting(event: Event) -> None:
        nonlocal usage
        if isinstance(event, UsageReport) and event.step != "code":
            usage = usage + event.usage
        emit(event)

    async with _client_for(settings, None) as c:
        if plan is None:
            plan = await make_plan(spec, settings, counting, client=c)
        rejected: list[Rejected] = []
        mode = "given"
        if files is None:
            listed = await make_file_list(spec, plan, settings, counting, client=c)
            files, rejected, mode = listed.files, listed.rejected, listed.mode
        project = await generate_files(spec, plan, files, settings, counting, client=c,
                                       finish=False)  # fmt: skip
        if settings.checks and project.contents:
            from .repair import check_and_repair  # repair builds on this module

            await check_and_repair(project, settings, applying(project, counting), client=c)
    project.rejected = rejected
    project.file_list_mode = mode
    project.usage = project.usage + usage
    emit(run_done(project, project.paths, started))
    return project


async def events_of(
    job: Callable[[Emit], Awaitable[T]], *, record: Emit | None = None
) -> AsyncIterator[Event]:
    """Run `job(emit)` and yield its events as they happen; re-raise its error at the end.

    `record` sees each event the moment it happens, before it is queued: state that must
    survive an interrupted consumer (the history) is saved there, not in the consumer's loop.
    If the consumer stops early (a page rerun), the job is cancelled, so no work is orphaned.
    """
    queue: asyncio.Queue[Event | None] = asyncio.Queue()

    def emit(event: Event) -> None:
        if record is not None:
            record(event)
        queue.put_nowait(event)

    task = asyncio.ensure_future(job(emit))
    task.add_done_callback(lambda _t: queue.put_nowait(None))
    try:
        while (event := await queue.get()) is not None:
            yield event
        task.result()  # raises the job's exception, if any
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
