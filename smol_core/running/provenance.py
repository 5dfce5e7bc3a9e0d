"""Where a failing Python command's output came from: the project lines that printed it and the
line that ended the program.

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
from collections.abc import Mapping

from ..records import Example
from .sandbox import Limits, Sandbox

TRACER = "_smol_where.py"
TRACE = "_smol_where.json"
MAX_LINES = 10  # entries shown to the repair

_WRAPPER = r"""
import json, os, runpy, sys
ROOT = os.getcwd()
HERE = os.path.abspath(__file__)
events = []

def where(frame):
    while frame is not None:
        name = os.path.abspath(frame.f_code.co_filename)
        if name.startswith(ROOT + os.sep) and name != HERE:
            return os.path.relpath(name, ROOT), frame.f_lineno
        frame = frame.f_back
    return None

class Out:
    def __init__(self, real, kind):
        self._real, self._kind = real, kind
    def write(self, text):
        spot = where(sys._getframe(1))
        if spot and len(events) < 400:
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

script = os.path.abspath(sys.argv[1])
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(script)
sys.stdout, sys.stderr = Out(sys.stdout, "out"), Out(sys.stderr, "err")
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as exc:
    tb, spot = exc.__traceback__, None
    while tb is not None:  # the innermost frame of the project's own code
        name = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if name.startswith(ROOT + os.sep) and name != HERE:
            spot = (os.path.relpath(name, ROOT), tb.tb_lineno)
        tb = tb.tb_next
    if spot:
        code = exc.code if isinstance(exc.code, int) or exc.code is None else 1
        events.append(["exit", spot[0], spot[1], code or 0])
    save()
    raise
save()
"""


def python_program(args: tuple[str, ...], contents: Mapping[str, str]) -> str | None:
    """The project's Python file a command runs (`python notes.py list`), else None."""
    if len(args) >= 2 and args[0] in ("python", "python3") and args[1] in contents:
        return args[1] if args[1].endswith(".py") else None
    return None


def where_from(
    contents: Mapping[str, str],
    example: Example,
    failing: int,
    *,
    limits: Limits | None = None,
    allow_unisolated: bool = False,
    cancel: threading.Event | None = None,
) -> str:
    """For the repair: which project lines printed the output of command `failing` (0-based)
    of a command example, and which ended it. "" when there is nothing to say."""
    if not 0 <= failing < len(example.commands) or TRACER in contents:
        return ""
    command = example.commands[failing]
    if not python_program(command.args, contents):
        return ""
    with Sandbox(contents, limits, allow_unisolated=allow_unisolated, cancel=cancel) as box:
        for path, text in example.input_files:
            box.write(path, text)
        for earlier in example.commands[:failing]:
            box.run(earlier.args, earlier.stdin)
        box.write(TRACER, _WRAPPER)
        ran = box.run(("python", TRACER, *command.args[1:]), command.stdin)
        raw = box.read(TRACE, 256 << 10)
    if ran.stopped or ran.timed_out or not raw:
        return ""
    try:
        events = json.loads(raw)
    except ValueError:
        return ""
    return describe(events, contents)


def describe(events: list, contents: Mapping[str, str]) -> str:
    """The trace as lines a model reads: consecutive writes from one line are one entry."""
    entries: list[list] = []  # [kind, path, line, text or code, writes]
    for kind, path, line, value in events:
        if path not in contents or not isinstance(line, int):
            continue
        last = entries[-1] if entries else None
        if kind in ("out", "err") and last and last[:3] == [kind, path, line]:
            last[3] += value
            continue
        entries.append([kind, path, line, value])
    if not entries:
        return ""
    out: list[str] = []
    said = ""
    for kind, path, line, value in entries[:MAX_LINES]:
        because = _because(contents[path], line)
        # Said once for a run of lines under the same test.
        source = f"`{_line(contents[path], line)}`" + (because if because != said else "")
        said = because
        if kind == "exit":
            out.append(f"- `{path}` line {line}, {source}: ended the program with exit "
                       f"status {value}")  # fmt: skip
            continue
        printed = value.rstrip("\n")
        if not printed.strip():
            continue
        lines = printed.count("\n") + 1
        shown = printed.replace("\n", "⏎")
        shown = shown if len(shown) <= 100 else shown[:99] + "…"
        many = f" ({lines} lines)" if lines > 1 else ""
        where = "printed" if kind == "out" else "wrote to stderr"
        out.append(f'- `{path}` line {line}, {source}: {where} "{shown}"{many}')
    if len(entries) > MAX_LINES:
        out.append(f"- … and {len(entries) - MAX_LINES} more")
    if not out:
        return ""
    return "Where that output came from (the project's lines, in the order they ran):\n" + (
        "\n".join(out)
    )


def _because(text: str, number: int) -> str:
    """The innermost `if` the line ran under, and which way it went: the cause of a wrong exit
    is usually the test above the `sys.exit`, not the exit."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ""
    best: tuple[int, str] | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or node.test.lineno == number:
            continue
        for branch, way in ((node.body, "true"), (node.orelse, "false")):
            inside = branch and branch[0].lineno <= number <= (branch[-1].end_lineno or 0)
            if inside and (best is None or node.lineno > best[0]):
                test = ast.get_source_segment(text, node.test) or "?"
                best = (node.lineno, f" (under `if {test}:` on line {node.lineno}, {way})")
    return best[1] if best else ""


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    source = lines[number - 1].strip() if 0 < number <= len(lines) else "?"
    return source if len(source) <= 120 else source[:119] + "…"
