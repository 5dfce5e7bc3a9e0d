"""Every version of a project, in the history: what made it, its files; diff and restore.

A version is the whole project (file list, texts, binary files) at one moment, with the cause
that made it: generated, edited by you, regenerated, repaired, fixed from an error, changed by
request, imported, restored. Versions are only ever added: restoring one makes a new version,
and the state being left is recorded first, so nothing is overwritten without being kept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from ..bundle import build_zip
from ..changes import change_project
from ..diffs import unified_diff
from ..errors import LimitError, SmolError
from ..events import ChecksDone, Emit, Event, FileDone
from ..importing import Imported
from ..project import Project
from ..records import FileSpec
from ..settings import Settings
from ..steps.change import ChangeResult
from .history import RunStore
from .history_schema import named_blobs
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

# Who made a version, as the history of one file says it ("changed by …").
WHO = {
    "generated": "the first generation",
    "edited": "you",
    "regenerated": "a regeneration",
    "repaired": "a repair",
    "fixed": "a fix from an error",
    "changed": "a change request",
    "imported": "the import",
    "restored": "a restore",
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


@dataclass(frozen=True)
class _Frozen:
    """A project as a version stores it: the file list, {path: sha} of texts and of binary
    files (JSON, sorted: equal means same), and the blobs those shas name."""

    files: str
    contents: str
    binary: str
    blobs: dict[str, bytes]


def _freeze(project: Project) -> _Frozen:
    contents, binary, blobs = named_blobs(project.contents, project.binary)
    files = json.dumps([[f.path, f.purpose] for f in project.files], ensure_ascii=False)
    return _Frozen(files, contents, binary, blobs)


@dataclass(frozen=True)
class _Manifest:
    """One version without its texts: what to fetch, and what to compare cheaply."""

    info: VersionInfo
    files: list[FileSpec]
    contents: dict[str, str]  # path → sha
    binary: dict[str, str]


class Versions:
    """The versions table of a RunStore (same database, same transactions). Texts are kept
    once per run by their sha256 (version_blobs): a version is its file list and its shas."""

    def __init__(self, store: RunStore) -> None:
        self.store = store

    def record(self, run_id: str, project: Project, cause: str, note: str = "") -> int | None:
        """Add the project as it is now as a version; None when it is the same as the latest
        (or empty). Atomic: the read of the latest and the insert are one transaction."""
        if cause not in CAUSES:
            raise ValueError(f"unknown cause {cause!r}")
        if not project.contents and not project.binary:
            return None
        frozen = _freeze(project)
        with self.store._write() as conn:
            row = conn.execute(
                "SELECT number, files, contents, binary FROM versions WHERE run_id = ? "
                "ORDER BY number DESC LIMIT 1",
                (run_id,),
            ).fetchone()
            if row is not None and tuple(row[1:]) == (frozen.files, frozen.contents, frozen.binary):
                return None
            known = (
                set(json.loads(row[2]).values()) | set(json.loads(row[3]).values())
                if row
                else set()
            )
            conn.executemany(
                "INSERT OR IGNORE INTO version_blobs (run_id, sha, data) VALUES (?, ?, ?)",
                [(run_id, sha, data) for sha, data in frozen.blobs.items() if sha not in known],
            )
            number = (row[0] if row else 0) + 1
            conn.execute(
                "INSERT INTO versions (run_id, number, cause, note, created_at, files, "
                "contents, binary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    number,
                    cause,
                    note,
                    time.time(),
                    frozen.files,
                    frozen.contents,
                    frozen.binary,
                ),
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

    def _manifest(self, run_id: str, number: int) -> _Manifest | None:
        with self.store._read() as conn:
            row = conn.execute(
                "SELECT number, cause, note, created_at, files, contents, binary FROM versions "
                "WHERE run_id = ? AND number = ?",
                (run_id, number),
            ).fetchone()
        if row is None:
            return None
        files = [FileSpec(str(p), str(d)) for p, d in json.loads(row[4])]
        info = VersionInfo(row[0], row[1], row[2], row[3], len(files))
        return _Manifest(info, files, json.loads(row[5]), json.loads(row[6]))

    def _blobs(self, run_id: str, shas: set[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        wanted = sorted(shas)
        with self.store._read() as conn:
            for i in range(0, len(wanted), 500):  # under SQLite's limit of bound values
                chunk = wanted[i : i + 500]
                marks = ",".join("?" * len(chunk))
                out.update(
                    conn.execute(
                        f"SELECT sha, data FROM version_blobs WHERE run_id = ? AND sha IN ({marks})",
                        (run_id, *chunk),
                    ).fetchall()
                )
        return out

    def get(self, run_id: str, number: int) -> Version | None:
        m = self._manifest(run_id, number)
        if m is None:
            return None
        blobs = self._blobs(run_id, set(m.contents.values()) | set(m.binary.values()))
        contents = {p: bytes(blobs[sha]).decode("utf-8") for p, sha in m.contents.items()}
        binary = {p: bytes(blobs[sha]) for p, sha in m.binary.items()}
        i = m.info
        return Version(
            i.number,
            i.cause,
            i.note,
            i.created_at,
            i.n_files,
            files=m.files,
            contents=contents,
            binary=binary,
        )

    def latest(self, run_id: str) -> Version | None:
        listed = self.list(run_id)
        return self.get(run_id, listed[0].number) if listed else None

    def latest_binary(self, run_id: str) -> dict[str, bytes]:
        """The binary files of the latest version (without reading its texts)."""
        listed = self.list(run_id)
        m = self._manifest(run_id, listed[0].number) if listed else None
        if m is None or not m.binary:
            return {}
        blobs = self._blobs(run_id, set(m.binary.values()))
        return {p: bytes(blobs[sha]) for p, sha in m.binary.items()}

    def changed_texts(
        self, run_id: str, old: _Manifest | None, new: _Manifest | Project
    ) -> tuple[dict[str, str], dict[str, str]]:
        """The texts (binary files as a line naming them) of only the paths whose sha differs
        between two versions, or a version and the project now: what a diff needs."""
        a = _named(old) if old else {}
        if isinstance(new, Project):
            frozen = _freeze(new)
            b = {**json.loads(frozen.contents), **json.loads(frozen.binary)}
            blobs_b = frozen.blobs
        else:
            b, blobs_b = _named(new), {}
        differ = {p for p in set(a) | set(b) if a.get(p) != b.get(p)}
        need = {a[p] for p in differ if p in a} | {b[p] for p in differ if p in b}
        blobs = {**self._blobs(run_id, need - set(blobs_b)), **blobs_b}

        def shown(sha: str, is_binary: bool) -> str:
            data = bytes(blobs[sha])
            if is_binary:
                return f"(binary file, {len(data):,} bytes, {sha[:12]})\n"
            return data.decode("utf-8")

        before = {p: shown(a[p], p in old.binary) for p in differ if old and p in a}
        after = {p: shown(b[p], p in new.binary) for p in differ if p in b}
        return before, after


def _named(m: _Manifest) -> dict[str, str]:
    return {**m.contents, **m.binary}


def diff_text(
    versions: Versions, run_id: str, number: int, against: str, project: Project
) -> str | None:
    """The diff of version `number` against the one before it ("previous") or against the
    project as it is now ("now"), as a unified diff (empty when they are the same). Only the
    files whose sha differs are read and compared. None for the first version against the one
    before: every file would be "added", which says nothing (and a big one costs a rerun)."""
    mine = versions._manifest(run_id, number)
    if mine is None:
        return ""
    if against == "now":
        before, after = versions.changed_texts(run_id, mine, project)
        return unified_diff(before, after, old=f"v{number}", new="now")
    previous = versions._manifest(run_id, number - 1)
    if previous is None:
        return None
    before, after = versions.changed_texts(run_id, previous, mine)
    return unified_diff(before, after, old=f"v{number - 1}", new=f"v{number}")


def file_history(
    versions: Versions, run_id: str, path: str, limit: int = 12
) -> list[tuple[int, str]]:
    """The versions that changed `path` (made it, rewrote it or deleted it), newest first, each
    with its cause: who changed the file. Only the last `limit` versions are read."""
    listed = versions.list(run_id)[: limit + 1]
    if not listed:  # a run with no version recorded (a shared run seen read-only)
        return []
    shas = {}
    for info in listed:
        m = versions._manifest(run_id, info.number)
        shas[info.number] = m.contents.get(path) if m else None
    out = []
    for newer, older in zip(listed, [*listed[1:], None], strict=True):
        before = shas.get(older.number) if older else None
        if older is None and len(listed) > limit:
            break  # the version before is not read: whether this one changed it is unknown
        if shas[newer.number] != before:
            out.append((newer.number, newer.cause))
    return out


def who_changed(history: list[tuple[int, str]]) -> str:
    """One line for under the editor: "Who changed this file, newest first: you (v6), …"."""
    if not history:
        return ""
    said = [f"{WHO.get(cause, cause)} (v{number})" for number, cause in history[:5]]
    more = f" and {len(history) - 5} more" if len(history) > 5 else ""
    return "Who changed this file, newest first: " + ", ".join(said) + more + "."


def versions_line(listed: list[VersionInfo]) -> str:
    """How many versions there are and which is the latest (`listed`: newest first)."""
    if len(listed) == 1:
        return f"One version so far: v{listed[0].number}."
    return f"{len(listed)} versions; the latest is v{listed[0].number}, shown first."


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
        studio.project.binary = versions.latest_binary(studio.run_id)


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
        why = (
            f"{too_long[0]} is longer than {studio.limits.file_chars:,} characters"
            if too_long
            else f"it holds {len(imported.texts)} files; a run has at most {settings.max_files}"
        )
        raise LimitError(f"This project can't be imported here: {why}.")
    studio.runs_started += 1
    run_id = studio.store.create_run(
        owner=studio.owner, spec="", model=settings.model, title=f"Imported {name}"
    )
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
        raise LimitError(
            f"The change request is too long ({len(request):,} characters; the limit is {cap:,})."
        )
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

    def made_by(self) -> str:
        """What made this job's versions: the cause given, else generated or regenerated."""
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
                self.recorded = self._record(self.made_by())

        return both

    def settle(self) -> None:
        """At the end of the job (also when it failed half-way: what was written is kept)."""
        self._record("repaired" if self.recorded else self.made_by())
