"""Issue 32, a newcomer's second walk, in Chromium against the real page (`streamlit run`) and
the scripted model: one click after typing into any text box; a fix or regeneration that
changes nothing says so; a hand edit never counted as a repair; one icon set every browser
draws and one file picker; a web page's Run tab; the latest version shown; the page at 800 px.
Screenshots of the walk at 1400 and 800 px in test-artifacts/newcomer/."""

from __future__ import annotations

import json

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
from tests.preview_kit import COUNTER
from tests.scripted_server import Fault, ScriptedServer

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "test-artifacts" / "newcomer"
ACE = 'iframe[title="streamlit_ace.streamlit_ace"]'

GREETING = {
    "main.py": (
        'from util import greet\n\n\nif __name__ == "__main__":\n    print(greet("world"))\n'
    ),
    "util.py": 'def greet(name: str) -> str:\n    return f"Hello, {name}!"\n',
}
# `suffix` is never defined: the checks find it, and the scripted model "repairs" it into the
# same text, so it is still failing when the person fixes the line by hand.
BROKEN_UTIL = "def greet(name: str) -> str:\n    return f'hello {name}' + suffix\n"
# A web page with a helper module beside it: `python app.py` is no way to run this project.
PAGE = {**COUNTER, "app.py": "def days(a: int, b: int) -> int:\n    return b - a\n"}

# Every text box of the page → the button it goes with. A box not listed here fails the test
# at once: a new box must say which button it goes with, and gets the one-click check.
BUTTON_OF = {
    "Change to ask for (optional)": "Regenerate this file",
    "The error or what goes wrong": "Fix it",
    "The change, in words": "Change the project",
    "Command": "Run",
    "Plan (Markdown)": "Save plan",
    "Spec": "Plan",  # last: Plan starts a new run
}
# Settings every button reads; no button of their own.
SETTINGS = {"Model", "API key", "Base URL", "Access code"}

# Whether a glyph is drawn as the empty box a font draws for a character it has not got:
# drawn on a canvas in the page's font, compared with a character no font has.
TOFU_JS = """(glyphs) => {
  const c = document.createElement('canvas'); c.width = 64; c.height = 64;
  const x = c.getContext('2d');
  const family = getComputedStyle(document.body).fontFamily;
  const draw = (g) => { x.clearRect(0, 0, 64, 64); x.font = '32px ' + family;
                        x.fillText(g, 8, 40); return c.toDataURL(); };
  const tofu = draw('\\u{10FFFD}');
  return glyphs.filter(g => draw(g) === tofu);
}"""

# Elements cut or scrolled sideways: a button whose label does not fit, or any element (not the
# code editor's own lines, in its frame) wider inside than it is shown.
CLIPPED_JS = """() => {
  const out = [];
  for (const b of document.querySelectorAll('button')) {
    if (b.offsetParent && b.scrollWidth > b.clientWidth + 1)
      out.push('button: ' + b.innerText.trim());
  }
  for (const e of document.querySelectorAll('body *')) {
    const s = getComputedStyle(e);
    if (!e.offsetParent || !['auto', 'scroll'].includes(s.overflowX)) continue;
    const edge = e.getBoundingClientRect().right;
    if (e.scrollWidth <= e.clientWidth + 1 || edge <= 0) continue;  // fits, or closed away
    const wide = [...e.querySelectorAll('*')].filter(c => c.getBoundingClientRect().right > edge + 1);
    const what = (x) => x.dataset.testid || x.className || x.tagName;
    out.push('scrolls sideways: ' + what(e) + ` ${e.scrollWidth}>${e.clientWidth}, past it: ` +
             wide.slice(0, 3).map(what).join(', '));
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('the page itself');
  return out;
}"""


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("newcomer")
    model = ScriptedServer("# Plan\n\nA small program.\n", {}).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-newcomer-env-key-123456",
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


