"""The panes that change often rerun alone (issue 34): a click inside the preview, the run
console, the examples pane or the versions reruns that pane's fragment, not the page. Each part
says how often it ran (SMOL_SHOW_RUNS=1: ui/reruns.count_run, the page's count drawn by the
page's own body, each pane's by its fragment); the counts are read before and after each click.
A click whose result shows outside its pane (restoring a version) reruns the page: the check
that the page's count would see a rerun of it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.drive import (
    button,
    chromium,
    need_chromium,
    new_tab,
    open_page,
    settled,
    start_generating,
    wait_until,
)
from tests.harness import StreamlitApp, clean_env
from tests.scripted_server import ScriptedServer

pytestmark = pytest.mark.e2e

FILES = {
    "index.html": "<!doctype html>\n<html><body><h1>Home</h1>"
    '<a href="about.html">About</a></body></html>\n',
    "about.html": "<!doctype html>\n<html><body><h1>About</h1></body></html>\n",
    "hello.py": "print('hello')\n",
}
EXAMPLES = [
    {
        "kind": "command",
        "name": "it greets",
        "commands": [{"args": ["python", "hello.py"], "output": "hello"}],
    }
]
GRID_HEADER_PX = 35  # glide-data-grid's header and row height in Streamlit
GRID_ROW_PX = 35
GRID_MARKER_PX = 32  # the row-marker column on the left of an editable grid


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("fragments")
    model = ScriptedServer(
        "# Plan\n\nTwo pages and a greeting script.\n", FILES, examples=EXAMPLES
    ).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-fragments-env-key-123456",
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
        SMOL_SHOW_RUNS="1",
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    try:
        app.start()
        with chromium() as browser:
            yield app, browser
    finally:
        app.stop()
        model.stop()


def runs(page) -> dict[str, int]:
    """How often each part ran, as it says (hidden tabs included)."""
    texts = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
                 .map(e => e.textContent)"""
    )
    found = (re.fullmatch(r"(\w+) runs: (\d+)", t.strip()) for t in texts)
    return {m.group(1): int(m.group(2)) for m in found if m}


def pane_alone(page, pane: str, click) -> None:
    """`click` reruns `pane` (its count goes up) and not the page (its count stays)."""
    settled(page)
    before = runs(page)
    click()
    wait_until(lambda: runs(page).get(pane, 0) > before[pane], 20, f"the {pane} pane to rerun")
    settled(page)
    after = runs(page)
    assert after["page"] == before["page"], f"a click in the {pane} pane reran the page"
    assert after[pane] > before[pane]


def test_a_click_in_a_pane_reruns_the_pane_alone(studio):
    app, browser = studio
    page = new_tab(browser)
    page.set_viewport_size({"width": 1600, "height": 1100})
    try:
        open_page(page, app.url)
        start_generating(
            page, "A small site: index.html and about.html, and hello.py prints hello.", 3
        )
        page.get_by_text("3/3 files written").wait_for(timeout=60_000)
        settled(page)
        assert {"page", "preview", "run", "examples", "versions", "changed"} <= set(runs(page))

        # The preview: another page of the project.
        def other_page() -> None:
            box = page.get_by_test_id("stSelectbox").filter(has_text=re.compile(r"^Page$"))
            choice = page.get_by_role("option").filter(has_text="about.html")
            for _ in range(3):  # a rerun that lands mid-click closes the list: again
                box.click()
                try:
                    choice.click(timeout=5_000)
                    return
                except PlaywrightError:
                    page.keyboard.press("Escape")
            raise AssertionError("the preview's page list never opened")

        pane_alone(page, "preview", other_page)

        # The run console: a command typed (Enter commits it).
        page.get_by_role("tab", name="Run").click()

        def command() -> None:
            box = page.get_by_test_id("stTabs").get_by_label("Command")
            box.fill("python hello.py --again")
            box.press("Enter")

        pane_alone(page, "run", command)

        # The examples pane: a cell of the examples table edited.
        page.get_by_role("tab", name="Examples").click()
        page.get_by_text("Edit the examples").click()
        grid = page.get_by_test_id("stExpander").filter(has_text="Edit the examples")
        grid = grid.get_by_test_id("stDataFrame")
        grid.wait_for()
        grid.evaluate("e => e.scrollIntoView({block: 'center'})")

        def edit_cell() -> None:
            box = grid.bounding_box()
            assert box is not None
            page.mouse.dblclick(
                box["x"] + GRID_MARKER_PX + 30, box["y"] + GRID_HEADER_PX + GRID_ROW_PX / 2
            )
            editor = page.get_by_test_id("portal").locator("textarea")
            editor.wait_for()
            editor.fill("it still greets")
            editor.press("Enter")
            page.keyboard.press("Escape")
            page.mouse.move(0, 0)

        pane_alone(page, "examples", edit_cell)

        # The versions: compare with the project as it is now.
        def compare_now() -> None:
            page.get_by_text("the project now", exact=True).click()

        pane_alone(page, "versions", compare_now)

        # Restoring changes what the editor and the tree show: the page reruns.
        settled(page)
        before = runs(page)["page"]
        button(page, "Restore this version").click()
        wait_until(lambda: runs(page)["page"] > before, 20, "the page to rerun")
    finally:
        page.context.close()
