"""The runner and the examples: generated code run over a temporary copy, isolated, limited.

Hostile programs run only inside the isolation (CI runs as root): skipped, with the reason,
where the OS gives none.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from smol_core.records import example_from_dict, example_to_dict
from smol_core.running.browser import unavailable
from smol_core.running.execute import run_examples
from smol_core.running.programs import refusal, smoke_examples
from smol_core.running.sandbox import Limits, Sandbox, isolation
from smol_core.spec_reading.model_examples import parse_examples
from tests.conftest import FAKE_KEY

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)
needs_browser = pytest.mark.skipif(bool(unavailable()), reason=unavailable() or "ok")
FAST = Limits(seconds=6, cpu_seconds=4)


def _run(code: str, limits: Limits = FAST):
    with Sandbox({"prog.py": code}, limits) as box:
        return box.run(["python", "prog.py"]), box


@isolated
def test_environment_is_scrubbed(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("SMOL_API_KEY", FAKE_KEY)
    result, _ = _run("import os\nprint(dict(os.environ))")
    assert result.ok, result.stderr
    assert FAKE_KEY not in result.stdout
    assert "OPENAI" not in result.stdout and "SMOL_" not in result.stdout
    assert "/tmp" in result.stdout or "smol-run" in result.stdout  # HOME in the copy
    print(
        f"[hostile] prints the environment: {len(result.stdout)} chars, no key, no SMOL_/OPENAI_"
        f" name, {result.seconds:.2f} s"
    )


@isolated
def test_writes_outside_the_copy_change_nothing(tmp_path):
    outside = tmp_path / "outside.txt"
    link_target = tmp_path / "via-link.txt"
    code = f"""
import os
for target in [{str(outside)!r}, "/etc/smol-evil"]:
    try:
        open(target, "w").write("x")
        print("wrote", target)
    except OSError as e:
        print("refused", e.errno)
os.symlink({str(link_target)!r}, "link")
try:
    open("link", "w").write("x")
except OSError as e:
    print("refused", e.errno)
open("../x", "w").write("inside the temporary folder")
"""
    result, box = _run(code)
    assert "wrote" not in result.stdout, result.stdout
    assert result.stdout.count("refused") == 3
    assert not outside.exists() and not link_target.exists()
    assert not Path("/etc/smol-evil").exists()
    assert not box.top.exists()  # the copy is gone once the sandbox is closed
    errors = sorted({os.strerror(int(n)) for n in result.stdout.split()[1::2]})
    print(
        f"[hostile] writes outside (absolute, /etc, through a symlink): 3 of 3 refused "
        f"({', '.join(errors)}), 0 files changed outside"
    )


@isolated
def test_a_thousand_processes_are_stopped_at_the_limit():
    code = """
import os, time
n = 0
try:
    for _ in range(1000):
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
        n += 1
except OSError:
    pass
