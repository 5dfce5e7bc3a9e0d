"""A verdict that never claims more than was checked (issue 29, item 3): which examples check a
behaviour, how the project's state, the report's lines, the file marks, the manifest and the
CLI's last lines say what was checked and what only ran."""

from __future__ import annotations

import io
import json

import pytest

from smol_core.cli import main
from smol_core.events import ChecksDone, ExampleDone, ExamplesReady, FileDone, FileListDone
from smol_core.project import Project
from smol_core.records import Command, Example, ExampleResult, FileSpec, PageStep, Request
from smol_core.report import (
    NOT_CHECKED,
    counts_line,
    example_line,
    files_line,
    offers_new_example,
    summary,
)
from smol_core.running.sandbox import isolation
from smol_core.settings import Settings
from smol_core.studio.workspace import example_rows, tree
from tests.conftest import FAKE_KEY

RUN = ("python", "app.py")


@pytest.mark.parametrize(
    ("example", "checks"),
    [
        (Example("prints", "command", (Command(RUN, output="3"),)), True),
        (Example("says", "command", (Command(RUN, contains=("total",)),)), True),
        (Example("saves", "command", (Command(RUN, files=("notes.json",)),)), True),
        (Example("refuses", "command", (Command(RUN, exit_code=2),)), True),
        (Example("prints nothing", "command", (Command(RUN, output=""),)), True),
        (Example("then lists", "command", (Command(RUN), Command(RUN, output="a"))), True),
        (Example("only ends", "command", (Command(RUN),)), False),
        (Example("any status", "command", (Command(RUN, exit_code=None),)), False),
        (Example("no commands", "command"), False),
        (Example("smoke", "smoke", (Command((), exit_code=0),), code="import app"), False),
        (Example("page loads", "smoke", page="index.html"), False),
        (
            Example(
                "shows",
                "page",
                page="index.html",
                steps=(PageStep("click", "plus"), PageStep("text", "count", "1")),
            ),
            True,
        ),
        (Example("counts", "page", page="index.html", steps=(PageStep("count", "li", "2"),)), True),
        (
            Example(
                "stores",
                "page",
                page="index.html",
                steps=(PageStep("stored", "localStorage:n", "1"),),
            ),
            True,
        ),
        (
            Example(
                "only clicks",
                "page",
                page="index.html",
                steps=(PageStep("click", "plus"), PageStep("reload", "")),
            ),
            False,
        ),
        (
            Example(
                "answers",
                "server",
                (Command(RUN, exit_code=None),),
                port=8000,
                requests=(Request("/add?a=2&b=3", contains=("5",)),),
            ),
            True,
        ),
        (
            Example(
                "not found",
                "server",
                (Command(RUN, exit_code=None),),
                port=8000,
                requests=(Request("/nope", status=404),),
            ),
            True,
        ),
        (
            Example(
                "is up",
                "server",
                (Command(RUN, exit_code=None),),
                port=8000,
                requests=(Request("/"),),
            ),
            False,
        ),
        (Example("call", "call", (Command((), output="6"),), code="import m; print(m.f())"), True),
        (Example("call runs", "call", (Command(()),), code="import m; m.f()"), False),
        (Example("tests", "test", (Command(("python", "-m", "pytest", "test_m.py")),)), True),
        # A test script run to its end as a command: its status is what its tests assert.
        (Example("test script", "command", (Command(("python", "test_m.py")),)), True),
        (Example("unittest", "command", (Command(("python", "-m", "unittest")),)), True),
        (Example("a program", "command", (Command(("python", "testing.py")),)), False),
    ],
    ids=lambda v: v.name if isinstance(v, Example) else str(v),
)
def test_checks_behaviour_is_true_only_for_an_example_that_asserts_something(example, checks):
    assert example.checks_behaviour is checks


PAGE = {
    "index.html": '<link rel="stylesheet" href="style.css"><h1 id="count">0</h1>'
    '<button id="plus">+</button><script src="app.js"></script>\n',
    "app.js": "let n = 0;\n",
    "style.css": "h1 { color: red; }\n",
}
SMOKE = Example(
    "index.html loads and its controls work", "smoke", page="index.html", source="smoke"
)
SHOWS = Example(
    "plus adds one",
    "page",
    page="index.html",
    steps=(PageStep("click", "plus"), PageStep("text", "count", "1")),
)


def project_with(
    examples: list[Example], results: dict[int, ExampleResult], files: dict[str, str] | None = None
) -> Project:
    project = Project(spec="a counter page")
    files = PAGE if files is None else files
    project.apply(FileListDone(files=tuple(FileSpec(p) for p in files), rejected=(), mode="x"))
    for path, text in files.items():
        project.apply(FileDone(path=path, content=text))
    project.apply(ExamplesReady(tuple(examples), ""))
    for index, result in results.items():
        project.apply(ExampleDone(index, result))
    return project


def passed(example: Example, *files: str) -> ExampleResult:
    return ExampleResult(example.name, "pass", files=files)


