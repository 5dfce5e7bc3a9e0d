"""The Examples step on the page: proposed after the file list, shown as a table in plain
words, edited before any code is written, and the edited lines are what the run judges by."""

from __future__ import annotations

import pytest

from smol_core.running.sandbox import isolation
from tests.test_app import list_files, new_app, ok, plan, studio

SPEC = "`python stats.py 3 1 2` prints `min=1 max=3 mean=2.00`."
# Prints the mean without decimals: the spec's line fails it, the person's edited line passes.
PLAIN_MEAN = (
    "import sys\nn = [int(x) for x in sys.argv[1:]]\n"
    "print(f'min={min(n)} max={max(n)} mean={sum(n) // len(n)}')\n"
)


def step_editor(at):
    [editor] = [e for e in at.data_editor if (e.key or "").startswith("ed_step_")]
    return editor


def test_the_step_is_shown_after_the_file_list_and_proposes_the_specs_examples(
    make_server, point_at
):
    server = make_server(files={"stats.py": PLAIN_MEAN}, plan_text="`stats.py`")
    point_at(server)
    at = list_files(plan(ok(new_app().run()), SPEC))
    assert [h.value for h in at.subheader][-2:] == ["3 · Files", "4 · Examples"]
    assert not studio(at).project.examples_made
    at.button(key="btn_examples").click().run()
    ok(at)
    table = step_editor(at).value
    assert list(table["does"]) == ["python stats.py 3 1 2"]
    assert list(table["expect"]) == ['prints exactly "min=1 max=3 mean=2.00"']
    assert list(table["sentence"]) == [SPEC] and list(table["by"]) == ["spec"]
    assert at.download_button(key="dl_examples_md").label == "Download as Markdown"
    assert not studio(at).project.contents  # no code yet
    assert "code" not in {r.kind for r in server.requests}


@pytest.mark.skipif(isolation() != "namespaces", reason=f"no isolation: {isolation()}")
def test_an_edited_line_is_the_persons_and_is_what_the_code_is_judged_by(make_server, point_at):
    server = make_server(files={"stats.py": PLAIN_MEAN}, plan_text="`stats.py`")
    point_at(server)
    at = list_files(plan(ok(new_app().run()), SPEC))
    at.button(key="btn_examples").click().run()
    at.session_state[step_editor(ok(at)).key] = {
        "edited_rows": {0: {"expect": 'prints exactly "min=1 max=3 mean=2"'}},
        "added_rows": [{"does": "python stats.py 5", "expect": 'prints "max=5"'}],
        "deleted_rows": [],
    }
    ok(at.run())
    project = studio(at).project
    assert [
        (e.commands[0].args, e.commands[0].output, e.commands[0].contains, e.source)
        for e in project.examples
    ] == [
        (("python", "stats.py", "3", "1", "2"), "min=1 max=3 mean=2", (), "you"),
        (("python", "stats.py", "5"), None, ("max=5",), "you"),
    ]
    assert any(c.value.startswith("2 line(s) yours") for c in at.caption)
    again = studio(ok(at.run())).project.examples
    assert again == project.examples  # a plain rerun applies the edit once (no row doubled)
    at.button(key="btn_generate").click().run()
    project = studio(ok(at)).project
    assert project.contents["stats.py"] == PLAIN_MEAN and not project.healed
    ran = [
        project.examples[i].commands[0].output
        for i, r in project.results.items()
        if r.status == "pass" and project.examples[i].source == "you"
    ]
    assert ran == ["min=1 max=3 mean=2", None]
    assert [r.kind for r in server.requests].count("examples") == 1  # proposed once, not again
