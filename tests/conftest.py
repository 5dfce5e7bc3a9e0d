"""Shared fixtures: a real scripted OpenAI-compatible server on 127.0.0.1 and settings for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smol_core.settings import Settings
from tests.kit import page_environment, point_env
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
    from smol_core.steps.file_list import forget_modes

    forget_modes()
    yield
    forget_modes()


# ------------------------------------------------------------ the page (AppTest) fixtures
@pytest.fixture
def page_env(monkeypatch, tmp_path) -> Iterator[Path]:
    """A clean environment: no key, endpoint or SMOL_* from the shell, a fresh history."""
    yield from page_environment(monkeypatch, tmp_path)


@pytest.fixture
def point_at(monkeypatch, page_env) -> Callable[..., None]:
    """Point the page at a scripted server, as a person running it locally would."""
    return lambda srv, key=None: point_env(monkeypatch, srv, key)
