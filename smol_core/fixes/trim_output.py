"""A program that printed the expected value inside words of its own is made to print the value
only, without the model.

The built-in model decorates what it prints: asked for `212.0`, it printed `100.0°F = 212.0°C`
from `print(f"{args.value:.1f}°F = {result:.1f}°C")`, and neither a repair shown that line nor
a file written anew dropped the words (bench.quality, every run). The output says which part
is the value: the print's own text is matched against each line printed, and where exactly one
`print` call printed every line, each time with the expected line as the same one of its
values, that call prints that value alone. The expression stays (never the value printed), so
other inputs still compute theirs. Text built with `+`, `.format` or `%` is read the same way.

A Node program's `console.log(...)` is read the same way (its text, template literals and `+`).

Asked for one item per line, it printed the list on one line (`['a', 'b']`, or `a, b` from a
`join`): where exactly one `print` call can have printed it, that call prints one item per line.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass

from ..quality.web import argument_end, top_level

MAX_LINES = 50
PRINTS_ONLY = "prints only the value its example expects"
ONE_PER_LINE = "prints one item per line, as its example expects"


@dataclass(frozen=True)
class Trimmed:
    """`source` with one print call changed; `before`/`after`: the call; `why`: what it does now."""

    source: str
    before: str
    after: str
    why: str = PRINTS_ONLY


def trimmed_output(path: str, source: str, expected: str, printed: str) -> Trimmed | None:
    """The trim for a Python or Node file (None for others, or when none explains it)."""
    if path.endswith(".py"):
        return trimmed_print(source, expected, printed)
    if path.endswith((".js", ".mjs", ".cjs")):
        return trimmed_log(source, expected, printed)
    return None


def _lines(expected: str, printed: str) -> tuple[list[str], list[str]] | None:
    """The expected and the printed lines, stripped; None when there is nothing to trim."""
    want = [line.strip() for line in expected.strip("\n").splitlines()]
    got = [line.strip() for line in printed.strip("\n").splitlines()]
    return None if not want or len(got) > MAX_LINES or want == got else (want, got)


def trimmed_print(source: str, expected: str, printed: str) -> Trimmed | None:
    """The fix, or None when no single print call explains the output that way."""
    if (lines := _lines(expected, printed)) is None:
        return None
    want, got = lines
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    if len(want) == len(got):
        found = [
            (call, f"print({kept})")
            for call in _prints(tree)
            if (kept := _the_field(*_shape(call.args), want, got))
        ]
        why = PRINTS_ONLY
    elif len(got) == 1 and 1 < len(want) <= MAX_LINES:
        found = _spread(_prints(tree), want, got[0])
        why = ONE_PER_LINE
    else:
        return None
    if len(found) != 1:
        return None
    call, after = found[0]
    before = ast.get_source_segment(source, call) or ""
    start = _offset(source, call.lineno, call.col_offset)
    end = _offset(source, call.end_lineno or call.lineno, call.end_col_offset or 0)
    fixed = source[:start] + after + source[end:]
    try:
        ast.parse(fixed)
    except SyntaxError:
        return None
    return Trimmed(fixed, before, after, why)


def _prints(tree: ast.AST) -> list[ast.Call]:
    """Every `print(...)` call with values and no keywords (`sep=`, `end=`: not guessed)."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and node.args
        and not node.keywords
    ]


def _spread(calls: list[ast.Call], want: list[str], line: str) -> list[tuple[ast.Call, str]]:
    """The print calls that printed `line` as the expected lines joined (`", ".join(items)`,
    or a list's repr from `print(items)`), each with its one-item-per-line form."""
    found = []
    for call in calls:
        if len(call.args) != 1 or isinstance(call.args[0], ast.Starred):
            continue
        arg = call.args[0]
        joiner = _joiner(arg)
        if joiner is not None:
            if [part.strip() for part in line.split(joiner)] == want:
                items = ast.unparse(arg.args[0])  # type: ignore[attr-defined]
                found.append((call, f'print("\\n".join({items}))'))
        elif _a_collection(arg) and _listed(line) == want:
            found.append((call, f'print(*{ast.unparse(arg)}, sep="\\n")'))
    return found


def _a_collection(node: ast.expr) -> bool:
    """Whether printing `node` may have shown a list as Python does (`items`, `sorted(words)`;
    not text: `str(items)` spread would print its characters)."""
    if isinstance(node, ast.Call):
        return not (isinstance(node.func, ast.Name) and node.func.id in ("str", "repr", "format"))
    return isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.List, ast.ListComp))


