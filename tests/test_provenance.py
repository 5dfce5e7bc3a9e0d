"""A failing command's output traced to the project lines that printed it and ended it, for the
repair (a wrong output or exit status has no traceback to point at the line)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smol_core.records import Command, Example
from smol_core.running.execute import run_examples
from smol_core.running.provenance import TRACE, TRACER
from smol_core.running.sandbox import isolation

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)

NOTES = """\
import json
import os
import sys

from store import load


def list_notes():
    for i, note in enumerate(load(), start=1):
        print(f"{i}: {note}")


def add(text):
    notes = load() + [text]
    with open("notes.json", "w") as f:
        json.dump(notes, f)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: notes.py add TEXT | list", file=sys.stderr)
        sys.exit(1)
    add(sys.argv[2]) if sys.argv[1] == "add" else list_notes()
"""
STORE = """\
import json
import os


def load():
    if not os.path.exists("notes.json"):
        return []
    with open("notes.json") as f:
        return json.load(f)
"""
FILES = {"notes.py": NOTES, "store.py": STORE}


def _command(*args: str, **expect) -> Command:
    return Command(("python", *args), **expect)


@isolated
def test_a_wrong_exit_status_names_the_lines_that_wrote_and_ended_it():
    example = Example("list", "command", (_command("notes.py", "list", exit_code=0),))
    [result] = run_examples(FILES, [example])
    assert result.status == "fail"
    assert "Where that output came from" in result.detail
    assert (
        '- `notes.py` line 21, `print("usage: notes.py add TEXT | list", file=sys.stderr)` '
        "(under `if len(sys.argv) != 3:` on line 20, true): "
        'wrote to stderr "usage: notes.py add TEXT | list"' in result.detail
    )
    assert "- `notes.py` line 22, `sys.exit(1)`: ended the program with exit status 1" in (
        result.detail
    )


@isolated
def test_a_wrong_output_in_a_sequence_is_traced_after_replaying_the_commands_before_it():
    example = Example(
        "add then list",
        "command",
        (
            _command("notes.py", "add", "milk"),
            _command("notes.py", "add", "eggs"),
            _command("notes.py", "list", output="1. milk\n2. eggs"),
        ),
    )
    files = {**FILES, "notes.py": NOTES.replace("if len(sys.argv) != 3", "if len(sys.argv) < 2")}
    [result] = run_examples(files, [example])
    assert result.status == "fail" and result.reached == 2
    # The replayed adds left both notes: the trace's run printed what the real one did.
    assert '- `notes.py` line 10, `print(f"{i}: {note}")`: printed "1: milk⏎2: eggs" (2 lines)' in (
        result.detail
    )
    assert TRACE not in result.detail and TRACER not in result.detail


@isolated
def test_nothing_is_traced_for_a_pass_a_traceback_or_a_program_not_in_python():
    ok = Example("ok", "command", (_command("notes.py", "list", exit_code=0, output=""),))
    crash = Example("crash", "command", (_command("crash.py", output="x"),))
    files = {**FILES, "notes.py": NOTES.replace("if len(sys.argv) != 3", "if False")}
    files["crash.py"] = "from store import load\n\nload()[5]\n"
    passed, crashed = run_examples(files, [ok, crash])
    assert passed.status == "pass" and "Where" not in passed.detail
    assert crashed.status == "fail" and "IndexError" in crashed.detail
    assert "Where that output came from" not in crashed.detail
    shell = Example("sh", "command", (Command(("sh", "run.sh"), output="yes"),))
    [result] = run_examples({"run.sh": "echo no\n"}, [shell])
    assert result.status in ("fail", "refused") and "Where that output" not in result.detail


SLUG = """\
import re


