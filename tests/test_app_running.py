"""The page runs what it wrote: a failing example is shown as failing (never "clean"), its
results are kept in the history, and a hosted studio does not run generated code by default."""

from __future__ import annotations

import pytest

from smol_core.running.sandbox import isolation
from smol_core.studio.session import page_config
from tests.test_app import generate, list_files, new_app, ok, page_env_db, plan, stored, studio

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)
SPEC = "`python stats.py 3 1 2` prints `min=1 max=3 mean=2.00`."
WRONG = "import sys\nn = [int(x) for x in sys.argv[1:]]\nprint(n)\n"
EXAMPLES = [
    {
        "kind": "command",
        "name": "three numbers",
        "commands": [
            {"args": ["python", "stats.py", "3", "1", "2"], "output": "min=1 max=3 mean=2.00"}
        ],
    }
]


@isolated
def test_a_failing_example_is_shown_failing_and_kept_in_the_history(make_server, point_at):
    server = make_server(files={"stats.py": WRONG}, examples=EXAMPLES, plan_text="`stats.py`")
    point_at(server)
    at = generate(list_files(plan(ok(new_app().run()), SPEC)))
    project = studio(at).project
    assert project.examples_state() == "failing"
    assert project.check_status("stats.py") == "failing"  # no tick for a file that runs wrong
    assert any("1 of 1 example(s) fail" in e.value for e in at.error)
    lines = [t.value for t in at.text]
    assert any(
        line.startswith("✗ `python stats.py 3 1 2` prints")
        and 'expected "min=1 max=3 mean=2.00", got "[3, 1, 2]"' in line
        for line in lines
    ), lines
    record = stored(page_env_db(at), at)
    assert record.examples["results"][0]["status"] == "fail"
    reopened = new_app()  # a new session (a refresh) opens the run from the history
    reopened.query_params["run"] = studio(at).run_id
    reopened.query_params["u"] = at.query_params["u"]
    ok(reopened.run())
    again = studio(reopened).project
    assert again is not None and again.examples_state() == "failing"


def test_a_hosted_studio_runs_no_generated_code_unless_its_owner_says_so():
    hosted = page_config({"OPENAI_API_KEY": "sk-owner"}, {})
    assert hosted.hosted and not hosted.settings(provider="openai")[0].run_examples
    allowed = page_config({"OPENAI_API_KEY": "sk-owner", "SMOL_RUN_EXAMPLES": "on"}, {})
    assert allowed.settings(provider="openai")[0].run_examples
    local = page_config({}, {})
    assert local.settings(provider="local")[0].run_examples


def test_without_isolation_the_page_asks_before_running(make_server, point_at, monkeypatch):
    import smol_core.running.sandbox as sandbox
    import smol_core.steps.heal as heal
    from smol_core.running.sandbox import WITHOUT_ISOLATION

    monkeypatch.setattr(sandbox, "isolation", lambda: "none: no user namespaces (test)")
    monkeypatch.setattr(heal, "isolation", sandbox.isolation)
    server = make_server(files={"stats.py": WRONG}, examples=EXAMPLES, plan_text="`stats.py`")
    point_at(server)
    at = ok(new_app().run())
    assert any("can't be isolated" in w.value for w in at.sidebar.warning)
    # What is and isn't protected, in one sentence, before anything runs.
    assert any(WITHOUT_ISOLATION in w.value for w in at.sidebar.warning)
    at = generate(list_files(plan(at, SPEC)))
    project = studio(at).project
    assert project.examples_state() == "not_run" and "isolate" in project.run_note
    assert any(c.value.startswith("Not run:") for c in at.caption)
    assert at.sidebar.checkbox(key="in_allow_unisolated").value is False
