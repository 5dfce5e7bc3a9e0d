"""A program that printed the expected value inside words of its own is made to print the value
only, without the model.

The built-in model decorates what it prints: asked for `212.0`, it printed `100.0°F = 212.0°C`
from `print(f"{args.value:.1f}°F = {result:.1f}°C")`, and neither a repair shown that line nor
a file written anew dropped the words (bench.quality, every run). The output says which part
is the value: the print's own text is matched against each line printed, and where exactly one
`print` call printed every line, each time with the expected line as the same one of its
values, that call prints that value alone. The expression stays (never the value printed), so
other inputs still compute theirs.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

MAX_LINES = 50


@dataclass(frozen=True)
class Trimmed:
    """`source` with one print call made to print only its value; `before`/`after`: the call."""

    source: str
    before: str
    after: str


def trimmed_print(source: str, expected: str, printed: str) -> Trimmed | None:
    """The fix, or None when no single print call explains the output that way."""
    want = [line.strip() for line in expected.strip("\n").splitlines()]
    got = [line.strip() for line in printed.strip("\n").splitlines()]
    if not want or len(want) != len(got) or len(got) > MAX_LINES or want == got:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    found = [(call, kept) for call in ast.walk(tree)
             if isinstance(call, ast.Call) and (kept := _value_printed(call, want, got))]  # fmt: skip
    if len(found) != 1:
        return None
    call, kept = found[0]
    before = ast.get_source_segment(source, call) or ""
    after = f"print({kept})"
    start = _offset(source, call.lineno, call.col_offset)
    end = _offset(source, call.end_lineno or call.lineno, call.end_col_offset or 0)
    fixed = source[:start] + after + source[end:]
    try:
        ast.parse(fixed)
    except SyntaxError:
        return None
    return Trimmed(fixed, before, after)


def _value_printed(node: ast.Call, want: list[str], got: list[str]) -> str | None:
    """The source of the one value of `print(...)` that was each expected line, or None."""
    if not isinstance(node.func, ast.Name):
        return None
    if node.func.id != "print" or node.keywords or not node.args:
        return None
    pattern, fields = _shape(node.args)
    if pattern is None:
        return None
    hits: set[int] | None = None
    for wanted, line in zip(want, got, strict=True):
        match = re.fullmatch(pattern, line, re.S)
        if match is None:
            return None
        same = {k for k, value in enumerate(match.groups()) if value.strip() == wanted}
        hits = same if hits is None else hits & same
    if not hits or len(hits) != 1:
        return None
    return fields[hits.pop()]


def _shape(args: list[ast.expr]) -> tuple[str | None, list[str]]:
    """A regex of what `print(*args)` prints (its own text literal, each value a group), and
    each value's source. No pattern when the call prints no text of its own."""
    parts: list[str] = []
    fields: list[str] = []
    words = ""
    for number, arg in enumerate(args):
        if number:
            parts.append(re.escape(" "))
        if isinstance(arg, ast.Starred):
            return None, []
        pieces = arg.values if isinstance(arg, ast.JoinedStr) else [arg]
        for piece in pieces:
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                parts.append(re.escape(piece.value))
                words += piece.value
            elif isinstance(piece, ast.FormattedValue):
                parts.append("(.*?)")
                fields.append(ast.unparse(ast.JoinedStr([piece])))
            else:
                parts.append("(.*?)")
                fields.append(ast.unparse(piece))
    if not words.strip() or not fields:
        return None, []
    return "".join(parts), fields


def _offset(source: str, lineno: int, col: int) -> int:
    """A character index from ast's line number and UTF-8 byte column."""
    lines = source.splitlines(keepends=True)
    head = sum(len(line) for line in lines[: lineno - 1])
    return head + len(lines[lineno - 1].encode("utf-8")[:col].decode("utf-8", "replace"))