print(n)
"""
    result, _ = _run(code, Limits(seconds=8, processes=50))
    assert int(result.stdout.split()[0]) < 60
    print(
        f"[hostile] 1,000 forks: {result.stdout.split()[0]} started before the limit of 50, "
        f"{result.seconds:.2f} s"
    )


@isolated
def test_endless_loop_is_killed_at_the_timeout():
    result, _ = _run("while True:\n    pass\n", Limits(seconds=1.5, cpu_seconds=30))
    assert result.timed_out and result.exit_code is None
    assert "did not finish" in result.reason
    print(
        f"[hostile] endless loop: killed with its process group after {result.seconds:.2f} s "
        f"(limit 1.5 s)"
    )


@isolated
def test_ten_gigabytes_is_refused():
    result, _ = _run("x = bytearray(10 * 1024**3)\nprint('allocated')")
    assert "allocated" not in result.stdout
    assert "memory" in result.reason
    print(f"[hostile] 10 GB allocation: refused ({result.reason}), {result.seconds:.2f} s")


@isolated
def test_a_hundred_megabytes_of_output_is_cut():
    result, _ = _run(
        "import sys\nfor _ in range(100 * 1024):\n    sys.stdout.write('x' * 1023 + '\\n')"
    )
    assert result.cut
    assert len(result.stdout) < 2 * FAST.output_bytes
    print(
        f"[hostile] 100 MB of output: {len(result.stdout):,} chars kept, marked as cut, "
        f"{result.seconds:.2f} s"
    )


@isolated
def test_no_network_not_even_the_hosts_loopback():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted: list[object] = []
    listener.settimeout(3)

    def accept() -> None:
        with contextlib.suppress(OSError):  # nobody came: what the test wants
            accepted.append(listener.accept())

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    code = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)\nprint('connected')"
    result, _ = _run(code)
    thread.join(4)
    listener.close()
    assert "connected" not in result.stdout and not accepted
    print(
        f"[hostile] connect to a listener on the host's 127.0.0.1: refused, 0 connections "
        f"accepted ({_last(result.stderr)})"
    )


def _last(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:80] if lines else "no error text"


def test_without_isolation_nothing_runs_unless_allowed(monkeypatch):
    import smol_core.running.sandbox as sandbox

    monkeypatch.setattr(sandbox, "isolation", lambda: "none: test")
    with Sandbox({"prog.py": "print(1)"}) as box:
        result = box.run(["python", "prog.py"])
    assert result.exit_code is None and result.reason.startswith("not run")


def test_commands_that_are_not_the_projects_programs_are_refused():
    files = {"todo.py": "", "tools/run.sh": "", "app.js": ""}
    assert refusal(["python", "todo.py", "add", "milk"], files) == ""
    assert refusal(["node", "app.js"], files) == ""
    assert refusal(["sh", "tools/run.sh"], files) == ""
    bad_ones = (
        ["rm", "-rf", "~"],
        ["curl", "http://example.com"],
        ["python", "-c", "1"],
        ["python", "../todo.py"],
        ["python", "/etc/x.py"],
        ["bash", "-c", "ls"],
    )
    for bad in bad_ones:
        assert refusal(bad, files), bad
    print(
        f"[hostile] commands that are not the project's programs: {len(bad_ones)} of "
        f"{len(bad_ones)} refused before running"
    )


def test_examples_keep_only_expectations_the_spec_states():
    spec = "`python stats.py 3 1 2` prints `min=1 max=3 mean=2.00`."
    raw = json.dumps(
        {
            "examples": [
                {
                    "kind": "command",
                    "name": "given",
                    "commands": [
                        {
                            "args": ["python", "stats.py", "3", "1", "2"],
                            "output": "min=1 max=3 mean=2.00",
                        }
                    ],
                },
                {
                    "kind": "command",
                    "name": "invented",
                    "commands": [{"args": "python stats.py 7", "output": "min=7 max=7 mean=7.00"}],
                },
                {"kind": "page", "name": "no such page", "page": "missing.html"},
            ]
        }
    )
    found = parse_examples(raw, spec, {"stats.py": ""})
    assert [e.name for e in found] == ["given", "invented"]
    assert found[0].commands[0].output == "min=1 max=3 mean=2.00"
    assert found[1].commands[0].output is None  # made up: only "it runs cleanly" is kept
    assert found[1].commands[0].args == ("python", "stats.py", "7")
    for example in found:
        assert example_from_dict(json.loads(json.dumps(example_to_dict(example)))) == example


def test_a_reply_cut_off_by_its_token_cap_keeps_the_examples_it_finished():
    """The built-in model's examples reply is capped: the cut ends inside its last example."""
    spec = "`python stats.py 3 1 2` prints `min=1 max=3 mean=2.00`. `python stats.py` prints help."
    whole = json.dumps(
        {
            "examples": [
                {
                    "kind": "command",
                    "name": "given",
                    "commands": [
                        {
                            "args": ["python", "stats.py", "3", "1", "2"],
                            "output": "min=1 max=3 mean=2.00",
                        }
                    ],
                },
                {"kind": "command", "name": "help", "commands": [{"args": ["python", "stats.py"]}]},
            ]
        }
    )
    cut = whole[: whole.index('"help"') + 12]
    assert [e.name for e in parse_examples(cut, spec, {"stats.py": ""})] == ["given"]
    assert [e.name for e in parse_examples(whole, spec, {"stats.py": ""})] == ["given", "help"]
    assert parse_examples(whole[:30], spec, {"stats.py": ""}) == []


def test_the_name_of_a_project_file_is_not_taken_for_what_a_command_prints():
    """Seen from the 1.5B model: the spec names `README.md`, and the examples expected
    `python notes.py list` to print it. A file's name is the spec's, but not an output."""
    spec = (
        "`python notes.py list` prints the notes numbered; `README.md` explains it. "
        "`python ls.py` prints `data.txt`."
    )
    raw = json.dumps(
        {
            "examples": [
                {
                    "kind": "command",
                    "name": "list",
                    "commands": [
                        {
                            "args": ["python", "notes.py", "list"],
                            "output": "README.md",
                            "contains": ["`README.md`", "numbered"],
                        }
                    ],
                },
                {
                    "kind": "command",
                    "name": "ls",
                    "commands": [{"args": ["python", "ls.py"], "output": "data.txt"}],
                },
            ]
        }
    )
    files = {"notes.py": "", "README.md": "", "ls.py": ""}
    listed, ls = parse_examples(raw, spec, files)
    assert listed.commands[0].output is None and listed.commands[0].contains == ("numbered",)
    assert ls.commands[0].output == "data.txt"  # not a file of the project: kept
    # Where it came from: "prints" read across the end of a sentence up to the next quoted
    # text. An example's output is quoted in the same sentence.
    from smol_core.spec_reading.written_examples import spec_examples

    (only,) = spec_examples(spec, files)
    assert (only.commands[0].args, only.commands[0].output) == (("python", "ls.py"), "data.txt")


def test_a_module_the_description_never_runs_is_not_expected_to_print():
    """Seen from the 1.5B model: `slugify("Hello, World!")` returns "hello-world" became
    `python textutils.py "Hello, World!"` expected to print it; heal then taught the module to
    print. A module never run as `python X.py` keeps "it runs cleanly" only."""
    spec = (
        'A Python module `textutils.py` defines `slugify(text)`: `slugify("Hello, World!")` '
        'returns `"hello-world"`.'
    )
    raw = {
        "examples": [
            {
                "kind": "command",
                "name": "slug",
                "commands": [
                    {"args": ["python", "textutils.py", "Hello, World!"], "output": "hello-world"}
                ],
            }
        ]
    }
    (example,) = parse_examples(raw, spec, {"textutils.py": ""})
    assert example.commands[0].output is None
    ran = spec + " Run it as `python textutils.py TEXT` to print the slug."
    (example,) = parse_examples(raw, ran, {"textutils.py": ""})
    assert example.commands[0].output == "hello-world"  # the description runs it: kept
    (example,) = parse_examples(raw, spec.replace("module", "tool"), {"textutils.py": ""})
    assert example.commands[0].output == "hello-world"  # not called a module: kept


