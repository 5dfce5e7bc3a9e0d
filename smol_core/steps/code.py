"""Step 3: write the files, one streamed request each, `settings.concurrency` at a time.

Every request carries the same prefix (system, spec, plan, the whole file list) and only then
the path to write, so a server's prefix cache serves all files of a run from one copy.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Mapping, Sequence

import openai

from ..errors import SmolError, describe
from ..events import Emit, FileDelta, FileDone, FileFailed, FileStarted, no_emit
from ..model.chat import GARBLED, LOOPED, stream_chat
from ..model.client import prepare, using_client
from ..project import Project, applying, run_done
from ..prompts import file_messages, render
from ..records import FileSpec
from ..settings import Settings
from .fences import cut_other_files, strip_code_fences
from .fit import fitted
from .function_edits import NO_CHANGE, edit_format_for, splice_functions
from .kind import kind_problem
from .spec import validate_spec

# Errors that will fail the same way for every file: stop the run instead of trying them all.
FATAL = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)


def cache_hint(settings: Settings, messages: Sequence[dict]) -> dict | None:
    """OpenAI routes requests with the same `prompt_cache_key` to the same cache: key it by
    the shared prefix, so all files of a run land together. Other servers may reject it."""
    if settings.provider != "openai":
        return None
    prefix = json.dumps(list(messages[:-1]), sort_keys=True).encode("utf-8")
    return {"prompt_cache_key": "smol-" + hashlib.sha256(prefix).hexdigest()[:24]}


async def write_file(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    path: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    instruction: str | None = None,
    current: str | None = None,
    checks: str = "",
    client: openai.AsyncOpenAI | None = None,
) -> FileDone:
    """Step 3 for one file: stream it, continue it if cut by the limit, strip the chatter.
    `checks`: the examples it will be run against, in words (told, a small model follows an
    exact output it skimmed over in the description).

    Raises on failure (after retries); `generate_files` turns that into a FileFailed event.
    """
    settings = await prepare(settings)
    if (
        instruction
        and current is not None
        and edit_format_for(settings, current, path) == "functions"
    ):
        async with using_client(settings, client) as c:
            done = await _rewrite_functions(
                spec, plan, files, path, settings, emit, instruction, current, c
            )
        if done is not None:
            return done
    messages = fitted(
        lambda the_plan, the_instruction: file_messages(
            spec,
            the_plan,
            files,
            path,
            instruction=the_instruction,
            current=current,
            directory=settings.prompts_dir,
            checks=checks,
        ),
        plan,
        instruction,
        settings,
        path,
    )
    emit(FileStarted(path))
    async with using_client(settings, client) as c:
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
        usage = result.usage
        content = cut_other_files(
            strip_code_fences(result.text, path), path, [f.path for f in files]
        )
        problem = _problem(path, content, result.finish_reason)
        if problem:
            # Asked once more, with the bad reply and what is wrong with it: at temperature 0
            # the same request would give the same reply.
            again = [
                *messages,
                {"role": "assistant", "content": result.text[:3000]},
                {
                    "role": "user",
                    "content": render(
                        "ask_again", settings.prompts_dir, path=path, problem=problem
                    ),
                },
            ]
            emit(FileStarted(path))
            result = await stream_chat(
                c,
                settings,
                again,
                step="code",
                path=path,
                emit=emit,
                on_text=lambda t: emit(FileDelta(path, t)),
                extra=cache_hint(settings, again),
            )
            usage = usage + result.usage
            content = cut_other_files(
                strip_code_fences(result.text, path), path, [f.path for f in files]
            )
            problem = _problem(path, content, result.finish_reason)
            if problem:
                raise SmolError(f"The model did not write {path}: {problem}.")
    if not content.strip():
        raise SmolError(f"The model returned an empty reply for {path}.")
    done = FileDone(
        path=path,
        content=content,
        truncated=result.truncated,
        usage=usage,
        looped=result.finish_reason == LOOPED,
    )
    emit(done)
    return done


async def _rewrite_functions(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    path: str,
    settings: Settings,
    emit: Emit,
    instruction: str,
    current: str,
    client: openai.AsyncOpenAI,
) -> FileDone | None:
    """A rewrite of a Python file asked as its changed functions only (a repair of one function
    costs its few dozen tokens, not the whole file: bench.improve). None when the reply can't be
    put in place by name: the caller then asks for the whole file."""
    messages = fitted(
        lambda the_plan, the_instruction: file_messages(
            spec,
            the_plan,
            files,
            path,
            instruction=the_instruction,
            current=current,
            directory=settings.prompts_dir,
            functions=True,
        ),
        plan,
        instruction,
        settings,
        path,
    )
    emit(FileStarted(path))
    result = await stream_chat(
        client,
        settings,
        messages,
        step="code",
        path=path,
        emit=emit,
        on_text=lambda t: emit(FileDelta(path, t)),
    )
    if result.truncated or result.finish_reason in (GARBLED, LOOPED):
        return None
    spliced = splice_functions(current, strip_code_fences(result.text, path))
    if spliced.failure == NO_CHANGE:
        # Written back as it was: a whole-file request at the same temperature comes back
        # the same too (seen in heal rounds: 15 s each). The file stays; the caller decides
        # what next (heal samples another candidate).
        text = current
    elif not spliced.ok:
        return None
    else:
        text = spliced.text
    done = FileDone(path=path, content=text, usage=result.usage)
    emit(done)
    return done


def _problem(path: str, content: str, finish_reason: str | None) -> str:
    if finish_reason == GARBLED:
        return "it repeats one line pattern with other names over and over"
    return kind_problem(path, content) if content.strip() else ""


async def generate_files(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    settings: Settings,
    emit: Emit = no_emit,
    *,
    paths: Sequence[str] | None = None,
    instructions: Mapping[str, str] | None = None,
    current: Mapping[str, str] | None = None,
    checks: Mapping[str, str] | None = None,
    client: openai.AsyncOpenAI | None = None,
    finish: bool = True,
) -> Project:
    """Step 3 for many files, `settings.concurrency` at a time. One failure loses no other file.

    `paths` picks a subset (regenerate one, or "generate the missing files"); the shared
    context always holds the whole file list so every request keeps the same prefix.
    `finish=False` leaves the closing RunDone to a caller that does more after (run_all).
    `checks`: by path, the examples each file will be run against (`steps.must_pass`).
    """
    started = time.monotonic()
    settings = await prepare(settings)
    spec = validate_spec(spec)
    project = Project(spec=spec, plan=plan, files=list(files))
    todo = list(paths) if paths is not None else project.paths
    instructions = instructions or {}
    current = current or {}
    checks = checks or {}
    gate = asyncio.Semaphore(settings.concurrency)
    fatal: list[str] = []

    tracked = applying(project, emit)

    async with using_client(settings, client) as c:

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
                        checks=checks.get(path, ""),
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
