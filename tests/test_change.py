"""Change requests on the whole project, against the scripted server through the real client:
exactly the files asked for change, edit blocks are applied strictly, a failure half-way leaves
the project as it was."""

from __future__ import annotations

import asyncio
import hashlib
import re

import pytest

from smol_core.changes import change_project
from smol_core.events import ChangeDone, ChangePlanned, FileDone, FileEdited, FilesDeleted
from smol_core.records import FileSpec
from smol_core.steps.change import ChangeError, parse_change_plan
from smol_core.steps.change_context import shown_contents
from smol_core.steps.edits import EditBlock, apply_edit, apply_edits, parse_edit_blocks
from tests.change_kit import FIVE, blocks, change_classify, five, plan_reply
from tests.conftest import fast_settings
from tests.scripted_server import Fault, message_text


@pytest.fixture
def srv(make_server):
    return make_server(files={}, classify=change_classify)


def change(srv, project, request="do it", **overrides):
    overrides.setdefault("run_examples", False)
    settings = fast_settings(srv.base_url, **overrides)
    events = []

    def emit(event):
        project.apply(event)
        events.append(event)

    result = asyncio.run(change_project(project, request, settings, emit))
    return result, events


# -------------------------------------------------------------------------- edit blocks alone
def test_edit_blocks_are_read_from_a_chatty_reply():
    reply = "Sure!\n```python\n" + blocks(("a = 1\n", "a = 2\n"), ("b\n", "")) + "```\nDone."
    got, problems = parse_edit_blocks(reply)
    assert got == [EditBlock("a = 1\n", "a = 2\n"), EditBlock("b\n", "")]
    assert problems == []
    _, problems = parse_edit_blocks("<<<<<<< SEARCH\na = 1\n=======\na = 2\n")
    assert "not closed" in problems[0].reason
    # A Markdown underline inside a block makes it ambiguous: refused, never guessed.
    got, problems = parse_edit_blocks(blocks(("Title\n=====\nOld\n", "Title\n=====\nNew\n")))
    assert got == [] and "two =======" in problems[0].reason


def test_an_edit_that_does_not_match_exactly_is_not_applied():
    text = "def f():\n    return 1\n"
    # One space less, a near miss any fuzzy matcher would take: refused.
    new, why = apply_edit(text, EditBlock("def f():\n   return 1\n", "def f():\n    return 2\n"))
    assert new == text and "not in the file exactly" in why
    # In the middle of a line: not at a line start, refused.
    new, why = apply_edit(text, EditBlock("return 1\n", "return 2\n"))
    assert new == text and why
    # Twice in the file: ambiguous, refused.
    twice = "x = 1\nx = 1\n"
    new, why = apply_edit(twice, EditBlock("x = 1\n", "x = 2\n"))
    assert new == twice and "2 times" in why
    # Exact: applied, the file's missing final newline kept.
    assert apply_edit("a\nb", EditBlock("b\n", "c\n")) == ("a\nc", None)
    outcome = apply_edits(
        text, [EditBlock("    return 1\n", "    return 3\n"), EditBlock("nothing\n", "x\n")]
    )
    assert outcome.text == "def f():\n    return 3\n" and len(outcome.failures) == 1


def test_the_change_plan_is_read_from_json_or_plain_lines():
    assert parse_change_plan('{"files": [{"path": "a.py", "action": "edit", "what": "x"}]}') == [
        ("a.py", "change", "x")
    ]
    assert parse_change_plan("- add `b.py`: new helper\n- delete c.py") == [
        ("b.py", "add", "new helper"),
        ("c.py", "delete", ""),
    ]
    assert parse_change_plan('{"files": []}') == []
    assert parse_change_plan("I'm not sure what you mean.") is None


def test_the_context_shows_what_the_request_is_about_first_within_the_budget():
    project = five()
    project.files.append(FileSpec("sales.csv", "data"))
    project.contents["sales.csv"] = "day,amount\n" + "".join(f"{i},{i * 3}\n" for i in range(2000))
    shown = shown_contents(project, "read sales.csv and write a report of it", budget=2400)
    assert "## `sales.csv` (its start;" in shown and "0,0\n" in shown and "1999,5997" not in shown
    assert shown.index("sales.csv") < shown.index("report.py") < shown.index("app.py")
    assert "lines: not shown here" in shown  # the budget ran out for the least relevant
    other = shown_contents(project, "rename clean to tidy", budget=100_000)
    assert "(data, " in other  # a data file the request is not about: by name only


