"""The Examples step in a real browser: proposed after the file list, a cell edited in the
grid, the code written, and the edited line is the example the code was judged by."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from smol_core.running.sandbox import isolation
from smol_core.studio.history import RunStore
from tests.e2e.drive import button, open_page, settled, write_spec

pytestmark = pytest.mark.e2e

# The spec's greeting differs from what the scripted program prints ("Hello, world!"): its own
# line would fail; the line the person edits in the grid passes.
SPEC = (
    "A tiny greeting program in Python: `main.py` prints a greeting built by `util.py`. "
    "Running `python main.py` prints `Hi, world!`."
)
GRID_HEADER_PX = 35  # glide-data-grid's header and default row height in Streamlit
GRID_ROW_PX = 35
GRID_MARKER_PX = 32  # the row-marker column on the left of an editable grid
DOES_PX = 400  # the "What is run" column is "large"; "What must come out" follows it


def test_the_examples_step_is_edited_in_the_grid_and_used(studio_app, web, artifacts):
    page = web
    open_page(page, studio_app.url)
    write_spec(page, SPEC)
    button(page, "Plan").click()
    button(page, "List files").wait_for()
    settled(page)
    button(page, "List files").click()
    button(page, "Propose examples").wait_for()
    settled(page)
    page.get_by_role("heading", name="4 · Examples").wait_for()
    button(page, "Propose examples").click()
    page.get_by_test_id("stDownloadButton").filter(has_text="Download as Markdown").wait_for()
    settled(page)
    grid = page.get_by_test_id("stDataFrame").nth(1)  # the file table is the first
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(artifacts / "examples-step-proposed.png"))
    box = grid.bounding_box()
    assert box is not None
    x = box["x"] + GRID_MARKER_PX + DOES_PX + 60
    y = box["y"] + GRID_HEADER_PX + GRID_ROW_PX / 2
    page.mouse.dblclick(x, y)  # the canvas opens its overlay editor on the cell
    editor = page.get_by_test_id("portal").locator("textarea")
    editor.wait_for()
    assert editor.input_value() == 'prints exactly "Hi, world!"'  # the spec's own line
    editor.fill('prints "Hello, world"')
    editor.press("Enter")
    page.keyboard.press("Escape")
    page.mouse.move(0, 0)
    settled(page)
    page.screenshot(path=str(artifacts / "examples-step-edited.png"))

    run_id = re.search(r"run=([\w-]+)", page.url).group(1)
    stored = RunStore(studio_app.history_db).load_run(run_id, None).examples
    [mine] = stored["examples"]
    assert mine["source"] == "you" and mine["commands"][0]["contains"] == ["Hello, world"]
    assert mine["commands"][0]["output"] is None

    button(page, "Generate all (2)").click()
    page.get_by_text("2/2 files written").wait_for()
    settled(page)
    zip_button = page.get_by_test_id("stDownloadButton").filter(has_text="Download .zip")
    with page.expect_download() as info:
        zip_button.get_by_role("button").click()
    info.value.save_as(artifacts / "examples-step.zip")
    with zipfile.ZipFile(artifacts / "examples-step.zip") as z:
        manifest = json.loads(z.read("smol-manifest.json"))
    ran = manifest["examples"][0]
    assert ran["source"] == "you" and ran["commands"][0]["contains"] == ["Hello, world"]
    assert ran["sentence"] == "Running `python main.py` prints `Hi, world!`."
    if isolation() == "namespaces":
        assert manifest["example_results"][0]["status"] == "pass"
