"""The page (streamlit_app.py) driven by AppTest against the real scripted server.

No browser here: widgets are set through AppTest, the data editor and the ace editor through
their session-state keys (see the field notes, 2.1). The model is always the scripted server
on 127.0.0.1, reached through the real openai client.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from smol_core.studio.history import RunStore
from smol_core.studio.sample_specs import list_examples
from tests.conftest import FAKE_KEY, FILES
from tests.kit import new_app, ok
from tests.scripted_server import Fault, message_text

APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"
SPEC = "A tiny greeting program in Python: main.py prints a greeting built by util.py."
ACCESS_CODE = "open-sesame-42"


# ------------------------------------------------------------------------------------ fixtures
@pytest.fixture
def app(server, point_at) -> AppTest:
    point_at(server)
    return new_app()


# ------------------------------------------------------------------------------------- helpers
def plan(at: AppTest, spec: str = SPEC) -> AppTest:
    at.text_area(key="in_spec").input(spec).run()
    at.button(key="btn_plan").click().run()
    return ok(at)


def list_files(at: AppTest) -> AppTest:
    at.button(key="btn_files").click().run()
    return ok(at)


def generate(at: AppTest) -> AppTest:
    at.button(key="btn_generate").click().run()
    return ok(at)


def studio(at: AppTest):
    return at.session_state.studio


def files_editor_key(at: AppTest) -> str:
    return f"ed_files_{at.session_state.files_rev}"


def ace_key(at: AppTest) -> str:
    """The key of the one ace editor on the page (the shown file's)."""
    keys = [e.key for e in at.get("component_instance") if (e.key or "").startswith("ace::")]
    assert len(keys) == 1, keys
    return keys[0]


def page_env_db(at: AppTest) -> Path:
    return Path(os.environ["SMOL_HISTORY_DB"])


def stored(db: Path, at: AppTest):
    return RunStore(db).load_run(studio(at).run_id, None)


def page_text(at: AppTest) -> str:
    """Everything the page sent to the browser: every element's full message."""
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# --------------------------------------------------------------------------------------- tests
def test_first_load_without_secrets_or_key_defaults_to_the_local_model(page_env):
    at = ok(new_app().run())
    assert at.radio(key="in_provider").value == "local"
    assert "API key" not in [t.label for t in at.sidebar.text_input]
    # Never disabled, even with an empty spec: a click while the spec box has the focus counts.
    assert not at.button(key="btn_plan").disabled
    assert at.query_params["u"]  # a per-browser id, so a refresh keeps the history


def test_a_base_url_in_the_environment_selects_compatible(app):
    ok(app.run())
    assert app.radio(key="in_provider").value == "compatible"
    # Empty means the configured endpoint, which is shown as scheme and host only (issue 16).
    assert app.text_input(key="in_base_url").value == ""
    host = os.environ["OPENAI_BASE_URL"].removesuffix("/v1")
    assert any(host in c.value for c in app.sidebar.caption)
    assert app.text_input(key="in_model_compatible").value == "scripted-model"


def test_plan_then_file_table(app, server, page_env):
    plan(app.run())
    assert any("imports `greet`" in m.value for m in app.markdown)  # the plan is shown
    run_id = app.query_params["run"]
    assert run_id == studio(app).run_id
    # The sidebar is drawn before the step runs: it must still show the step's outcome.
    assert app.button(key=f"open_{run_id}").label.endswith("0/0 files")
    assert any(c.value.startswith("1 request ·") for c in app.sidebar.caption)
    list_files(app)
    table = app.data_editor[0].value
    assert list(table["path"]) == list(FILES)
    assert app.button(key=f"open_{run_id}").label.endswith("0/2 files")
    assert any(c.value.startswith("2 requests ·") for c in app.sidebar.caption)
    assert stored(page_env, app).plan.startswith("# Plan")
    assert [f.path for f in stored(page_env, app).files] == list(FILES)
    assert [r.kind for r in server.requests] == ["plan", "file_list"]


def test_paths_the_model_proposes_unsafely_are_left_out_with_a_reason(make_server, point_at):
    point_at(make_server(files={**FILES, "../evil.py": "print('escaped')\n"}))
    at = list_files(plan(new_app().run()))
    assert studio(at).project.paths == list(FILES)
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("Left out `../evil.py`:")
    ok(at.run())  # still said after a rerun, until the next file list
    assert [w.value for w in at.warning] == [warning]


def test_file_table_edits_change_the_project_and_the_history(app, page_env):
    list_files(plan(app.run()))
    app.session_state[files_editor_key(app)] = {
        "edited_rows": {0: {"path": "app.py"}},  # rename main.py
        "added_rows": [{"path": "docs/README.md", "purpose": "how to run it"}],
        "deleted_rows": [1],  # util.py
    }
    ok(app.run())
    expected = ["app.py", "docs/README.md"]
    assert studio(app).project.paths == expected
    run = stored(page_env, app)
    assert [f.path for f in run.files] == expected
    assert run.files[1].purpose == "how to run it"
    assert all(f.status == "pending" for f in run.files)
    ok(app.run())  # a plain rerun must not re-apply the edits (no duplicated rows)
    assert studio(app).project.paths == expected
    assert app.button(key="btn_generate").label == "Generate all (2)"


def test_an_unsafe_path_in_the_table_is_refused_with_the_core_reason(app, page_env):
    list_files(plan(app.run()))
    app.session_state[files_editor_key(app)] = {
        "edited_rows": {},
        "added_rows": [{"path": "../x.py", "purpose": "escape"}],
        "deleted_rows": [],
    }
    ok(app.run())
    [error] = errors(app)
    assert "`../x.py` can't be used" in error and "project folder" in error
    assert app.button(key="btn_generate").disabled
    assert studio(app).project.paths == list(FILES)  # nothing saved from a refused table
    assert [f.path for f in stored(page_env, app).files] == list(FILES)


def test_generate_writes_every_file(app, server, page_env):
    generate(list_files(plan(app.run())))
    assert studio(app).project.contents == FILES
    assert app.subheader[-1].value == "6 · Download"
    assert app.progress[-1].value == 100
    assert sorted(r.path for r in server.requests if r.kind == "code") == sorted(FILES)
    assert {f.path: f.status for f in stored(page_env, app).files} == dict.fromkeys(FILES, "done")
    assert app.download_button(key="dl_zip").label == "Download .zip"


def test_a_failing_file_shows_its_error_and_the_others_are_complete(app, server, page_env):
    server.add_fault(Fault.status(500), kind="code", path="util.py", times=None)
    generate(list_files(plan(app.run())))
    project = studio(app).project
    assert project.contents == {"main.py": FILES["main.py"]}
    assert "util.py" in project.failed
    [error] = errors(app)
    assert error.startswith("`util.py` failed:") and "500" in error
    assert app.button(key="btn_missing").label == "Generate missing (1)"
    assert not app.button(key="btn_missing").disabled
    assert {f.path: f.status for f in stored(page_env, app).files} == {
        "main.py": "done",
        "util.py": "failed",
    }
    tries = [r for r in server.requests if r.path == "util.py"]
    assert len(tries) > 1 and all(r.outcome == "status 500" for r in tries)  # it was retried


def test_an_edit_in_the_code_editor_is_saved(app, page_env):
    generate(list_files(plan(app.run())))
    assert app.radio(key="tree_file").value == "main.py"
    key = ace_key(app)
    assert re.fullmatch(r"ace::main\.py::\d+", key)
    edited = FILES["main.py"] + "# edited by hand\n"
    app.session_state[key] = edited
    ok(app.run())
    assert studio(app).project.contents["main.py"] == edited
    saved = {f.path: f for f in stored(page_env, app).files}
    assert saved["main.py"].status == "edited" and saved["main.py"].content == edited
    assert saved["util.py"].status == "done"
    assert any("Saved your edit of main.py" in t.value for t in app.toast)


def test_regenerate_one_file_with_an_instruction(app, server):
    generate(list_files(plan(app.run())))
    app.radio(key="tree_file").set_value("util.py").run()
    app.text_input(key="in_instruction").input("add a docstring to greet").run()
    app.button(key="btn_regen").click().run()
    ok(app)
    last = server.requests[-1]
    assert (last.kind, last.path) == ("code", "util.py")
    sent = "\n".join(message_text(m.get("content")) for m in last.body["messages"])
    assert "add a docstring to greet" in sent
    assert FILES["util.py"].strip() in sent  # the current text goes with the instruction
    # The scripted model gives the same text back: a second try at another temperature, then
    # one sentence says nothing changed (issue 32, item 2).
    again = [r for r in server.requests if r.kind == "code"][2:]
    assert [r.path for r in again] == ["util.py", "util.py"]
    assert again[0].body["temperature"] != again[1].body["temperature"]
    said = "Nothing changed: writing util.py again with your instruction"
    assert any(w.value.startswith(said) for w in app.warning)


def test_an_edit_stays_with_its_own_run(app, page_env):
    generate(list_files(plan(app.run(), "Project X: a greeting")))
    run_x = studio(app).run_id
    app.button(key="btn_new").click().run()
    generate(list_files(plan(app, "Project Y: another greeting")))
    run_y = studio(app).run_id
    app.button(key=f"open_{run_x}").click().run()
    app.session_state[ace_key(app)] = "print('edited in X')\n"
    ok(app.run())
    app.button(key=f"open_{run_y}").click().run()
    ok(app.run())
    store = RunStore(page_env)
    assert {f.path: f.status for f in store.load_run(run_y, None).files} == dict.fromkeys(
        FILES, "done"
    )
    assert store.load_run(run_x, None).files[0].content == "print('edited in X')\n"
    assert studio(app).project.contents["main.py"] == FILES["main.py"]


def test_example_picker_fills_the_spec(app):
    ok(app.run())
    examples = list_examples()
    name = next(iter(examples))
    app.selectbox(key="in_example").set_value(name).run()
    ok(app)
    assert app.text_area(key="in_spec").value == examples[name]
    assert not app.button(key="btn_plan").disabled


def test_plan_with_an_empty_spec_says_what_to_do_and_starts_nothing(app, server):
    # Issue 13, problem 4: the button was disabled until the spec box lost the focus, so the
    # first click on it was swallowed. Now it is always enabled, and an empty spec is said.
    ok(app.run())
    assert not app.button(key="btn_plan").disabled
    app.text_area(key="in_spec").input("   \n ").run()
    ok(app.button(key="btn_plan").click().run())
    assert [w.value for w in app.warning] == [
        "Write what the program should do first, then press Plan."
    ]
    assert studio(app).run_id is None and server.requests == []
    app.text_area(key="in_spec").input("a todo app").run()
    assert not app.button(key="btn_plan").disabled


def test_a_refused_key_shows_one_clear_error(make_server, point_at):
    srv = make_server(require_api_key="sk-the-right-one-1234567890")
    point_at(srv, key=FAKE_KEY)
    at = plan(new_app().run())
    [error] = errors(at)
    assert "refused the API key (401)" in error
    assert FAKE_KEY not in page_text(at)
    assert [r.outcome for r in srv.requests] == ["status 401"]  # not retried


def test_reopening_a_run_by_its_link_restores_it(app, page_env):
    generate(list_files(plan(app.run())))
    owner, run_id = app.query_params["u"], app.query_params["run"]

    # A refresh (or a restarted server): a new session that only has the URL.
    st.cache_resource.clear()
    again = ok(new_app(u=owner, run=run_id).run())
    project = studio(again).project
    assert studio(again).run_id == run_id
    assert project.plan.startswith("# Plan") and project.contents == FILES
    assert again.text_area(key="in_spec").value == SPEC
    assert any("imports `greet`" in m.value for m in again.markdown)
    assert list(again.data_editor[0].value["path"]) == list(FILES)
    assert again.subheader[-1].value == "6 · Download"


def test_another_owner_cannot_open_the_run(app):
    plan(app.run())
    run_id = app.query_params["run"]
    other = ok(new_app(u="somebody-else", run=run_id).run())
    assert studio(other).project is None
    assert any("not in your history" in w.value for w in other.warning)
    assert "run" not in other.query_params
    assert not any(b.key == f"open_{run_id}" for b in other.button)
    assert not any("imports `greet`" in m.value for m in other.markdown)


def test_the_owner_key_in_secrets_needs_the_access_code(server, point_at, monkeypatch):
    point_at(server)  # endpoint only: the key lives in secrets, as on a deployment
    monkeypatch.setenv("SMOL_ACCESS_CODE", ACCESS_CODE)
    at = new_app()
    at.secrets["OPENAI_API_KEY"] = FAKE_KEY
    ok(at.run())
    at.radio(key="in_provider").set_value("openai").run()
    ok(at)
    assert at.text_input(key="in_code").label == "Access code"
    assert any("access code" in i.value for i in at.sidebar.info)

    plan(at)  # no code yet: the owner's key must not be used
    assert server.requests == []
    assert errors(at) and "No API key" in errors(at)[0]

    at.text_input(key="in_code").input("wrong").run()
    assert any("not right" in i.value for i in at.sidebar.info)
    at.button(key="btn_plan").click().run()
    assert server.requests == []
    assert RunStore(page_env_db(at)).list_runs(None) == []  # a refused click leaves no run

    at.text_input(key="in_code").input(ACCESS_CODE).run()
    at.button(key="btn_plan").click().run()
    ok(at)
    assert [r.kind for r in server.requests] == ["plan"]
    assert server.requests[0].headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert studio(at).project.plan.startswith("# Plan")
    generate(list_files(at))
    assert studio(at).project.contents == FILES
    assert FAKE_KEY not in page_text(at)