def test_a_passing_example_that_checks_nothing_ran_without_errors_and_is_never_ticked():
    project = project_with([SMOKE], {0: passed(SMOKE, "index.html")})
    assert project.examples_state() == "unchecked"  # never "passing"
    line = example_line(SMOKE, project.results[0])
    assert line == f"▷ {SMOKE.name}: {NOT_CHECKED}" and "✓" not in line
    said = summary(project)
    assert said.startswith("No behaviour checked") and "pass" not in said
    assert "Only run, behaviour not checked: index.html, app.js, style.css" in said
    assert all(mark != "✓" for mark in (row[""] for row in example_rows(project)))
    marks = {path: label.split(" ")[0] for path, label in tree(project, {})}
    assert marks == {"app.js": "▷", "index.html": "▷", "style.css": "▷"}
    assert not project.behaviour_checked("index.html") and offers_new_example(project)
    project.apply(ChecksDone(findings={path: [] for path in PAGE}))
    said = files_line(project)
    assert "clean" not in said and "behaviour checked by an example in 0 of 3 file(s)" in said


def test_a_passing_example_that_checks_a_value_ticks_the_page_and_what_it_loads():
    project = project_with([SHOWS], {0: passed(SHOWS, "index.html")})
    assert project.examples_state() == "passing"
    assert example_line(SHOWS, project.results[0]) == f"✓ {SHOWS.name}"
    assert summary(project) == "Run and checked: all 1 checked behaviour(s) pass."
    marks = {path: label.split(" ")[0] for path, label in tree(project, {})}
    assert marks == {"app.js": "✓", "index.html": "✓", "style.css": "✓"}
    assert not offers_new_example(project)
    project.apply(ChecksDone(findings={path: [] for path in PAGE}))
    assert "behaviour checked by an example in 3 of 3 file(s)" in files_line(project)


def test_a_page_whose_only_example_was_not_run_has_no_tick():
    project = project_with(
        [SHOWS],
        {0: ExampleResult(SHOWS.name, "not_run", "not run: no browser", files=("index.html",))},
    )
    assert project.examples_state() == "not_run"
    marks = {label.split(" ")[0] for _, label in tree(project, {})}
    assert marks == {"•"}  # written, nothing more known
    assert "✓" not in example_line(SHOWS, project.results[0])
    assert "pass" not in summary(project).replace("passed", "")


def test_run_and_checked_counts_only_the_examples_that_ran():
    fails = Example("adds", "command", (Command(RUN, output="3"),))
    never = Example("lists", "command", (Command(RUN, output="a"),))
    runs = Example("starts", "command", (Command(RUN),))
    files = {"app.py": "print(3)\n"}
    project = project_with(
        [fails, never, runs],
        {
            0: ExampleResult("adds", "fail", 'expected "3", got "4"', files=("app.py",)),
            1: ExampleResult("lists", "not_run", "not run: stopped"),
            2: passed(runs, "app.py"),
        },
        files,
    )
    said = summary(project)
    assert said.startswith("Run and checked: 1 of 2 example(s) fail")
    assert "1 example(s) could not run here" in said
    v = project.verdict()
    assert (v.checked, v.passed, v.only_run, v.not_run, v.ran) == (1, 0, 1, 1, 2)


def test_mixed_examples_say_how_many_behaviours_were_checked_and_which_files_only_ran():
    adds = Example("adds", "command", (Command(("python", "calc.py", "1", "2"), output="3"),))
    smoke = Example(
        "every module imports cleanly",
        "smoke",
        (Command((), exit_code=0),),
        code="import calc\nimport notes",
        source="smoke",
    )
    files = {"calc.py": "print(3)\n", "notes.py": "x = 1\n"}
    project = project_with(
        [adds, smoke], {0: passed(adds, "calc.py"), 1: passed(smoke, "calc.py", "notes.py")}, files
    )
    assert project.examples_state() == "passing"
    assert summary(project) == (
        "Run and checked: all 1 checked behaviour(s) pass. Only run, "
        "behaviour not checked: notes.py."
    )
    assert counts_line(project) == (
        "behaviours checked: 1, passed: 1; examples only run "
        "(behaviour not checked): 1; not run: 0; files only run: "
        "notes.py"
    )
    verdict = project.manifest(Settings())["verdict"]
    assert verdict["state"] == "passing" and verdict["checked"] == 1 and verdict["passed"] == 1
    assert verdict["only_run"] == 1 and verdict["only_run_files"] == ["notes.py"]
    assert verdict["checked_files"] == ["calc.py"]


@pytest.mark.skipif(isolation() != "namespaces", reason=isolation())
def test_the_cli_never_calls_a_project_with_no_checked_behaviour_working(
    server, monkeypatch, tmp_path
):
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.delenv("SMOL_PROVIDER", raising=False)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--prompt", "a greeter program", "--out", str(tmp_path / "o"), "--model", "m"],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()  # today's exit codes are kept
    printed = out.getvalue() + err.getvalue()
    assert "No behaviour checked" in out.getvalue()
    assert "behaviours checked: 0, passed: 0; examples only run (behaviour not checked): 1" in (
        out.getvalue()
    )
    assert NOT_CHECKED in err.getvalue()  # the example's own line, as it ran
    assert "pass" not in printed.replace("passed: 0", "")
    manifest = json.loads((tmp_path / "o" / "smol-manifest.json").read_text())
    assert manifest["verdict"]["state"] == "unchecked" and manifest["verdict"]["checked"] == 0
