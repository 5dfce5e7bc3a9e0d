"""The real page for benchmarks: `streamlit run` as a child process (tests/harness.py), a
scripted model server, and headless Chromium, started and stopped together."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.harness import CHROMIUM, StreamlitApp, clean_env, launch_chromium

IDLE = (
    '[data-testid="stApp"][data-test-script-state="notRunning"]'
    '[data-test-connection-state="CONNECTED"]'
)


def settled(page, debounce_ms: int = 250) -> None:
    """The script finished its run (and any rerun it asked for) and the browser is connected:
    idle twice, a debounce apart (idle can be seen between a run and the st.rerun() it asks)."""
    idle = page.locator(IDLE)
    idle.wait_for(state="attached")
    page.wait_for_timeout(debounce_ms)
    idle.wait_for(state="attached")


@dataclass
class Live:
    app: StreamlitApp
    page: object  # playwright Page
    folder: Path


@contextlib.contextmanager
def live_page(env: dict[str, str], folder: Path | None = None) -> Iterator[Live]:
    """The page under `streamlit run` with `env`, and one Chromium tab, torn down at the end."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium, or CHROMIUM_PATH)")
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="smol-bench-")))
        app = StreamlitApp(clean_env(**env), folder / "streamlit.log")
        app.start()
        stack.callback(app.stop)
        pw = stack.enter_context(sync_playwright())
        browser = launch_chromium(pw)
        stack.callback(browser.close)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        context.set_default_timeout(60_000)
        page = context.new_page()
        yield Live(app, page, folder)
