"""Improve a folder in place: a change request on a project on disk, undoable.

`python -m smol_core --improve FOLDER --prompt "…"` reads the folder (importing.py: links never
followed, dependencies skipped, binary files left alone), asks for the change (runs.py), and
writes only what changed. Before a file is changed or deleted, its previous content is kept
under FOLDER/.smol/versions/NNNN/ with a record of what the change did, so `--undo FOLDER` can
put it back. Nothing outside the folder is read or written.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .bundle import MANIFEST_NAME, write_folder
from .changes import change_project
from .diffs import unified_diff
from .errors import SmolError
from .events import Emit, no_emit
from .importing import Imported, import_folder
from .paths import UnsafePath, normalize_path
from .project import Project, applying, restore
from .settings import Settings
from .steps.change import ChangeResult

VERSIONS = ".smol/versions"
UNDONE = ".smol/undone"
RECORD = "change.json"


@dataclass
class Improved:
    """What an improve did (or, dry, would do)."""

    result: ChangeResult
    diff: str
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    version: str = ""  # the folder under .smol/versions keeping what was there before
    not_written: list[str] = field(default_factory=list)  # refused by the writer, with why


def read_project(folder: Path) -> tuple[Project, Imported]:
    """The folder as a project: its manifest's spec, plan and purposes when it has one."""
    got = import_folder(folder)
    spec, plan, purposes = "", "", {}
    manifest = folder / MANIFEST_NAME
    if manifest.is_file() and not manifest.is_symlink():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            spec, plan = str(data.get("spec", "")), str(data.get("plan", ""))
            purposes = {str(f["path"]): str(f.get("purpose", "")) for f in data.get("files", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # a manifest we can't read: the files alone are enough
    ordered = [p for p in purposes if p in got.texts] + sorted(set(got.texts) - set(purposes))
    project = restore(spec, plan, [(p, purposes.get(p, "")) for p in ordered])
    project.contents = {p: got.texts[p] for p in project.paths}
    project.binary = dict(got.binary)
    return project, got


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _next_version(folder: Path) -> str:
    taken = [
        int(p.name[:4])
        for where in (folder / VERSIONS, folder / UNDONE)
        if where.is_dir()
        for p in where.iterdir()
        if p.name[:4].isdigit()
    ]  # undone ones count too: a number is never used twice
    return f"{max(taken, default=0) + 1:04d}-{time.strftime('%Y%m%d-%H%M%S')}"


def _remove(folder: Path, rel: str) -> None:
    """Delete one file of the folder: never a link, a folder, or anything outside it."""
    rel = normalize_path(rel)
    root = os.path.realpath(folder)
    target = os.path.join(root, *rel.split("/"))
    parent = os.path.dirname(target)
    if os.path.realpath(parent) != parent or not parent.startswith(root):
        raise SmolError(f"{rel}: its folder is a link or outside the project; not deleted.")
    st = os.lstat(target)
    if not stat.S_ISREG(st.st_mode):
        raise SmolError(f"{rel} is not a regular file; not deleted.")
    os.unlink(target)


async def improve_folder(
    folder: str | os.PathLike,
    request: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    dry_run: bool = False,
) -> Improved:
    """Change the project in `folder` as asked; write only what changed (unless `dry_run`),
    after keeping the previous content of every file changed or deleted."""
    folder = Path(folder)
    project, _ = read_project(folder)
    before, before_binary = dict(project.contents), dict(project.binary)
    result = await change_project(project, request, settings, applying(project, emit))
    after = dict(project.contents)
    gone_binary = [p for p in before_binary if p not in project.binary]
    done = Improved(result, unified_diff(before, after) if result.applied else "")
    if not result.applied:
        return done
    done.changed = [p for p in after if p in before and after[p] != before[p]]
    done.added = [p for p in after if p not in before]
    done.deleted = [p for p in before if p not in after] + gone_binary
    if gone_binary:
        done.diff += "".join(f"Binary file a/{p} deleted\n" for p in gone_binary)
    if dry_run or not (done.changed or done.added or done.deleted):
        return done
    done.version = _next_version(folder)
    base = f"{VERSIONS}/{done.version}"
    record = {
        "request": request,
        "created_at": time.time(),
        "changed": done.changed,
        "added": {p: _digest(after[p]) for p in done.added},
        "deleted": done.deleted,
    }
    old: dict[str, str | bytes] = {**before, **before_binary}
    kept = {f"{base}/files/{p}": old[p] for p in [*done.changed, *done.deleted]}
    kept[f"{base}/{RECORD}"] = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    manifest = folder / MANIFEST_NAME
    if manifest.is_file() and not manifest.is_symlink():
        text = manifest.read_text(encoding="utf-8", errors="replace")
        kept[f"{base}/{MANIFEST_NAME}"] = text
        data = json.loads(text or "{}")
        data["files"] = [{"path": f.path, "purpose": f.purpose} for f in project.files]
        after_manifest = json.dumps(data, indent=2, sort_keys=True) + "\n"
    else:
        after_manifest = None
    saved = write_folder(folder, kept)
    if saved.rejected:  # the old versions could not be kept: change nothing
        why = "; ".join(f"{r.path}: {r.reason}" for r in saved.rejected[:3])
        raise SmolError(f"Could not keep the previous versions ({why}); nothing was changed.")
    writes = {p: after[p] for p in [*done.changed, *done.added]}
    if after_manifest is not None:
        writes[MANIFEST_NAME] = after_manifest
    report = write_folder(folder, writes)
    done.not_written = [f"{r.path}: {r.reason}" for r in report.rejected]
    for path in done.deleted:
        _remove(folder, path)
    return done


def undo(folder: str | os.PathLike) -> tuple[str, list[str], list[str]]:
    """Put back the files the latest improve changed or deleted, and remove the files it added
    (unless edited since: then they are kept). The version moves to .smol/undone/.
    Returns (version, paths restored, paths removed)."""
    folder = Path(folder)
    root = folder / VERSIONS
    for where in (folder / ".smol", root):
        if where.is_symlink():  # read nothing outside the folder, even to undo
            raise SmolError(f"{where} is a link; nothing was undone.")
    names = (
        sorted(p.name for p in root.iterdir() if (p / RECORD).is_file()) if root.is_dir() else []
    )
    if not names or (root / names[-1]).is_symlink():
        raise SmolError(f"Nothing to undo in {folder}: no change was kept under {VERSIONS}/.")
    name = names[-1]
    if any((root / name / part).is_symlink() for part in (RECORD, "files", MANIFEST_NAME)):
        raise SmolError(f"{VERSIONS}/{name} holds a link; nothing was undone.")
    record = json.loads((root / name / RECORD).read_text(encoding="utf-8"))
    previous = import_folder(root / name / "files")
    restored: dict[str, str | bytes] = {**previous.texts, **previous.binary}
    for path in record.get("changed", []) + record.get("deleted", []):
        if path not in restored:
            raise SmolError(f"The kept version of {path} is missing; nothing was undone.")
    old_manifest = root / name / MANIFEST_NAME
    if old_manifest.is_file():
        restored[MANIFEST_NAME] = old_manifest.read_text(encoding="utf-8")
    report = write_folder(folder, restored)
    if report.rejected:
        raise SmolError(
            "Could not restore " + "; ".join(f"{r.path}: {r.reason}" for r in report.rejected)
        )
    removed = []
    for path, digest in record.get("added", {}).items():
        try:
            current = (folder / normalize_path(path)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, UnsafePath):
            continue
        if _digest(current) == digest:
            _remove(folder, path)
            removed.append(path)
    (folder / UNDONE).mkdir(parents=True, exist_ok=True)
    os.replace(root / name, folder / UNDONE / name)  # kept, not lost: a redo is a copy away
    return name, sorted(p for p in restored if p != MANIFEST_NAME), removed


def improve_command(
    folder: str,
    request: str,
    settings: Settings,
    emit: Emit,
    say: Callable[[str], None],
    out: TextIO,
    *,
    dry_run: bool = False,
) -> int:
    """`--improve FOLDER`: the diff on `out`, what was done through `say`; the exit code."""
    done = asyncio.run(improve_folder(folder, request, settings, emit, dry_run=dry_run))
    if not done.result.applied:
        raise SmolError(done.result.reason or "The change could not be made.")
    out.write(done.diff or "(no change)\n")
    for line in done.not_written:
        say(f"not written {line}")
    what = f"{len(done.changed)} changed, {len(done.added)} added, {len(done.deleted)} deleted"
    if dry_run:
        say(f"dry run: {what}; nothing written")
    elif done.version:
        say(f"{what}; undo with --undo {folder} (kept in {VERSIONS}/{done.version})")
    if done.result.unclean:  # kept all the same: the best version the change reached
        say(f"not clean: {done.result.unclean}")
    return 2 if done.not_written or done.result.unclean else 0


def undo_command(folder: str, out: TextIO) -> int:
    """`--undo FOLDER`: what was put back, on `out`."""
    name, restored, removed = undo(folder)
    out.write(
        f"undid {name}: restored {', '.join(restored) or 'nothing'}"
        f"{'; removed ' + ', '.join(removed) if removed else ''}\n"
    )
    return 0
