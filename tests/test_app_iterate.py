"""The page's iterate parts in AppTest, against the scripted server: import a zip, ask for a
change, see its diff, list versions, diff one against the one before or now, restore."""

from __future__ import annotations

import io
import zipfile

import pytest

from smol_core.records import FileSpec
from smol_core.studio.history import RunStore
from smol_core.studio.session import Studio
from smol_core.studio.versions import Versions
from tests.change_kit import FIVE, change_classify, plan_reply
from tests.kit import new_app, ok, page_text
from tests.zips import Entry, build


@pytest.fixture
def srv(make_server, point_at, monkeypatch):
    server = make_server(files={}, classify=change_classify)
    point_at(server, key="sk-test-page-key-123456")
    monkeypatch.setenv("SMOL_RUN_EXAMPLES", "0")
    return server


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def opened_five(page_env):
    """The page, showing a run of five files (one version) made in its history."""
    at = ok(new_app().run())
    store = RunStore(page_env)
    studio = Studio(store, at.session_state.owner)
    studio.start("an item tracker", _settings())
    studio.set_files([FileSpec(p, "") for p in FIVE])
    for path, text in FIVE.items():
        store.save_file(studio.run_id, path, text)
    studio.project.contents = dict(FIVE)
    Versions(store).record(studio.run_id, studio.project, "generated")
    at.query_params["run"] = studio.run_id
    return ok(at.run()), studio.run_id


def _settings():
    from smol_core.settings import Settings

    return Settings(provider="compatible", model="scripted-model", base_url="http://x/v1")


def test_a_zip_is_imported_as_a_new_run_and_its_first_version(srv, page_env):
    at = ok(new_app().run())
    data = zipped(
        {
            "proj/app.py": b"print('hi')\n",
            "proj/logo.png": b"\x89PNG\0\0",
            "proj/node_modules/x.js": b"1\n",
        }
    )
    at.file_uploader(key="in_import").set_value(("proj.zip", data, "application/zip")).run()
    ok(at.button(key="btn_import").click().run())
    studio = at.session_state.studio
    assert studio.project.contents == {"app.py": "print('hi')\n"}
    assert studio.project.binary == {"logo.png": b"\x89PNG\0\0"}
    text = page_text(at)
    assert "Imported 1 text and 1 other file(s)" in text and "node_modules/" in text
    assert "v1 · imported" in text
    # The workspace is there even without a spec or a plan: the change box too.
    assert at.text_area(key="in_change") is not None


def test_a_hostile_zip_is_refused_with_its_reason_and_no_run_is_made(srv, page_env):
    at = ok(new_app().run())
    data = build([Entry("ok.py", b"x = 1\n"), Entry("../../evil.py", b"import os\n")])
    at.file_uploader(key="in_import").set_value(("evil.zip", data, "application/zip")).run()
    ok(at.button(key="btn_import").click().run())
    assert any("outside the project folder" in e.value for e in at.error)
    assert at.session_state.studio.run_id is None
    assert RunStore(page_env).list_runs(None) == []


def test_ask_for_a_change_see_the_diff_then_restore_the_version_before(srv, page_env):
    at, run_id = opened_five(page_env)
    srv.add_fault(plan_reply(("report.py", "change", "show the total")), kind="change")
    srv.files["report.py"] = "def summary(items: list) -> str:\n    return f'{sum(items)} total'\n"
    at.text_area(key="in_change").input("show the total").run()
    ok(at.button(key="btn_change").click().run())
    studio = at.session_state.studio
    assert studio.project.contents["report.py"] == srv.files["report.py"]
    assert studio.project.contents["app.py"] == FIVE["app.py"]
    assert any("Changed: report.py" in s.value for s in at.success)
    diff = [c.value for c in at.code if "+    return f'{sum(items)} total'" in c.value]
    assert diff, "the change's diff is shown"
    # Versions: the change is v2; v1 against now shows it too; restore v1.
    assert "v2 · changed by request" in page_text(at)
    assert "2 versions; the latest is v2, shown first." in page_text(at)
    at.selectbox(key="sel_version_2").set_value(1).run()
    # Against the version before: v1 has none; the whole project as added is not diffed.
    assert "v1 is the first version (5 files)" in page_text(ok(at))
    assert not [c for c in at.code if "+++ v1/" in c.value]
    at.radio(key="in_against").set_value("now").run()
    assert any("-    return f'{len(items)} items'" in c.value for c in ok(at).code)
    ok(at.button(key="btn_restore").click().run())
    studio = at.session_state.studio
    assert studio.project.contents == FIVE
    assert any("Restored v1 (now v3)" in s.value for s in at.success)
    stored = {f.path: f.content for f in RunStore(page_env).load_run(run_id, None).files}
    assert stored == FIVE
    assert [v.cause for v in Versions(RunStore(page_env)).list(run_id)] == [
        "restored",
        "changed",
        "generated",
    ]


