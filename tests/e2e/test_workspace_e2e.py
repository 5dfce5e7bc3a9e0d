"""The workspace's Preview tab in a real browser against the real page (`streamlit run`) and
the scripted model: the generated page renders in the preview frame and a click in it changes
its text; a script error inside it is listed on the page with "Fix this error"; and it can't
reach the studio (its document, a fetch of '/', top.location, its cookies). Screenshots in
test-artifacts/workspace/*.png."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from smol_core.studio.preview import FRAME_SANDBOX
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
from tests.preview_kit import BROKEN, COUNTER, HOSTILE, PLAIN_LOADED
from tests.scripted_server import Fault, ScriptedServer

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "test-artifacts" / "workspace"  # apart: the studio e2e clears e2e/*.png
FRAME = 'iframe[title="Preview"]'


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("workspace")
    model = ScriptedServer("# Plan\n\nA small web page.\n", {}).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-workspace-env-key-123456",
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
        SMOL_RUN_EXAMPLES="0",  # the preview is what is looked at here, not the runner
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


def generated(studio, files: dict[str, str]):
    """A fresh tab in which the page wrote `files` (the scripted model answers them)."""
    app, model, browser = studio
    model.files.clear()
    model.files.update(files)
    page = new_tab(browser)
    page.set_viewport_size({"width": 1600, "height": 1100})
    open_page(page, app.url)
    # Its script in ES modules, asked for: a vague page would be one script (steps/smallest.py).
    write_spec(page, "A small web page whose script is split into ES modules.")
    button(page, "Plan").click()
    button(page, "List files").wait_for()
    settled(page)
    button(page, "List files").click()
    button(page, f"Generate all ({len(files)})").wait_for()
    settled(page)
    button(page, f"Generate all ({len(files)})").click()
    page.get_by_text(f"{len(files)}/{len(files)} files written").wait_for()
    settled(page)
    page.locator(FRAME).wait_for()
    return page


def preview(page):
    """The page's own frame: inside the preview's frame (preview.frame_document)."""
    return page.frame_locator(FRAME).frame_locator("iframe")


def preview_font_size(page) -> str:
    """The preview's h1 font size, or "" while the preview is being replaced (a rerun
    re-renders its frame; a poll that lands then finds its context gone)."""
    try:
        return preview(page).locator("h1").evaluate("e => getComputedStyle(e).fontSize")
    except PlaywrightError as exc:
        if "context was destroyed" in str(exc) or "detached" in str(exc):
            return ""
        raise


def shot(page, name: str) -> None:
    page.locator(FRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"workspace-{name}.png"))


def test_the_generated_page_renders_in_the_preview_and_a_click_changes_its_text(studio):
    page = generated(studio, COUNTER)
    try:
        frame = preview(page)
        frame.locator("#count").wait_for()
        assert frame.locator("#count").inner_text() == "0"
        frame.locator("#plus").click()
        frame.locator("#plus").click()
        wait_until(lambda: frame.locator("#count").inner_text() == "2", 5, "two clicks counted")
        color = frame.locator("h1").evaluate("e => getComputedStyle(e).color")
        assert color == "rgb(200, 0, 0)"  # its stylesheet, inlined
        assert page.locator(FRAME).get_attribute("sandbox") == FRAME_SANDBOX
        settled(page)
        assert not page.get_by_role("button", name="Fix this error").count()
        shot(page, "1-counter")
    finally:
        page.context.close()


def test_a_script_error_in_the_preview_is_listed_on_the_page_with_fix_this_error(studio):
    app, model, _ = studio
    page = generated(studio, BROKEN)
    try:
        assert preview(page).locator("#out").inner_text() == "ran"  # the script did start
        tabs = page.get_by_test_id("stTabs")
        tabs.get_by_text("totalOf is not defined (app.js:3)").wait_for()
        tabs.get_by_text("the total is missing", exact=True).wait_for()  # console.error too
        settled(page)
        shot(page, "2-error-listed")
        model.files["app.js"] = 'document.getElementById("out").textContent = "fixed";\n'
        before = len(model.requests)
        fixes = page.get_by_role("button", name="Fix this error")
        assert fixes.count() == 2  # one per report: console.error first, then the exception
        fixes.nth(1).click()
        wait_until(
            lambda: preview(page).locator("#out").inner_text() == "fixed",
            20,
            "the fixed page in the preview",
        )
        settled(page)
        asked = [r for r in model.requests[before:] if r.kind == "code"]
        assert "app.js" in [r.path for r in asked]
        told = [r.path for r in asked if "totalOf is not defined" in str(r.body)]
        assert "app.js" in told, [(r.path, str(r.body)[-600:]) for r in asked]
        page.get_by_text("Fixed from an error: rewrote").wait_for()  # what changed, and Undo
        page.get_by_text("What changed in app.js").click()
        # In what changed (and in the newest version's diff, shown by the Versions box too).
        page.get_by_text('+document.getElementById("out").textContent = "fixed";').first.wait_for()
        shot(page, "3-fixed-and-its-diff")
        button(page, "Undo: put back the earlier app.js").click()
        wait_until(
            lambda: preview(page).locator("#out").inner_text() == "ran",
            20,
            "the page as it was, in the preview",
        )
        tabs.get_by_text("totalOf is not defined (app.js:3)").wait_for()
    finally:
        page.context.close()


def test_the_preview_can_not_reach_the_studio(studio):
    app, _, _ = studio
    page = new_tab(studio[2])
    page.context.add_cookies([{"name": "studio_session", "value": "COOKIE-SECRET", "url": app.url}])
    page.context.close()
    page = generated(studio, HOSTILE)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    try:
        frame = preview(page)
        ids = ("parent", "cookie", "fetch", "top", "storage")
        wait_until(
            lambda: all(frame.locator(f"#{i}").inner_text() != "waiting" for i in ids),
            10,
            "every attempt to reach the studio",
        )
        got = {i: frame.locator(f"#{i}").inner_text() for i in ids}
        assert got == dict.fromkeys(ids, "refused"), got
        page.wait_for_timeout(500)
        assert page.url.startswith(app.url) and "hijacked" not in page.url
        assert not [u for u in asked if "leak-image" in u or "hijacked" in u], asked
        tabs = page.get_by_test_id("stTabs")
        tabs.get_by_text("the preview allows no network").first.wait_for()  # reported
        # What the page reports is shown as its words: no image loaded, no link made.
        tabs.get_by_text(
            "![x](/leak-markdown.png) [log in](http://evil.example/) **now**"
        ).wait_for()
        assert not tabs.locator('a[href^="http://evil"]').count()
        assert not [u for u in asked if "leak-markdown" in u], asked
        shot(page, "4-hostile")
    finally:
        page.context.close()


def test_stop_ends_the_requests_and_keeps_the_files_already_written(studio):
    """Issue 13, problem 3: there was no Stop button anywhere."""
    app, model, browser = studio
    short = "print('done')\n"
    long = "".join(f"line_{i} = {i}  # a long file, streamed slowly\n" for i in range(400))
    files = {"quick.py": short, "slow.py": long}
    model.files.clear()
    model.files.update(files)
    page = new_tab(browser)
    try:
        open_page(page, app.url)
        write_spec(page, "Two Python files.")
        button(page, "Plan").click()
        button(page, "List files").wait_for()
        settled(page)
        button(page, "List files").click()
        button(page, "Generate all (2)").wait_for()
        settled(page)
        model.tokens_per_second = 20  # slow.py now takes about a minute
        button(page, "Generate all (2)").click()
        # quick.py is in (its box shows it whole; the bar's words follow slow.py by then)
        page.get_by_test_id("stCode").filter(has_text="print('done')").wait_for()
        assert page.get_by_text("Waiting its turn…").count() == 0  # both started (8 at once)
        page.mouse.move(700, 500)
        page.mouse.wheel(0, 20_000)  # scrolled to the end: the progress and Stop stay in view
        for shown in (button(page, "Stop"), page.locator(".st-key-progress_dock")):
            box, size = shown.bounding_box(), page.viewport_size
            assert box and size and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
        button(page, "Stop").click()
        page.get_by_text("Stopped: the requests were ended.").wait_for(timeout=10_000)
        settled(page)

        # The server replaces a record when its request ends: read them afresh on each look.
        def slow_request():
            return [r for r in model.requests if r.kind == "code" and r.path == "slow.py"][-1]

        wait_until(lambda: slow_request().finished_at is not None, 5, "the slow request ended")
        assert slow_request().outcome in ("disconnected", "stopped"), slow_request().outcome
        page.get_by_text("1/2 files written").wait_for()  # quick.py kept
        assert button(page, "Generate missing (1)").is_enabled()
        page.screenshot(path=str(SHOTS / "workspace-5-stopped.png"))
    finally:
        model.tokens_per_second = None
        page.context.close()


# Every text a code box shows while files stream, kept in the page (a MutationObserver).
WATCH_CODE = """() => {
  window.__seen = [];
  const grab = () => document.querySelectorAll('[data-testid="stCode"] code')
      .forEach((c) => window.__seen.push(c.innerText));
  new MutationObserver(grab).observe(document.body,
      {subtree: true, childList: true, characterData: true});
}"""


def test_streaming_boxes_show_no_fence_and_follow_the_text(studio):
    """Issue 13, problem 7: the boxes showed the raw ``` fence and stayed on the first lines."""
    app, model, browser = studio
    body = "".join(f"value_{i} = {i}\n" for i in range(60))
    model.files.clear()
    model.files.update({"numbers.py": body})
    model.add_fault(Fault.text(f"```python\n{body}```\n"), kind="code", path="numbers.py")
    page = new_tab(browser)
    try:
        open_page(page, app.url)
        write_spec(page, "One Python file of numbers.")
        button(page, "Plan").click()
        button(page, "List files").wait_for()
        settled(page)
        button(page, "List files").click()
        button(page, "Generate all (1)").wait_for()
        settled(page)
        page.evaluate(WATCH_CODE)
        model.tokens_per_second = 60
        button(page, "Generate all (1)").click()
        page.get_by_text("1/1 files written").wait_for(timeout=30_000)
        seen = [t for t in page.evaluate("window.__seen") if t.strip()]
        assert len(seen) > 3, seen  # it streamed
        assert not [t for t in seen if "```" in t]
        middle = [t for t in seen if "value_30 = 30" in t and "value_59" not in t]
        assert middle and all("value_0 = 0" not in t for t in middle)  # it follows the text
    finally:
        model.tokens_per_second = None
        page.context.close()


