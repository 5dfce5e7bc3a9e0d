"""End-to-end fixtures: the scripted model server, the real page under `streamlit run`, and
headless Chromium driving it (the system browser: Playwright's own download is not needed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FAKE_KEY
from tests.harness import CHROMIUM, ROOT, StreamlitApp, clean_env, launch_chromium
from tests.scripted_server import ScriptedServer

ARTIFACTS = ROOT / "test-artifacts" / "e2e"

E2E_PLAN = """# Plan

A tiny greeting program in two files.

| path | purpose |
| --- | --- |
| `main.py` | entry point: prints the greeting |
| `util.py` | builds the greeting text |

`main.py` imports `greet` from `util.py`.
"""

E2E_FILES = {
    "main.py": (
        "from util import greet\n\n\n"
        "def main() -> None:\n"
        '    print(greet("world"))\n\n\n'
        'if __name__ == "__main__":\n'
        "    main()\n"
    ),
    "util.py": (
        "def greet(name: str) -> str:\n"
        '    """The greeting for one name."""\n'
        '    return f"Hello, {name}!"\n'
    ),
}


@dataclass
class Studio:
    url: str
    model: ScriptedServer
    history_db: Path


@pytest.fixture(scope="module")
def studio_app(tmp_path_factory) -> Iterator[Studio]:
    """`streamlit run streamlit_app.py` against the scripted server, torn down at the end."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    tmp = tmp_path_factory.mktemp("e2e")
    # Paced (~160 chars/s) so streaming is visible; no latency before the first byte.
    model = ScriptedServer(E2E_PLAN, E2E_FILES, tokens_per_second=40, chunk_chars=8).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY=FAKE_KEY,  # the "owner's" key from the shell: must never reach the page
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
        SMOL_RETRY_WAIT_INITIAL="0.05",
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    try:
        app.start()
        yield Studio(app.url, model, tmp / "history.sqlite3")
    finally:
        app.stop()
        model.stop()


# Named apart from pytest-playwright's `browser`/`page`, which would download their own browser.
# Module scope, not session: while the sync API is open its event loop runs in this thread, so
# every later test calling asyncio.run() (the pipeline's tests) would fail.
@pytest.fixture(scope="module")
def chromium_browser(studio_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture
def web(chromium_browser):
    """A fresh browser context (no cookies, no storage) and one tab in it."""
    context = chromium_browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    # A bound on waiting, not a speed check: CI runs these beside ~800 other tests on 2 cores.
    context.set_default_timeout(45_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("*.png"), ARTIFACTS / "timings.txt", ARTIFACTS / "download.zip"]:
        old.unlink(missing_ok=True)
    return ARTIFACTS