def generated(studio, files: dict[str, str], width: int = 1400, shots: str = "", each=None):
    """A fresh tab (another person) in which the page planned, listed and wrote `files`; at
    each state of that walk, a screenshot named `shots` and `each(page)`."""
    app, model, browser = studio
    model.files.clear()
    model.files.update(files)
    page = new_tab(browser)
    page.set_viewport_size({"width": width, "height": 1000})
    open_page(page, app.url)
    shot(page, shots, "1-start", each)
    # A page whose script is in modules, beside a Python helper: all its files are asked for.
    page_spec = "A small web page, its script split into modules, with a Python helper."
    write_spec(page, page_spec if "index.html" in files else "A small program.")
    button(page, "Plan").click()
    button(page, "List files").wait_for()
    settled(page)
    shot(page, shots, "2-plan", each)
    button(page, "List files").click()
    button(page, f"Generate all ({len(files)})").wait_for()
    settled(page)
    shot(page, shots, "3-files", each)
    button(page, f"Generate all ({len(files)})").click()
    page.get_by_text(f"{len(files)}/{len(files)} files written").wait_for(timeout=120_000)
    settled(page)
    shot(page, shots, "4-code", each)
    return page


# What each state's screenshot is of (the page scrolls inside itself: a "full page" shot is
# only the window), scrolled to the top of the window.
IN_VIEW = {
    "2-plan": '[data-testid="stHeading"]:has-text("2 · Plan")',
    "3-files": '[data-testid="stHeading"]:has-text("3 · Files")',
    "4-code": ".st-key-workspace",
    "5-examples": ".st-key-workspace",
    "5-nothing-changed": '[data-testid="stAlertContentWarning"]',
    "6-edited": ".st-key-workspace",
}


def shot(page, name: str, state: str, each=None) -> None:
    if name:
        if state in IN_VIEW:
            page.locator(IN_VIEW[state]).first.evaluate("e => e.scrollIntoView()")
        page.screenshot(path=str(SHOTS / f"{name}-{state}.png"))
    if each:
        each(page, state)


def sent_text(request) -> str:
    return json.dumps(request.body.get("messages", []), ensure_ascii=False)


def open_expanders(page) -> None:
    """Every expander open: the text boxes in them are on the page like the others."""
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary:visible')
    for summary in closed.element_handles():  # each once, as found (indices shift on a click)
        summary.click()
    settled(page)


def text_boxes(page) -> list[str]:
    """The label of every text box on the page (shown or in a tab not open)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, textarea')]
            .filter(e => ['text', 'password', 'textarea', 'url', 'search', 'email']
                          .includes(e.type) && e.getAttribute('role') !== 'combobox')
            .map(e => e.getAttribute('aria-label') || '(a box with no label)')"""
    )


def test_one_click_counts_after_typing_into_every_text_box(studio):
    """Issue 32, item 3: "Fix it" stayed disabled until its box lost the focus, so the first
    click only enabled it. Each box is typed into (its value not yet sent) and its button
    clicked once, as a person does; the click must do what the button is for."""
    _, model, _ = studio
    page = generated(studio, GREETING)
    try:
        open_expanders(page)
        found = text_boxes(page)
        unknown = set(found) - set(BUTTON_OF) - SETTINGS
        assert not unknown, f"text boxes with no button listed in BUTTON_OF: {unknown}"
        assert {"Change to ask for (optional)", "The error or what goes wrong", "Spec"} <= set(
            found
        )
        for label in [b for b in BUTTON_OF if b in found]:
            open_expanders(page)
            if label == "Command":
                page.get_by_role("tab", name="Run").click()
            box = page.get_by_label(label, exact=True)
            typed = f"zebra {len(model.requests)} for {label}"
            if label == "Command":
                typed = "python -c print(4321+1)"
            seen = len(model.requests)
            box.click()
            box.fill(typed)  # typed: no Enter, the box still has the focus
            button(page, BUTTON_OF[label]).click(force=True)  # once, enabled or not
            if label == "Command":
                page.get_by_test_id("stCode").filter(has_text="4322").wait_for(timeout=20_000)
            elif label == "Plan (Markdown)":
                page.get_by_text(typed).first.wait_for(timeout=20_000)
            else:
                wait_until(
                    lambda t=typed, n=seen: any(t in sent_text(r) for r in model.requests[n:]),
                    20,
                    f"one click on {BUTTON_OF[label]!r} after typing into {label!r}",
                )
            settled(page)
    finally:
        page.context.close()


