"""The page's verdict never claims more than was checked (issue 29, item 3), on the real page
under AppTest against the scripted server: a project whose only example checks nothing shows
no ✓ anywhere and offers "Add an example", which adds an editable row that, filled and saved,
is run and checked."""

from __future__ import annotations

import re

import pytest

from smol_core.report import NOT_CHECKED
from smol_core.running.sandbox import isolation
from tests.kit import new_app, ok
from tests.test_app import generate, list_files, plan, studio

isolated = pytest.mark.skipif(isolation() != "namespaces", reason=isolation())


def examples_table(at):
    [table] = [d for d in at.dataframe if "example" in d.value.columns]
    return table.value


@isolated
def test_an_unchecked_example_never_shows_a_tick_and_add_an_example_checks_one(
    make_server, point_at
):
    point_at(make_server())  # main.py + util.py, no examples: a smoke check only
    at = generate(list_files(plan(new_app().run(), "a greeter program")))
    project = studio(at).project
    assert project.examples_state() == "unchecked"
    assert [w.value for w in at.warning if w.value.startswith("No behaviour checked")]
    assert not [e for e in at.error if "pass" in e.value]
    shown = [t.value for t in at.text] + [c.value for c in at.caption]
    assert not any("all" in s and "pass" in s for s in shown), shown
    assert any(NOT_CHECKED in t.value for t in at.text)
    # No tick in the tree (the one file picker) or the examples table; no "clean" in the status.
    assert not [o for o in at.radio(key="tree_file").options if "✓" in o]
    assert "✓" not in list(examples_table(at)[""])
    assert not [c.value for c in at.caption if re.search(r"\d+ clean\b", c.value)]  # "2 clean"

    at.button(key="btn_add_example").click().run()
    ok(at)
    key = f"ed_examples_{at.session_state.examples_rev}"
    [editor] = [d for d in at.dataframe if d.key == key] or [None]
    rows = at.session_state.example_draft
    assert rows == {"name": "my example", "command": "python main.py", "expected output": ""}
    assert editor is not None and list(editor.value["command"]) == ["python main.py"]
    assert any("Your new example is the last row" in c.value for c in at.caption)
    at.session_state[key] = {
        "edited_rows": {0: {"expected output": "hello world"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="btn_save_examples").click().run()
    ok(at)
    mine = [e for e in studio(at).project.examples if e.name == "my example"]
    assert mine and mine[0].source == "you" and mine[0].checks_behaviour
    at.button(key="btn_run_examples").click().run()
    ok(at)
    table = examples_table(at)
    assert table[table["example"] == "my example"].iloc[0][""] == "✓"
    assert studio(at).project.examples_state() == "passing"
    assert "✓ main.py" in at.radio(key="tree_file").options
    assert not [b for b in at.button if b.key == "btn_add_example"]  # checked now: not offered
