"""A share link, in two real browsers (issue 16): the owner makes a run and shares it; another
person opens the link and sees that run read-only (spec, plan, files, zip), not the owner's
history, and nothing that changes it; "Copy into my projects" gives them their own copy,
and the owner's run is byte for byte what it was.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from smol_core.studio.history import RunStore
from tests.e2e.drive import button, chromium, need_chromium, new_tab, open_page, settled, write_spec
from tests.harness import StreamlitApp, clean_env
from tests.scripted_server import ScriptedServer

pytestmark = pytest.mark.e2e

FILES = {
    "main.py": "from util import greet\n\nprint(greet('world'))\n",
    "util.py": "def greet(name):\n    return f'hello {name}'\n",
}
SPEC = "Owner's private greeter: main.py prints what util.greet returns."


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("share")
    model = ScriptedServer("# Plan\n\nmain.py uses util.greet.\n", FILES).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY="sk-owner-env-key-123456",
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    try:
        app.start()
        yield app, tmp
    finally:
        app.stop()
        model.stop()


def query(url: str, name: str) -> str | None:
    found = re.search(rf"[?&]{name}=([\w-]+)", url)
    return found.group(1) if found else None


def test_a_share_link_is_read_only_for_another_browser(studio, capsys):
    app, tmp = studio
    store = RunStore(tmp / "history.sqlite3")
    with chromium() as browser:
        owner = new_tab(browser)
        open_page(owner, app.url)
        write_spec(owner, SPEC)
        button(owner, "Plan").click()
        button(owner, "List files").wait_for()
        settled(owner)
        button(owner, "List files").click()
        button(owner, "Generate all (2)").wait_for()
        settled(owner)
        button(owner, "Generate all (2)").click()
        owner.get_by_text("2/2 files written").wait_for()
        settled(owner)
        owner_id, run_id = query(owner.url, "u"), query(owner.url, "run")
        button(owner, "Share this run (read-only link)").click()
        code = owner.get_by_test_id("stSidebar").get_by_test_id("stCode").filter(has_text="share=")
        code.wait_for()
        link = code.inner_text().strip()
        assert owner_id not in link and run_id not in link
        before = store.load_run(run_id, owner_id)

        viewer = new_tab(browser)  # another person: their own cookies, storage and id
        viewer.goto(link)
        viewer.get_by_text("Shared run:").wait_for()
        settled(viewer)
        assert query(viewer.url, "u") not in (None, owner_id)
        viewer.get_by_text("main.py uses util.greet.").wait_for()
        for name in ("Plan", "List files", "Generate all (2)", "Save plan", "Regenerate this file"):
            assert button(viewer, name).count() == 0, name
        assert viewer.get_by_test_id("stDataFrame").count() == 0  # no file table to edit
        assert viewer.get_by_test_id("stSidebar").get_by_text("Owner's private").count() == 0
        with viewer.expect_download() as info:
            button(viewer, "Download .zip").click()
        info.value.save_as(tmp / "shared.zip")
        with zipfile.ZipFile(tmp / "shared.zip") as z:
            assert {n for n in z.namelist() if n.endswith(".py")} == set(FILES)

        button(viewer, "Copy into my projects").click()
        viewer.get_by_text("3 · Files").wait_for()
        settled(viewer)
        copy_id, viewer_id = query(viewer.url, "run"), query(viewer.url, "u")
        assert copy_id not in (None, run_id) and "share=" not in viewer.url
        assert viewer.get_by_test_id("stSidebar").get_by_text("Owner's private").count() == 1
        # The owner's history still lists only the owner's run.
        open_page(owner, f"{app.url}/?u={owner_id}")
        assert owner.get_by_test_id("stSidebar").get_by_text("Owner's private").count() == 1

    after = store.load_run(run_id, owner_id)
    assert (after.spec, after.plan, [(f.path, f.content, f.status) for f in after.files]) == (
        before.spec,
        before.plan,
        [(f.path, f.content, f.status) for f in before.files],
    )
    assert [r.id for r in store.list_runs(viewer_id)] == [copy_id]
    assert [r.id for r in store.list_runs(owner_id)] == [run_id]
    with capsys.disabled():
        print(
            "\n[safety share e2e] viewer saw the run=yes, owner's history listed=0, "
            "edit controls=0, owner's run changed=no, copy in viewer's history=1"
        )