# ------------------------------------------------------------------- change requests, served
def test_a_change_of_two_of_five_files_changes_exactly_those(srv):
    project = five()
    srv.add_fault(
        plan_reply(
            ("report.py", "change", "show the total"), ("README.md", "change", "mention the total")
        ),
        kind="change",
    )
    srv.files["report.py"] = (
        "def summary(items: list) -> str:\n    return f'{len(items)} items, total {sum(items)}'\n"
    )
    srv.files["README.md"] = "# Items\n\nRun `python app.py` to see the count and the total.\n"
    before = dict(project.contents)
    result, events = change(srv, project, "show the total too")
    assert result.applied and not result.failed
    assert project.contents["report.py"] == srv.files["report.py"]
    assert project.contents["README.md"] == srv.files["README.md"]
    for path in ("app.py", "store.py", "util.py"):
        assert project.contents[path] == before[path]  # byte-identical
    assert project.paths == list(FIVE)
    done = [e.path for e in events if isinstance(e, FileDone)]
    assert sorted(done) == ["README.md", "report.py"]
    assert [e for e in events if isinstance(e, ChangeDone)][0].changed == ("report.py", "README.md")
    # Every request of the change shares one prefix (served from a prefix cache).
    asks = [r for r in srv.requests if r.kind in ("change", "code", "edit")]
    assert len({repr(r.body["messages"][:2]) for r in asks}) == 1


def test_files_are_added_and_deleted_when_asked(srv):
    project = five()
    srv.add_fault(
        plan_reply(
            ("util.py", "delete", "unused"),
            ("export.py", "add", "write the items as CSV"),
            ("app.py", "change", "call export"),
        ),
        kind="change",
    )
    srv.files["export.py"] = (
        "import csv\n\n\ndef export(items: list, path: str) -> None:\n"
        "    with open(path, 'w', newline='') as fh:\n        csv.writer(fh).writerows([[i] for i in items])\n"
    )
    srv.files["app.py"] = (
        FIVE["app.py"]
        .replace("    save(items)\n", "    save(items)\n    export(items, 'items.csv')\n")
        .replace("from report", "from export import export\nfrom report")
    )
    result, events = change(srv, project, "export to CSV; util.py is unused")
    assert result.applied
    assert "util.py" not in project.contents and "util.py" not in project.paths
    assert project.contents["export.py"] == srv.files["export.py"]
    assert project.paths[-1] == "export.py"
    assert project.contents["store.py"] == FIVE["store.py"]
    assert any(isinstance(e, FilesDeleted) and e.paths == ("util.py",) for e in events)
    planned = next(e for e in events if isinstance(e, ChangePlanned))
    assert ("export.py", "add", "write the items as CSV") in planned.changes


def test_edit_blocks_change_only_the_lines_they_name(srv):
    project = five()
    srv.add_fault(plan_reply(("store.py", "change", "store in data.json")), kind="change")
    srv.add_fault(
        Fault.text("Here you go:\n" + blocks(("PATH = 'items.json'\n", "PATH = 'data.json'\n"))),
        kind="edit",
        path="store.py",
    )
    result, events = change(srv, project, edit_format="blocks")
    assert result.methods == {"store.py": "blocks"}
    assert project.contents["store.py"] == FIVE["store.py"].replace("items.json", "data.json")
    assert not [r for r in srv.requests if r.kind == "code"]  # no whole file was asked for


