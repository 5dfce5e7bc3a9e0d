"""What the history stores: the tables and their migrations, and the records read back."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# A file counts as present (not "missing") in one of these states with content.
DONE_STATUSES = frozenset({"done", "edited", "truncated"})


@dataclass
class FileRecord:
    """One file of a run's file list."""

    path: str
    purpose: str
    content: str | None
    status: str  # "pending" | "done" | "failed" | "edited" | "truncated"
    error: str | None
    updated_at: float

    @property
    def present(self) -> bool:
        """True when the file has usable content (not to be regenerated)."""
        return self.status in DONE_STATUSES and self.content is not None


@dataclass
class RunRecord:
    """A full run as stored, files in file-list order."""

    id: str
    owner: str
    title: str
    spec: str
    plan: str
    model: str
    base_url_host: str  # scheme://host:port only; never a key or a full URL
    created_at: float
    updated_at: float
    files: list[FileRecord] = field(default_factory=list)
    usage: dict = field(default_factory=dict)  # accumulated token / cost counters
    # The project's examples and their latest results, as plain dicts (records.py)
    examples: dict = field(default_factory=dict)

    def missing(self) -> list[str]:
        """Paths in the file list that still need generating (pending/failed/no content)."""
        return [f.path for f in self.files if not f.present]


@dataclass
class RunSummary:
    """Row of the history list."""

    id: str
    title: str
    created_at: float
    updated_at: float
    n_files: int
    n_done: int
    model: str


# --- schema -----------------------------------------------------------------
# Each step upgrades from version i to i+1 and runs inside the same
# BEGIN IMMEDIATE transaction that bumps user_version, so two processes opening
# a fresh database at once cannot both apply it.  To add a column later, append
# e.g. ``lambda c: c.execute("ALTER TABLE runs ADD COLUMN x TEXT NOT NULL DEFAULT ''")``.


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE runs (
            id            TEXT PRIMARY KEY,
            owner         TEXT NOT NULL,
            title         TEXT NOT NULL,
            spec          TEXT NOT NULL,
            plan          TEXT NOT NULL DEFAULT '',
            model         TEXT NOT NULL DEFAULT '',
            base_url_host TEXT NOT NULL DEFAULT '',
            usage         TEXT NOT NULL DEFAULT '{}',
            created_at    REAL NOT NULL,
            updated_at    REAL NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX runs_owner_updated ON runs(owner, updated_at DESC)")
    conn.execute("CREATE INDEX runs_updated ON runs(updated_at DESC)")
    conn.execute(
        """
        CREATE TABLE files (
            run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            path       TEXT NOT NULL,
            position   INTEGER NOT NULL,
            purpose    TEXT NOT NULL DEFAULT '',
            content    TEXT,
            status     TEXT NOT NULL DEFAULT 'pending',
            error      TEXT,
            updated_at REAL NOT NULL,
            PRIMARY KEY (run_id, path)
        )
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    # {"examples": [...], "results": [...]}: what the run's code is checked against when run.
    conn.execute("ALTER TABLE runs ADD COLUMN examples TEXT NOT NULL DEFAULT '{}'")


def _versions(conn: sqlite3.Connection) -> None:
    # Every version of a project, whole (versions.py): what made it, its file list, its texts
    # and its binary files, as JSON (since _version_blobs: {path: sha} of version_blobs).
    conn.execute(
        """
        CREATE TABLE versions (
            run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            number     INTEGER NOT NULL,
            cause      TEXT NOT NULL,
            note       TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            files      TEXT NOT NULL DEFAULT '[]',
            contents   TEXT NOT NULL DEFAULT '{}',
            binary     TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (run_id, number)
        )
        """
    )


def blob_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def named_blobs(
    texts: Mapping[str, str], binary: Mapping[str, bytes]
) -> tuple[str, str, dict[str, bytes]]:
    """What a version stores of its files: {path: sha} of the texts and of the binary files
    (JSON, sorted: equal means same), and the blobs those shas name."""
    blobs: dict[str, bytes] = {}
    named: list[str] = []
    for table in ({p: t.encode("utf-8") for p, t in texts.items()}, binary):
        shas = {p: blob_sha(d) for p, d in table.items()}
        blobs.update({shas[p]: d for p, d in table.items()})
        named.append(json.dumps(shas, sort_keys=True))
    return named[0], named[1], blobs


def _version_blobs(conn: sqlite3.Connection) -> None:
    # Each file's text (or bytes) stored once per run, by its sha256: a version keeps
    # {path: sha}, so an edit of one file of a 5 MB project adds one file, not 5 MB, and a
    # diff reads only the files that differ. Existing versions are moved over in place.
    conn.execute(
        """
        CREATE TABLE version_blobs (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            sha    TEXT NOT NULL,
            data   BLOB NOT NULL,
            PRIMARY KEY (run_id, sha)
        )
        """
    )
    rows = conn.execute("SELECT run_id, number, contents, binary FROM versions").fetchall()
    for run_id, number, contents, binary in rows:
        datas = {p: base64.b64decode(b) for p, b in json.loads(binary).items()}
        texts_named, binary_named, blobs = named_blobs(json.loads(contents), datas)
        conn.executemany(
            "INSERT OR IGNORE INTO version_blobs (run_id, sha, data) VALUES (?, ?, ?)",
            [(run_id, sha, data) for sha, data in blobs.items()],
        )
        conn.execute(
            "UPDATE versions SET contents = ?, binary = ? WHERE run_id = ? AND number = ?",
            (texts_named, binary_named, run_id, number),
        )


# Append only: each entry upgrades one version (others add theirs after these).
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _versions, _version_blobs]
SCHEMA_VERSION = len(MIGRATIONS)