ACE = 'iframe[title="streamlit_ace.streamlit_ace"]'
# The box of one character of `word` in the editor's text layer (the "_" of it): where it is,
# whatever the font draws there.
CHAR_BOX = """(editor, word) => {
  for (const line of editor.querySelectorAll(".ace_text-layer .ace_line")) {
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + word.indexOf("_"));
      range.setEnd(node, at + word.indexOf("_") + 1);
      const b = range.getBoundingClientRect();
      return {x: b.x, y: b.y, width: b.width, height: b.height};
    }
  }
  return null;
}"""


def underscore_pixels(page, word: str) -> int:
    """How many dark pixels the editor draws for the "_" of `word` (0: it is clipped away)."""
    import io

    from PIL import Image

    page.locator(ACE).scroll_into_view_if_needed()
    box = page.frame_locator(ACE).locator(".ace_editor").evaluate(CHAR_BOX, word)
    frame = page.locator(ACE).bounding_box()
    assert box and frame, (box, frame)
    clip = {
        "x": frame["x"] + box["x"],
        "y": frame["y"] + box["y"],
        "width": box["width"],
        "height": box["height"],
    }
    image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L")
    return sum(
        1 for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) < 160
    )


def test_an_edit_is_kept_without_apply_and_survives_switching_files(studio):
    """Issue 13, problem 5: an edit was kept only after "Apply"; switching files lost it; the
    editor jumped to the first file when typing came in two goes (the file's mark changed
    under it); and in headless Chromium the editor hid underscores."""
    page = generated(studio, COUNTER)
    try:
        tree = page.get_by_test_id("stRadio").filter(has_text="Files")
        tree.get_by_text("style.css").click()
        settled(page)
        ace = page.frame_locator(ACE)
        ace.locator(".ace_content").get_by_text("rgb(200, 0, 0)").wait_for()
        ace.locator(".ace_text-input").focus()
        page.keyboard.press("Control+End")
        page.keyboard.type("h1 { font-")
        page.wait_for_timeout(600)  # a pause mid-word: the first keys are saved (✓ → ✎)
        settled(page)
        page.keyboard.type("size: 7px; }")
        page.wait_for_timeout(600)  # a person's pause; no Apply, no Ctrl+Enter
        settled(page)
        ace.locator(".ace_content").get_by_text("font-size: 7px").wait_for()  # still on it
        tree.get_by_text("app.js").click()
        settled(page)
        ace.locator(".ace_content").get_by_text("STORAGE_KEY").first.wait_for()
        assert underscore_pixels(page, "STORAGE_KEY") > 0  # "STORAGE_KEY", not "STORAGE KEY"
        tree.get_by_text("style.css").click()
        settled(page)
        ace.locator(".ace_content").get_by_text("font-size: 7px").wait_for()
        assert "✎ style.css" in tree.inner_text()  # marked as edited by you
        size = preview(page).locator("h1").evaluate("e => getComputedStyle(e).fontSize")
        assert size == "7px"  # and the preview shows it
        page.screenshot(path=str(SHOTS / "workspace-6-edit-kept.png"))
        # How long from the last key typed to the preview showing it (the editor waits 200 ms
        # for a pause first). Printed, and bounded loosely: this machine is shared.
        settled(page)  # the rerun the preview's check caused is over: its editor is the live one
        ace.locator(".ace_content").click()  # a person clicks into the text (focus() could
        page.keyboard.press("Control+End")  # land on an editor a rerun was replacing)
        page.keyboard.type(" h1 { font-size: 9px; }")
        typed = time.monotonic()
        wait_until(
            lambda: preview_font_size(page) == "9px", 10, "the preview after an edit", step=0.02
        )
        seconds = time.monotonic() - typed
        print(f"\n[preview] last key typed -> preview shows it: {seconds * 1000:.0f} ms")
        assert seconds < 5
    finally:
        page.context.close()