def test_an_edit_block_that_does_not_apply_is_sent_back_then_the_whole_file_is_asked(srv):
    project = five()
    srv.add_fault(plan_reply(("store.py", "change", "store in data.json")), kind="change")
    near_miss = blocks(('PATH = "items.json"\n', "PATH = 'data.json'\n"))  # wrong quotes
    srv.add_fault(Fault.text(near_miss), kind="edit", path="store.py", times=2)
    srv.files["store.py"] = FIVE["store.py"].replace("items.json", "whole.json")
    result, _ = change(srv, project, edit_format="blocks")
    edits = [r for r in srv.requests if r.kind == "edit"]
    assert len(edits) == 2  # the first try, then once more with what failed
    retry = message_text(edits[1].body["messages"][-1]["content"])
    assert "could not be made" in retry and "not in the file exactly" in retry
    # Never the near match: the whole file the model wrote instead.
    assert result.methods == {"store.py": "whole-fallback"}
    assert project.contents["store.py"] == srv.files["store.py"]
    assert "data.json" not in project.contents["store.py"]


def test_a_retried_edit_block_that_applies_is_kept(srv):
    project = five()
    srv.add_fault(plan_reply(("store.py", "change", "store in data.json")), kind="change")
    srv.add_fault(
        Fault.text(blocks(('PATH = "items.json"\n', "x\n"))), kind="edit", path="store.py"
    )
    srv.add_fault(
        Fault.text(blocks(("PATH = 'items.json'\n", "PATH = 'data.json'\n"))),
        kind="edit",
        path="store.py",
    )
    result, _ = change(srv, project, edit_format="blocks")
    assert result.methods == {"store.py": "blocks-retried"}
    assert project.contents["store.py"] == FIVE["store.py"].replace("items.json", "data.json")


def test_a_fault_on_the_third_file_leaves_the_project_as_it_was(srv):
    project = five()
    srv.add_fault(
        plan_reply(
            ("app.py", "change", "a"),
            ("store.py", "change", "b"),
            ("report.py", "change", "c"),
            ("util.py", "delete", ""),
            ("new.py", "add", "d"),
        ),
        kind="change",
    )
    for p in ("app.py", "store.py", "new.py"):
        srv.files[p] = f"# changed {p}\n"
    srv.add_fault(
        Fault.status(400, message="bad request"), kind="code", path="report.py", times=None
    )
    before_contents, before_paths = dict(project.contents), list(project.paths)
    result, events = change(srv, project, concurrency=1)
    assert not result.applied
    assert "report.py" in result.reason and "nothing was changed" in result.reason
    assert project.contents == before_contents and project.paths == before_paths
    assert not [e for e in events if isinstance(e, (FileDone, FilesDeleted))]
    done = [e for e in events if isinstance(e, ChangeDone)]
    assert len(done) == 1 and not done[0].applied
    assert [e.path for e in events if isinstance(e, FileEdited)] == ["app.py", "store.py"]


def test_unsafe_and_impossible_changes_are_refused_with_reasons(srv):
    project = five()
    project.binary["logo.png"] = b"\x89PNG"
    srv.add_fault(
        plan_reply(
            ("../evil.py", "add", "x"),
            ("gone.py", "delete", ""),
            ("logo.png", "change", "recolour"),
            ("APP.py", "change", "y"),
            (".smol/versions/0001/change.json", "add", "z"),
        ),
        kind="change",
    )
    srv.files["app.py"] = "print('y')\n"
    result, events = change(srv, project)
    reasons = {r.path: r.reason for r in result.plan.rejected}
    assert "outside the project" in reasons["../evil.py"]
    assert "not in the project" in reasons["gone.py"]
    assert "binary" in reasons["logo.png"]
    assert "studio's own record" in reasons[".smol/versions/0001/change.json"]
    assert result.plan.paths("change") == ["app.py"]  # the file it meant, in its own spelling
    assert project.binary == {"logo.png": b"\x89PNG"}


def test_no_usable_decision_changes_nothing(srv):
    project = five()
    srv.add_fault(Fault.text('{"files": []}'), kind="change")
    with pytest.raises(ChangeError, match="nothing to change"):
        change(srv, project)
    srv.add_fault(Fault.text("hmm"), kind="change", times=None)
    with pytest.raises(ChangeError, match="did not say which files"):
        change(srv, project)
    assert project.contents == FIVE