STATS = (
    "import sys\nnums = [int(x) for x in sys.argv[1:]]\n"
    "print(f'min={min(nums)} max={max(nums)} mean={sum(nums) / len(nums):.2f}')\n"
)


@isolated
def test_examples_run_and_say_what_failed():
    spec = "`python stats.py 3 1 2` prints `min=1 max=3 mean=2.00`; `python stats.py 5` prints `min=5 max=5 mean=5.00`"
    wrong = STATS.replace(":.2f", "")
    raw = {
        "examples": [
            {
                "kind": "command",
                "name": "three",
                "commands": [
                    {
                        "args": ["python", "stats.py", "3", "1", "2"],
                        "output": "min=1 max=3 mean=2.00",
                    }
                ],
            },
            {"kind": "command", "name": "refused", "commands": [{"args": ["rm", "-rf", "/"]}]},
        ]
    }
    examples = parse_examples(raw, spec, {"stats.py": wrong})
    good, bad = (
        run_examples({"stats.py": STATS}, examples),
        run_examples({"stats.py": wrong}, examples),
    )
    assert [r.status for r in good] == ["pass", "refused"]
    assert bad[0].status == "fail"
    assert 'expected "min=1 max=3 mean=2.00", got "min=1 max=3 mean=2.0"' in bad[0].reason
    assert bad[0].files == ("stats.py",) and "min=1 max=3 mean=2.0" in bad[0].detail


@isolated
def test_a_traceback_fails_a_smoke_check_and_names_the_file():
    files = {"main.py": "import util\n", "util.py": "x = 1 / 0\n"}
    results = run_examples(files, smoke_examples(files))
    assert results[0].status == "fail" and "ZeroDivisionError" in results[0].reason
    assert results[0].files[0] == "util.py"
    assert (
        run_examples({"main.py": "import util\n", "util.py": "x = 1\n"}, smoke_examples(files))[
            0
        ].status
        == "pass"
    )


@isolated
def test_a_server_example_is_answered_inside_the_sandbox():
    server = (
        "import sys\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\n"
        "class H(BaseHTTPRequestHandler):\n    def do_GET(self):\n"
        "        ok = self.path == '/health'\n        self.send_response(200 if ok else 404)\n"
        "        self.end_headers()\n        self.wfile.write(b'ok' if ok else b'')\n"
        "HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()\n"
    )
    raw = {
        "examples": [
            {
                "kind": "server",
                "name": "health",
                "args": ["python", "s.py", "8123"],
                "port": 8123,
                "requests": [
                    {"path": "/health", "contains": ["ok"]},
                    {"path": "/x", "status": 404},
                ],
            }
        ]
    }
    examples = parse_examples(raw, "GET /health answers ok, others 404", {"s.py": server})
    assert run_examples({"s.py": server}, examples)[0].status == "pass"
    broken = server.replace("404", "200")
    result = run_examples({"s.py": broken}, examples)[0]
    assert result.status == "fail" and "expected status 404, got 200" in result.reason


@isolated
def test_a_server_the_spec_starts_and_the_answers_it_writes_out_are_an_example():
    from smol_core.spec_reading.written_calls import OTHER_PATH, spec_server

    spec = """`python s.py --port PORT` listens on 127.0.0.1. It answers:
- `GET /health`: status 200, body `ok` (Content-Type `text/plain`);
- `GET /add?a=2&b=3`: status 200, the JSON `{"result": 5}`;
- `GET /nope`: status 404.
`python fizz.py N` prints numbers."""
    server = (
        "import sys\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\n"
        "class H(BaseHTTPRequestHandler):\n    def do_GET(self):\n"
        "        body = {'/health': b'ok', '/add?a=2&b=3': b'{\"result\":5}'}.get(self.path)\n"
        "        self.send_response(200 if body else 404)\n"
        "        self.end_headers()\n        self.wfile.write(body or b'')\n"
        "HTTPServer(('127.0.0.1', int(sys.argv[2])), H).serve_forever()\n"
    )
    (example,) = spec_server(spec, {"s.py": server, "fizz.py": ""})
    assert example.commands[0].args == ("python", "s.py", "--port", str(example.port))
    assert [(r.path, r.status, r.contains) for r in example.requests] == [
        ("/health", 200, ("ok",)),
        ("/add?a=2&b=3", 200, ()),
        ("/nope", 404, ()),
    ]
    assert run_examples({"s.py": server}, [example])[0].status == "pass"
    broken = server.replace("'/add?a=2&b=3'", "'/sum'")
    result = run_examples({"s.py": broken}, [example])[0]
    assert result.status == "fail" and "expected status 200, got 404" in result.reason
    assert spec_server("`python fizz.py N` prints numbers.", {"fizz.py": ""}) == []
    # Requests written on one line are each one; a status said of routes it has not (naming
    # none) is what a path no route has answers.
    line = (
        "`python s.py --port PORT` starts it. `GET /add?a=2&b=3` answers status 200 with "
        "`5`. `GET /health` answers status 200 with `ok`. A request for a route it lacks "
        "gets status 404."
    )
    (one_line,) = spec_server(line, {"s.py": server})
    assert [(r.path, r.status, r.contains) for r in one_line.requests] == [
        ("/add?a=2&b=3", 200, ("5",)),
        ("/health", 200, ("ok",)),
        (OTHER_PATH, 404, ()),
    ]
    for elsewhere in (
        "A request for a route it lacks is logged, and bad queries give status 400.",
        "The route `/add` with a word for a number gives status 400.",
    ):
        said = line.replace("A request for a route it lacks gets status 404.", elsewhere)
        assert OTHER_PATH not in [r.path for r in spec_server(said, {"s.py": server})[0].requests]
    anything = server.replace("200 if body else 404", "200")
    assert "expected status 404" in run_examples({"s.py": anything}, [one_line])[0].reason


