"""The workspace's decisions (smol_core.studio.workspace): status marks and the tree, the Run
tab's command and its run through the real sandbox, what a preview error concerns, what a job
rewrote, and a streaming file's text as shown."""

from __future__ import annotations

import pytest

from smol_core.project import Project
from smol_core.records import Command, Example, ExampleResult, FileSpec, Finding
from smol_core.running.sandbox import isolation
from smol_core.settings import Settings
from smol_core.studio.workspace import (
    default_command,
    error_files,
    example_details,
    example_rows,
    example_table,
    examples_from_table,
    file_status,
    live_code,
    run_command,
    run_outcome,
    run_refusal,
    tree,
    what_changed,
)

isolated = pytest.mark.skipif(isolation() != "namespaces", reason=isolation())


def project(**contents: str) -> Project:
    p = Project(spec="s", files=[FileSpec(path) for path in contents])
    p.contents = {k: v for k, v in contents.items() if v is not None}
    return p


def test_each_file_has_one_status_and_the_tree_shows_folders_and_marks():
    p = Project(
        spec="s",
        files=[FileSpec(x) for x in ("main.py", "lib/util.py", "lib/io.py", "todo.txt", "gone.py")],
    )
    p.contents = {"main.py": "x = 1\n", "lib/util.py": "y = 2\n", "lib/io.py": "z = 3\n"}
    p.failed = {"gone.py": "the model's reply was empty"}
    p.findings = {
        "main.py": [],
        "lib/util.py": [Finding("lib/util.py", 1, "m", "stub")],
        "lib/io.py": [],
    }
    p.first_findings = {"lib/io.py": [Finding("lib/io.py", 1, "m", "stub")]}
    edited = {"main.py": "x = 1\n"}
    assert {x: file_status(p, x, edited) for x in p.paths} == {
        "main.py": "edited",
        "lib/util.py": "failing",
        "lib/io.py": "repaired",
        "todo.txt": "missing",
        "gone.py": "failed",
    }
    # Rewritten since the person's edit: theirs no longer.
    assert file_status(p, "main.py", {"main.py": "x = 0\n"}) == "written"
    assert [label for _, label in tree(p, edited)] == [
        "⚠ gone.py",
        "✎ main.py",
        "○ todo.txt",
        "\u2003▸ lib/ › ↻ io.py",
        "\u2003✗ util.py",
    ]


def test_the_run_command_defaults_to_the_specs_example_then_the_entry_point():
    p = project(**{"todo.py": "if __name__ == '__main__':\n    print(1)\n", "store.py": "x=1\n"})
    assert default_command(p) == "python todo.py"
    p.examples = [Example("lists", "command", (Command(("python", "todo.py", "list")),))]
    assert default_command(p) == "python todo.py list"
    assert default_command(project(**{"cli.js": "console.log(process.argv[2])\n"})) == "node cli.js"
    assert default_command(project(**{"index.html": "<p>hi</p>"})) == ""


@isolated
def test_a_command_runs_isolated_over_a_copy_and_says_how_it_ended(tmp_path):
    p = project(
        **{
            "hello.py": "import sys, os\nprint('hi', sys.argv[1])\n"
            "open('made.txt', 'w').write('x')\nsys.exit(3)\n"
        }
    )
    result = run_command(p, "python hello.py 'big world'", Settings())
    assert result.stdout == "hi big world\n" and result.exit_code == 3
    assert result.isolation == "namespaces"
    assert run_outcome(result).startswith("The program ended with an error after ")
    assert run_outcome(result).count("exit status 3") == 1  # said once (issue 32)
    assert "made.txt" not in p.contents  # the project itself is never touched


def test_running_off_is_said_and_nothing_runs():
    off = Settings(run_examples=False)
    assert "turned off" in run_refusal(off)
    result = run_command(project(**{"a.py": "print(1)\n"}), "python a.py", off)
    assert result.exit_code is None and result.stdout == ""
    assert run_outcome(result).startswith("Not run: Running the generated code is turned off")
    assert run_command(project(), "python 'unclosed", Settings()).reason.startswith("not run")