def test_the_decision_falls_back_like_the_file_list(make_server):
    srv = make_server(files={}, classify=change_classify, json_schema="reject")
    project = five()
    srv.add_fault(plan_reply(("util.py", "change", "x")), kind="change")
    srv.files["util.py"] = "def clean(text: str) -> str:\n    return text.strip().lower()\n"
    result, events = change(srv, project)
    assert result.plan.mode == "tool" and result.applied
    asks = [r.body for r in srv.requests if r.kind == "change"]
    assert "response_format" in asks[0] and "tools" in asks[1]
    assert next(e for e in events if isinstance(e, ChangePlanned)).mode == "tool"


def test_the_edit_format_setting(srv):
    from smol_core.settings import Settings
    from smol_core.steps.change import edit_format_for

    big = "x = 1\n" * 200
    assert edit_format_for(Settings(provider="openai"), big) == "blocks"
    assert edit_format_for(Settings(provider="openai"), "x = 1\n") == "whole"
    assert edit_format_for(Settings(provider="local"), big) == "whole"
    assert edit_format_for(Settings(provider="local", edit_format="blocks"), "x\n") == "blocks"
    assert Settings.from_env({"SMOL_EDIT_FORMAT": "whole"}).edit_format == "whole"
    with pytest.raises(ChangeError, match="Unknown edit format"):
        change(srv, five(), edit_format="diff")


def test_a_whole_file_stopped_in_a_loop_is_not_taken_as_the_file(srv):
    project = five()
    srv.add_fault(plan_reply(("util.py", "change", "x")), kind="change")
    srv.files["util.py"] = "def clean(text):\n" + "    print('again')\n" * 40
    result, _ = change(srv, project)
    assert not result.applied and "repeating itself" in result.reason
    assert project.contents == FIVE


def test_a_decision_given_as_a_real_tool_call_is_read(make_server):
    def as_list(body):  # the scripted server answers a file list as tool-call arguments
        kind, path = change_classify(body)
        return ("file_list", None) if kind == "change" else (kind, path)

    srv = make_server(
        files={"util.py": "def clean(text):\n    return text\n"},
        classify=as_list,
        json_schema="reject",
    )
    project = five()
    result, _ = change(srv, project)
    tool_reply = [r for r in srv.requests if r.kind == "file_list" and "tools" in r.body]
    assert tool_reply and result.plan.mode == "tool" and result.applied
    assert project.contents["util.py"] == srv.files["util.py"]
    assert {p: project.contents[p] for p in FIVE if p != "util.py"} == {
        p: t for p, t in FIVE.items() if p != "util.py"
    }


def test_every_request_of_a_change_fits_the_model_context(srv):
    from smol_core.steps.fit import budget, estimate_tokens

    project = five()
    big = "".join(f"BIG_{i} = {i}  # a constant the request is not about\n" for i in range(90))
    notes = "".join(f"# note {i}: some words to make the file long enough\n" for i in range(95))
    for path, text in (("big.py", big), ("notes.py", notes)):
        project.files.append(FileSpec(path))
        project.contents[path] = text
    srv.add_fault(plan_reply(("notes.py", "change", "number the notes")), kind="change")
    srv.files["notes.py"] = "# notes\n"
    result, _ = change(
        srv,
        project,
        "number the notes in notes.py",
        context_tokens=4000,
        max_tokens=500,
        edit_format="whole",
    )
    assert result.applied and project.contents["notes.py"] == "# notes\n"
    limit = budget(fast_settings(srv.base_url, context_tokens=4000, max_tokens=500))
    asked = {r.kind: r.body["messages"] for r in srv.requests}
    assert all(estimate_tokens(m) <= limit for m in asked.values())
    assert "def summary(" in str(asked["change"])  # the decision saw the files' contents
    assert "def summary(" not in str(asked["code"])  # the long file's request: names only
    assert "# note 94:" in str(asked["code"])  # never the file being changed


