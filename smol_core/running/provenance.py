"""Where a failing example's result came from, for its repair: the project lines that printed
a command's output and ended it, how a call's values went line by line, which line gave each
of a server's answers. `trace_failure` decides whether there is anything to trace.

A traceback points a repair at the line that broke; a wrong output or exit status points
nowhere, and the 1.5B model, shown only the command, what was expected and what came out,
wrote such files back unchanged (a `notes.py list` that exited 1 on `len(sys.argv) != 3`, a
converter printing `100.0°F = 37.8°C` where `212.0` was asked). So the failing command is run
once more, in a fresh copy with the example's earlier commands replayed, under a small wrapper
that notes the caller of each write to stdout and the line a `SystemExit` came from. The
wrapper runs inside the sandbox like any command; the verdict is never taken from this run.
"""

from __future__ import annotations

import ast
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace

from ..records import Example, ExampleResult
from .sandbox import Limits, Sandbox

TRACER = "_smol_where.py"
TRACE = "_smol_where.json"
CALL = "_smol_call.py"  # a call example's code, traced
MAX_LINES = 10  # entries shown to the repair
# How a trace is headed, by what it follows: values (a call), answers (a server), output.
TITLES = (
    "How the values went (the project's lines as they ran, and what each set):",
    "Where the answers came from (the project's lines, in the order they ran):",
    "Where that output came from (the project's lines, in the order they ran):",
)
_KINDS = frozenset({"out", "err", "exit", "set", "return", "ran", "status"})
_STEPS = ("set", "return", "ran")

_WRAPPER = r"""
import json, os, runpy, sys
ROOT = os.getcwd()
events = []
quiet = []

def own(frame):
    # A file of the project: "<frozen importlib...>" and "<string>" are not paths.
    name = frame.f_code.co_filename
    if os.path.isabs(name) and name.startswith(ROOT + os.sep) and "/_smol_" not in name:
        return os.path.relpath(name, ROOT)
    return None

def where(frame):
    while frame is not None:
        path = own(frame)
        if path is not None:
            return path, frame.f_lineno
        frame = frame.f_back
    return None

class Out:
    def __init__(self, real, kind):
        self._real, self._kind = real, kind
    def write(self, text):
        spot = where(sys._getframe(1))
        if spot and len(events) < 400 and not quiet:
            events.append([self._kind, spot[0], spot[1], str(text)[:300]])
        return self._real.write(text)
    def __getattr__(self, name):
        return getattr(self._real, name)

def save():
    try:
        with open(os.path.join(ROOT, "_smol_where.json"), "w", encoding="utf-8") as f:
            json.dump(events, f)
    except Exception:
        pass


seen = {}  # frame -> (line it is on, its locals then)

def answered(original):
    # A server is killed, never ends: each answer is saved as it is given.
    def send(self, code, *args, **kwargs):
        spot = where(sys._getframe(1))
        if spot and len(events) < 400:
            events.append(["status", spot[0], spot[1], "%s %s" % (self.command, self.path)
                           + " -> %s" % code])
            save()
        quiet.append(1)  # its access log line is not the program's output
        try:
            return original(self, code, *args, **kwargs)
        finally:
            quiet.pop()
    return send

try:
    import http.server as hs
    hs.BaseHTTPRequestHandler.send_response = answered(hs.BaseHTTPRequestHandler.send_response)
    hs.BaseHTTPRequestHandler.send_error = answered(hs.BaseHTTPRequestHandler.send_error)
except Exception:
    pass

def shown(value):
    try:
        if len(value) > 200:  # a big container: its repr at every line would cost seconds
            return "<%s of %d items>" % (type(value).__name__, len(value))
    except Exception:
        pass
    try:
        text = repr(value)
    except Exception:
        return "<%s>" % type(value).__name__
    return text if len(text) <= 80 else text[:79] + "..."

def values(frame, event, arg):
    path = own(frame)
    if path is None or frame.f_code.co_name == "<module>":  # a module's globals: noise
        return None
    if event in ("line", "return"):
        line, before = seen.get(frame, (None, {}))
        # Each value's repr once per line: this runs for every line the call executes.
        now = {k: shown(v) for k, v in frame.f_locals.items()
               if not k.startswith("__") and not callable(v) and type(v).__name__ != "module"}
        changed = [k for k, text in now.items() if before.get(k) != text]
        if line is not None and len(events) < 200:
            for name in changed:
                events.append(["set", path, line, name + " = " + now[name]])
            if not changed and event == "line":  # a return says what it returned instead
                events.append(["ran", path, line, ""])
        if event == "return" and len(events) < 200:
            events.append(["return", path, frame.f_lineno, shown(arg)])
        seen[frame] = (frame.f_lineno, now)
    return values

if sys.argv[1] == "--values":  # a call example: how the values went in the project's lines
    del sys.argv[1]
    sys.settrace(values)
script = os.path.abspath(sys.argv[1])
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(script)
sys.stdout, sys.stderr = Out(sys.stdout, "out"), Out(sys.stderr, "err")
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as exc:
    tb, spot = exc.__traceback__, None
    while tb is not None:  # the innermost frame of the project's own code
        path = own(tb.tb_frame)
        if path is not None:
            spot = (path, tb.tb_lineno)
        tb = tb.tb_next
    if spot:
        code = exc.code if isinstance(exc.code, int) or exc.code is None else 1
        events.append(["exit", spot[0], spot[1], code or 0])
    save()
    raise
finally:
    sys.settrace(None)
save()
"""