def test_the_workspace_is_usable_at_800_px(studio):
    """Issue 13, problem 8: at 800 px the buttons read "Generate al…" and the workspace's
    columns would be slivers."""
    page = generated(studio, COUNTER)
    try:
        page.set_viewport_size({"width": 800, "height": 1000})
        settled(page)
        cut = page.evaluate("""() => [...document.querySelectorAll('button')]
            .filter(b => b.offsetParent && b.scrollWidth > b.clientWidth + 1)
            .map(b => b.innerText)""")
        assert cut == [], cut  # no button's label is cut
        frame = page.locator(FRAME).bounding_box()
        editor = page.locator(ACE).bounding_box()
        assert frame and editor and frame["width"] >= 300 and editor["width"] >= 300
        page.locator(FRAME).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "workspace-7-800px.png"), full_page=True)
    finally:
        page.context.close()


def test_listing_the_files_says_what_is_happening_while_it_runs(studio):
    """Issue 13, problem 3: during the file list nothing said a step was running."""
    app, model, browser = studio
    model.files.clear()
    model.files.update({"main.py": "print(1)\n"})
    page = new_tab(browser)
    try:
        open_page(page, app.url)
        write_spec(page, "One Python file.")
        button(page, "Plan").click()
        button(page, "List files").wait_for()
        settled(page)
        model.latency = 3.0  # the model takes its time to answer
        button(page, "List files").click()
        page.get_by_text("Listing the files to write: the model is deciding…").wait_for(
            timeout=2_500
        )
        model.latency = 0.0
        button(page, "Generate all (1)").wait_for()
    finally:
        model.latency = 0.0
        page.context.close()


def test_a_module_loaded_as_a_plain_script_shows_its_error_and_is_fixed_in_one_click(studio):
    """Issue 13, problem 1: the page never worked and the studio showed success."""
    page = generated(studio, PLAIN_LOADED)
    try:
        tabs = page.get_by_test_id("stTabs")
        tabs.get_by_text("Cannot use import statement outside a module").wait_for()
        frame = preview(page)
        frame.locator("#plus").click()
        assert frame.locator("#count").inner_text() == "0"  # `+` does nothing
        tree = page.get_by_test_id("stRadio").filter(has_text="Files")
        tree.get_by_text("app.js").click()
        settled(page)
        page.get_by_text("nothing on the page works").wait_for()  # said in plain words
        button(page, "Load it as a module").click()
        page.get_by_text("Repaired: rewrote").wait_for()
        settled(page)
        frame.locator("#plus").click()
        wait_until(lambda: frame.locator("#count").inner_text() == "1", 10, "a working +")
        assert not tabs.get_by_text("Cannot use import statement").count()
        page.screenshot(path=str(SHOTS / "workspace-8-loaded-as-module.png"))
    finally:
        page.context.close()