def test_a_file_too_long_for_the_model_context_fails_clearly_and_changes_nothing(srv):
    project = five()
    project.contents["util.py"] = "x = 1\n" * 3000
    srv.add_fault(plan_reply(("util.py", "change", "y")), kind="change")
    srv.files["util.py"] = "x = 2\n"
    result, _ = change(srv, project, "change util.py", context_tokens=4000, max_tokens=500)
    assert not result.applied and "too long for the model's context" in result.reason
    assert project.contents["util.py"] == "x = 1\n" * 3000
    assert not [r for r in srv.requests if r.kind == "code"]  # never sent to fail with a 400


def test_a_retry_too_long_for_the_context_goes_to_the_whole_file(srv):
    project = five()
    notes = "".join(f"# note {i}: some words to make the file long enough\n" for i in range(95))
    project.files.append(FileSpec("notes.py"))
    project.contents["notes.py"] = notes
    srv.add_fault(plan_reply(("notes.py", "change", "x")), kind="change")
    chatter = "".join(f"# {hashlib.sha1(str(i).encode()).hexdigest()}\n" for i in range(200))
    srv.add_fault(
        Fault.text(blocks(("# not in the file\n", "y\n")) + chatter), kind="edit", path="notes.py"
    )
    srv.files["notes.py"] = "# notes\n"
    result, _ = change(
        srv, project, "x", context_tokens=6000, max_tokens=2500, edit_format="blocks"
    )
    assert result.methods == {"notes.py": "whole-fallback"}
    assert len([r for r in srv.requests if r.kind == "edit"]) == 1  # no retry sent to fail


# ------------------------------------------------------------------- edits as whole functions
LONG = (
    '"""Stock."""\nimport json\n\n\n'
    + "".join(
        f"def helper_{i}(items):\n    return [x for x in items if x > {i}]\n\n\n" for i in range(8)
    )
    + "class Store:\n    def load(self):\n        return []\n\n    def save(self, items):\n"
    "        return None\n\n\n"
    "def total(items):\n    return sum(items)\n\n\n"
    'if __name__ == "__main__":\n    print(total([1, 2]))\n'
)


def test_a_changed_function_is_put_in_place_by_name():
    from smol_core.steps.function_edits import splice_functions

    out = splice_functions(LONG, "def total(items):\n    return sum(items) * 2\n")
    assert out.ok and out.replaced == ["total"]
    assert out.text == LONG.replace("return sum(items)\n", "return sum(items) * 2\n")
    # A class given in part keeps the methods the reply leaves out.
    out = splice_functions(LONG, "class Store:\n    def save(self, items):\n        return 1\n")
    assert "def load(self):\n        return []" in out.text and "return 1" in out.text
    assert "return None" not in out.text
    # New pieces: an import once, a new function before the main block, a constant replaced.
    out = splice_functions(LONG, "import json\nimport os\n\ndef extra():\n    return os.sep\n")
    assert out.added == ["import os", "extra"] and out.text.count("import json") == 1
    assert out.text.index("def extra") < out.text.index('if __name__ == "__main__"')
    # The whole file written again is taken whole.
    assert splice_functions(LONG, LONG.replace("> 3", "> 30")).text == LONG.replace("> 3", "> 30")


def test_a_reply_that_cannot_be_put_in_place_is_a_failure_not_a_guess():
    from smol_core.steps.function_edits import splice_functions

    for reply, why in [
        ("print('hi')\n", "not a function"),
        ("def total(:\n", "not valid"),
        ("def total(items):\n    return sum(items)\n", "changes nothing"),
        ("", "no code"),
    ]:
        out = splice_functions(LONG, reply)
        assert not out.ok and why in out.failure and out.text == LONG


def test_the_built_in_model_writes_only_the_changed_function(srv):
    project = five()
    project.contents["store.py"] = LONG
    srv.add_fault(plan_reply(("store.py", "change", "double the total")), kind="change")
    srv.add_fault(
        Fault.text("```python\ndef total(items):\n    return sum(items) * 2\n```"),
        kind="edit",
        path="store.py",
    )
    result, _ = change(srv, project, edit_format="functions")
    assert result.methods == {"store.py": "functions"}
    assert project.contents["store.py"] == LONG.replace("sum(items)\n", "sum(items) * 2\n")
    assert not [r for r in srv.requests if r.kind == "code"]  # no whole file was asked for


