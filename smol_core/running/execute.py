"""Run a project's examples, each over its own temporary copy, and say what each gave.

Blocking (processes and a browser): the pipeline calls `run_examples` in a worker thread. Each
result names the project files it concerns, which are what a repair is given to rewrite.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..quality.checks import referenced_paths
from ..records import Command, Example, ExampleResult
from .browser import extension_popup, run_page
from .programs import imported_modules, refusal
from .provenance import trace_failure
from .sandbox import Limits, RunResult, Sandbox

DETAIL_CHARS = 2500  # what a repair request is shown of a failing run
_TRACE_FILE = re.compile(r'File "(?:[^"]*/project/)?([^"]+)", line (\d+)')
_NODE_FILE = re.compile(r"/project/([\w./-]+\.m?js):\d+")


def run_examples(
    contents: Mapping[str, str],
    examples: Sequence[Example],
    *,
    limits: Limits | None = None,
    allow_unisolated: bool = False,
    on_result: Callable[[int, ExampleResult], None] | None = None,
    on_start: Callable[[int, Example], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[ExampleResult]:
    """Run every example; one that breaks in any way is a failed example, never an exception.
    Once `cancel` is set, the command running is killed and no other example starts: the
    results returned are those that finished (the one stopped is "not run")."""
    results = []
    popup = extension_popup(contents)
    for index, example in enumerate(examples):
        if cancel is not None and cancel.is_set():
            break
        if on_start is not None:
            on_start(index, example)
        started = time.monotonic()
        with Sandbox(contents, limits, allow_unisolated=allow_unisolated, cancel=cancel) as box:
            result = _run_one(example, box, contents, popup)
        where = trace_failure(
            contents,
            example,
            result,
            _run_server,
            limits=limits,
            allow_unisolated=allow_unisolated,
            cancel=cancel,
        )
        if where:
            result = replace(result, detail=f"{result.detail}\n\n{where}")
        if not result.seconds:
            result = _with_seconds(result, time.monotonic() - started)
        results.append(result)
        if on_result is not None:
            on_result(index, result)
    return results


def pytest_installed() -> bool:
    """Whether the interpreter the examples run on (this one: sandbox) can import pytest."""
    return importlib.util.find_spec("pytest") is not None


def _with_seconds(result: ExampleResult, seconds: float) -> ExampleResult:
    return replace(result, seconds=round(seconds, 3))


def _run_one(
    example: Example, box: Sandbox, contents: Mapping[str, str], popup: str | None
) -> ExampleResult:
    for path, text in example.input_files:
        try:
            box.write(path, text)
        except ValueError as exc:
            return ExampleResult(example.name, "refused", f"input file {path!r}: {exc}")
    if example.page:
        return run_page(example, box, popup)
    if example.kind == "server":
        return _run_server(example, box, contents)
    if example.kind in ("call", "smoke"):
        return _run_call(example, box, contents)
    return _run_commands(example, box, contents)


def _run_commands(example: Example, box: Sandbox, contents: Mapping[str, str]) -> ExampleResult:
    files: list[str] = []
    for number, command in enumerate(example.commands, 1):
        why = refusal(command.args, contents)
        if why:
            return ExampleResult(example.name, "refused", f"refused before running: {why}")
        files += [f for f in concerned(command.args, "", contents) if f not in files]
        if tuple(command.args[:3]) == ("python", "-m", "pytest") and not pytest_installed():
            # The tool is missing, not the code wrong: a failure would send it to be rewritten.
            return ExampleResult(
                example.name,
                "not_run",
                "not run: pytest is not installed here",
                reached=number - 1,
                files=tuple(files),
            )
        result = box.run(command.args, command.stdin)
        verdict = _judge(command, result, box)
        step = f"command {number} of {len(example.commands)}: " if len(example.commands) > 1 else ""
        if verdict is not None:
            status, reason = verdict
            files = concerned(command.args, result.stderr, contents) or files
            return ExampleResult(
                example.name,
                status,
                step + reason,
                reached=number - 1,
                detail=_detail(command, result),
                files=tuple(files),
                printed=result.stdout[:DETAIL_CHARS],
            )
    return ExampleResult(example.name, "pass", files=tuple(files))


def _run_call(example: Example, box: Sandbox, contents: Mapping[str, str]) -> ExampleResult:
    box.write("_smol_example.py", example.code + "\n")
    expect = example.commands[0] if example.commands else Command(())
    command = replace(expect, args=("python", "_smol_example.py"))
    result = box.run(command.args, command.stdin)
    files = tuple(imported_modules(example.code, contents))
    verdict = _judge(command, result, box)
    if verdict is None:
        return ExampleResult(example.name, "pass", files=files)
    status, reason = verdict
    traced = [f for f in concerned((), result.stderr, contents) if f != "_smol_example.py"]
    return ExampleResult(
        example.name,
        status,
        reason,
        detail=f"The code run:\n{example.code}\n\n" + _detail(command, result),
        files=tuple(dict.fromkeys([*traced, *files])),
    )


def _run_server(example: Example, box: Sandbox, contents: Mapping[str, str]) -> ExampleResult:
    """Start the server and send the requests from a driver in the same sandbox (the network
    there is the sandbox's own loopback, which nothing outside can reach)."""
    start = example.commands[0]
    why = refusal(start.args, contents)
    if why:
        return ExampleResult(example.name, "refused", f"refused before running: {why}")
    requests = [[r.path, r.status, list(r.contains)] for r in example.requests]
    box.write(
        "_smol_driver.py",
        _DRIVER.format(args=list(start.args), port=example.port, requests=requests),
    )
    result = box.run(("python", "_smol_driver.py"))
    files = tuple(concerned(start.args, result.stderr, contents))
    if result.reason.startswith("not run") or result.stopped:
        why = result.reason if not result.stopped else f"not run: {result.reason}"
        return ExampleResult(example.name, "not_run", why, files=files)
    lines = result.stdout.strip().splitlines()
    verdict = lines[-1] if lines else ""
    if verdict == "PASS":
        return ExampleResult(example.name, "pass", files=files)
    reason = (
        verdict.removeprefix("FAIL ")
        if verdict.startswith("FAIL ")
        else (result.reason or "the server check did not finish")
    )
    reached = sum(1 for line in lines if line == "ANSWERED")
    return ExampleResult(
        example.name, "fail", reason, detail=_cap(result.stderr), files=files, reached=reached
    )


_DRIVER = """\
import json, socket, subprocess, sys, time, urllib.error, urllib.request
subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True)
args = {args!r}
args[0] = sys.executable if args[0] in ("python", "python3") else args[0]
server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
def fail(why):
    server.kill()
    out, err = server.communicate(timeout=5)
    sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    print("FAIL " + why)
    sys.exit(0)
deadline = time.time() + 8
while True:
    if server.poll() is not None:
        fail("the server ended before it listened on port {port} (exit status %s)" % server.returncode)
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=0.5).close()
        break
    except OSError:
        if time.time() > deadline:
            fail("nothing listened on port {port} within 8 s")
        time.sleep(0.1)
for path, status, contains in {requests!r}:
    try:
        with urllib.request.urlopen("http://127.0.0.1:{port}" + path, timeout=5) as r:
            got, body = r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        got, body = e.code, e.read().decode("utf-8", "replace")
    except Exception as e:
        fail("GET %s: %s" % (path, e))
    if got != status:
        fail("GET %s: expected status %s, got %s" % (path, status, got))
    squashed = "".join(body.split())
    for text in contains:
        if text not in body and "".join(text.split()) not in squashed:
            fail("GET %s: expected the answer to contain %r, got %r" % (path, text, body[:200]))
    print("ANSWERED", flush=True)
server.kill()
print("PASS")
"""


# `python -m x` says it without quotes: "No module named x".
_NO_MODULE = re.compile(r"No module named '?([\w.]+)'?|Cannot find (?:module|package) '([^']+)'")
_NO_SCREEN = ("no display name", "couldn't connect to display", "No available video device")


# Packages people ask for by name; any other missing module counts as a package only where the
# project declares it (requirements.txt, pyproject.toml, package.json).
_KNOWN_PACKAGES = frozenset(
    [
        "flask",
        "fastapi",
        "django",
        "requests",
        "numpy",
        "pandas",
        "matplotlib",
        "scipy",
        "sklearn",
        "pygame",
        "PIL",
        "bs4",
        "yaml",
        "dotenv",
        "click",
        "typer",
        "rich",
        "tqdm",
        "sqlalchemy",
        "pydantic",
        "uvicorn",
        "aiohttp",
        "httpx",
        "jinja2",
        "streamlit",
        "tkinter",
        "torch",
        "tensorflow",
        "openai",
        "express",
        "react",
        "vue",
        "axios",
        "lodash",
        "chalk",
        "commander",
        "pytest",
    ]
)
_DECLARED = ("requirements.txt", "pyproject.toml", "package.json", "setup.py", "Pipfile")


_SERVER = re.compile(
    r"serve_forever|HTTPServer|socketserver|\.listen\(|app\.run\(|uvicorn\.run|"
    r"createServer|run_simple|web\.run_app"
)


def _serves(command: Command, box: Sandbox) -> bool:
    program = next((a for a in command.args[1:] if box.exists(a)), None)
    return bool(program and _SERVER.search(box.read(program) or ""))


def _absent_input(command: Command, stderr: str, box: Sandbox) -> str:
    """A file the failed command was given as an argument that is nowhere: not in the project,
    not among the example's input files, not left by the run. The example is incomplete, not
    the code (a program that says "File not found" and exits 1 is right to)."""
    for arg in command.args[2:]:
        name = arg.rsplit("/", 1)[-1]
        if arg.startswith("-") or "." not in name.strip(".") or "=" in arg or box.exists(arg):
            continue
        if re.fullmatch(r"[\d.,eE+-]+", arg) or "://" in arg:
            continue  # a number (3.5) or an address, not a file
        return arg
    return ""


def unmet_need(stderr: str, box: Sandbox) -> str:
    """Why a failure says nothing about the code ("" when it does): it needs a package this
    machine doesn't have, or a screen. Such an example is *not run*: rewriting the code to do
    without the package the spec asked for would make it worse. A missing module of the
    project's own (a file never written) is a real failure."""
    if any(s in stderr for s in _NO_SCREEN):
        return "not run: it needs a screen, which this machine doesn't have"
    declared = " ".join((box.read(name) or "") for name in _DECLARED).lower()
    for match in _NO_MODULE.finditer(stderr):
        name = match.group(1) or match.group(2)
        top = name.split(".")[0].split("/")[0]
        if top in _KNOWN_PACKAGES or (top and top.lower() in declared):
            return f"not run: it needs the package `{top}`, which is not installed here"
    return ""


def _judge(command: Command, result: RunResult, box: Sandbox) -> tuple[str, str] | None:
    """None when the command did what it should, else (status, why in one line)."""
    if result.reason.startswith("not run"):
        return "not_run", result.reason
    if result.stopped:
        return "not_run", f"not run: {result.reason}"
    if result.exit_code != 0 and (need := unmet_need(result.stderr, box)):
        return "not_run", need
    if (
        result.exit_code != 0
        and command.exit_code == 0  # an example that expects it to fail may name a missing file
        and (absent := _absent_input(command, result.stderr, box))
    ):
        return "not_run", f"not run: the example names the input file `{absent}` but gives none"
    if result.timed_out and command.output is None and _serves(command, box):
        # A server runs until it is stopped: still running at the limit is what it should do.
        return (
            "not_run",
            "not run: it is a server, which runs until stopped (a server check asks it)",
        )
    if result.timed_out:
        return "fail", result.reason
    out = _normal(result.stdout)
    if command.stdin and _last_line(result.stderr).startswith("EOFError"):
        # It asked again after the answers the example gives: a person's session ends there
        # (Ctrl-D). What it printed up to then is what is judged.
        command = replace(command, exit_code=None)
        result = replace(result, stderr="")
    if command.exit_code is not None and result.exit_code != command.exit_code:
        tail = _last_line(result.stderr)
        return "fail", f"expected exit status {command.exit_code}, got {result.exit_code}" + (
            f" ({result.reason}: {tail})"
            if tail
            else f" ({result.reason})"
            if result.reason
            else ""
        )
    if "Traceback (most recent call last)" in result.stderr:
        return "fail", f"it raised an error: {_last_line(result.stderr)}"
    # An error's message may rightly go to standard error: for an example that expects it to
    # fail, what it wrote there counts too.
    outs = [out] if command.exit_code == 0 else [out, _normal(result.stderr)]
    if command.output is not None and _normal(command.output) not in outs:
        return "fail", f'expected "{_short(command.output)}", got "{_short(result.stdout)}"'
    for text in command.contains:
        if not any(_normal(text) in o for o in outs):
            return (
                "fail",
                f'expected the output to contain "{_short(text)}", got "{_short(result.stdout)}"',
            )
    if any(_normal(text) == out for text in command.not_output):
        return "fail", f'it still prints "{_short(result.stdout)}", which was said to be wrong'
    for path in command.files:
        if not box.exists(path):
            return "fail", f"expected it to leave the file {path}, which is not there"
    return None


def concerned(args: Sequence[str], stderr: str, contents: Mapping[str, str]) -> list[str]:
    """The project files a command's failure concerns: the files its traceback names
    (innermost first), then the program it runs and the project files that one imports."""
    traced = [m.group(1) for m in _TRACE_FILE.finditer(stderr)] + [
        m.group(1) for m in _NODE_FILE.finditer(stderr)
    ]
    files = [p for p in reversed(traced) if p in contents]
    entry = next((a for a in args[1:] if a in contents), None)
    if args[1:2] == ["-m"] and len(args) > 2:
        base = args[2].replace(".", "/")
        entry = next((c for c in (f"{base}.py", f"{base}/__main__.py") if c in contents), entry)
    if entry:
        files.append(entry)
        files += sorted(referenced_paths(entry, contents[entry], contents))
    return list(dict.fromkeys(f for f in files if f in contents))


def _normal(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _short(text: str, limit: int = 120) -> str:
    one = _normal(text).replace("\n", "⏎")
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def _cap(text: str, limit: int = DETAIL_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def _detail(command: Command, result: RunResult) -> str:
    """What a repair is shown: the command, what was expected, what happened (trimmed)."""
    parts = [f"Command: {' '.join(command.args)}"]
    if command.stdin:
        parts.append("Input given:\n" + textwrap.shorten(command.stdin, 300))
    if command.output is not None:
        parts.append("Expected output:\n" + command.output.strip())
    if command.contains:
        parts.append(
            "Expected the output to contain: " + ", ".join(repr(c) for c in command.contains)
        )
    parts.append(
        f"Exit status: {result.exit_code}" + (f" ({result.reason})" if result.reason else "")
    )
    parts.append("Actual output:\n" + (_cap(result.stdout, 1200) or "(nothing)"))
    if result.stderr.strip():
        parts.append("Error output:\n" + _cap(result.stderr, 1500))
    return "\n\n".join(parts)
