"""The whole studio in a real browser: spec → plan → file table → generate → edit → zip.

The page runs under `streamlit run`, the model is the scripted server (paced, so streaming is
visible), and headless Chromium clicks, types and downloads like a person. Each step leaves a
screenshot in test-artifacts/e2e/ and its time is printed (not asserted).
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from smol_core.studio.filetable import ROW_HEIGHT
from smol_core.studio.history import RunStore
from tests.conftest import FAKE_KEY
from tests.e2e.conftest import E2E_FILES
from tests.e2e.drive import button, open_page, settled, write_spec

pytestmark = pytest.mark.e2e

SPEC = "A tiny greeting program in Python: main.py prints a greeting built by util.py."
README = "# Greeting\n\nRun `python main.py` to be greeted.\n"
# One line, no Enter typed: ace's live autocomplete takes Enter as "pick this keyword".
EDIT = "# edited in the browser (e2e)"
ACE = 'iframe[title="streamlit_ace.streamlit_ace"]'
GRID_HEADER_PX = 35  # glide-data-grid's header height in Streamlit
# The file table's rows are taller than the grid's default, so the purpose text wraps.
GRID_ROW_PX = ROW_HEIGHT
GRID_MARKER_PX = 32  # the row-marker column on the left of an editable grid

# Records the text of every code box while files stream, to see partial text arrive.
WATCH_CODE = """() => {
  window.__seen = [];
  const grab = () => document.querySelectorAll('[data-testid="stCode"] code')
      .forEach(c => window.__seen.push(c.innerText));
  new MutationObserver(grab).observe(document.body,
      {subtree: true, childList: true, characterData: true});
}"""


class Steps:
    """Times each step, and screenshots the page at its end as NN-name.png."""

    def __init__(self, page, folder: Path, first: int, capsys) -> None:
        self.page, self.folder, self.n, self.capsys = page, folder, first, capsys
        self.times: list[tuple[str, float]] = []

    @contextmanager
    def step(self, name: str, *, shot_of=None):
        started = time.monotonic()
        try:
            yield
        except BaseException:
            self.page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}-FAILED.png"))
            raise
        self.times.append((name, time.monotonic() - started))
        if shot_of is not None:
            shot_of.evaluate("e => e.scrollIntoView({block: 'center'})")
        self.page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"))
        self.n += 1

    def report(self, title: str) -> None:
        lines = [f"{title}:"] + [f"  {name:<16} {secs:6.2f} s" for name, secs in self.times]
        lines.append(f"  {'total':<16} {sum(s for _, s in self.times):6.2f} s")
        with self.capsys.disabled():
            print("\n" + "\n".join(lines))
        with (self.folder / "timings.txt").open("a") as out:
            out.write("\n".join(lines) + "\n")


# ------------------------------------------------------------------------------------- helpers
def plan(page) -> None:
    button(page, "Plan").click()
    button(page, "List files").wait_for()  # drawn once the plan is in
    settled(page)
    page.get_by_text("imports greet from util.py").wait_for()


def list_files(page):
    button(page, "List files").click()
    grid = page.get_by_test_id("stDataFrame")
    grid.wait_for()
    settled(page)
    return grid


def generate(page, n: int) -> None:
    button(page, f"Generate all ({n})").click()
    page.get_by_text(f"{n}/{n} files written").wait_for()
    settled(page)


def grid_cell(grid, row: int, column_x: float) -> tuple[float, float]:
    box = grid.bounding_box()
    assert box is not None
    return box["x"] + column_x, box["y"] + GRID_HEADER_PX + GRID_ROW_PX * row + GRID_ROW_PX / 2


def add_file_in_grid(page, grid, path: str, row: int) -> None:
    """Add a row with the grid's own toolbar, then type the path into its Path cell."""
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    grid.hover()
    page.get_by_role("button", name="Add row").click()
    x, y = grid_cell(grid, row, GRID_MARKER_PX + 60)
    page.mouse.dblclick(x, y)  # the canvas opens its overlay editor on the cell
    editor = page.get_by_test_id("portal").locator("textarea")
    editor.wait_for()
    editor.fill(path)
    editor.press("Enter")
    page.keyboard.press("Escape")  # leave the next (empty) row alone
    page.mouse.move(0, 0)  # no hover tooltip left on the grid


def all_html(page) -> str:
    return "\n".join(frame.content() for frame in page.frames)


