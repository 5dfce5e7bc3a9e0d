"""After the files are written: check them, and regenerate the ones with findings.

Every function here takes an `emit` that must keep `project` up to date (fold each event into
it, as `pipeline.applying(project, ...)` or the page's studio emitter do): the checks read the
files as the events left them. Without an `emit`, the events are folded into `project` only.

The original smol developer wrote each file blind. Here each file is checked (checks.py), and a
file with findings is asked for again, once by default, with its findings, in the same
cache-friendly layout as any regeneration. A person can also paste the error they got when
running the project; the files it concerns are regenerated with it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence

import openai

from .autofix import autofix
from .chat import Emit
from .checks import KINDS, CheckReport, Finding, check_project, referenced_paths
from .events import ChecksDone, FileDone, FileListDone
from .paths import check_paths
from .pipeline import Project, applying, generate_files, run_done
from .prompts import FileSpec, render
from .settings import Settings

# A finding that regenerating its own file can fix. A missing *other* file can't be fixed that
# way: it is offered to the person (or the CLI's --add-missing) to add to the file list.
REPAIRABLE = frozenset(KINDS) - {"missing-file"}


def _no_emit(_event: object) -> None:
    pass


RELATED_CHARS = 6000  # cap on the other files shown with a repair (small context windows)


def repair_instruction(
    findings: Sequence[Finding],
    settings: Settings | None = None,
    related: Mapping[str, str] | None = None,
) -> str:
    """The repair request; `related` (path → text) are the files the broken one works with."""
    directory = settings.prompts_dir if settings else None
    lines = "\n".join(
        f"- line {f.line}: {f.message}" if f.line else f"- {f.message}" for f in findings
    )
    text = render("repair", directory, findings=lines)
    shown, budget = [], RELATED_CHARS
    for path, content in (related or {}).items():
        if len(content) > budget:
            continue
        budget -= len(content)
        shown.append(f"`{path}`:\n\n{content.rstrip()}\n")
    if shown:
        text += "\n\n" + render("related_files", directory, files="\n".join(shown))
    return text


def related_files(project: Project, path: str) -> dict[str, str]:
    """The files `path` works with: the project modules a Python file imports, the page a
    script belongs to, the scripts a page loads. A repair sees them to get names right."""
    contents = project.contents
    refs = referenced_paths(path, contents.get(path, ""), contents)
    for other, text in contents.items():
        if other != path and path in referenced_paths(other, text, contents):
            refs.add(other)
    return {p: contents[p] for p in project.paths if p in refs and p != path}


def check(
    project: Project, settings: Settings, emit: Emit | None = None, round: int = 0
) -> CheckReport:
    """Check the project's files; the findings go to `project` and out as a ChecksDone event."""
    emit = emit or applying(project, _no_emit)
    report = check_project(project.contents, project.plan, project.spec)
    emit(ChecksDone(findings=report.findings, notes=report.notes, round=round))
    return report


async def check_and_repair(
    project: Project,
    settings: Settings,
    emit: Emit | None = None,
    *,
    client: openai.AsyncOpenAI | None = None,
    only: Sequence[str] | None = None,
    first_round: int = 0,
) -> CheckReport:
    """Check every file; regenerate those with fixable findings, up to `repair_rounds` times.

    `only` limits the repairs to some files (the ones a person just regenerated): the checks
    still look at the whole project, since most findings are about how files fit together.
    `first_round` > 0 numbers a later pass, which keeps the "repaired" bookkeeping of round 0.
    """
    emit = emit or applying(project, _no_emit)
    report = check(project, settings, emit, first_round)
    for round_no in range(first_round + 1, first_round + settings.repair_rounds + 1):
        # Mechanical fixes first: instant, and certain where the model's second try is not.
        fixes = autofix(project.contents, {
            p: items for p, items in report.findings.items() if only is None or p in only
        })  # fmt: skip
        for fix in fixes.values():
            emit(FileDone(path=fix.path, content=fix.content, fixed=fix.changes))
        if fixes:
            report = check(project, settings, emit, round_no)
        todo = {
            path: [f for f in items if f.kind in REPAIRABLE]
            for path, items in report.findings.items()
        }
        todo = {
            p: items
            for p, items in todo.items()
            if items and p in project.contents and (only is None or p in only)
        }
        if not todo:
            break
        await generate_files(
            project.spec, project.plan, project.files, settings, emit,
            paths=list(todo),
            instructions={
                p: repair_instruction(items, settings, related_files(project, p))
                for p, items in todo.items()
            },
            current={p: project.contents[p] for p in todo},
            client=client, finish=False,
        )  # fmt: skip
        report = check(project, settings, emit, round_no)
    return report


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
    emit = emit or applying(project, _no_emit)
    error = error.strip()
    if not error:
        return []
    chosen = list(paths) if paths else files_for_error(error, project.files)
    chosen = [p for p in chosen if p in project.paths]
    instruction = render("fix_error", settings.prompts_dir, error=error[:4000])
    await generate_files(
        project.spec, project.plan, project.files, settings, emit,
        paths=chosen, instructions={p: instruction for p in chosen},
        current={p: project.contents[p] for p in chosen if p in project.contents},
    )  # fmt: skip
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
    emit = emit or applying(project, _no_emit)
    extra = referenced_missing(project)
    if not extra:
        return []
    added = [f.path for f in extra]
    before = {(p, str(f)) for p, items in project.findings.items() for f in items}
    emit(FileListDone(files=(*project.files, *extra), rejected=(), mode="added"))
    await generate_files(
        project.spec, project.plan, project.files, settings, emit,
        paths=added, client=client, finish=False,
    )  # fmt: skip
    # Repair the new files and the files with *new* findings (a page that loads the script now
    # written, a manifest that now needs a permission); what failed before keeps its rounds.
    now = check_project(project.contents, project.plan, project.spec)
    changed = [p for p, items in now.findings.items() if any((p, str(f)) not in before for f in items)]
    await check_and_repair(project, settings, emit, client=client, only=[*added, *changed],
                           first_round=settings.repair_rounds + 1)  # fmt: skip
    return added


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
    emit = emit or applying(project, _no_emit)
    started = time.monotonic()
    await generate_files(
        project.spec, project.plan, project.files, settings, emit,
        paths=paths, instructions=instructions, current=current, client=client, finish=False,
    )  # fmt: skip
    if settings.checks and project.contents:
        await check_and_repair(project, settings, emit, client=client, only=paths)
    emit(run_done(project, paths, started))
