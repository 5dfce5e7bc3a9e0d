"""Start from code you have, ask for a change, see its diff, go back: in a real browser
against the real page (`streamlit run`) and the scripted model (issue 14)."""

from __future__ import annotations

import zipfile

import pytest

from smol_core.studio.history import RunStore
from tests.change_kit import FIVE, change_classify, plan_reply
from tests.e2e.drive import button, chromium, need_chromium, new_tab, open_page, settled
from tests.harness import StreamlitApp, clean_env
from tests.scripted_server import ScriptedServer

pytestmark = pytest.mark.e2e

NEW_REPORT = "def summary(items: list) -> str:\n    return f'{sum(items)} total'\n"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("iterate")
    model = ScriptedServer("# Plan\n", {}, classify=change_classify).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-iterate-env-key-123456",
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
        SMOL_RUN_EXAMPLES="0",
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    try:
        app.start()
        yield app, model, tmp
    finally:
        app.stop()
        model.stop()


def codes(page) -> str:
    return "\n".join(page.get_by_test_id("stCode").all_inner_texts())


def pick(page, label: str, option: str) -> None:
    """Choose an option of a selectbox (a rerun that lands mid-click closes the list: again)."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    choice = page.get_by_role("option").filter(has_text=option)
    for _ in range(3):
        settled(page)
        box.click()
        try:
            choice.click(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - the list closed under us: open it again
            page.keyboard.press("Escape")
    settled(page)


def test_import_change_diff_and_restore_in_a_browser(studio):
    app, model, tmp = studio
    archive = tmp / "items.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path, text in FIVE.items():
            zf.writestr(f"items-main/{path}", text)
    model.add_fault(plan_reply(("report.py", "change", "show the total")), kind="change")
    model.files["report.py"] = NEW_REPORT
    with chromium() as browser:
        page = new_tab(browser)
        open_page(page, app.url)
        importer = page.get_by_test_id("stExpander").filter(has_text="start from code you have")
        importer.get_by_text("start from code you have").click()
        importer.locator("input[type=file]").set_input_files(str(archive))
        settled(page)
        button(page, "Import").click()
        page.get_by_text("Imported 5 text and 0 other file(s).").wait_for()
        settled(page)

        box = page.get_by_role("textbox", name="The change, in words")
        box.fill("show the total")
        box.press("Control+Enter")
        settled(page)
        button(page, "Change the project").click()
        page.get_by_text("Changed: report.py").wait_for()
        settled(page)
        assert "+    return f'{sum(items)} total'" in codes(page)  # the change's diff

        # Versions: v2 is the change; v1 (imported) against now shows it; restore v1.
        pick(page, "Version", "v1 · imported")
        page.get_by_text("the project now").click()
        settled(page)
        assert "-    return f'{len(items)} items'" in codes(page)
        button(page, "Restore this version").click()
        page.get_by_text("Restored v1 (now v3).").wait_for()
        settled(page)
        pick(page, "Version", "v2 · changed by request")
        with page.expect_download() as info:  # read from the history on click
            button(page, "Download v2 (.zip)").click()
        info.value.save_as(tmp / "v2.zip")

    with zipfile.ZipFile(tmp / "v2.zip") as z:
        assert z.read("report.py").decode() == NEW_REPORT
        assert {n: z.read(n).decode() for n in FIVE if n != "report.py"} == {
            n: t for n, t in FIVE.items() if n != "report.py"
        }

    store = RunStore(tmp / "history.sqlite3")
    (run,) = store.list_runs(None)
    assert {f.path: f.content for f in store.load_run(run.id, None).files} == FIVE