PAGE = (
    "<!doctype html><html><body><span id='count'>0</span><button id='increment'>+</button>"
    "<script src='app.js'></script></body></html>"
)
APP = (
    "document.getElementById('increment').addEventListener('click', () => {\n"
    "  const c = document.getElementById('count');\n"
    "  c.textContent = String(Number(c.textContent) + 1);\n});\n"
)


@isolated
@needs_browser
def test_page_examples_click_and_read_in_a_browser():
    spec = "A button `increment` adds 1 to the number in `count`, which starts at 0."
    raw = {
        "examples": [
            {
                "kind": "page",
                "name": "adds one",
                "page": "index.html",
                "steps": [
                    {"action": "click", "target": "increment"},
                    {"action": "click", "target": "increment"},
                    {"action": "text", "target": "count", "value": "2"},
                ],
            }
        ]
    }
    files = {"index.html": PAGE, "app.js": APP}
    examples = parse_examples(raw, spec, files)
    assert run_examples(files, examples)[0].status == "pass"
    module = {"index.html": PAGE, "app.js": "import { x } from './x.js';\n" + APP}
    failed = run_examples(module, examples)[0]
    assert failed.status == "fail" and "import" in failed.reason.lower()
    const = {
        "index.html": PAGE,
        "app.js": APP.replace("const c", "const c = 1;\n  c = 2;\n  const d"),
    }
    broken = run_examples(const, smoke_examples(files))[0]
    assert broken.status == "fail" and "(in app.js, line 3)" in broken.reason, broken.reason
    reset = PAGE.replace("</button>", "</button><button id='reset'>0</button>")
    undo = (
        APP + "document.getElementById('reset').onclick = () => {\n"
        "  document.getElementById('count').textContent = '0';\n};\n"
    )
    both = run_examples({"index.html": reset, "app.js": undo}, smoke_examples(files))[0]
    assert both.status == "pass", both.reason  # "+" then reset: back where it began, both work
    dead = run_examples({"index.html": PAGE, "app.js": "// nothing\n"}, smoke_examples(files))
    assert dead[0].status == "fail" and "changed nothing" in dead[0].reason
    assert not os.path.exists("/etc/smol-evil")


@isolated
def test_a_missing_package_is_not_run_but_a_missing_project_module_fails():
    app = "from django.http import HttpResponse\n"  # a package this machine lacks
    [result] = run_examples({"app.py": app}, smoke_examples({"app.py": app}))
    assert result.status == "not_run" and "`django`" in result.reason
    custom = {"main.py": "import smolnotapkg\n", "requirements.txt": "smolnotapkg==0.4\n"}
    assert run_examples(custom, smoke_examples(custom))[0].status == "not_run"
    mine = {"main.py": "import storage\n"}  # a module of the project that was never written
    assert run_examples(mine, smoke_examples(mine))[0].status == "fail"


@isolated
def test_the_projects_own_tests_run_as_examples_and_a_failure_names_the_code():
    code = {"calc.py": "def add(a, b):\n    return a - b\n"}
    tests = (
        "import unittest\nfrom calc import add\n\n\nclass T(unittest.TestCase):\n"
        "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n"
    )
    files = {**code, "test_calc.py": tests}
    examples = [e for e in smoke_examples(files) if e.source == "tests"]
    assert examples[0].commands[0].args == ("python", "-m", "unittest", "test_calc.py")
    [failed] = run_examples(files, examples)
    assert failed.status == "fail" and "AssertionError" in failed.detail
    from smol_core.steps.heal import heal_targets

    # The code is repaired first: a test rewritten to pass proves nothing.
    assert list(heal_targets([failed], files, None))[0] == "calc.py"
    fixed = {**files, "calc.py": "def add(a, b):\n    return a + b\n"}
    assert run_examples(fixed, examples)[0].status == "pass"


def test_a_page_step_on_an_element_nobody_named_is_dropped():
    raw = {
        "examples": [
            {
                "kind": "page",
                "name": "adds",
                "page": "index.html",
                "steps": [
                    {"action": "click", "target": "increment"},
                    {"action": "click", "target": "#guessed-id"},
                    {"action": "text", "target": "count", "value": "1"},
                ],
            }
        ]
    }
    spec = "A button `increment` adds 1 to the number shown."
    [example] = parse_examples(raw, spec, {"index.html": ""}, plan="The total is in `#count`.")
    assert [s.target for s in example.steps] == ["increment", "count"]


