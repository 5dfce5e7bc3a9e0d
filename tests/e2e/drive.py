"""Driving the page in Chromium for the reliability tests (restarts, many users, secrets).

Each test module starts its own studio and its own browser, module-scoped: Playwright's sync
API runs an event loop in this thread while open, which breaks later asyncio.run() calls, so a
browser must close before other modules run (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.harness import CHROMIUM, launch_chromium

IDLE = (
    '[data-testid="stApp"][data-test-script-state="notRunning"]'
    '[data-test-connection-state="CONNECTED"]'
)


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser, frames: list | None = None):
    """A fresh context (its own cookies and storage: another person) and one tab in it.
    With `frames`, every websocket message the server sends to this tab is kept there."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(45_000)  # a bound on waiting, not a speed check (see conftest)
    page = context.new_page()
    if frames is not None:

        def keep(payload) -> None:
            frames.append(payload)

        page.on("websocket", lambda ws: ws.on("framereceived", keep))
    return page


def settled(page) -> None:
    """The script finished its run (and any rerun it asked for); the browser is connected."""
    idle = page.locator(IDLE)
    idle.wait_for(state="attached")
    page.wait_for_timeout(250)
    idle.wait_for(state="attached")


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def open_page(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Spec").wait_for()
    settled(page)


def write_spec(page, spec: str) -> None:
    box = page.get_by_role("textbox", name="Spec")
    box.fill(spec)
    box.press("Control+Enter")  # commit the text area: the page reruns and enables Plan
    page.wait_for_function(
        """() => [...document.querySelectorAll('button')]
            .some(b => b.innerText.trim() === 'Plan' && !b.disabled)"""
    )


def start_generating(page, spec: str, files: int) -> None:
    """The walk every workspace test begins with: the spec written, the plan made, the file
    list made, then "Generate all (N)" clicked (the files are still being written)."""
    write_spec(page, spec)
    button(page, "Plan").click()
    button(page, "List files").wait_for()
    settled(page)
    button(page, "List files").click()
    button(page, f"Generate all ({files})").wait_for()
    settled(page)
    button(page, f"Generate all ({files})").click()


def type_key(page, key: str) -> None:
    box = page.get_by_label("API key", exact=True)
    box.fill(key)
    box.press("Enter")
    settled(page)


def query(page, name: str) -> str:
    found = re.search(rf"[?&]{name}=([\w-]+)", page.url)
    assert found, page.url
    return found.group(1)


def all_html(page) -> str:
    return "\n".join(frame.content() for frame in page.frames)


def html_without_inputs(page) -> str:
    """The page's HTML with what the visitor typed into password boxes left out (their own
    key, in their own browser, is not a leak)."""
    page.evaluate(
        """() => document.querySelectorAll('input[type=password]').forEach(i => {
            i.value = ''; i.removeAttribute('value'); })"""
    )
    return all_html(page)


def frames_bytes(frames: list) -> bytes:
    return b"".join(f if isinstance(f, bytes) else f.encode() for f in frames)


def wait_until(check: Callable[[], object], timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def page_errors(page) -> list[str]:
    """Error boxes and exceptions shown on the page."""
    boxes = page.locator('[data-testid="stAlertContentError"], [data-testid="stException"]')
    return [b.inner_text() for b in boxes.all()]
