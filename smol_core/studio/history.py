"""Run history store: every run is persisted to SQLite as it happens.

"Nothing lost": the spec, plan, file list, each generated file and each user
edit are committed the moment the corresponding call returns, so a browser
refresh, an interrupted Streamlit rerun or a killed server loses nothing and
the run can be reopened and resumed ("generate the missing files").

Concurrency model: a fresh connection per call (sqlite3 objects must not cross
threads, and nothing is inherited across fork), WAL journal so readers never
block writers, ``BEGIN IMMEDIATE`` for every write so read-modify-write steps
are atomic and a busy timeout makes concurrent writers wait instead of
failing.  There is no Python-level lock.

Secrets: this store never holds an API key.  No method accepts one, and the
only endpoint information kept is scheme + host + port of the base URL
(userinfo, path and query string are dropped because they can carry keys).

This module must not import streamlit.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..settings import public_host
from .history_schema import (
    DONE_STATUSES,
    MIGRATIONS,
    SCHEMA_VERSION,
    FileRecord,
    RunRecord,
    RunSummary,
)

__all__ = [
    "DONE_STATUSES",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "STATUSES",
    "FileRecord",
    "RunRecord",
    "RunStore",
    "RunSummary",
    "default_db_path",
    "endpoint_host",
    "make_title",
]

ENV_VAR = "SMOL_HISTORY_DB"
STATUSES = frozenset({"pending", "done", "failed", "edited", "truncated"})
TITLE_MAX = 60
BUSY_TIMEOUT_S = 30.0

_DONE_SQL = "('done', 'edited', 'truncated')"  # keep in sync with DONE_STATUSES


def default_db_path() -> Path:
    """Database path: ``$SMOL_HISTORY_DB`` or ``~/.local/share/smol-studio/history.sqlite3``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path.home() / ".local" / "share" / "smol-studio" / "history.sqlite3"


# Kept under its old name: the history stores only scheme://host[:port] of an endpoint.
endpoint_host = public_host


def make_title(text: str, limit: int = TITLE_MAX) -> str:
    """First non-blank line of ``text`` (markdown heading marks removed), trimmed."""
    for line in (text or "").splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            line = " ".join(line.split())
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return "Untitled run"