@isolated
def test_an_example_naming_an_input_file_it_never_gives_is_not_run():
    wc = "import sys\nprint(len(open(sys.argv[1], encoding='utf-8').read().split()))\n"
    raw = {
        "examples": [
            {
                "kind": "command",
                "name": "counts",
                "commands": [{"args": ["python", "wc.py", "sample.txt"], "output": "4"}],
            }
        ]
    }
    examples = parse_examples(raw, "prints only that number, for example `4`", {"wc.py": wc})
    [result] = run_examples({"wc.py": wc}, examples)
    assert result.status == "not_run" and "`sample.txt`" in result.reason
    given = [replace(examples[0], input_files=(("sample.txt", "one two three four\n"),))]
    assert run_examples({"wc.py": wc}, given)[0].status == "pass"
    broken = {"wc.py": wc.replace("sys.argv[1]", "'missing.txt'")}  # the code's own mistake
    assert run_examples(broken, given)[0].status == "fail"


def test_an_invented_input_file_keeps_the_run_but_not_the_expected_output():
    spec = "`python wc.py PATH` prints only the number of words, for example `4`."
    raw = {
        "examples": [
            {
                "kind": "command",
                "name": "counts",
                "input_files": [
                    {"path": "sample.txt", "content": "hello brave new world out there"}
                ],
                "commands": [{"args": ["python", "wc.py", "sample.txt"], "output": "4"}],
            }
        ]
    }
    [example] = parse_examples(raw, spec, {"wc.py": ""})
    assert example.input_files == (("sample.txt", "hello brave new world out there"),)
    assert example.commands[0].output is None  # 4 is the spec's count of another text
    given = "The file `a.txt` holds `one two three four`; `python wc.py a.txt` prints `4`."
    raw["examples"][0]["input_files"] = [{"path": "a.txt", "content": "one two three four"}]
    raw["examples"][0]["commands"][0]["args"][2] = "a.txt"
    assert parse_examples(raw, given, {"wc.py": ""})[0].commands[0].output == "4"
    raw["examples"][0]["input_files"] = [{"path": "wc.py", "content": "print(4)"}]
    assert parse_examples(raw, given, {"wc.py": ""})[0].input_files == ()  # never over the code


@isolated
def test_a_program_that_reports_a_missing_input_file_itself_is_not_failed_for_it():
    wc = (
        "import sys\ntry:\n    print(len(open(sys.argv[1]).read().split()))\n"
        "except FileNotFoundError:\n    print('File not found:', sys.argv[1])\n"
        "    sys.exit(1)\n"
    )
    raw = {
        "examples": [
            {
                "kind": "command",
                "name": "counts",
                "commands": [{"args": ["python", "wc.py", "notes.txt"], "output": "4"}],
            }
        ]
    }
    examples = parse_examples(raw, "prints only that number, for example `4`", {"wc.py": wc})
    assert run_examples({"wc.py": wc}, examples)[0].status == "not_run"
    calc = {"calc.py": "import sys\nsys.exit(1)\n"}  # a decimal number is not a file
    run = parse_examples(
        {
            "examples": [
                {
                    "kind": "command",
                    "name": "c",
                    "commands": [{"args": ["python", "calc.py", "3.5"]}],
                }
            ]
        },
        "",
        calc,
    )
    assert run_examples(calc, run)[0].status == "fail"


def test_examples_written_out_in_the_spec_are_read_without_the_model():
    from smol_core.spec_reading.model_examples import merged
    from smol_core.spec_reading.written_examples import spec_examples

    spec = """`todo.py` keeps a list. Running `python todo.py add milk` prints `Added: milk`, and
then `python todo.py count`
prints exactly: `1`. Usage: `python todo.py add ITEM` prints `Added: ITEM`.
`python greet.py Ann` → `Hello, Ann!`; `rm -rf /` prints `gone`; `python other.py` prints `x`.
"""
    files = {"todo.py": "", "greet.py": ""}
    found = spec_examples(spec, files)
    assert [[(c.args, c.output) for c in e.commands] for e in found] == [
        [(("python", "todo.py", "add", "milk"), "Added: milk"),
         (("python", "todo.py", "count"), "1")],  # one session: `count` after the `add`
        [(("python", "greet.py", "Ann"), "Hello, Ann!")],
    ]  # fmt: skip  # a usage line with a placeholder, a foreign command, a missing file: left out
    from_model = parse_examples(
        {
            "examples": [
                {
                    "kind": "command",
                    "name": "m",
                    "commands": [{"args": ["python", "todo.py", "count"]}],
                },
                {
                    "kind": "command",
                    "name": "n",
                    "commands": [{"args": ["python", "todo.py", "list"]}],
                },
            ]
        },
        spec,
        files,
    )
    assert [e.name for e in merged(found, from_model)][-1] == "n"  # `count` was already there
    assert len(merged(found, from_model)) == 3


def test_outputs_the_spec_lists_after_a_command_are_read_as_lines_or_as_parts():
    from smol_core.spec_reading.written_examples import spec_examples

    def expected(spec):
        [example] = spec_examples(spec, {"t.py": ""})
        return example.commands[0].output, example.commands[0].contains

    lines = "`python t.py 50 20` prints two lines: `Tip: 10.00` and then `Total: 60.00`."
    assert expected(lines) == ("Tip: 10.00\nTotal: 60.00", ())
    assert expected("`python t.py` prints `a`, `b` and `c`.") == (None, ("a", "b", "c"))
    assert expected("`python t.py` prints `yes` or `no`.") == (None, ())  # either: not known
    assert expected("`python t.py 4` prints `IV`. Then `V` is next.") == ("IV", ())
    two = "`python t.py add x` prints `added x`, and `python t.py list` prints `1. x`."
    [session] = spec_examples(two, {"t.py": ""})  # the next command is not more output
    assert [c.output for c in session.commands] == ["added x", "1. x"]