def _joiner(node: ast.expr) -> str | None:
    """`sep` of `"sep".join(one_argument)`, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    owner = node.func.value
    if node.func.attr != "join" or len(node.args) != 1 or node.keywords:
        return None
    if isinstance(owner, ast.Constant) and isinstance(owner.value, str) and owner.value.strip():
        return owner.value
    return None


def _listed(line: str) -> list[str] | None:
    """The items of a list or tuple printed as Python shows it, each as `print` shows it."""
    try:
        value = ast.literal_eval(line)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, (list, tuple)):
        return None
    return [str(item).strip() for item in value]


def _the_field(
    pattern: str | None, fields: list[str], want: list[str], got: list[str]
) -> str | None:
    """The one field of a printed line's shape that was each expected line, or None."""
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
    said = []
    for arg in args:
        pieces = _pieces(arg)
        if pieces is None:
            return None, []
        said.append(
            [
                (p.value, "")
                if isinstance(p, ast.Constant) and isinstance(p.value, str)
                else ("", ast.unparse(p))
                for p in pieces
            ]
        )
    return _pattern(said)


def _pattern(args: list[list[tuple[str, str]]]) -> tuple[str | None, list[str]]:
    """The regex of values printed one after another with a space between, each made of
    (text, "") and ("", expression) pieces; and the expressions. None without text or values."""
    parts: list[str] = []
    fields: list[str] = []
    words = ""
    for number, pieces in enumerate(args):
        if number:
            parts.append(re.escape(" "))
        for text, field in pieces:
            parts.append("(.*?)" if field else re.escape(text))
            fields += [field] if field else []
            words += text
    if not words.strip() or not fields:
        return None, []
    return "".join(parts), fields


def _pieces(arg: ast.expr) -> list[ast.expr] | None:
    """What one printed value is made of, in order: text literals and values (an f-string's
    parts, `"a" + str(x)`, `"{}".format(x)`, `"%d" % x`). None when it can't be told."""
    if isinstance(arg, ast.Starred):
        return None
    if isinstance(arg, ast.JoinedStr):
        return [_alone(piece) for piece in arg.values]
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add) and _has_text(arg):
        left, right = _pieces(arg.left), _pieces(arg.right)
        return None if left is None or right is None else left + right
    if isinstance(arg, ast.Call) and _template(arg.func) is not None and not arg.keywords:
        return _formatted(_template(arg.func) or "", arg.args)
    is_text = isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant)
    if is_text and isinstance(arg.op, ast.Mod) and isinstance(arg.left.value, str):  # type: ignore[attr-defined]
        right = arg.right  # type: ignore[attr-defined]
        values = right.elts if isinstance(right, ast.Tuple) else [right]
        return _percent(arg.left.value, values)  # type: ignore[attr-defined]
    return [arg]


def _alone(piece: ast.expr) -> ast.expr:
    """An f-string's part as an expression of its own (`{x:.1f}` → `f'{x:.1f}'`)."""
    if isinstance(piece, ast.FormattedValue):
        return ast.JoinedStr([piece])
    return piece


