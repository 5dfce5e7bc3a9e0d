"""Check-and-repair and fix-from-error, against the scripted server."""

from __future__ import annotations

import asyncio

from smol_core.events import ChecksDone, RunDone
from smol_core.project import Project
from smol_core.records import FileSpec
from smol_core.runs import files_for_error, fix_from_error, run_all
from tests.conftest import FILES, PLAN, fast_settings
from tests.scripted_server import Fault

BROKEN_UTIL = "def greet(name: str) -> str:\n    return f'hello {name}' + suffix\n"


def _run(server, **overrides):
    settings = fast_settings(server.base_url, **overrides)
    events: list = []
    project = asyncio.run(run_all("a greeter", settings, events.append))
    return project, events


def test_a_file_with_findings_is_regenerated_with_them_and_repaired(server):
    server.add_fault(Fault.text(BROKEN_UTIL), kind="code", path="util.py", times=1)
    project, events = _run(server)
    assert project.contents["util.py"] == FILES["util.py"]
    assert project.check_status("util.py") == "repaired"
    assert project.check_status("main.py") == "ok"
    util_requests = [r for r in server.requests if r.path == "util.py"]
    assert len(util_requests) == 2
    ask = util_requests[1].body["messages"][-1]["content"]
    assert "`suffix`" in ask and BROKEN_UTIL.strip() in ask  # the findings and the current text
    # The repair keeps the shared prefix of every per-file request.
    assert util_requests[1].body["messages"][:-1] == util_requests[0].body["messages"][:-1]
    rounds = [e.round for e in events if isinstance(e, ChecksDone)]
    assert rounds == [0, 1]
    assert isinstance(events[-1], RunDone)


def test_repair_is_bounded_and_reports_what_still_fails(server):
    server.add_fault(Fault.text(BROKEN_UTIL), kind="code", path="util.py", times=None)
    project, _ = _run(server, repair_rounds=2)
    assert len([r for r in server.requests if r.path == "util.py"]) == 3
    assert project.check_status("util.py") == "failing"
    assert "suffix" in project.findings["util.py"][0].message
    assert project.contents["util.py"] == BROKEN_UTIL  # kept, with its findings shown


def test_checks_can_be_turned_off(server):
    server.add_fault(Fault.text(BROKEN_UTIL), kind="code", path="util.py", times=None)
    project, events = _run(server, checks=False)
    assert not any(isinstance(e, ChecksDone) for e in events)
    assert len([r for r in server.requests if r.path == "util.py"]) == 1


def test_missing_files_are_reported_not_regenerated(make_server):
    files = {"main.py": "from storage import load\n\nif __name__ == '__main__':\n    load()\n"}
    server = make_server(files=files, plan_text="`main.py` uses `storage.py`.")
    project, _ = _run(server)
    assert [f.target for f in project.findings["main.py"]] == ["storage.py"]
    assert len([r for r in server.requests if r.kind == "code"]) == 1


def test_an_error_pasted_by_the_person_goes_to_the_files_it_concerns(server):
    project = Project(spec="a greeter", plan=PLAN, files=[FileSpec(p) for p in FILES])
    project.contents = {"main.py": FILES["main.py"], "util.py": BROKEN_UTIL}
    error = (
        'Traceback (most recent call last):\n  File "/home/me/proj/main.py", line 4, in <module>\n'
        "  File \"/home/me/proj/util.py\", line 2, in greet\nNameError: name 'suffix' is not defined"
    )
    chosen = asyncio.run(fix_from_error(project, error, fast_settings(server.base_url)))
    assert chosen[0] == "util.py"  # innermost frame first
    asked = {r.path: r.body["messages"][-1]["content"] for r in server.requests}
    assert "NameError" in asked["util.py"]
    assert project.contents["util.py"] == FILES["util.py"]


def test_files_for_error_without_file_names():
    files = [FileSpec("storage.py"), FileSpec("notes.py")]
    assert files_for_error("KeyError in storage when loading", files) == ["storage.py"]
    assert files_for_error("it just crashes", files) == ["storage.py"]


def test_a_readme_that_copies_the_instructions_is_written_anew_without_the_copy(make_server):
    """Seen from the 1.5B model: a README answered with the request's own sections. Every
    other check passes it; the echo check finds it and the file is written again, the copy not
    shown back, and the document is asked for with what it is for."""
    readme = "# Greeter\n\nRun `python main.py` to be greeted.\n"
    server = make_server(files={**FILES, "README.md": readme})
    echo = "# What the person wants\n\na greeter\n\n# The plan\n\n" + PLAN + "\n"
    server.add_fault(Fault.text(echo), kind="code", path="README.md", times=1)
    project, events = _run(server)
    assert project.contents["README.md"] == readme
    assert project.check_status("README.md") == "repaired"
    asks = [r.body["messages"][-1]["content"] for r in server.requests if r.path == "README.md"]
    assert len(asks) == 2
    assert "for the project's users" in asks[0] and "not a copy of these instructions" in asks[0]
    assert "copy of the instructions" in asks[1] and "(no current version)" in asks[1]
    assert "# What the person wants" not in asks[1]
    (first_checks,) = [e for e in events if isinstance(e, ChecksDone) and e.round == 0]
    assert [f.kind for f in first_checks.findings["README.md"]] == ["echo"]
    # A program file is asked for plainly.
    (main_ask,) = [
        r.body["messages"][-1]["content"] for r in server.requests if r.path == "main.py"
    ]
    assert main_ask == "Write only the file `main.py` now."


def test_a_reply_that_goes_on_with_another_file_is_cut_where_that_file_starts(server):
    """Seen from the 1.5B model: `todo.js` answered with the script, then `// index.html` and
    the page. What follows a header naming another file of the list is not this file."""
    both = FILES["main.py"].rstrip() + "\n\n# util.py\n" + FILES["util.py"]
    server.add_fault(Fault.text(both), kind="code", path="main.py", times=1)
    project, _ = _run(server)
    assert project.contents["main.py"] == FILES["main.py"].rstrip() + "\n"
    assert project.check_status("main.py") == "ok"
    assert len([r for r in server.requests if r.path == "main.py"]) == 1