# ----------------------------------------------------------------------------------------- tests
def test_spec_to_zip_in_the_browser(studio_app, web, artifacts, capsys):
    page = web
    steps = Steps(page, artifacts, 1, capsys)
    model = studio_app.model

    with steps.step("open"):
        open_page(page, studio_app.url)
    assert re.search(r"[?&]u=", page.url)
    assert page.get_by_role("radio", name=re.compile("OpenAI-compatible")).is_checked()

    with steps.step("spec"):
        write_spec(page, SPEC)

    with steps.step("plan"):
        plan(page)
    assert "run=" in page.url

    with steps.step("file-list"):
        grid = list_files(page)
    assert button(page, "Generate all (2)").is_enabled()

    with steps.step("table-edit", shot_of=grid):
        add_file_in_grid(page, grid, "README.md", row=len(E2E_FILES))
        button(page, "Generate all (3)").wait_for()
        settled(page)

    model.files["README.md"] = README  # the stand-in model knows how to write it
    try:
        page.evaluate(WATCH_CODE)
        with steps.step("streaming"):
            button(page, "Generate all (3)").click()
            page.get_by_text("Generating 3 file(s)").wait_for()
            button(page, "Generate all (3)").evaluate("e => e.scrollIntoView({block: 'start'})")
            # Some box shows part of a file: the text arrives while it is written.
            page.wait_for_function(
                """files => window.__seen.some(t => t.trim() &&
                    files.some(f => f.startsWith(t) && f.trim() !== t.trim()))""",
                arg=list(E2E_FILES.values()) + [README],
            )
        with steps.step("generated"):
            page.get_by_text("3/3 files written").wait_for()
            settled(page)
    finally:
        del model.files["README.md"]
    code_requests = [r for r in model.requests if r.kind == "code"]
    assert sorted(r.path for r in code_requests) == ["README.md", "main.py", "util.py"]

    ace = page.frame_locator(ACE)
    with steps.step("edit", shot_of=page.locator(ACE)):
        ace.locator(".ace_content").get_by_text("def main").wait_for()
        ace.locator(".ace_text-input").focus()
        page.keyboard.press("Control+End")
        page.keyboard.type(EDIT)
        # Kept as typed (issue 13): no Apply button, no Ctrl+Enter.
        page.get_by_text("Saved your edit of main.py").wait_for()
        assert not ace.get_by_role("button", name=re.compile("apply", re.IGNORECASE)).count()
        settled(page)

    # The project's zip (a version's own zip has a button of its own).
    zip_button = page.get_by_test_id("stDownloadButton").filter(has_text="Download .zip")
    with steps.step("download", shot_of=zip_button):
        with page.expect_download() as info:
            zip_button.get_by_role("button").click()
        download = info.value
        zip_path = artifacts / "download.zip"
        download.save_as(zip_path)

    steps.report("spec → zip")

    assert download.suggested_filename.endswith(".zip")
    raw = zip_path.read_bytes()
    assert FAKE_KEY.encode() not in raw
    with zipfile.ZipFile(zip_path) as z:
        assert sorted(z.namelist()) == ["README.md", "main.py", "smol-manifest.json", "util.py"]
        main_py = z.read("main.py").decode()
        assert main_py.startswith(E2E_FILES["main.py"].rstrip("\n"))
        assert EDIT in main_py
        assert z.read("util.py").decode() == E2E_FILES["util.py"]
        assert z.read("README.md").decode() == README
        manifest = json.loads(z.read("smol-manifest.json"))
        texts = b"".join(z.read(n) for n in z.namelist())
    assert FAKE_KEY.encode() not in texts
    assert manifest["spec"] == SPEC
    assert manifest["plan"].startswith("# Plan") and "imports `greet`" in manifest["plan"]
    assert manifest["model"] == "scripted-model"
    assert [f["path"] for f in manifest["files"]] == ["main.py", "util.py", "README.md"]
    assert FAKE_KEY not in all_html(page)

    run_id = re.search(r"run=([\w-]+)", page.url).group(1)
    saved = {f.path: f for f in RunStore(studio_app.history_db).load_run(run_id, None).files}
    assert saved["main.py"].status == "edited" and EDIT in saved["main.py"].content
    assert saved["README.md"].status == "done"


def test_a_refresh_brings_the_run_back(studio_app, web, artifacts, capsys):
    page = web
    steps = Steps(page, artifacts, 11, capsys)
    with steps.step("refresh-before"):
        open_page(page, studio_app.url)
        write_spec(page, SPEC)
        plan(page)
        list_files(page)
        generate(page, len(E2E_FILES))
    url = page.url
    owner = re.search(r"u=([\w-]+)", url).group(1)
    run_id = re.search(r"run=([\w-]+)", url).group(1)
    requests_before = len(studio_app.model.requests)

    with steps.step("refresh-after", shot_of=page.locator(ACE)):
        page.reload()
        page.get_by_text(f"{len(E2E_FILES)}/{len(E2E_FILES)} files written").wait_for()
        settled(page)
        page.frame_locator(ACE).locator(".ace_content").get_by_text("def main").wait_for()
    steps.report("refresh")

    assert f"u={owner}" in page.url and f"run={run_id}" in page.url
    assert page.get_by_role("textbox", name="Spec").input_value() == SPEC
    assert page.get_by_text("imports greet from util.py").is_visible()
    assert button(page, f"Generate all ({len(E2E_FILES)})").is_visible()
    assert len(studio_app.model.requests) == requests_before  # restored, not regenerated
    assert FAKE_KEY not in all_html(page)
