"""Issue 13 in a real browser: what runs can be watched and stopped. A program's output shows
in the Run tab as it comes (while it still runs); Stop ends it there, during the examples a
generation runs, and during "Run examples", each time in a few seconds (not at the 20 s limit)
and keeping what came in; the progress and its Stop stay in the window while the page
scrolls. Screenshots in test-artifacts/workspace/console-*.png."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from tests.e2e.drive import (
    button,
    chromium,
    need_chromium,
    new_tab,
    open_page,
    settled,
    wait_until,
    write_spec,
)
from tests.harness import ROOT, StreamlitApp, clean_env
from tests.scripted_server import ScriptedServer

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "test-artifacts" / "workspace"
# Prints a line, then (given a number) sleeps that long: past the runner's 20 s limit.
SLOW = (
    "import sys, time\n\nWAIT_SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 0\n"
    "print('first line', flush=True)\ntime.sleep(WAIT_SECONDS)\nprint('second line')\n"
)
EXAMPLES = [
    {
        "kind": "command",
        "name": "it waits",
        "commands": [{"args": ["python", "slow.py", "60"], "output": "first line\nsecond line"}],
    }
]
STOP_WITHIN = 10.0  # seconds from the click on Stop to the page saying so (loaded machine)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("console")
    model = ScriptedServer(
        "# Plan\n\n`slow.py` prints, then waits.\n", {"slow.py": SLOW}, examples=EXAMPLES
    ).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-console-env-key-123456",
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        app.start()
        with chromium() as browser:
            yield app, model, browser
    finally:
        app.stop()
        model.stop()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box and size and box["y"] >= 0 and box["y"] + box["height"] <= size["height"])


def waiting_programs() -> list[str]:
    """The sandboxed `slow.py 60` processes alive on this machine (their PID namespace is a
    child of this one: they show in /proc here)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and b"slow.py\x0060" in (entry / "cmdline").read_bytes():
                found.append(entry.name)
    return found


def stop_and_wait(page, said: str) -> float:
    """Click Stop; seconds until the page says `said` and the program is gone (killed, not
    left to run to the 20 s limit)."""
    assert waiting_programs(), "nothing was running"
    clicked = time.monotonic()
    button(page, "Stop").click()
    page.get_by_text(said).wait_for(timeout=STOP_WITHIN * 1000)
    wait_until(lambda: not waiting_programs(), STOP_WITHIN, "the program killed", step=0.05)
    took = time.monotonic() - clicked
    settled(page)
    return took


def test_output_shows_as_it_comes_and_stop_ends_examples_and_programs(studio):
    app, model, browser = studio
    page = new_tab(browser)
    page.set_viewport_size({"width": 1400, "height": 900})
    try:
        open_page(page, app.url)
        write_spec(page, "`python slow.py 60` prints `first line`, then `second line`.")
        button(page, "Plan").click()
        button(page, "List files").wait_for()
        settled(page)
        button(page, "List files").click()
        button(page, "Generate all (1)").wait_for()
        settled(page)
        # 1. The generation runs its example (60 s of waiting): Stop ends it, in view anyway.
        button(page, "Generate all (1)").click()
        page.get_by_text("Running example 1").wait_for(timeout=30_000)
        page.mouse.move(700, 450)
        page.mouse.wheel(0, 20_000)  # the page scrolled to its end: the progress stays in view
        dock = page.locator(".st-key-progress_dock")
        assert dock.evaluate("e => getComputedStyle(e).position") == "fixed"
        assert in_view(page, button(page, "Stop")) and in_view(
            page, dock.get_by_test_id("stProgress")
        )
        page.screenshot(path=str(SHOTS / "console-1-examples-running.png"))
        during_generation = stop_and_wait(page, "Stopped: the requests were ended.")
        page.get_by_text("1/1 files written").wait_for()  # the file is kept
        # 2. "Run examples" in the Examples tab: Stop ends the one running, results kept.
        page.get_by_role("tab", name="Examples").click()
        button(page, "Run examples").click()
        page.get_by_text("Running example 1 of 1").wait_for(timeout=45_000)
        page.wait_for_timeout(1000)
        during_examples = stop_and_wait(page, "Stopped: the example running")
        # 3. The Run tab: the first line shows while the program still sleeps, then Stop.
        page.get_by_role("tab", name="Run").click()
        tab = page.get_by_test_id("stTabs")
        assert tab.get_by_label("Command").input_value() == "python slow.py 60"
        button(page, "Run").click()
        started = time.monotonic()
        tab.get_by_test_id("stCode").filter(has_text="first line").first.wait_for(timeout=15_000)
        first_seen = time.monotonic() - started
        assert button(page, "Stop").is_visible()  # it still runs
        page.wait_for_timeout(1500)
        assert button(page, "Stop").is_visible()
        assert not tab.get_by_test_id("stCode").filter(has_text="second line").count()
        page.screenshot(path=str(SHOTS / "console-2-output-as-it-comes.png"))
        during_program = stop_and_wait(page, "Stopped: the program was ended.")
        tab.get_by_text("The program was stopped before it ended (").wait_for()
        assert tab.get_by_test_id("stCode").filter(has_text="first line").count()  # kept
        page.screenshot(path=str(SHOTS / "console-3-program-stopped.png"))
        print(
            f"\n[console] first line shown {first_seen:.2f} s after Run; Stop → killed: "
            f"{during_generation:.2f} s (generation's example), {during_examples:.2f} s "
            f"(Run examples), {during_program:.2f} s (Run tab); the limit is 20 s"
        )
    finally:
        page.context.close()