def test_a_change_that_fails_half_way_says_so_and_keeps_the_project(srv, page_env):
    from tests.scripted_server import Fault

    at, run_id = opened_five(page_env)
    srv.add_fault(
        plan_reply(
            ("app.py", "change", "a"), ("store.py", "change", "b"), ("report.py", "change", "c")
        ),
        kind="change",
    )
    srv.files.update({"app.py": "# a\n", "store.py": "# b\n"})
    srv.add_fault(Fault.status(400), kind="code", path="report.py", times=None)
    at.text_area(key="in_change").input("rewrite it").run()
    ok(at.button(key="btn_change").click().run())
    assert at.session_state.studio.project.contents == FIVE
    assert any("The change was not made" in e.value and "as it was" in e.value for e in at.error)
    assert [v.cause for v in Versions(RunStore(page_env)).list(run_id)] == ["generated"]


def test_the_plan_of_an_imported_project_is_written_from_its_code(srv, page_env):
    at = ok(new_app().run())
    data = zipped({"app.py": b"def shout(s):\n    return s.upper()\n"})
    at.file_uploader(key="in_import").set_value(("p.zip", data, "application/zip")).run()
    ok(at.button(key="btn_import").click().run())
    ok(at.button(key="btn_plan_code").click().run())
    studio = at.session_state.studio
    assert studio.project.plan == srv.plan_text.strip()
    asked = [r for r in srv.requests if r.kind == "plan"][-1]
    assert "def shout(s):" in str(asked.body["messages"])  # written from the code
    assert RunStore(page_env).load_run(studio.run_id, None).plan == studio.project.plan
    assert not any(b.key == "btn_plan_code" for b in at.button)  # there is a plan now


def test_every_kind_of_change_on_the_page_is_a_version_with_its_cause(srv, page_env):
    at, run_id = opened_five(page_env)
    keys = [e.key for e in at.get("component_instance") if (e.key or "").startswith("ace::")]
    assert keys[0].startswith("ace::app.py::")  # the first file is shown
    at.session_state[keys[0]] = FIVE["app.py"] + "# mine\n"
    ok(at.run())
    assert [v.cause for v in Versions(RunStore(page_env)).list(run_id)] == ["edited", "generated"]
    srv.files["app.py"] = "print('again')\n"
    at.text_input(key="in_instruction").input("print again").run()
    ok(at.button(key="btn_regen").click().run())
    causes = [v.cause for v in Versions(RunStore(page_env)).list(run_id)]
    assert causes[:3] == ["regenerated", "edited", "generated"]
    latest = Versions(RunStore(page_env)).latest(run_id)
    assert latest.contents["app.py"] == "print('again')\n"
    srv.files["app.py"] = "print('fixed')\n"
    at.text_area(key="in_error").input('File "app.py", line 1\nNameError: x').run()
    ok(at.button(key="btn_fix_error").click().run())
    latest = Versions(RunStore(page_env)).latest(run_id)
    assert latest.cause == "fixed" and latest.contents["app.py"] == "print('fixed')\n"


def test_a_change_whose_repair_fails_is_kept_with_its_reason_and_can_be_undone(srv, page_env):
    at = ok(new_app().run())  # imported: no spec, the request is the spec of its repairs
    code = {
        "app.py": b"from util import clean\n\nprint(clean(' hi '))\n",
        "util.py": b"def clean(text):\n    return text.strip()\n",
    }
    at.file_uploader(key="in_import").set_value(("p.zip", zipped(code), "application/zip")).run()
    ok(at.button(key="btn_import").click().run())
    srv.add_fault(plan_reply(("app.py", "change", "use tidy")), kind="change")
    srv.files["app.py"] = "from util import tidy\n\nprint(tidy(' hi '))\n"  # and "repaired" so
    at.text_area(key="in_change").input("use tidy from util").run()
    ok(at.button(key="btn_change").click().run())
    studio = at.session_state.studio
    assert studio.project.contents["app.py"] == srv.files["app.py"]  # kept, not lost
    assert any("Not clean" in w.value and "app.py" in w.value for w in at.warning)
    ok(at.button(key="btn_change_undo").click().run())
    assert at.session_state.studio.project.contents["app.py"] == code["app.py"].decode()