def test_a_fix_that_changes_nothing_tries_again_then_says_so(studio):
    """Issue 32, item 2: "Write this file again" and "Fix it" ran and left every file as it
    was, with no word. The scripted model gives the same text back every time."""
    _, model, _ = studio
    page = generated(studio, GREETING)
    try:
        seen = len(model.requests)
        button(page, "Regenerate this file").click()
        said = page.get_by_text("Nothing changed: writing main.py again, tried twice")
        said.wait_for(timeout=60_000)
        again = [r for r in model.requests[seen:] if r.kind == "code"]
        assert [r.path for r in again] == ["main.py", "main.py"]
        assert again[0].body["temperature"] != again[1].body["temperature"]  # not the same try
        assert "edit the file yourself" in said.inner_text()  # what the person can do next
        settled(page)

        open_expanders(page)
        box = page.get_by_label("The error or what goes wrong", exact=True)
        box.fill("NameError in util.py: greet is not defined")
        box.press("Control+Enter")
        settled(page)
        open_expanders(page)  # a rerun may have drawn its expander closed again
        model.tokens_per_second = 3  # long enough to be watched, on a busy machine too
        try:
            button(page, "Fix it").click()
            # Item 9: a fix says how long it has left, as generating does.
            dock = page.locator(".st-key-progress_dock")
            dock.get_by_text("s left").wait_for(timeout=30_000)
        finally:
            model.tokens_per_second = None
        page.get_by_text("Nothing changed: fixing util.py from the error you pasted").wait_for(
            timeout=60_000
        )
        shot(page, "desktop", "5-nothing-changed")
    finally:
        page.context.close()


def test_a_hand_edit_is_never_counted_as_a_repair_and_the_latest_version_is_shown(studio):
    """Issue 32, items 4 and 7: after the person fixed a line by hand the page said "This file
    was written again to fix what the checks found" and "1 repaired"; the Versions box stayed
    on v1 while the edits made newer ones."""
    _, model, _ = studio
    model.add_fault(Fault.text(BROKEN_UTIL), kind="code", path="util.py", times=None)
    try:
        page = generated(studio, GREETING)
    finally:
        model.clear_faults()
    try:
        page.get_by_role("radiogroup", name="Files").get_by_text("util.py").click()
        settled(page)
        ace = page.frame_locator(ACE)
        ace.locator(".ace_content").get_by_text("suffix").wait_for()
        ace.locator(".ace_text-input").focus()
        page.keyboard.press("Control+End")
        for _ in range(len(" + suffix\n")):  # the person takes off what the checks flagged
            page.keyboard.press("Backspace")
        page.get_by_text("Saved your edit of util.py").wait_for()
        settled(page)
        page.wait_for_timeout(1500)  # the editor's last keys
        settled(page)
        tree = page.get_by_role("radiogroup", name="Files")
        for name in ("main.py", "util.py"):  # another run of the page: what it counts then
            tree.get_by_text(name).click()
            settled(page)
        text = page.locator("section.main, [data-testid='stMain']").first.inner_text()
        assert "2 file(s) with no findings · 0 repaired · 0 still with findings" in text, text[
            :2000
        ]
        assert "written again to fix what the checks found" not in text
        assert "Who changed this file, newest first: you (v" in text
        files = page.get_by_role("radiogroup", name="Files").inner_text()
        assert "✎ util.py" in files
        # Item 9: after these reruns the editor's text starts right of its line numbers.
        edges = ace.locator(".ace_editor").evaluate(
            """e => [e.querySelector('.ace_gutter').getBoundingClientRect().right,
                     e.querySelector('.ace_scroller').getBoundingClientRect().left,
                     e.querySelector('.ace_line').getBoundingClientRect().left]"""
        )
        assert edges[0] <= edges[1] + 0.5 and edges[1] <= edges[2] + 0.5, edges
        # The Versions box: the newest version (the edit) shown, and how many there are.
        shown = page.get_by_role("combobox", name="Version").input_value()
        latest = page.get_by_text("versions; the latest is v").inner_text()
        number = latest.split("the latest is v", 1)[1].split(",", 1)[0]
        assert f"v{number} · edited by you" in shown, (shown, latest)
        shot(page, "desktop", "6-edited")
    finally:
        page.context.close()