def python_program(args: tuple[str, ...], contents: Mapping[str, str]) -> str | None:
    """The project's Python file a command runs (`python notes.py list`), else None."""
    if len(args) >= 2 and args[0] in ("python", "python3") and args[1] in contents:
        return args[1] if args[1].endswith(".py") else None
    return None


def trace_failure(
    contents: Mapping[str, str],
    example: Example,
    result: ExampleResult,
    run_server: Callable[[Example, Sandbox, Mapping[str, str]], object],
    *,
    limits: Limits | None = None,
    allow_unisolated: bool = False,
    cancel: threading.Event | None = None,
) -> str:
    """What a failed example's repair is told of where its output, exit or answers came from;
    "" when there is nothing to say: it passed, a traceback already names the line, it did not
    finish, it is a page, or it is a server that never answered. `run_server` runs a server
    example as the verdict's run did (execute.py), here with the server under the wrapper."""
    if (
        result.status != "fail"
        or example.page
        or TRACER in contents
        or "Traceback (most recent call last)" in result.detail
        or "did not finish" in result.reason
    ):
        return ""

    def fresh() -> Sandbox:
        return Sandbox(contents, limits, allow_unisolated=allow_unisolated, cancel=cancel)

    if example.kind == "server":
        if not result.reason.startswith("GET "):
            return ""  # it never answered (did not listen, ended): no answer to trace
        return _server_where(contents, example, run_server, fresh)
    if example.kind in ("command", "call"):
        return _where_from(contents, example, result.reached, fresh)
    return ""


def _where_from(
    contents: Mapping[str, str], example: Example, failing: int, fresh: Callable[[], Sandbox]
) -> str:
    """Which project lines printed the output of command `failing` (0-based) of a command
    example, and which ended it; for a call example, the values its lines set and returned."""
    if not 0 <= failing < len(example.commands):
        return ""
    command = example.commands[failing]
    call = example.kind == "call" and bool(example.code)
    if not call and not python_program(command.args, contents):
        return ""

    def run(box: Sandbox) -> bool:
        for path, text in example.input_files:
            box.write(path, text)
        for earlier in example.commands[:failing]:
            box.run(earlier.args, earlier.stdin)
        box.write(TRACER, _WRAPPER)
        if call:
            box.write(CALL, example.code + "\n")
            ran = box.run(("python", TRACER, "--values", CALL), command.stdin)
        else:
            ran = box.run(("python", TRACER, *command.args[1:]), command.stdin)
        return not (ran.stopped or ran.timed_out)

    return _traced(contents, fresh, run)


def _server_where(
    contents: Mapping[str, str],
    example: Example,
    run_server: Callable[[Example, Sandbox, Mapping[str, str]], object],
    fresh: Callable[[], Sandbox],
) -> str:
    """The project lines that gave each answer of a server example (a 404 for `/add?a=2&b=3`
    from the `else` of `if self.path == '/add'`)."""
    start = example.commands[0] if example.commands else None
    if start is None or not python_program(start.args, contents):
        return ""
    traced = replace(start, args=("python", TRACER, *start.args[1:]))
    wrapped = replace(example, commands=(traced, *example.commands[1:]))

    def run(box: Sandbox) -> bool:
        box.write(TRACER, _WRAPPER)
        run_server(wrapped, box, {**contents, TRACER: _WRAPPER})
        return True  # a server is always stopped: its answers are saved as they are given

    return _traced(contents, fresh, run)


def _traced(
    contents: Mapping[str, str], fresh: Callable[[], Sandbox], run: Callable[[Sandbox], bool]
) -> str:
    """`run` in a fresh copy of the project, then its trace file read and described."""
    with fresh() as sandbox:
        keep = run(sandbox)
        raw = sandbox.read(TRACE, 256 << 10)
    if not keep or not raw:
        return ""
    try:
        events = json.loads(raw)
    except ValueError:
        return ""
    return describe(events, contents)


