"""Every version of a project, in the history: what made it, its files; diff and restore.

A version is the whole project (file list, texts, binary files) at one moment, with the cause
that made it: generated, edited by you, regenerated, repaired, fixed from an error, changed by
request, imported, restored. Versions are only ever added: restoring one makes a new version,
and the state being left is recorded first, so nothing is overwritten without being kept.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from ..bundle import build_zip
from ..diffs import unified_diff
from ..errors import LimitError, SmolError
from ..events import ChecksDone, Emit, Event, FileDone
from ..importing import Imported
from ..project import Project
from ..records import FileSpec
from ..runs import change_project
from ..settings import Settings
from ..steps.change import ChangeResult
from .history import RunStore
from .session import Studio

CAUSES = {
    "generated": "generated",
    "edited": "edited by you",
    "regenerated": "regenerated",
    "repaired": "repaired",
    "fixed": "fixed from an error",
    "changed": "changed by request",
    "imported": "imported",
    "restored": "restored",
}


@dataclass(frozen=True)
class VersionInfo:
    number: int
    cause: str
    note: str
    created_at: float
    n_files: int

    @property
    def label(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.created_at))
        note = f" · {self.note}" if self.note else ""
        return f"v{self.number} · {CAUSES.get(self.cause, self.cause)}{note} · {when}"


@dataclass(frozen=True)
class Version(VersionInfo):
    files: list[FileSpec] = field(default_factory=list)
    contents: dict[str, str] = field(default_factory=dict)
    binary: dict[str, bytes] = field(default_factory=dict)


def _frozen(project: Project) -> tuple[str, str, str]:
    """The project as the three JSON texts a version stores (sorted: equal means same)."""
    files = json.dumps([[f.path, f.purpose] for f in project.files], ensure_ascii=False)
    contents = json.dumps(project.contents, sort_keys=True, ensure_ascii=False)
    binary = {p: base64.b64encode(b).decode("ascii") for p, b in project.binary.items()}
    return files, contents, json.dumps(binary, sort_keys=True)


class Versions:
    """The versions table of a RunStore (same database, same transactions)."""

    def __init__(self, store: RunStore) -> None:
        self.store = store

    def record(self, run_id: str, project: Project, cause: str, note: str = "") -> int | None:
        """Add the project as it is now as a version; None when it is the same as the latest
        (or empty). Atomic: the read of the latest and the insert are one transaction."""
        if cause not in CAUSES:
            raise ValueError(f"unknown cause {cause!r}")
        if not project.contents and not project.binary:
            return None
        files, contents, binary = _frozen(project)
        with self.store._write() as conn:
            row = conn.execute(
                "SELECT number, files, contents, binary FROM versions WHERE run_id = ? "
                "ORDER BY number DESC LIMIT 1",
                (run_id,),
            ).fetchone()
            if row is not None and tuple(row[1:]) == (files, contents, binary):
                return None
            number = (row[0] if row else 0) + 1
            conn.execute(
                "INSERT INTO versions (run_id, number, cause, note, created_at, files, "
                "contents, binary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, number, cause, note, time.time(), files, contents, binary),
            )
            return number

    def list(self, run_id: str) -> list[VersionInfo]:
        """Newest first."""
        with self.store._read() as conn:
            rows = conn.execute(
                "SELECT number, cause, note, created_at, json_array_length(files) FROM versions "
                "WHERE run_id = ? ORDER BY number DESC",
                (run_id,),
            ).fetchall()
        return [VersionInfo(*row) for row in rows]

    def get(self, run_id: str, number: int) -> Version | None:
        with self.store._read() as conn:
            row = conn.execute(
                "SELECT number, cause, note, created_at, files, contents, binary FROM versions "
                "WHERE run_id = ? AND number = ?",
                (run_id, number),
            ).fetchone()
        if row is None:
            return None
        files = [FileSpec(str(p), str(d)) for p, d in json.loads(row[4])]
        binary = {p: base64.b64decode(b) for p, b in json.loads(row[6]).items()}
        return Version(row[0], row[1], row[2], row[3], len(files), files=files,
                       contents=json.loads(row[5]), binary=binary)  # fmt: skip

    def latest(self, run_id: str) -> Version | None:
        listed = self.list(run_id)
        return self.get(run_id, listed[0].number) if listed else None


def _texts(contents: Mapping[str, str], binary: Mapping[str, bytes]) -> dict[str, str]:
    """Texts to diff; a binary file stands in as a line naming its size and digest."""
    out = dict(contents)
    for path, data in binary.items():
        out[path] = f"(binary file, {len(data):,} bytes, {hashlib.sha256(data).hexdigest()[:12]})\n"
    return out


def diff_text(versions: Versions, run_id: str, number: int, against: str, project: Project) -> str:
    """The diff of version `number` against the one before it ("previous") or against the
    project as it is now ("now"), as a unified diff (empty when they are the same)."""
    version = versions.get(run_id, number)
    if version is None:
        return ""
    mine = _texts(version.contents, version.binary)
    if against == "now":
        return unified_diff(mine, _texts(project.contents, project.binary),
                            old=f"v{number}", new="now")  # fmt: skip
    before = versions.get(run_id, number - 1)
    theirs = _texts(before.contents, before.binary) if before else {}
    return unified_diff(theirs, mine, old=f"v{number - 1}", new=f"v{number}")


def version_zip(version: Version, manifest: Mapping | None = None) -> bytes:
    """The zip of one version, binary files included."""
    files: dict[str, str | bytes] = {**version.contents, **version.binary}
    return build_zip(files, manifest=manifest)


def keep_current(studio: Studio, versions: Versions) -> int | None:
    """Record the project as it is if the history has not got it yet (a run made before
    versions existed, or a change nobody recorded): before anything overwrites it."""
    if studio.project is None or studio.run_id is None or studio.read_only:
        return None
    first = not versions.list(studio.run_id)
    cause, note = ("generated", "before versions were kept") if first else ("edited", "")
    return versions.record(studio.run_id, studio.project, cause, note)


def restore(studio: Studio, versions: Versions, number: int) -> int | None:
    """Make version `number` the project again: a new version ("restored"); the state left is
    recorded first if it was not yet. Returns the new version's number (None: no such one)."""
    project, run_id = studio.project, studio.run_id
    version = versions.get(run_id, number) if run_id else None
    if project is None or run_id is None or version is None:
        return None
    studio._writable()  # a run shared to read is never changed
    keep_current(studio, versions)
    studio.store.save_file_list(run_id, [(f.path, f.purpose) for f in version.files])
    for path, text in version.contents.items():
        studio.store.save_file(run_id, path, text, status="edited")
    project.files = list(version.files)
    project.contents = dict(version.contents)
    project.binary = dict(version.binary)
    for table in (project.failed, project.findings, project.fixed):
        for path in [p for p in table if p not in project.contents]:
            del table[path]
    studio.editor_rev = {}  # every editor shows the restored text (its keys are new)
    studio.recheck()
    return versions.record(run_id, project, "restored", note=f"from v{number}")