SHOP = """import json, os, sys
items = json.load(open("shop.json")) if os.path.exists("shop.json") else []
if sys.argv[1] == "add":
    items.append(sys.argv[2])
    print("added", sys.argv[2])
elif sys.argv[1] == "list":
    for n, item in enumerate(items, 1):
        print(f"{n}. {item}")
else:
    items = []
    print("cleared")
json.dump(items, open("shop.json", "w"))
"""


@isolated
def test_one_programs_subcommands_the_spec_writes_out_run_as_one_session():
    from smol_core.spec_reading.written_examples import spec_examples

    spec = """`python shop.py list` prints each item numbered: `1. eggs`.
`python shop.py clear` prints `cleared`. `python shop.py add eggs` prints `added eggs`.
`python roman.py 4` prints `IV`; `python roman.py 9` prints `IX`."""
    found = spec_examples(spec, {"shop.py": SHOP, "roman.py": ""})
    assert [[c.args[2] for c in e.commands] for e in found] == [
        ["add", "list", "clear"], ["4"], ["9"]]  # fmt: skip  # made, then read, then taken away
    [session] = run_examples({"shop.py": SHOP}, found[:1])
    assert session.status == "pass", session.reason
    # Run alone, `list` fails the right program: nothing was added in its folder.
    alone = replace(found[0], commands=found[0].commands[1:2])
    assert run_examples({"shop.py": SHOP}, [alone])[0].status == "fail"


@isolated
@needs_browser
def test_a_page_of_es_modules_is_checked_from_an_origin_of_its_own():
    page = PAGE.replace("<script src='app.js'>", "<script type='module' src='app.js'>")
    app = "import { add } from './count.js';\n" + APP.replace(
        "Number(c.textContent) + 1", "add(Number(c.textContent), 1)"
    )
    files = {"index.html": page, "app.js": app, "count.js": "export const add = (a, b) => a + b;\n"}
    spec = "A button `increment` adds 1 to the number in `count`, which starts at 0."
    raw = {
        "examples": [
            {
                "kind": "page",
                "name": "adds one",
                "page": "index.html",
                "steps": [
                    {"action": "click", "target": "increment"},
                    {"action": "text", "target": "count", "value": "1"},
                ],
            }
        ]
    }
    [result] = run_examples(files, parse_examples(raw, spec, files))
    assert result.status == "pass", result.reason
    broken = {**files, "count.js": "export const sum = (a, b) => a + b;\n"}  # a wrong name
    [failed] = run_examples(broken, parse_examples(raw, spec, files))
    assert failed.status == "fail" and "add" in failed.reason


@isolated
def test_a_server_started_as_a_plain_command_is_not_failed_for_running_on():
    server = (
        "from http.server import HTTPServer, BaseHTTPRequestHandler\n"
        "HTTPServer(('127.0.0.1', 8000), BaseHTTPRequestHandler).serve_forever()\n"
    )
    raw = {
        "examples": [
            {"kind": "command", "name": "starts", "commands": [{"args": ["python", "server.py"]}]}
        ]
    }
    examples = parse_examples(raw, "", {"server.py": server})
    [result] = run_examples({"server.py": server}, examples, limits=Limits(seconds=2))
    assert result.status == "not_run" and "server" in result.reason
    loop = {"loop.py": "while True:\n    pass\n"}  # not a server: running on is a failure
    ran = parse_examples(
        {
            "examples": [
                {"kind": "command", "name": "l", "commands": [{"args": ["python", "loop.py"]}]}
            ]
        },
        "",
        loop,
    )
    assert run_examples(loop, ran, limits=Limits(seconds=2))[0].status == "fail"


WC = """import sys
try:
    text = open(sys.argv[1]).read()
except FileNotFoundError:
    print("not found")
    sys.exit(1)
print(len(text.splitlines()), len(text.split()), len(text))
"""


@isolated
def test_what_the_spec_feeds_a_command_and_the_status_it_ends_with_are_part_of_its_example():
    from smol_core.spec_reading.written_examples import spec_examples

    given = """With `sales.csv` containing

```
item,amount
tea,2.50
```

`python wc.py sales.csv` prints `2 2 21`. For a file containing "one two\\nthree\\n",
`python wc.py notes.txt` prints `2 3 14`. `python wc.py gone.txt` prints `not found` and
exits with status 1. `echo "a b" | python up.py` prints `A B!`."""
    files = {"wc.py": WC, "up.py": "import sys\nprint(sys.stdin.read().strip().upper() + '!')\n"}
    found = spec_examples(given, files)
    assert [e.input_files for e in found[:2]] == [
        (("sales.csv", "item,amount\ntea,2.50\n"),),
        (("notes.txt", "one two\nthree\n"),),
    ]
    assert [(c.args[1:], c.stdin, c.exit_code) for e in found for c in e.commands] == [
        (("wc.py", "sales.csv"), "", 0),
        (("wc.py", "notes.txt"), "", 0),
        (("wc.py", "gone.txt"), "", 1),
        (("up.py",), "a b\n", 0),
    ]
    assert [(r.status, r.reason) for r in run_examples(files, found)] == [("pass", "")] * 4
    # A redirect reads the file the spec gives; a pipe from a program it can't give is skipped.
    assert [
        c.stdin
        for e in spec_examples(
            given.replace('echo "a b" | python up.py', "python up.py < sales.csv"), files
        )[3:]
        for c in e.commands
    ] == ["item,amount\ntea,2.50\n"]
    assert len(spec_examples(given.replace('echo "a b"', "cat x.txt"), files)) == 3
    assert spec_examples("`printf '%s\\n' hi | python up.py` prints `HI!`.", files) == []
    # A `|` quoted is an argument; a redirect with no file, or of the output, is not run.
    [quoted] = spec_examples('`python up.py "a|b"` prints `A|B!`.', files)
    assert quoted.commands[0].args == ("python", "up.py", "a|b")
    assert spec_examples("`python up.py <` prints `A`. `python up.py > o` prints `B`.", files) == []


