"""After the files are written: check them, and regenerate the ones with findings.

Every function here takes an `emit` that must keep `project` up to date (fold each event into
it, as `project.applying(project, ...)` or the page's studio emitter do): the checks read the
files as the events left them. Without an `emit`, the events are folded into `project` only.

The original smol developer wrote each file blind. Here each file is checked (checks.py), and a
file with findings is asked for again, once by default, with its findings, in the same
cache-friendly layout as any regeneration. A person can also paste the error they got when
running the project; runs.py regenerates the files it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import openai

from ..events import ChecksDone, Emit, FileDone, no_emit
from ..fixes.autofix import autofix
from ..project import Project, applying
from ..prompts import render
from ..quality.checks import KINDS, CheckReport, check_project, referenced_paths
from ..records import Finding
from ..settings import Settings
from .code import generate_files
from .must_pass import checks_by_path

# A finding that regenerating its own file can fix. A missing *other* file can't be fixed that
# way: it is offered to the person (or the CLI's --add-missing) to add to the file list.
REPAIRABLE = frozenset(KINDS) - {"missing-file"}


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
    return with_related(render("repair", directory, findings=lines), related, settings)


def with_related(
    text: str, related: Mapping[str, str] | None, settings: Settings | None = None
) -> str:
    """`text` followed by the files the one being rewritten works with, within a budget."""
    directory = settings.prompts_dir if settings else None
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
    emit = emit or applying(project, no_emit)
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
    emit = emit or applying(project, no_emit)
    report = check(project, settings, emit, first_round)
    for round_no in range(first_round + 1, first_round + settings.repair_rounds + 1):
        # Mechanical fixes first: instant, and certain where the model's second try is not.
        fixes = autofix(
            project.contents,
            {p: items for p, items in report.findings.items() if only is None or p in only},
            project.ruled_out(),
        )
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
            project.spec,
            project.plan,
            project.files,
            settings,
            emit,
            paths=list(todo),
            instructions={
                p: repair_instruction(items, settings, related_files(project, p))
                for p, items in todo.items()
            },
            # A copy of the instructions is not shown back: the file is written anew.
            current={
                p: project.contents[p]
                for p, items in todo.items()
                if not any(f.kind == "echo" for f in items)
            },
            checks=checks_by_path(project.examples, project.paths),
            client=client,
            finish=False,
        )
        report = check(project, settings, emit, round_no)
    return report
