"""The preview document in headless Chromium, the way the studio shows it (preview_kit.Host:
the page in a sandboxed frame inside the preview's frame), on a plain host page: fast, and no
Streamlit in the way. The page-level tests (the studio's own Preview tab) are in
test_workspace_e2e.py; the attempts to get out of it in test_preview_escapes_e2e.py."""

from __future__ import annotations

import pytest

from smol_core.studio.preview import build_preview
from tests.e2e.drive import chromium, need_chromium, wait_until
from tests.preview_kit import BROKEN, COUNTER, HOSTILE, Host, page_frame

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
    need_chromium()
    with chromium() as b:
        yield b


def show(browser, files, page="index.html"):
    host = Host(build_preview(page, files).html)
    tab = browser.new_page()
    tab.goto(host.url)
    frame = page_frame(tab)
    return host, tab, frame


def test_a_page_of_modules_runs_and_a_click_changes_its_text(browser):
    host, tab, frame = show(browser, COUNTER)
    try:
        frame.locator("#count").wait_for()
        wait_until(lambda: frame.locator("#count").inner_text() == "0", 5, "the first count")
        frame.locator("#plus").click()
        frame.locator("#plus").click()
        wait_until(lambda: frame.locator("#count").inner_text() == "2", 5, "two clicks")
        assert frame.evaluate("getComputedStyle(document.querySelector('h1')).color") == (
            "rgb(200, 0, 0)"
        )
        assert tab.evaluate("window.msgs") == []  # no error, storage included
    finally:
        tab.close()
        host.close()


def test_errors_and_console_errors_are_posted_to_the_parent_with_the_file(browser):
    host, tab, frame = show(browser, BROKEN)
    try:
        msgs = wait_until(
            lambda: len(tab.evaluate("window.msgs")) >= 2 and tab.evaluate("window.msgs"),
            5,
            "two reports",
        )
        assert {m["tag"] for m in msgs} == {"smol-preview"}
        assert [(m["kind"], m["where"]) for m in msgs] == [("console", ""), ("error", "app.js:3")]
        assert "totalOf is not defined" in msgs[1]["message"]
        assert msgs[0]["message"] == "the total is missing"
    finally:
        tab.close()
        host.close()


def test_the_preview_can_not_reach_the_page_that_shows_it(browser):
    host, tab, frame = show(browser, HOSTILE)
    try:
        ids = ("parent", "cookie", "fetch", "top", "storage")
        wait_until(
            lambda: all(frame.locator(f"#{i}").inner_text() != "waiting" for i in ids),
            5,
            "every attempt",
        )
        got = {i: frame.locator(f"#{i}").inner_text() for i in ids}
        assert got == dict.fromkeys(ids, "refused"), got
        tab.wait_for_timeout(300)
        assert tab.url == host.url  # still the host page: top.location was refused
        # Only the host page itself (and its icon): no fetch, no image, no navigation.
        assert [p for p in host.paths if p != "/favicon.ico"] == ["/"], host.paths
        blocked = [m for m in tab.evaluate("window.msgs") if m["kind"] == "blocked"]
        assert blocked, tab.evaluate("window.msgs")  # the refused requests are reported
    finally:
        tab.close()
        host.close()