def test_an_output_the_spec_gives_only_for_some_cases_is_not_the_whole_output():
    from smol_core.spec_reading.written_examples import spec_examples

    fizz = """`python fizz.py 15` prints the numbers 1 to 15, one per line, but prints `Fizz` for
multiples of 3. So the last line of `python fizz.py 15` is `FizzBuzz`."""
    [example] = spec_examples(fizz, {"fizz.py": ""})
    [command] = example.commands
    assert (command.output, command.contains) == (None, ("FizzBuzz",))
    alone = spec_examples(fizz.split(" So ")[0], {"fizz.py": ""})
    assert [(c.output, c.contains) for e in alone for c in e.commands] == [(None, ())]
    # Said plainly, it is the whole output.
    [plain] = spec_examples("`python fizz.py 3` prints `1`.", {"fizz.py": ""})
    assert plain.commands[0].output == "1"
    # An output told in words and then for instance is contained; another case's output, in a
    # sentence of its own, is not this command's.
    day = """`python day.py 2024-03-01` prints the weekday of the date in English, e.g. `Friday`.
An invalid date prints `invalid date` and exits with status 2."""
    assert [
        (c.output, c.contains, c.exit_code)
        for e in spec_examples(day, {"day.py": ""})
        for c in e.commands
    ] == [(None, ("Friday",), 0)]
    again = "`python c.py 100` prints the result, e.g. `python c.py 100` prints `212.0`."
    assert [
        (c.output, c.contains) for e in spec_examples(again, {"c.py": ""}) for c in e.commands
    ] == [("212.0", ())]
    # A number after "ends" that is no status: none.
    for said in ("ends 3 seconds later", "exits 2 seconds later", "returns 3 results"):
        [later] = spec_examples(f"`python t.py` prints `Done!` and {said}.", {"t.py": ""})
        assert later.commands[0].exit_code == 0, said
    # It fails, with no status given: any status, not guessed.
    [bad] = spec_examples("`python fizz.py x` prints `bad` and exits non-zero.", {"fizz.py": ""})
    assert (bad.commands[0].output, bad.commands[0].exit_code) == ("bad", None)


@isolated
def test_an_output_in_a_block_and_a_terminal_session_in_the_spec_are_examples():
    from smol_core.spec_reading.written_examples import spec_examples

    spec = """`python kv.py set a 1` prints:

```
ok
```

A session:

```
$ python kv.py set name Ada
ok
$ python kv.py get name
Ada
$ python kv.py get gone
not found
```

Another, with a file it can't make: `$ cat store.json` in it.

```
$ cat store.json
{}
$ python kv.py get name
Ada
```
"""
    kv = KV
    found = spec_examples(spec, {"kv.py": kv})
    assert [[(c.args[2:], c.output, c.exit_code) for c in e.commands] for e in found] == [
        [(("set", "a", "1"), "ok", 0)],
        [
            (("set", "name", "Ada"), "ok", 0),
            (("get", "name"), "Ada", 0),
            (("get", "gone"), "not found", None),
        ],  # an error shown, its status not: any status
    ]
    assert [r.status for r in run_examples({"kv.py": kv}, found)] == ["pass", "pass"]
    # A session of one command stays where it is, not folded into another program's session.
    alone = "`python kv.py set a 1` prints `ok`.\n\n```\n$ python kv.py get a\nnot found\n```\n"
    assert [[c.args[2] for c in e.commands] for e in spec_examples(alone, {"kv.py": kv})] == [
        ["set"],
        ["get"],
    ]
    wrong = kv.replace('print("not found")', 'print("missing")')
    assert [r.status for r in run_examples({"kv.py": wrong}, found)] == ["pass", "fail"]


KV = """import json, os, sys
data = json.load(open("store.json")) if os.path.exists("store.json") else {}
if sys.argv[1] == "set":
    data[sys.argv[2]] = sys.argv[3]
    json.dump(data, open("store.json", "w"))
    print("ok")
elif sys.argv[2] in data:
    print(data[sys.argv[2]])
else:
    print("not found")
    sys.exit(1)
"""


GREET = """name = input("Your name? ")
print(f"Hello, {name}!")
while True:
    input("Again? ")  # asks on: the example's answers run out here
"""