def test_a_function_reply_that_does_not_fit_goes_to_the_whole_file(srv):
    project = five()
    project.contents["store.py"] = LONG
    srv.add_fault(plan_reply(("store.py", "change", "double the total")), kind="change")
    srv.add_fault(Fault.text("total = total * 2\nprint(total)\n"), kind="edit", path="store.py")
    srv.files["store.py"] = LONG.replace("sum(items)\n", "sum(items) * 2\n")
    result, _ = change(srv, project, edit_format="functions")
    assert result.methods == {"store.py": "whole-fallback"}
    assert project.contents["store.py"] == srv.files["store.py"]


def test_auto_picks_functions_for_the_built_in_model_on_python_only():
    from smol_core.settings import Settings
    from smol_core.steps.change import edit_format_for

    local = Settings(provider="local")
    assert edit_format_for(local, LONG, "store.py") == "functions"
    assert edit_format_for(local, LONG, "page.js") == "whole"
    assert edit_format_for(local, "x = 1\n", "small.py") == "whole"
    assert edit_format_for(Settings(provider="openai"), LONG * 2, "store.py") == "blocks"
    assert edit_format_for(local.with_(edit_format="whole"), LONG, "store.py") == "whole"


def _fn_classify(body):
    last = message_text(body["messages"][-1]["content"])
    if m := re.search(r"Change the file `([^`]+)` for this", last):
        return "functions", m.group(1)
    return change_classify(body)


@pytest.mark.parametrize("reply", ["def total(items):\n    return sum(items) * 2\n", "oops(", LONG])
def test_a_repair_of_a_python_file_asks_for_its_changed_functions_first(make_server, reply):
    from smol_core.steps.code import write_file

    srv = make_server(
        files={"store.py": LONG.replace("sum(items)\n", "sum(items) * 3\n")}, classify=_fn_classify
    )
    srv.add_fault(Fault.text(reply), kind="functions", path="store.py")
    settings = fast_settings(srv.base_url, edit_format="functions")
    done = asyncio.run(
        write_file(
            "spec",
            "plan",
            [FileSpec("store.py")],
            "store.py",
            settings,
            instruction="double the total",
            current=LONG,
        )
    )
    kinds = [r.kind for r in srv.requests]
    if reply.startswith("def"):  # put in place by name: one short request, no whole file
        assert kinds == ["functions"]
        assert done.content == LONG.replace("sum(items)\n", "sum(items) * 2\n")
    elif reply == LONG:  # written back as it was: not asked again whole (it would be the same)
        assert kinds == ["functions"]
        assert done.content == LONG
    else:  # not Python: the whole file is asked for, as before
        assert kinds == ["functions", "code"]
        assert done.content == srv.files["store.py"]
    ask = message_text(srv.requests[0].body["messages"][-1]["content"])
    assert "double the total" in ask and "def helper_7" in ask


def test_a_one_file_project_is_changed_without_asking_which_file(srv):
    from smol_core.project import Project
    from smol_core.steps.change import obvious_change

    one = Project(spec="", files=[FileSpec("store.py")], contents={"store.py": LONG})
    plan = obvious_change(one, "double the total in store.py")
    assert plan is not None and [(c.path, c.action, c.what) for c in plan.changes] == [
        ("store.py", "change", "double the total in store.py")
    ]
    for other in (
        "also write tests in test_store.py",
        "add a new file for the report",
        "split it into two files",
    ):
        assert obvious_change(one, other) is None
    assert obvious_change(five(), "double the total") is None
    # Through the change: no decision request, one short edit request that points at the file
    # shown above instead of showing it twice.
    srv.add_fault(
        Fault.text("def total(items):\n    return sum(items) * 2\n"), kind="edit", path="store.py"
    )
    result, _ = change(srv, one, "double the total", edit_format="functions")
    assert result.methods == {"store.py": "functions"}
    assert [r.kind for r in srv.requests] == ["edit"]
    text = "".join(message_text(m["content"]) for m in srv.requests[0].body["messages"])
    assert text.count("def helper_7") == 1 and "is shown above" in text