def test_one_icon_set_every_browser_draws_and_one_file_picker(studio):
    """Issue 32, item 5: the picker beside the tree showed other marks for the same file, and
    the repair mark was drawn as an empty box in Chromium on Linux (so was ✅)."""
    page = generated(studio, GREETING)
    try:
        assert page.get_by_role("radiogroup", name="Files").count() == 1
        assert (
            not page.get_by_test_id("stSelectbox")
            .filter(has_text="File")
            .filter(has_not_text="Version")
            .count()
        ), "a second file picker"
        text = page.locator("body").inner_text()
        glyphs = sorted({c for c in text if ord(c) > 0x2000})
        assert "✓" in glyphs  # the marks are on the page
        assert page.evaluate(TOFU_JS, glyphs) == []
        from smol_core.studio.marks import FOLDER, MARKS

        every = [g for g, _ in MARKS.values()] + [FOLDER]
        assert page.evaluate(TOFU_JS, every) == []  # the marks not on the page now, too
    finally:
        page.context.close()


def test_a_web_page_project_runs_in_the_preview_not_as_python_app_py(studio):
    """Issue 32, item 6: the Run tab's default command for a web page was `python app.py`."""
    page = generated(studio, PAGE)
    try:
        page.get_by_role("tab", name="Run").click()
        command = page.get_by_label("Command", exact=True)
        assert command.input_value() == ""
        page.get_by_text("This project is a web page: it opens in the Preview tab.").wait_for()
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [800, 1400])
def test_the_walk_reads_at_800_and_1400_px(studio, width):
    """Issue 32, item 8: at 800 px the sidebar stayed open, "Generate al…" was cut, the Purpose
    column was cut. Every state of the walk: no button label cut, nothing scrolls sideways."""
    name = "narrow" if width == 800 else "desktop"
    cut: dict[str, list[str]] = {}

    def clipped(page, state: str) -> None:
        if found := page.evaluate(CLIPPED_JS):
            cut[state] = found

    page = generated(studio, PAGE, width=width, shots=name, each=clipped)
    try:
        # Open, the sidebar takes room on the left of the window; closed, it is moved out.
        right = page.get_by_test_id("stSidebar").evaluate("e => e.getBoundingClientRect().right")
        assert (right <= 1) == (width == 800), f"sidebar's right edge at {right} px"
        page.get_by_role("tab", name="Examples").click()
        settled(page)
        shot(page, name, "5-examples", clipped)
        assert cut == {}
    finally:
        page.context.close()


def test_the_progress_box_leaves_the_right_column_in_view(studio):
    """Issue 32, item 9: while a long step ran, its progress box covered the right column
    (the preview and run panes the person watches)."""
    _, model, _ = studio
    page = generated(studio, GREETING, width=1600)
    try:
        model.tokens_per_second = 5  # the regeneration takes a while
        button(page, "Regenerate this file").click()
        dock = page.locator(".st-key-progress_dock")
        dock.wait_for()
        stop = button(page, "Stop").bounding_box()
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.st-key-progress_dock') !== null",
            [stop["x"] + stop["width"] / 2, stop["y"] + stop["height"] / 2],
        )
        assert hit, "Stop is under something else"
        a, b = dock.bounding_box(), page.get_by_test_id("stTabs").first.bounding_box()
        assert a and b
        # Apart across: wherever the page is scrolled, the box is never over that column.
        assert a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"], (a, b)
        page.screenshot(path=str(SHOTS / "desktop-7-progress.png"))
    finally:
        model.tokens_per_second = None
        page.context.close()