class RunStore:
    """SQLite-backed run history; safe to share across threads and processes."""

    def __init__(self, path: str | Path | None = None) -> None:
        """Open (creating and migrating if needed) the database at ``path`` (None → env/default)."""
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._init_db()

    # --- connection handling ---------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so the sqlite3
        # module never opens an implicit deferred transaction behind our back.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # WAL + synchronous=NORMAL: a commit is in the WAL file (OS page cache)
        # when the call returns, so it survives the process being killed, even
        # SIGKILL.  Only an OS crash / power loss can drop the last few commits,
        # which is acceptable for a history store and far cheaper than FULL.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """Consistent snapshot for multi-statement reads; WAL readers never block writers."""
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Write transaction committed on exit.

        IMMEDIATE takes the write lock up front: a deferred transaction that
        reads then writes can fail with SQLITE_BUSY without waiting for the
        busy timeout when another writer got in between.
        """
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _init_db(self) -> None:
        conn = self._connect()
        try:
            # journal_mode is persistent in the file; only switch when needed
            # (it cannot run inside a transaction and needs a brief exclusive lock).
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read inside the lock: another process may have migrated meanwhile.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                # A newer file (written by newer code) is left alone: migrations only add.
                for step in MIGRATIONS[version:]:
                    step(conn)
                if version < SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @staticmethod
    def _touch(conn: sqlite3.Connection, run_id: str, now: float) -> None:
        """Bump the run's updated_at; KeyError if the run does not exist (e.g. deleted)."""
        cur = conn.execute("UPDATE runs SET updated_at = ? WHERE id = ?", (now, run_id))
        if cur.rowcount == 0:
            raise KeyError(run_id)

    @staticmethod
    def _upsert_file(
        conn: sqlite3.Connection,
        run_id: str,
        path: str,
        content: str | None,
        status: str,
        error: str | None,
        now: float,
    ) -> None:
        # A file not (yet) in the file list is appended rather than rejected:
        # losing generated or edited content would defeat the point of the store.
        conn.execute(
            """
            INSERT INTO files (run_id, path, position, content, status, error, updated_at)
            VALUES (?, ?, (SELECT COALESCE(MAX(position) + 1, 0) FROM files WHERE run_id = ?),
                    ?, ?, ?, ?)
            ON CONFLICT (run_id, path) DO UPDATE SET
                content = excluded.content, status = excluded.status,
                error = excluded.error, updated_at = excluded.updated_at
            """,
            (run_id, path, run_id, content, status, error, now),
        )

    # --- writes ------------------------------------------------------------------

    def create_run(
        self,
        *,
        owner: str,
        spec: str,
        model: str = "",
        base_url: str = "",
        title: str | None = None,
    ) -> str:
        """Create a run and return its random URL-safe id.

        Only scheme://host:port of ``base_url`` is kept; there is deliberately
        no parameter for an API key.
        """
        now = time.time()
        run_title = make_title(title) if title and title.strip() else make_title(spec)
        with self._write() as conn:
            while True:  # a 72-bit collision is essentially impossible, but cheap to rule out
                run_id = secrets.token_urlsafe(9)
                try:
                    conn.execute(
                        """
                        INSERT INTO runs (id, owner, title, spec, model, base_url_host,
                                          created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        (run_id, owner, run_title, spec, model, endpoint_host(base_url), now, now),
                    )
                except sqlite3.IntegrityError:
                    continue
                return run_id

    def save_plan(self, run_id: str, plan: str) -> None:
        """Store (replace) the plan."""
        now = time.time()
        with self._write() as conn:
            self._touch(conn, run_id, now)
            conn.execute("UPDATE runs SET plan = ? WHERE id = ?", (plan, run_id))

    def save_file_list(self, run_id: str, files: Sequence[tuple[str, str]]) -> None:
        """Replace the file list: kept paths keep their content/status, new ones are
        pending, paths no longer listed are dropped.  Order follows ``files``;
        duplicate paths keep their first occurrence."""
        now = time.time()
        wanted: dict[str, str] = {}
        for path, purpose in files:
            wanted.setdefault(path, purpose)
        with self._write() as conn:
            self._touch(conn, run_id, now)
            existing = {
                row[0] for row in conn.execute("SELECT path FROM files WHERE run_id = ?", (run_id,))
            }
            conn.executemany(
                "DELETE FROM files WHERE run_id = ? AND path = ?",
                [(run_id, p) for p in existing - wanted.keys()],
            )
            for pos, (path, purpose) in enumerate(wanted.items()):
                if path in existing:
                    conn.execute(
                        "UPDATE files SET position = ?, purpose = ? WHERE run_id = ? AND path = ?",
                        (pos, purpose, run_id, path),
                    )
                else:
                    conn.execute(
                        """
                        INSERT INTO files (run_id, path, position, purpose, status, updated_at)
                        VALUES (?, ?, ?, ?, 'pending', ?)
                        """,
                        (run_id, path, pos, purpose, now),
                    )

    def save_file(
        self,
        run_id: str,
        path: str,
        content: str,
        *,
        status: str = "done",
        error: str | None = None,
    ) -> None:
        """Store a file's content; durable once this returns.  KeyError for an unknown run."""
        if status not in STATUSES:
            raise ValueError(f"unknown file status {status!r}")
        now = time.time()
        with self._write() as conn:
            self._touch(conn, run_id, now)
            self._upsert_file(conn, run_id, path, content, status, error, now)

    def mark_failed(self, run_id: str, path: str, error: str) -> None:
        """Mark a file failed; any earlier content is kept (nothing lost) but it counts as missing."""
        now = time.time()
        with self._write() as conn:
            self._touch(conn, run_id, now)
            conn.execute(
                """
                INSERT INTO files (run_id, path, position, status, error, updated_at)
                VALUES (?, ?, (SELECT COALESCE(MAX(position) + 1, 0) FROM files WHERE run_id = ?),
                        'failed', ?, ?)
                ON CONFLICT (run_id, path) DO UPDATE SET
                    status = 'failed', error = excluded.error, updated_at = excluded.updated_at
                """,
                (run_id, path, run_id, error, now),
            )

    def save_edit(self, run_id: str, path: str, content: str) -> None:
        """Store a user edit (status "edited")."""
        self.save_file(run_id, path, content, status="edited")

    def save_examples(self, run_id: str, examples: Mapping[str, object]) -> None:
        """Store (replace) the run's examples and their latest results (plain JSON data)."""
        now = time.time()
        with self._write() as conn:
            self._touch(conn, run_id, now)
            conn.execute(
                "UPDATE runs SET examples = ? WHERE id = ?", (json.dumps(examples), run_id)
            )

    def add_usage(self, run_id: str, usage: Mapping[str, int | float]) -> None:
        """Add numeric counters (prompt_tokens, cost_usd, ...) to the run's totals."""
        delta: dict[str, int | float] = {}
        for key, value in usage.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"usage[{key!r}] must be a number, got {type(value).__name__}")
            delta[str(key)] = value
        now = time.time()
        with self._write() as conn:  # IMMEDIATE makes the read-modify-write atomic
            row = conn.execute("SELECT usage FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise KeyError(run_id)
            totals = json.loads(row[0] or "{}")
            for key, value in delta.items():
                totals[key] = totals.get(key, 0) + value
            conn.execute(
                "UPDATE runs SET usage = ?, updated_at = ? WHERE id = ?",
                (json.dumps(totals, sort_keys=True), now, run_id),
            )

    # --- reads -------------------------------------------------------------------

    def list_runs(self, owner: str | None, limit: int = 50) -> list[RunSummary]:
        """Runs of ``owner`` (None = everyone's), most recently updated first."""
        counts = f"""
            SELECT r.id, r.title, r.created_at, r.updated_at, r.model,
                   (SELECT COUNT(*) FROM files f WHERE f.run_id = r.id),
                   (SELECT COUNT(*) FROM files f WHERE f.run_id = r.id
                        AND f.status IN {_DONE_SQL} AND f.content IS NOT NULL)
            FROM runs r
        """
        order = " ORDER BY r.updated_at DESC, r.created_at DESC LIMIT ?"
        with self._read() as conn:
            if owner is None:
                rows = conn.execute(counts + order, (limit,)).fetchall()
            else:
                rows = conn.execute(
                    counts + " WHERE r.owner = ?" + order, (owner, limit)
                ).fetchall()
        return [
            RunSummary(
                id=r[0],
                title=r[1],
                created_at=r[2],
                updated_at=r[3],
                model=r[4],
                n_files=r[5],
                n_done=r[6],
            )
            for r in rows
        ]

    def load_run(self, run_id: str, owner: str | None) -> RunRecord | None:
        """Full run, or None if absent or owned by someone else (owner None = any)."""
        with self._read() as conn:
            row = conn.execute(
                """
                SELECT id, owner, title, spec, plan, model, base_url_host,
                       created_at, updated_at, usage, examples
                FROM runs WHERE id = ?
                """,
                (run_id,),
            ).fetchone()
            if row is None or (owner is not None and row[1] != owner):
                return None
            files = [
                FileRecord(
                    path=f[0],
                    purpose=f[1],
                    content=f[2],
                    status=f[3],
                    error=f[4],
                    updated_at=f[5],
                )
                for f in conn.execute(
                    """
                    SELECT path, purpose, content, status, error, updated_at
                    FROM files WHERE run_id = ? ORDER BY position, path
                    """,
                    (run_id,),
                )
            ]
        return RunRecord(
            id=row[0],
            owner=row[1],
            title=row[2],
            spec=row[3],
            plan=row[4],
            model=row[5],
            base_url_host=row[6],
            created_at=row[7],
            updated_at=row[8],
            files=files,
            usage=json.loads(row[9] or "{}"),
            examples=json.loads(row[10] or "{}"),
        )