def test_a_function_written_back_unchanged_is_not_asked_again_whole(srv):
    project = five()
    project.contents["store.py"] = LONG
    srv.add_fault(plan_reply(("store.py", "change", "double the total")), kind="change")
    srv.add_fault(
        Fault.text("def total(items):\n    return sum(items)\n"), kind="edit", path="store.py"
    )
    result, _ = change(srv, project, edit_format="functions")
    assert result.methods == {"store.py": "unchanged"}
    assert project.contents["store.py"] == LONG
    assert not [r for r in srv.requests if r.kind == "code"]
    # Nothing came of the request: said so, never a clean end.
    assert result.unclean.startswith("nothing was changed"), result.unclean


def test_a_reply_never_silently_loses_or_misplaces_code():
    """The cases where a reply names every function but not the rest, names one twice, gives
    a class in part with more than methods, or a method at the top level: never a guess."""
    from smol_core.steps.function_edits import splice_functions

    script = (
        "import sys\n\nDATA = {'a': 1}\n\n\ndef main(argv):\n    return DATA\n\n\n"
        'if __name__ == "__main__":\n    main(sys.argv)\n'
    )
    out = splice_functions(script, "def main(argv):\n    return DATA['a']\n")
    assert out.ok and "import sys" in out.text and "DATA = {" in out.text and "__main__" in out.text
    twice = splice_functions(
        LONG, "def total(items):\n    return 4\n\n\ndef total(items):\n    return 5\n"
    )
    assert not twice.ok and "more than once" in twice.failure
    attr = splice_functions(
        LONG, "class Store:\n    LIMIT = 10\n\n    def save(self, items):\n        return 1\n"
    )
    assert not attr.ok and "in part" in attr.failure
    base = splice_functions(
        LONG, "class Store(dict):\n    def save(self, items):\n        return 1\n"
    )
    assert not base.ok
    method = splice_functions(LONG, "def save(self, items):\n    return 5\n")
    assert not method.ok and "is a method" in method.failure
    # A new constant goes where new functions go, after a new function it uses.
    out = splice_functions(LONG, "def h():\n    return 1\n\n\nHANDLERS = {'h': h}\n")
    assert out.text.index("def h") < out.text.index("HANDLERS") < out.text.index("__main__")
    # `A = B = 1` is found by either name; a shebang stays first; CRLF and form feeds hold.
    out = splice_functions(
        "#!/usr/bin/env python\nA = B = 1\n\n\ndef f():\n    return A\n", "import os\nB = 2\n"
    )
    assert out.text == "#!/usr/bin/env python\nimport os\nB = 2\n\n\ndef f():\n    return A\n"
    crlf = LONG.replace("\n", "\r\n")
    out = splice_functions(crlf, "def total(items):\n    return 0\n")
    assert out.ok and out.text == LONG.replace("return sum(items)\n", "return 0\n").replace(
        "\n", "\r\n"
    )
    ff = "def f():\n    return 1\n\x0c\n\ndef g():\n    return 2\n"
    assert splice_functions(ff, "def g():\n    return 3\n").text == ff.replace("2", "3")


def test_a_file_that_does_not_parse_is_rewritten_whole():
    from smol_core.settings import Settings
    from smol_core.steps.change import edit_format_for

    broken = LONG.replace("def total(items):", "def total(items)")
    assert edit_format_for(Settings(provider="local"), broken, "store.py") == "whole"


def test_requests_that_may_want_another_file_are_decided_by_the_model():
    from smol_core.project import Project
    from smol_core.steps.change import obvious_change

    one = Project(spec="", files=[FileSpec("app.py")], contents={"app.py": "x = 1\n"})
    for request in (
        "add unit tests",
        "add a README",
        "add a Dockerfile",
        "rename it to main",
        "split it into two modules",
        "put the CSS in its own stylesheet",
        "delete app.py",
        "add a .gitignore",
    ):
        assert obvious_change(one, request) is None, request
    assert obvious_change(one, "make it print the total twice") is not None
    half = Project(
        spec="", files=[FileSpec("app.py"), FileSpec("lib.py")], contents={"app.py": "x = 1\n"}
    )
    assert obvious_change(half, "make it print the total twice") is None  # lib.py not written