def describe(events: list, contents: Mapping[str, str]) -> str:
    """The trace as lines a model reads: consecutive events of one line are one entry."""
    entries: list[list] = []  # [kind, path, line, text or code]
    # The trace file is in the program's own folder: what it holds is hostile like the program.
    wellformed = (
        [e for e in events if isinstance(e, list) and len(e) == 4]
        if isinstance(events, list)
        else []
    )
    for kind, path, line, value in wellformed:
        if not isinstance(path, str) or path not in contents or type(line) is not int:
            continue
        if kind not in _KINDS or isinstance(value, bool) or not isinstance(value, (str, int)):
            continue
        if kind == "exit" and not isinstance(value, int):
            continue
        value = value if kind == "exit" else str(value)[:300]
        last = entries[-1] if entries else None
        if kind in ("out", "err", "set") and last and last[:3] == [kind, path, line]:
            last[3] += f", {value}" if kind == "set" else str(value)
            continue
        if kind in _STEPS and last and last[0] in (*_STEPS, "steps") and last[1:3] == [path, line]:
            # One line run again and again (a comprehension): quoted once, its values in turn.
            if last[0] != "steps":
                last[:] = ["steps", path, line, _step(last[0], last[3])]
            more = _step(kind, value)
            if more and len(last[3]) < 300:
                said = f"{last[3]}; {more}" if last[3] else more
                last[3] = said if len(said) < 300 else said[:299] + "…"
            continue
        entries.append([kind, path, line, value])
    values = any(e[0] in (*_STEPS, "steps") for e in entries)
    most = MAX_LINES + 6 if values else MAX_LINES
    out: list[str] = []
    said = ""
    for kind, path, line, value in entries[:most]:
        because = _because(contents[path], line)
        # Said once for a run of lines under the same test.
        source = f"`{_line(contents[path], line)}`" + (because if because != said else "")
        said = because
        if kind == "exit":
            out.append(
                f"- `{path}` line {line}, {source}: ended the program with exit status {value}"
            )
        elif kind == "set":
            out.append(f"- `{path}` line {line}, {source}: {value}")
        elif kind == "return":
            out.append(f"- `{path}` line {line}, {source}: returned {value}")
        elif kind == "status":
            request, _, code = value.partition(" -> ")
            out.append(f"- `{path}` line {line}, {source}: answered {code} to {request}")
        elif kind == "ran":
            out.append(f"- `{path}` line {line}, {source}: ran, no value changed")
        elif kind == "steps":
            out.append(f"- `{path}` line {line}, {source}, as it ran again and again: {value}")
        elif printed := value.rstrip("\n"):
            lines = printed.count("\n") + 1
            shown = printed.replace("\n", "⏎")
            shown = shown if len(shown) <= 100 else shown[:99] + "…"
            many = f" ({lines} lines)" if lines > 1 else ""
            where = "printed" if kind == "out" else "wrote to stderr"
            out.append(f'- `{path}` line {line}, {source}: {where} "{shown}"{many}')
    if len(entries) > most:
        out.append(f"- … and {len(entries) - most} more")
    if not out:
        return ""
    values_title, answers_title, output_title = TITLES
    title = (
        values_title
        if values
        else answers_title
        if any(e[0] == "status" for e in entries)
        else output_title
    )
    return title + "\n" + "\n".join(out)


def _step(kind: str, value: object) -> str:
    return str(value) if kind == "set" else f"returned {value}" if kind == "return" else ""


def untraced(detail: str) -> str:
    """A failure's detail without the trace of the version that failed: for a file written
    anew, the old lines quoted there anchor a small model to them (slugify: 0 of 10 candidates
    written anew passed with the trace, their one-liner each time; 1 of 8 without it)."""
    cuts = [at for title in TITLES if (at := detail.find("\n\n" + title)) >= 0]
    return detail[: min(cuts)] if cuts else detail


def _because(text: str, number: int) -> str:
    """The innermost `if` the line ran under, and which way it went: the cause of a wrong exit
    is usually the test above the `sys.exit`, not the exit."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ""
    best: tuple[int, str] | None = None
    lines = text.splitlines()
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or node.test.lineno == number:
            continue
        for branch, way in ((node.body, "true"), (node.orelse, "false")):
            inside = branch and branch[0].lineno <= number <= (branch[-1].end_lineno or 0)
            if inside and (best is None or node.lineno > best[0]):
                test = ast.get_source_segment(text, node.test) or "?"
                word = "elif" if lines[node.lineno - 1].lstrip().startswith("elif") else "if"
                best = (node.lineno, f" (under `{word} {test}:` on line {node.lineno}, {way})")
    return best[1] if best else ""


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    source = lines[number - 1].strip() if 0 < number <= len(lines) else "?"
    return source if len(source) <= 120 else source[:119] + "…"