def test_a_preview_error_concerns_the_file_it_names_then_the_pages_scripts():
    files = {
        "index.html": '<script src="a.js"></script><script src="b.js"></script>',
        "a.js": "1",
        "b.js": "2",
        "c.js": "3",
    }
    assert error_files("index.html", "b.js:3", files) == ["b.js", "a.js", "index.html"]
    assert error_files("index.html", "", files) == ["a.js", "b.js", "index.html"]


def test_what_a_job_rewrote_is_kept_with_its_earlier_text():
    before = {"a.js": "old\n", "b.js": "same\n"}
    after = {"a.js": "new\n", "b.js": "same\n", "c.js": "added\n"}
    change = what_changed("r1", "Fixed from an error", before, after)
    assert change is not None and change.before == {"a.js": "old\n"} and change.added == ("c.js",)
    assert "-old\n+new\n" in change.diff("a.js", after)
    assert what_changed("r1", "Generated", {}, after) is None  # only added: nothing to undo


def test_a_streaming_file_is_shown_without_its_fence_and_follows_the_text():
    assert live_code("```javascript\nconst a = 1;\n") == "const a = 1;\n"
    assert live_code("```js\nconst a = 1;\n```\n") == "const a = 1;\n"
    assert live_code("```") == "```"  # the fence line not finished yet
    long = "```py\n" + "".join(f"line {i}\n" for i in range(40))
    shown = live_code(long)
    assert shown.splitlines()[-1] == "line 39" and "line 0\n" not in shown
    assert live_code("x = '```'\n") == "x = '```'\n"
    chatty = "Sure! Here it is:\n```python\nprint(1)\n```\nHope that helps.\n"
    assert live_code(chatty) == "print(1)\n"
    assert live_code("Sure! Here it is:\n```python\nprint(1)\n") == "print(1)\n"
    readme = "# Use\n\n```sh\npython main.py\n```\n"
    assert live_code(readme, "README.md") == readme  # a document's own fences stay


def test_the_examples_table_round_trips_and_keeps_what_it_does_not_show():
    p = project(**{"todo.py": "print(1)\n"})
    spec_example = Example(
        "lists", "command", (Command(("python", "todo.py", "list"), stdin="x", output="1"),)
    )
    page_example = Example("page loads", "smoke", page="index.html", source="smoke")
    p.examples = [spec_example, page_example]
    rows = example_table(p)
    assert rows == [{"name": "lists", "command": "python todo.py list", "expected output": "1"}]
    same, problems = examples_from_table(rows, p)
    assert problems == [] and same == [page_example, spec_example]  # unchanged: kept whole
    changed, _ = examples_from_table([{**rows[0], "expected output": "2"}, {"name": ""}], p)
    assert changed[1].commands[0].output == "2" and changed[1].source == "you"
    gone, _ = examples_from_table([], p)
    assert gone == [page_example]
    _, bad = examples_from_table([{"command": "python 'x"}, {"name": "n", "command": " "}], p)
    assert bad[0].startswith("Row 1: the command can't be read") and bad[1].startswith("Row 2")


def test_the_examples_table_says_a_sentence_and_keeps_tracebacks_for_the_details():
    """Issue 32, item 6: the table showed the whole detail (a traceback, `_smol_example.py`)
    where a sentence belongs; the detail goes under "Details"."""
    p = project(**{"util.py": "def f():\n    return 1\n"})
    p.examples = [Example("f gives 2", "call", (Command((), output="2"),), code="print(f())")]
    trace = 'Traceback (most recent call last):\n  File "_smol_example.py", line 1\nNameError'
    failed = ExampleResult("f gives 2", "fail", "NameError in _smol_example.py", detail=trace)
    p.results = {0: failed}
    (row,) = example_rows(p)
    assert row["actual"] == "NameError in the example's code"
    assert "Traceback" not in row["actual"]
    assert example_details(p) == [("f gives 2", trace)]