def slugify(text):
    text = text.lower()
    text = text.strip("-")
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text
"""


@isolated
def test_a_call_returning_the_wrong_value_shows_how_the_values_went_line_by_line():
    code = 'from textutils import slugify\nprint(repr(slugify("Hello, World!")))'
    example = Example("slug", "call", (Command((), output="'hello-world'"),), code=code)
    [result] = run_examples({"textutils.py": SLUG}, [example])
    assert result.status == "fail"
    assert result.detail.endswith(
        "How the values went (the project's lines as they ran, and what each set):\n"
        "- `textutils.py` line 5, `text = text.lower()`: text = 'hello, world!'\n"
        '- `textutils.py` line 6, `text = text.strip("-")`: ran, no value changed\n'
        '- `textutils.py` line 7, `text = re.sub(r"[^a-z0-9]+", "-", text)`: '
        "text = 'hello-world-'\n"
        "- `textutils.py` line 8, `return text`: returned 'hello-world-'"
    )
    # A big value is named, not printed at every line; a loop is cut after a few entries.
    loop = "def f(n):\n    xs = list(range(1000))\n    for i in range(n):\n        n -= 1\n    return n\n"
    example = Example("f", "call", (Command((), output="1"),), code="from m import f\nprint(f(50))")
    [result] = run_examples({"m.py": loop}, [example])
    assert "xs = <list of 1000 items>" in result.detail and "- … and " in result.detail
    # One line run again and again (a comprehension) is quoted once, its values in turn.
    one = "def slugify(text):\n    return ''.join(c for c in text if c.isalnum()).lower()\n"
    slug = Example("slug", "call", (Command((), output="'hello-world'"),), code=code)
    [result] = run_examples({"textutils.py": one}, [slug])
    assert result.detail.count("c.isalnum()") == 1, result.detail
    assert "as it ran again and again: c = 'H'; returned 'H'; c = 'e'" in result.detail
    assert result.detail.rstrip().endswith("returned 'helloworld'")


SERVER = """\
import argparse
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")
        elif self.path == "/add":
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    HTTPServer(("127.0.0.1", parser.parse_args().port), Handler).serve_forever()
"""


@isolated
def test_a_server_answering_the_wrong_status_names_the_line_and_the_test_it_went_through():
    from smol_core.records import Request

    example = Example(
        "routes",
        "server",
        (Command(("python", "server.py", "--port", "8765"), exit_code=None),),
        port=8765,
        requests=(Request("/health", 200, ("ok",)), Request("/add?a=2&b=3", 200, ())),
    )
    [result] = run_examples({"server.py": SERVER}, [example])
    assert result.status == "fail" and "expected status 200, got 404" in result.reason
    assert result.detail.endswith(
        "Where the answers came from (the project's lines, in the order they ran):\n"
        '- `server.py` line 8, `self.send_response(200)` (under `if self.path == "/health":` on '
        "line 7, true): answered 200 to GET /health\n"
        '- `server.py` line 15, `self.send_response(404)` (under `elif self.path == "/add":` '
        "on line 11, false): answered 404 to GET /add?a=2&b=3"
    )


@isolated
def test_a_program_that_forges_its_trace_file_gets_nothing_shown_and_breaks_nothing():
    forged = [
        ["out", "../../etc/passwd", 1, "x"],
        ["out", "notes.py", "1", "x"],
        [1, 2],
        ["exit", "notes.py", 2, True],
        "junk",
        ["out", "notes.py", 1, {"a": 1}],
    ]
    program = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: json.dump({forged!r}, open('_smol_where.json', 'w')))\n"
        "sys.exit(3)\n"
    )
    example = Example("forged", "command", (_command("notes.py", exit_code=0),))
    [result] = run_examples({"notes.py": program}, [example])
    assert result.status == "fail" and "expected exit status 0, got 3" in result.reason
    assert "Where that output came from" not in result.detail
    for junk in ("not json", "[1, 2, 3]", '{"a": 1}', "[[null, null, null, null]]"):
        bad = program.replace(
            f"json.dump({forged!r}, open('_smol_where.json', 'w'))",
            f"open('_smol_where.json', 'w').write({junk!r})",
        )
        [result] = run_examples({"notes.py": bad}, [example])
        assert result.status == "fail" and "Where that output" not in result.detail


@isolated
def test_a_server_that_never_answered_is_not_run_again_to_trace(monkeypatch):
    from smol_core.records import Request
    from smol_core.running import provenance

    def traced(*_args, **_kwargs):
        raise AssertionError("traced a server that gave no answer")

    monkeypatch.setattr(provenance, "_server_where", traced)
    quits = "import sys\nsys.exit(4)\n"  # ends before it listens: nothing to trace
    example = Example(
        "routes",
        "server",
        (Command(("python", "server.py", "--port", "8765"), exit_code=None),),
        port=8765,
        requests=(Request("/health", 200, ()),),
    )
    [result] = run_examples({"server.py": quits}, [example])
    assert result.status == "fail" and "ended before it listened" in result.reason
    with pytest.raises(AssertionError, match="no answer"):  # the wrong status one is traced
        run_examples({"server.py": SERVER}, [replace(example, requests=(Request("/x", 200, ()),))])
