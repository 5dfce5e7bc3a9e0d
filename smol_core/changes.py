"""A change request on a project in hand: applied all or nothing, then checked, repaired and
run like new code, with the request's own examples as its checks; a failure after the change
was written keeps it (the best version it reached) with the reason it is not clean."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

import openai

from .errors import describe
from .events import ChangeDone, Emit, ExamplesReady, FileDone, FileListDone, FilesDeleted, no_emit
from .model.client import prepare, using_client
from .project import Project, applying, run_done
from .records import Command, Example, FileSpec
from .running.baseline import printed_now
from .runs import verify
from .settings import Settings
from .spec_reading.kept_outputs import (
    added_options,
    kept_commands,
    kept_runs,
    untouched_commands,
)
from .spec_reading.model_examples import merged
from .spec_reading.test_asserts import given_tests
from .steps.change import ChangeResult, make_change
from .steps.example_list import written_examples


async def change_project(
    project: Project,
    request: str,
    settings: Settings,
    emit: Emit | None = None,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> ChangeResult:
    """Change the whole project as asked, then check, repair and run it like after generation.

    All or nothing: the new files are applied only once every file of the change is written;
    if one fails, the project is left exactly as it was (`applied` False, `failed` says why).
    Ends with ChangeDone (then RunDone, when applied). `emit` must fold events into `project`
    (the default does)."""
    emit = emit or applying(project, no_emit)
    started = time.monotonic()
    before = dict(project.contents)
    settings = await prepare(settings)
    async with using_client(settings, client) as c:
        result = await make_change(project, request, settings, emit, client=c)
        if result.failed:
            real = [p for p in result.failed if "another file" not in result.failed[p]]
            first = (real or list(result.failed))[0]
            result.reason = (
                f"{first} could not be written ({result.failed[first]}); nothing was changed"
            )
            emit(
                ChangeDone(applied=False, failed=tuple(result.failed.items()), reason=result.reason)
            )
            return result
        added = result.plan.paths("add")
        changed = [
            p for p in result.plan.paths("change") if result.contents[p] != project.contents.get(p)
        ]
        purposes = {c.path: c.what for c in result.plan.changes}
        if added or result.deleted:
            gone = set(result.deleted)
            listed = [f for f in project.files if f.path not in gone]
            listed += [FileSpec(p, purposes[p]) for p in added]
            emit(FileListDone(tuple(listed), tuple(project.rejected), project.file_list_mode))
            if gone:
                emit(FilesDeleted(tuple(result.deleted)))
        for path in [*changed, *added]:
            emit(FileDone(path=path, content=result.contents[path]))
        result.applied = True
        # Where every file came back as it was, the request's own checks may still show what
        # to change (a bug report's output, run): they are run and repaired as for a change.
        targets = [*changed, *added] or (
            [] if result.deleted else [p for p in result.plan.paths("change") if p in before]
        )
        if targets:
            result.unclean = await _verify_change(
                project, request, settings, emit, c, targets, before
            )
        changed = [p for p in before if project.contents.get(p) not in (None, before[p])]
        if not (changed or added or result.deleted):
            # The request asked for a change and none came: said, never a clean exit.
            nothing = "nothing was changed: every file of the change came back as it was"
            result.unclean = "; ".join(w for w in (nothing, result.unclean) if w)
    emit(
        ChangeDone(
            applied=True,
            changed=tuple(changed),
            added=tuple(added),
            deleted=tuple(result.deleted),
            reason=result.unclean,
        )
    )
    emit(run_done(project, [*changed, *added], started))
    return result


async def _verify_change(
    project: Project,
    request: str,
    settings: Settings,
    emit: Emit,
    client: openai.AsyncOpenAI,
    paths: list[str],
    before: Mapping[str, str],
) -> str:
    """Check, repair and run a change just applied; why it is not clean ("" when it is).

    A folder brought as code has no spec: the request is the spec of its repairs (they are
    asked with the spec as their context, and an empty one is refused). A repair or run that
    fails keeps the change as it stands, the best version it reached: the work is never lost
    for a failure after it was written."""
    had = project.spec
    if not had.strip():
        project.spec = request
    # The request's own examples (the commands it quotes and what they print...) are the
    # change's checks, before the project's older ones that run the same commands.
    asked = written_examples(request, project.contents, commands=True)
    asked = await _as_before(asked, request, before, settings)
    # The tests the request is about, each assertion a check of its own (a script of asserts
    # stops at its first failure and shows no value): all of them, past the examples' cap.
    tests = given_tests(request, before)
    if asked or tests:
        emit(ExamplesReady(tuple([*merged(asked, project.examples), *tests])))
    try:
        await verify(project, settings, emit, client=client, only=paths, never_anew=before)
    except (asyncio.CancelledError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the change is kept; what stopped is said
        return f"its checks and repairs stopped: {describe(exc, settings)}"
    finally:
        project.spec = had
    return unclean_reason(project, paths)


async def _as_before(
    asked: list[Example], request: str, before: Mapping[str, str], settings: Settings
) -> list[Example]:
    """The request's examples, where it says a command's output stays as it is now, expecting
    what that command printed before the change (run over a copy of the project as it was)."""
    if not settings.run_examples:
        return asked
    asked = [*asked, *await _untouched(request, before, settings)]
    kept = kept_commands(request)
    options = added_options(request, before)
    helps = [("python", program, "--help") for program in dict.fromkeys(p for p, _ in options)]
    if not (kept or helps):
        return asked
    now = await asyncio.to_thread(
        printed_now, before, [*kept, *helps], allow_unisolated=settings.allow_unisolated
    )
    asked = [*asked, *_listed(options, now)]
    now = {args: told for args, told in now.items() if args in kept}
    if not now:
        return asked

    def as_now(c: Command) -> Command:
        if c.args not in now or c.checks_output:
            return c
        printed, code = now[c.args]
        return replace(c, output=printed, exit_code=code)

    out = [replace(e, commands=tuple(as_now(c) for c in e.commands)) for e in asked]
    seen = {c.args for e in out for c in e.commands}
    rest = tuple(Command(a, exit_code=now[a][1], output=now[a][0]) for a in now if a not in seen)
    if rest:
        out.append(Example("prints what it printed before the change", "command", rest))
    return out


async def _untouched(request: str, before: Mapping[str, str], settings: Settings) -> list[Example]:
    """A check that the commands the project documents and the request leaves alone print
    what they printed before the change: run twice over copies of the project as it was,
    kept where both runs agree and end with 0 (a clock or chance in the output is not held)."""
    commands = untouched_commands(request, before)
    commands += [c for c in kept_runs(request, before) if c not in commands]
    if not commands:
        return []
    runs = [
        await asyncio.to_thread(
            printed_now, before, commands, allow_unisolated=settings.allow_unisolated
        )
        for _ in range(2)
    ]
    held = tuple(
        Command(args, output=runs[0][args][0])
        for args in commands
        if args in runs[0]
        and runs[0][args] == runs[1].get(args)
        and runs[0][args][1] == 0
        and runs[0][args][0].strip()
    )
    return (
        [Example("what the change leaves alone prints as before", "command", held)] if held else []
    )


def _listed(
    options: Sequence[tuple[str, str]], now: Mapping[tuple[str, ...], tuple[str, int]]
) -> list[Example]:
    """A check that each program's help lists the options the request adds to it: where its
    help, before the change, answered with a usage and did not list them yet."""
    out = []
    for program in dict.fromkeys(p for p, _ in options):
        printed, code = now.get(("python", program, "--help"), ("", 1))
        new = tuple(o for p, o in options if p == program and o not in printed)
        if code == 0 and "usage" in printed.lower() and new:
            command = Command(("python", program, "--help"), contains=new)
            out.append(
                Example(f"`python {program} --help` lists {', '.join(new)}", "command", (command,))
            )
    return out


def unclean_reason(project: Project, paths: Sequence[str]) -> str:
    """Why a project after a change is not clean ("" when it is): findings of the checks left
    in the files it wrote, files a repair could not write, examples still failing when run."""
    why = []
    found = [p for p in paths if project.findings.get(p)]
    if found:
        why.append(f"still failing checks: {', '.join(found)} ({project.findings[found[0]][0]})")
    failed = [p for p in paths if p in project.failed]
    if failed:
        why.append(f"{', '.join(failed)} could not be repaired ({project.failed[failed[0]]})")
    if project.examples_state() == "failing":
        names = ", ".join(r.name for r in project.failing_examples())
        why.append(f"still failing when run: {names}")
    return "; ".join(why)
