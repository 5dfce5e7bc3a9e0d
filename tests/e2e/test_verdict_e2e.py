"""The verdict in a real browser (issue 29, item 3): a project whose only example checks nothing
(a smoke check that passes) shows no ✓ and no ✅ beside any file and no "pass" in its verdict,
says no behaviour is checked, and "Add an example" opens the Examples tab on a new row.
Screenshot in test-artifacts/verdict/."""

from __future__ import annotations

import re

import pytest

from smol_core.running.sandbox import isolation
from tests.e2e.conftest import E2E_FILES, E2E_PLAN
from tests.e2e.drive import (
    button,
    chromium,
    need_chromium,
    new_tab,
    open_page,
    settled,
    start_generating,
)
from tests.harness import ROOT, StreamlitApp, clean_env
from tests.scripted_server import ScriptedServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(isolation() != "namespaces", reason=isolation()),
]
SHOTS = ROOT / "test-artifacts" / "verdict"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("verdict")
    model = ScriptedServer(E2E_PLAN, dict(E2E_FILES)).start()  # no examples: a smoke check only
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-verdict-env-key-123456",
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        app.start()
        with chromium() as browser:
            yield app, browser
    finally:
        app.stop()
        model.stop()


def test_an_unchecked_run_shows_no_tick_and_add_an_example_opens_a_new_row(studio):
    app, browser = studio
    page = new_tab(browser)
    page.set_viewport_size({"width": 1600, "height": 1100})
    try:
        open_page(page, app.url)
        start_generating(page, "A greeter program.", 2)
        verdict = page.get_by_text("No behaviour checked", exact=False).first
        verdict.wait_for(timeout=90_000)  # written, checked, then run
        settled(page)
        tree = page.locator(".st-key-tree_file")
        labels = tree.inner_text()
        assert "main.py" in labels and "util.py" in labels
        assert "✓" not in labels and "▷" in labels, labels  # only run: no tick
        assert "✅" not in page.locator("body").inner_text()  # no other picker's tick
        warnings = page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
        said = [w for w in warnings if "No behaviour checked" in w]
        assert said and "pass" not in said[0], warnings
        assert not page.get_by_text(re.compile(r"\d+ clean\b")).count()  # was "Checks: 2 clean"
        page.get_by_text("behaviour checked by an example in 0 of 2 file(s)").wait_for()
        page.screenshot(path=str(SHOTS / "verdict-1-unchecked.png"))

        button(page, "Add an example").first.click()
        settled(page)
        examples_tab = page.get_by_role("tab", name="Examples")
        examples_tab.wait_for()
        assert examples_tab.get_attribute("aria-selected") == "true"
        page.get_by_text("Your new example is the last row").wait_for()
        assert page.get_by_text("Your new example is the last row").is_visible()
        page.screenshot(path=str(SHOTS / "verdict-2-add-an-example.png"))
    finally:
        page.context.close()
