"""Helpers shared by the reliability tests: the page under AppTest, file-tree snapshots, and
greps for a secret in every place it could leak to."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.harness import ROOT
from tests.scripted_server import ScriptedServer

APP = ROOT / "streamlit_app.py"


def page_environment(monkeypatch, tmp_path: Path) -> Iterator[Path]:
    """A clean environment for the page (no key, endpoint or SMOL_* from the shell), a fresh
    history database, no secrets file; yields the database path. Use with `yield from`."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(("SMOL_", "OPENAI_")):
            monkeypatch.delenv(name)
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("SMOL_HISTORY_DB", str(db))
    monkeypatch.setenv("SMOL_RETRY_WAIT_INITIAL", "0.01")
    monkeypatch.setenv("SMOL_RETRY_WAIT_MAX", "0.05")
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml of the developer's
    st.cache_resource.clear()  # the page caches its RunStore: a new test, a new database
    yield db
    st.cache_resource.clear()
    os.environ.clear()
    os.environ.update(saved)


def point_env(monkeypatch, srv: ScriptedServer, key: str | None = None) -> None:
    """The page talks to `srv`, as a person running it locally would set it up."""
    monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
    monkeypatch.setenv("SMOL_MODEL", "scripted-model")
    if key:
        monkeypatch.setenv("OPENAI_API_KEY", key)


def new_app(**query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    for name, value in query.items():
        at.query_params[name] = value
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything the page sent to the browser: every element's full message."""
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


def snapshot(folder: Path, skip: Iterable[Path] = ()) -> dict[str, bytes | str]:
    """Every entry under `folder` (links not followed), except `skip` and what is under it."""
    skipped = set(skip)
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            if p in skipped or skipped & set(p.parents):
                continue
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink():
                out[rel] = f"link->{os.readlink(p)}"
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = p.read_bytes()
    return out


def zip_texts(data: bytes) -> bytes:
    """A zip's raw bytes followed by every entry decompressed (deflate hides plain text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return data + b"".join(z.read(n) for n in z.namelist())


def sqlite_files(db: Path) -> dict[str, bytes]:
    """The history database and its WAL and shared-memory files, as raw bytes."""
    return {
        p.name: p.read_bytes()
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
        if p.exists()
    }


def leaks(secret: str, places: Mapping[str, bytes | str]) -> dict[str, int]:
    """Places where `secret` shows up, and how many times (empty: no leak)."""
    hits: dict[str, int] = {}
    for name, value in places.items():
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        n = raw.count(secret.encode())
        if n:
            hits[name] = n
    return hits