@isolated
def test_the_answers_a_spec_types_in_are_the_programs_input():
    from smol_core.spec_reading.written_examples import spec_examples

    spec = "`python greet.py` asks for a name; entering `Ada` prints `Hello, Ada!`."
    [example] = spec_examples(spec, {"greet.py": GREET})
    [command] = example.commands
    assert (command.stdin, command.output, command.contains) == ("Ada\n", None, ("Hello, Ada!",))
    # It asked again after the last answer: judged on what it printed up to then.
    assert run_examples({"greet.py": GREET}, [example])[0].status == "pass"
    wrong = GREET.replace("Hello", "Hi")
    assert run_examples({"greet.py": wrong}, [example])[0].status == "fail"
    crash = GREET.replace('print(f"Hello, {name}!")', 'print(f"Hello, {name}!")\n1 / 0')
    assert run_examples({"greet.py": crash}, [example])[0].status == "fail"
    # Asked with no answer given, or a game of chance: no example of its output.
    assert (
        spec_examples("`python greet.py` asks your name and prints `Hi`.", {"greet.py": ""}) == []
    )
    chance = "`python g.py` picks a random number to guess; entering `50` prints `Too high`."
    assert spec_examples(chance, {"g.py": ""}) == []
    day = "`python d.py` prints today's date, like `2024-03-01`; `python e.py` prints the time now, e.g. `12:00`."
    assert [c.output for e in spec_examples(day, {"d.py": "", "e.py": ""}) for c in e.commands] == [
        None
    ]
    quote = "`python q.py` prints a random quote, like `Carpe diem`. `python q.py` prints `Hi`."
    assert [c.output for e in spec_examples(quote, {"q.py": ""}) for c in e.commands] == [None]


@isolated
def test_what_a_spec_says_of_a_missing_input_file_is_run_on_a_name_that_is_nowhere():
    from smol_core.spec_reading.written_examples import spec_examples

    spec = """For a file containing "one two\\nthree\\n", `python wc.py notes.txt` prints `2 3 14`.
If the file does not exist it prints `error: no such file` and exits with status 1."""
    right = WC.replace('print("not found")', 'print("error: no such file", file=sys.stderr)')
    found = spec_examples(spec, {"wc.py": right})
    missing = found[-1]
    assert (missing.commands[0].args[2], missing.commands[0].contains) == (
        "notes.txt",
        ("error: no such file",),
    )
    assert (missing.commands[0].exit_code, missing.input_files) == (1, ())  # the file not given
    # Said on standard error, as errors rightly are: that counts for an example that fails.
    assert [r.status for r in run_examples({"wc.py": right}, found)] == ["pass", "pass"]
    silent = WC.replace("sys.exit(1)", "sys.exit(0)")
    assert [r.status for r in run_examples({"wc.py": silent}, found)] == ["pass", "fail"]
    # Read through `<`, or no example reads a file the spec gives: nothing to run it on.
    redirected = spec.replace("python wc.py notes.txt", "python wc.py < notes.txt")
    assert [e.name for e in spec_examples(redirected, {"wc.py": right})][1:] == []
    assert len(spec_examples(spec.replace("a file containing", "a file"), {"wc.py": right})) == 1


def test_only_a_file_the_spec_gives_the_content_of_is_written_for_an_example():
    from smol_core.spec_reading.written_examples import spec_examples

    def given(spec):
        files = {"wc.py": "", "grep.py": "", "todo.py": ""}
        return [e.input_files for e in spec_examples(spec, files)]

    # An output after "prints:", a session, a word of the file's lines, several pieces: none.
    assert given("`python wc.py notes.txt` prints:\n\n```\nlines: 2\n```\n") == [()]
    assert given("See `file.txt`:\n\n```\n$ python grep.py foo file.txt\nfoo bar\n```\n") == [()]
    assert given(
        "`python todo.py notes.txt` counts lines of notes.txt containing `TODO` and prints `2`."
    ) == [()]
    assert given(
        "With `notes.txt` containing `buy milk` and `TODO call`, `python todo.py "
        "notes.txt` prints `1`."
    ) == [()]
    # Its name quoted, then a colon or "containing", then the block: that is its content.
    assert given("`notes.txt`:\n\n```\na\nb\n```\n\n`python wc.py notes.txt` prints `2`.") == [
        (("notes.txt", "a\nb\n"),)
    ]


def test_an_output_that_is_one_of_many_or_unknowable_is_not_expected():
    from smol_core.spec_reading.written_examples import spec_examples

    files = {f: "" for f in ("d.py", "p.py", "t.py", "g.py", "s.py", "todo.py")}

    def expected(spec):
        return [(c.output, c.contains) for e in spec_examples(spec, files) for c in e.commands]

    assert expected("`python p.py` prints a password, for example `aZ3kQ9pL`.") == [(None, ())]
    assert expected("`python t.py 5` prints the total, like `5.75`.") == [(None, ("5.75",))]
    block = "{}\n\n```\n$ python {}\n{}\n```\n"
    assert expected(block.format("It rolls a random die:", "d.py", "4")) == []
    assert expected(block.format("A session:", "g.py", "What is your name? Ada\nHi, Ada!")) == []
    assert expected(block.format("Start it:", "s.py", "Serving on http://127.0.0.1:8000")) == []
    assert expected("`python d.py` prints something like:\n\n```\n4\n```\n") == []
    assert expected(block.format("A session:", "todo.py add milk", "Added: milk")) == [
        ("Added: milk", ())
    ]