def attach_binary(studio: Studio, versions: Versions) -> None:
    """After a run is reopened: its binary files, which only the versions keep."""
    if studio.project is not None and studio.run_id and not studio.project.binary:
        latest = versions.latest(studio.run_id)
        if latest is not None:
            studio.project.binary = dict(latest.binary)


def start_imported(
    studio: Studio, versions: Versions, imported: Imported, settings: Settings, name: str
) -> int | None:
    """A new run from imported files: the first version ("imported"). A spec is optional."""
    studio._writable()
    cap = studio.limits.runs_per_session
    if cap and studio.runs_started >= cap:
        raise LimitError(f"This session has started its {cap} runs (the limit here).")
    too_long = [p for p, t in imported.texts.items() if len(t) > studio.limits.file_chars]
    if too_long or len(imported.texts) > settings.max_files:
        why = (f"{too_long[0]} is longer than {studio.limits.file_chars:,} characters" if too_long
               else f"it holds {len(imported.texts)} files; a run has at most {settings.max_files}")  # fmt: skip
        raise LimitError(f"This project can't be imported here: {why}.")
    studio.runs_started += 1
    run_id = studio.store.create_run(owner=studio.owner, spec="", model=settings.model,
                                     title=f"Imported {name}")  # fmt: skip
    files = [FileSpec(p, "") for p in sorted(imported.texts)]
    studio.store.save_file_list(run_id, [(f.path, f.purpose) for f in files])
    for path in sorted(imported.texts):
        studio.store.save_file(run_id, path, imported.texts[path], status="done")
    project = Project(spec="", files=files, contents=dict(imported.texts))
    project.binary = dict(imported.binary)
    studio.run_id, studio.project, studio.editor_rev = run_id, project, {}
    studio.recheck()
    return versions.record(run_id, project, "imported", note=name)


def change_job(
    studio: Studio, request: str, settings: Settings
) -> Callable[[Emit], Awaitable[ChangeResult]]:
    """The page's "Ask for a change", checked first (a request too long is refused)."""
    project = studio.project
    if project is None:
        raise SmolError("Open or start a project first.")
    request = request.strip()
    cap = studio.limits.instruction_chars
    if len(request) > cap:
        raise LimitError(f"The change request is too long ({len(request):,} characters; "
                         f"the limit is {cap:,}).")  # fmt: skip
    return lambda emit: change_project(project, request, settings, emit)


class JobVersions:
    """The versions one job makes: what it wrote (when its first checks start), then what the
    repairs made of it (at the end). `cause` None: generated, or regenerated when every file
    it wrote had text before."""

    def __init__(self, studio: Studio, versions: Versions, cause: str | None = None) -> None:
        self.studio, self.versions, self.cause = studio, versions, cause
        self.had = set(studio.project.contents) if studio.project else set()
        keep_current(studio, versions)  # what the job starts from is a version first
        self.wrote: set[str] = set()
        self.recorded = False

    def _cause(self) -> str:
        if self.cause:
            return self.cause
        return "regenerated" if self.wrote and self.wrote <= self.had else "generated"

    def _record(self, cause: str) -> bool:
        if self.studio.project is None or self.studio.run_id is None:
            return False
        return self.versions.record(self.studio.run_id, self.studio.project, cause) is not None

    def wrap(self, emit: Emit) -> Emit:
        def both(event: Event) -> None:
            emit(event)
            if isinstance(event, FileDone) and not event.fixed:
                self.wrote.add(event.path)
            elif isinstance(event, ChecksDone) and event.round == 0 and not self.recorded:
                self.recorded = self._record(self._cause())

        return both

    def settle(self) -> None:
        """At the end of the job (also when it failed half-way: what was written is kept)."""
        self._record("repaired" if self.recorded else self._cause())