def _has_text(node: ast.expr) -> bool:
    """Whether a chain of `+` joins text (not numbers)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _has_text(node.left) or _has_text(node.right)
    text = isinstance(node, ast.Constant) and isinstance(node.value, str)
    return text or isinstance(node, ast.JoinedStr)


def _template(func: ast.expr) -> str | None:
    """The text of `"...".format`, else None."""
    is_format = isinstance(func, ast.Attribute) and func.attr == "format"
    text = func.value if isinstance(func, ast.Attribute) else None
    if is_format and isinstance(text, ast.Constant) and isinstance(text.value, str):
        return text.value
    return None


def _formatted(template: str, values: list[ast.expr]) -> list[ast.expr] | None:
    """`template.format(*values)` as pieces; positional `{}`/`{0}` fields only."""
    pieces: list[ast.expr] = []
    auto = 0
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for text, name, spec, conversion in parsed:
        if text:
            pieces.append(ast.Constant(text))
        if name is None:
            continue
        if name == "":
            index, auto = auto, auto + 1
        elif name.isdigit():
            index = int(name)
        else:
            return None
        if index >= len(values) or isinstance(values[index], ast.Starred):
            return None
        if not spec and not conversion:
            pieces.append(values[index])
            continue
        field = "{" + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        method = ast.Attribute(ast.Constant(field), "format", ast.Load())
        pieces.append(ast.Call(method, [values[index]], []))
    return pieces


_PERCENT = re.compile(r"%(?:%|[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])")


def _percent(template: str, values: list[ast.expr]) -> list[ast.expr] | None:
    """`template % values` as pieces; `%s`-style fields without names or `*` only (those take
    values the fields read here don't, so the count of values differs: None)."""
    pieces: list[ast.expr] = []
    at = used = 0
    for match in [*_PERCENT.finditer(template), None]:
        pieces.append(ast.Constant(template[at : match.start() if match else len(template)]))
        if match is None:
            break
        at = match.end()
        if match.group() == "%%":
            pieces.append(ast.Constant("%"))
            continue
        if used >= len(values):
            return None
        value, used = values[used], used + 1
        plain = match.group() == "%s"
        pieces.append(value if plain else ast.BinOp(ast.Constant(match.group()), ast.Mod(), value))
    if used != len(values):
        return None
    return [p for p in pieces if not (isinstance(p, ast.Constant) and p.value == "")]


def _offset(source: str, lineno: int, col: int) -> int:
    """A character index from ast's line number and UTF-8 byte column."""
    lines = source.splitlines(keepends=True)
    head = sum(len(line) for line in lines[: lineno - 1])
    return head + len(lines[lineno - 1].encode("utf-8")[:col].decode("utf-8", "replace"))


# ------------------------------------------------------------------------------ JavaScript


def trimmed_log(source: str, expected: str, printed: str) -> Trimmed | None:
    """`trimmed_print` for a Node program: the one `console.log(...)` whose text explains every
    line printed, made to log its value alone. None when no single call explains it."""
    lines = _lines(expected, printed)
    if lines is None or len(lines[0]) != len(lines[1]):
        return None
    want, got = lines
    found = []
    for start, end, args in _logs(source):
        pattern, fields = _js_shape(args)
        if kept := _the_field(pattern, fields, want, got):
            found.append((start, end, kept))
    if len(found) != 1:
        return None
    start, end, kept = found[0]
    after = f"console.log({kept})"
    return Trimmed(source[:start] + after + source[end:], source[start:end], after)


def _logs(source: str) -> list[tuple[int, int, list[str]]]:
    """Each `console.log(...)`: where it starts and ends, and its arguments' source."""
    out = []
    for m in re.finditer(r"\bconsole\.log\(", source):
        args, at = [], m.end()
        while (end := argument_end(source, at)) is not None:
            args.append(source[at:end].strip())
            if source[end] == ")":
                out.append((m.start(), end + 1, [a for a in args if a]))
                break
            at = end + 1
    return out


def _js_shape(args: list[str]) -> tuple[str | None, list[str]]:
    """`_shape` for `console.log`'s arguments (joined by spaces when logged)."""
    said = [_js_pieces(arg) for arg in args]
    if len(args) > 1 and any("%" in text for text, _ in said[0]):
        return None, []  # a format string ("%s items", n): not guessed
    return _pattern(said)


def _js_pieces(arg: str) -> list[tuple[str, str]]:
    """(text, "") and ("", expression) pieces of one logged value: a string or template
    literal, or `+` joining them with values; anything else is one value."""
    terms = _top_level(arg, "+")
    if len(terms) > 1 and any(_js_text(t) is not None or t.startswith("`") for t in terms):
        return [piece for term in terms for piece in _js_pieces(term)]
    text = _js_text(arg)
    if text is not None:
        return [(text, "")]
    if len(arg) > 1 and arg[0] == arg[-1] == "`" and "\\" not in arg:
        pieces, at, body = [], 0, arg[1:-1]
        while (opened := body.find("${", at)) >= 0:
            closed = _closing_brace(body, opened + 2)
            if closed is None:
                return [("", arg)]
            pieces += [(body[at:opened], ""), ("", body[opened + 2 : closed].strip())]
            at = closed + 1
        return [*pieces, (body[at:], "")]
    return [("", arg)]


def _js_text(term: str) -> str | None:
    """The text of a plain string literal ('…' or "…", no escapes), else None."""
    if len(term) > 1 and term[0] == term[-1] and term[0] in "'\"" and "\\" not in term:
        inner = term[1:-1]
        return None if term[0] in inner else inner
    return None


def _closing_brace(text: str, start: int) -> int | None:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            if depth == 0:
                return i
            depth -= 1
    return None


def _top_level(text: str, sign: str) -> list[str]:
    """`text` split at each `sign` outside brackets and quotes (not `++` or `+=`)."""
    parts, last = [], 0
    for i, c in top_level(text):
        if c == sign and text[i + 1 : i + 2] not in (sign, "=") and text[i - 1 : i] != sign:
            parts.append(text[last:i].strip())
            last = i + 1
    return [*parts, text[last:].strip()]
