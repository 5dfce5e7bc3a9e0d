"""Shared fixtures: a real scripted OpenAI-compatible server on 127.0.0.1 and settings for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st

from smol_core.settings import Settings
from tests.scripted_server import ScriptedServer

FAKE_KEY = "sk-test-DO-NOT-LEAK-4f9a2c7e1b"

PLAN = """# Plan

| path | purpose |
| --- | --- |
| `main.py` | entry point |
| `util.py` | helpers |

`main.py` imports `greet` from `util.py`.
"""

FILES = {
    "main.py": "from util import greet\n\nif __name__ == '__main__':\n    print(greet('world'))\n",
    "util.py": "def greet(name: str) -> str:\n    return f'hello {name}'\n",
}


def fast_settings(base_url: str, **overrides) -> Settings:
    """Settings for the scripted server with tiny waits, so retries cost milliseconds."""
    values = dict(
        provider="compatible",
        model="scripted-model",
        base_url=base_url,
        api_key=FAKE_KEY,
        timeout=5.0,
        connect_timeout=2.0,
        retry_wait_initial=0.01,
        retry_wait_max=0.05,
        max_retry_seconds=30.0,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def make_server() -> Iterator[Callable[..., ScriptedServer]]:
    started: list[ScriptedServer] = []

    def make(**kwargs) -> ScriptedServer:
        kwargs.setdefault("plan_text", PLAN)
        kwargs.setdefault("files", dict(FILES))
        srv = ScriptedServer(**kwargs)
        srv.start()
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture
def server(make_server) -> ScriptedServer:
    return make_server()


@pytest.fixture(autouse=True)
def _fresh_mode_memory():
    # The file-list mode is remembered per endpoint; each test starts from a blank memory.
    from smol_core.file_list import forget_modes

    forget_modes()
    yield
    forget_modes()


# ------------------------------------------------------------ the page (AppTest) fixtures
@pytest.fixture
def page_env(monkeypatch, tmp_path) -> Path:
    """A clean environment: no key, endpoint or SMOL_* from the shell, a fresh history."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(("SMOL_", "OPENAI_")):
            monkeypatch.delenv(name)
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("SMOL_HISTORY_DB", str(db))
    monkeypatch.setenv("SMOL_RETRY_WAIT_INITIAL", "0.01")
    monkeypatch.setenv("SMOL_RETRY_WAIT_MAX", "0.05")
    # No .streamlit/secrets.toml of the developer's can reach the page from here.
    monkeypatch.chdir(tmp_path)
    # The page caches its RunStore: a new test, a new database.
    st.cache_resource.clear()
    yield db
    st.cache_resource.clear()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def point_at(monkeypatch, page_env):
    """Point the page at a scripted server, as a person running it locally would."""

    def point(srv: ScriptedServer, key: str | None = None) -> None:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SMOL_MODEL", "scripted-model")
        if key:
            monkeypatch.setenv("OPENAI_API_KEY", key)

    return point
