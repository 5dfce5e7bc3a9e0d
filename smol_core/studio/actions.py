"""What the page's clicks do to a project, decided here and not on the page: keep an edit, put
a file back, load a script as a module, which fix an advice's button runs, what a job changed.
Each change that makes a new state of the project records its version here, with its cause."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..events import ChangeDone
from ..project import Project
from ..runs import files_for_error
from ..settings import Settings
from ..steps.repair import repair_instruction
from .advice import Advice, load_as_module
from .session import Studio
from .versions import CAUSES, Versions
from .workspace import Change, error_files, error_request, what_changed


def save_edit(studio: Studio, versions: Versions, path: str, text: str) -> bool:
    """The editor's text kept, as a version "edited"; False when it changed nothing. A text
    too long to keep raises LimitError (nothing kept)."""
    if not studio.edit(path, text):
        return False
    if studio.run_id and studio.project is not None:
        versions.record(studio.run_id, studio.project, "edited")
    return True


def put_back(studio: Studio, versions: Versions, path: str, text: str) -> bool:
    """One file as it was before the last job rewrote it (a new version "restored"); the editor
    shows the text put back. False when there is no such file in the run."""
    project = studio.project
    if project is None or studio.run_id is None or path not in project.paths:
        return False
    studio.edit(path, text)
    studio.editor_rev.pop(path, None)  # a fresh editor: it shows the text put back
    versions.record(studio.run_id, project, "restored", note=f"{path} put back")
    return True


def script_as_module(studio: Studio, versions: Versions, script: str) -> dict[str, str] | None:
    """The pages loading `script` with a plain `<script src>` load it as a module (no model):
    a new version "repaired". The project's texts before it, or None when no page loads it so.
    A page too long to keep raises LimitError before any version is made."""
    project = studio.project
    if project is None or studio.run_id is None:
        return None
    changes = load_as_module(script, project.contents)
    if not changes:
        return None
    before = dict(project.contents)
    for page, text in changes.items():
        studio.edit(page, text)
        studio.editor_rev.pop(page, None)  # the editor shows the new text
    versions.record(studio.run_id, project, "repaired", note=f"{script} loaded as a module")
    return before


def change_made(studio: Studio, before: Mapping[str, str], cause: str | None) -> Change | None:
    """After a job: which files it rewrote, said with what made them (for "What changed");
    None when it only added files (nothing to undo)."""
    if studio.project is None or studio.run_id is None:
        return None
    what = CAUSES.get(cause or "regenerated", "rewritten").capitalize()
    return what_changed(studio.run_id, what, before, studio.project.contents)


@dataclass(frozen=True)
class AdviceFix:
    """What an advice's button runs: the missing files written (`adds_files`), or the file
    written again with `instruction`."""

    adds_files: bool
    instruction: str = ""


def advice_actions(advice: Sequence[Advice]) -> list[str]:
    """The buttons under a file's findings: each action once, in the order first met."""
    return list(dict.fromkeys(a.action for a in advice))


def advice_fix(advice: Sequence[Advice], action: str, settings: Settings) -> AdviceFix:
    """The fix one action's button runs for the findings that ask for it."""
    if any(a.adds_file and a.action == action for a in advice):
        return AdviceFix(adds_files=True)
    told = repair_instruction([a.finding for a in advice if a.action == action], settings)
    return AdviceFix(adds_files=False, instruction=told)


@dataclass(frozen=True)
class PreviewFix:
    """A fix-from-error for what the preview reported: the request sent, the page's own files
    first, and the wider choice a second try uses (the files the error names, too)."""

    request: str
    paths: list[str]
    wider: list[str]


def preview_fix(project: Project, page: str, report: Mapping[str, str]) -> PreviewFix:
    paths = error_files(page, str(report.get("where") or ""), project.contents)
    request = error_request(page, report)
    wider = list(dict.fromkeys([*paths, *files_for_error(request, project.files, 10)]))
    return PreviewFix(request, paths, wider)


def change_note(done: ChangeDone) -> tuple[str, str]:
    """How a change request's end is said: ("ok" | "warn" | "error", the words). A change
    that was made is kept even when not clean (the best version it reached), with the reason."""
    if not done.applied:
        return "error", done.reason
    names = [
        *done.changed,
        *(f"{p} (new)" for p in done.added),
        *(f"{p} (deleted)" for p in done.deleted),
    ]
    what = "Changed: " + (", ".join(names) or "nothing")
    return ("warn", f"{what}. Not clean: {done.reason}") if done.reason else ("ok", what)


def failing_files(project: Project) -> list[str]:
    """The files "Fix failing" may rewrite: the first three each failing example ran."""
    return sorted({p for r in project.failing_examples() for p in r.files[:3]})


def regenerate_job(project: Project, path: str, instruction: str) -> dict[str, Any]:
    """What "Regenerate this file" asks for (generate()'s arguments): with an instruction,
    the change asked for; either way the text it has now, to tell a same answer apart."""
    asked = instruction.strip()
    return {
        "nochange": "instruction" if asked else "regenerate",
        "instructions": {path: instruction} if asked else None,
        "current": {path: project.contents[path]} if path in project.contents else None,
    }
