"""A command-line program whose `argparse` asks every subcommand for every argument is made to
take the ones a command left out as optional, without the model.

The built-in model writes one parser for all of a program's subcommands: `kv.py set NAME VALUE`
and `kv.py get NAME` share `add_argument('value')`, and `get name` ends with "the following
arguments are required: value" (exit 2). Repairs shown that error rewrote the parser into other
mistakes, four times in a row (`IndexError`, nothing printed). The error names the arguments:
each such positional argument takes `nargs="?"`, so it is `None` where it is not given and the
same where it is. The program is run again, and the change is gone back from unless it does
better (heal.run_and_trim).
"""

from __future__ import annotations

import ast
import re

from .trim_output import Trimmed

_REQUIRED = re.compile(r"error: the following arguments are required: ([\w, /-]+)")
OPTIONAL = "takes the arguments a command leaves out as optional"


def optional_arguments(path: str, source: str, detail: str) -> Trimmed | None:
    """`source` with the positional arguments argparse said were missing made optional, or None
    when the error is not argparse's or no `add_argument` call of the file declares them."""
    found = _REQUIRED.search(detail)
    if not path.endswith(".py") or not found:
        return None
    names = {n.strip() for n in found.group(1).split(",") if n.strip()}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    lines = source.split("\n")  # as `ast` counts them (not at \x0c or \u2028)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ends = []  # where `, nargs="?"` goes: right after each call's last argument
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_argument"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in names
            and not any(k.arg in ("nargs", "action", "required", None) for k in node.keywords)
        ):
            last = max(
                [*node.args, *(k.value for k in node.keywords)],
                key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0),
            )
            if last.end_lineno is not None and last.end_col_offset is not None:
                row = lines[last.end_lineno - 1].encode()[: last.end_col_offset].decode()
                ends.append(starts[last.end_lineno - 1] + len(row))
    if not ends:
        return None
    changed = source
    for end in sorted(ends, reverse=True):  # each call's layout and comments kept
        changed = f'{changed[:end]}, nargs="?"{changed[end:]}'
    try:
        ast.parse(changed)
    except SyntaxError:
        return None
    at = source.count("\n", 0, min(ends))  # the first call's last argument's line
    return Trimmed(changed, lines[at].strip(), changed.split("\n")[at].strip(), OPTIONAL)
