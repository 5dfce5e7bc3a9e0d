"""Who owns a history, and read-only links to one run.

An owner id (the `u` in the page's URL) is a bearer: whoever has it reads and changes that
history. So the server issues them (a `u` it never issued is not adopted: a link can't make a
browser file its work into a history someone else chose), and a person shows a run to others
with a separate share token, which only opens that run to read and download ("Copy into my
projects" makes an editable copy under the viewer's own id).

The tables live in the history database, made here on first use (they depend on nothing
the history's migrations change).
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path

from .history import RunRecord, RunStore

_TABLES = (
    "CREATE TABLE IF NOT EXISTS owners (id TEXT PRIMARY KEY, created_at REAL NOT NULL)",
    """CREATE TABLE IF NOT EXISTS shares (
        token      TEXT PRIMARY KEY,
        run_id     TEXT NOT NULL,
        owner      TEXT NOT NULL,
        created_at REAL NOT NULL
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS shares_run ON shares(run_id)",
)
_ready: set[Path] = set()
_ready_lock = threading.Lock()


def _ensure(store: RunStore) -> None:
    with _ready_lock:
        if store.path in _ready:
            return
        with store._write() as conn:
            for statement in _TABLES:
                conn.execute(statement)
        _ready.add(store.path)


def issue_owner(store: RunStore) -> str:
    """A new owner id (96 random bits), remembered as issued by this server."""
    _ensure(store)
    owner = secrets.token_urlsafe(12)
    with store._write() as conn:
        conn.execute("INSERT INTO owners (id, created_at) VALUES (?, ?)", (owner, time.time()))
    return owner


def known_owner(store: RunStore, owner: str | None) -> bool:
    """True for an id this server issued (or one that already owns runs: histories made
    before ids were recorded)."""
    if not owner or len(owner) > 64:
        return False
    _ensure(store)
    with store._read() as conn:
        issued = conn.execute("SELECT 1 FROM owners WHERE id = ?", (owner,)).fetchone()
        return bool(
            issued or conn.execute("SELECT 1 FROM runs WHERE owner = ?", (owner,)).fetchone()
        )


def share_token(store: RunStore, run_id: str, owner: str | None) -> str | None:
    """The read-only token of a run (made on first ask, the same afterwards), or None if the
    run is not `owner`'s (owner None: any run, for a shared history)."""
    _ensure(store)
    if store.load_run(run_id, owner) is None:
        return None
    with store._write() as conn:
        row = conn.execute("SELECT token FROM shares WHERE run_id = ?", (run_id,)).fetchone()
        if row:
            return str(row[0])
        token = secrets.token_urlsafe(16)
        conn.execute(
            "INSERT INTO shares (token, run_id, owner, created_at) VALUES (?, ?, ?, ?)",
            (token, run_id, owner or "", time.time()),
        )
        return token


def shared_run(store: RunStore, token: str | None) -> RunRecord | None:
    """The run a share token opens, or None for a token never made here."""
    if not token or len(token) > 64:
        return None
    _ensure(store)
    with store._read() as conn:
        row = conn.execute("SELECT run_id FROM shares WHERE token = ?", (token,)).fetchone()
    return store.load_run(str(row[0]), None) if row else None


def copy_run(store: RunStore, record: RunRecord, owner: str) -> str:
    """An editable copy of a (shared) run in `owner`'s history; returns the new run's id."""
    new_id = store.create_run(
        owner=owner,
        spec=record.spec,
        model=record.model,
        base_url=record.base_url_host,
        title=record.title,
    )
    store.save_plan(new_id, record.plan)
    store.save_file_list(new_id, [(f.path, f.purpose) for f in record.files])
    for f in record.files:
        if f.present and f.content is not None:
            store.save_file(new_id, f.path, f.content, status=f.status)
        elif f.status == "failed":
            store.mark_failed(new_id, f.path, f.error or "failed")
    return new_id
