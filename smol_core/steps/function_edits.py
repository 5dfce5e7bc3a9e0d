"""Edits as whole functions: the model writes only the top-level functions, classes and
statements of a Python file that change, and they are put in place by name.

Made for small models: a 1.5B model copies SEARCH text badly (every search/replace edit of
bench.improve fell back to a whole file) but writes a function well, and a one-line change then
costs the few dozen tokens of one function instead of the whole file. The reply is read with
`ast`, so where each piece goes is decided by its name, never by a fuzzy match:

- `def`/`class` N replaces the top-level N (a class the reply gives only in part keeps its
  other methods: its methods are put in place one by one); a new name goes before the
  `if __name__ == "__main__":` block, or at the end;
- `import`s the file lacks go after its imports; `NAME = ...` replaces that assignment;
- an `if __name__ == "__main__":` block replaces the file's.

Anything else (a bare call, a reply that does not parse, a result that does not parse) is a
failure the caller answers by asking for the whole file: never an approximate edit.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..settings import Settings

WHOLE_UP_TO_LINES = 60  # auto: a small file is cheaper to write whole than to patch
# The built-in model writes ~10 tokens a second: from this size on, one function is cheaper.
FUNCTIONS_FROM_LINES = 12
NO_CHANGE = "the reply changes nothing"

# A reply naming every top-level definition of the file is the whole file, written again.
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class SpliceOutcome:
    """The new text, what was put in place (names), and why it could not be, if so."""

    text: str
    replaced: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure and bool(self.replaced or self.added)


def edit_format_for(settings: Settings, current: str, path: str = "") -> str:
    """whole | blocks | functions for one existing file. auto: whole for small files (cheap
    whole); for the built-in model the changed functions of a Python file (small models copy
    SEARCH text badly but write a function well: bench.improve) and else whole; blocks for
    the rest. "functions" asked for a file that is not Python means whole."""
    wanted = settings.edit_format
    if wanted == "auto":
        local = settings.provider == "local"
        if current.count("\n") < (FUNCTIONS_FROM_LINES if local else WHOLE_UP_TO_LINES):
            return "whole"
        wanted = "functions" if local else "blocks"
    if wanted == "functions" and not (path.endswith(".py") and _parses(current)):
        return "whole"  # only Python that parses can be edited by name
    return wanted


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _span(node: ast.stmt) -> tuple[int, int]:
    """0-based first line (its decorators included) and end line (exclusive)."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return first - 1, node.end_lineno or node.lineno


def _is_main(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "__name__" in ast.unparse(node.test)


def _keys(node: ast.stmt) -> list[str]:
    """The names a top-level statement is found by (an `A = B = 1` has two), or none."""
    if isinstance(node, _DEFS):
        return [node.name]
    if _is_main(node):
        return ["__main__"]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _lines(text: str) -> list[str]:
    # Only "\n" ends a line for `ast` line numbers (splitlines() also splits on form feeds).
    return text.split("\n")


def _failed(current: str, why: str) -> SpliceOutcome:
    return SpliceOutcome(current, failure=why)


def splice_functions(current: str, reply: str) -> SpliceOutcome:
    """Put the reply's definitions in place in `current` (Python source)."""
    crlf = "\r\n" in current
    original, current, reply = current, current.replace("\r\n", "\n"), reply.replace("\r\n", "\n")
    try:
        old_tree = ast.parse(current)
    except SyntaxError:
        return _failed(original, "the file as it is now does not parse")
    try:
        new_tree = ast.parse(reply)
    except SyntaxError as exc:
        return _failed(original, f"the reply is not valid Python (line {exc.lineno})")
    if not new_tree.body:
        return _failed(original, "the reply holds no code")
    named = [k for n in new_tree.body for k in _keys(n)]
    if twice := sorted({k for k in named if named.count(k) > 1}):
        return _failed(original, f"the reply defines {', '.join(twice)} more than once")

    def keyed(tree: ast.Module) -> set[str]:
        return {k for n in tree.body for k in _keys(n)} | {
            ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
        }

    old_defs = {n.name for n in old_tree.body if isinstance(n, _DEFS)}
    if old_defs and keyed(old_tree) <= keyed(new_tree):  # the whole file again
        whole = reply.rstrip("\n") + "\n"
        if whole == current.rstrip("\n") + "\n":
            return _failed(original, NO_CHANGE)
        return _done(SpliceOutcome(whole, replaced=sorted(old_defs)), crlf)

    methods = {
        m.name
        for c in old_tree.body
        if isinstance(c, ast.ClassDef)
        for m in c.body
        if isinstance(m, _DEFS)
    }
    lines, reply_lines = _lines(current), _lines(reply)
    outcome = SpliceOutcome(original)
    # Edits as (start, end, new lines), applied bottom-up so earlier line numbers stay true.
    edits: list[tuple[int, int, list[str]]] = []
    where = {k: n for n in old_tree.body for k in _keys(n)}
    main = where.get("__main__")
    imports_end = max(
        (_span(n)[1] for n in old_tree.body if isinstance(n, (ast.Import, ast.ImportFrom))),
        default=0,
    )
    if not imports_end:  # after the module docstring, else after the leading comments
        if old_tree.body and isinstance(old_tree.body[0], ast.Expr):
            imports_end = _span(old_tree.body[0])[1]
        else:
            while imports_end < len(lines) and lines[imports_end].lstrip().startswith("#"):
                imports_end += 1
    have = {ast.unparse(n) for n in old_tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    for node in new_tree.body:
        text = reply_lines[_span(node)[0] : _span(node)[1]]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if ast.unparse(node) not in have:
                edits.append((imports_end, imports_end, text))
                outcome.added.append(ast.unparse(node))
            continue
        keys = _keys(node)
        if not keys:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring or a stray string: nothing to place
            return _failed(
                original,
                f"line {node.lineno} of the reply is not a function, "
                "class, import, assignment or main block",
            )
        olds = {id(where[k]): where[k] for k in keys if k in where}
        if len(olds) > 1:
            return _failed(
                original,
                f"line {node.lineno} of the reply would replace several statements of the file",
            )
        old = next(iter(olds.values()), None)
        if old is None:
            args = (
                node.args.args if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            )
            if keys[0] in methods and args and args[0].arg in ("self", "cls"):
                return _failed(
                    original, f"`{keys[0]}` is a method: the reply must give it inside its class"
                )
            if main is not None and keys[0] != "__main__":  # before the main block
                edits.append((_span(main)[0], _span(main)[0], [*text, "", ""]))
            else:
                edits.append((len(lines), len(lines), ["", "", *text]))
            outcome.added.append(keys[0])
        elif isinstance(old, ast.ClassDef) and isinstance(node, ast.ClassDef):
            class_edits = _class_edits(old, node, reply_lines)
            if class_edits is None:
                return _failed(
                    original,
                    f"the reply gives class `{node.name}` in part and "
                    "changes more than its methods",
                )
            edits += class_edits
            outcome.replaced.append(keys[0])
        else:
            start, end = _span(old)
            edits.append((start, end, text))
            outcome.replaced.append(keys[0])
    # Bottom-up; of insertions at one place the last is made first, so they keep their order.
    order = sorted(range(len(edits)), key=lambda i: (edits[i][0], edits[i][1], i), reverse=True)
    for i in order:
        start, end, text = edits[i]
        lines[start:end] = text
    result = "\n".join(lines).rstrip("\n") + "\n"
    try:
        ast.parse(result)
    except SyntaxError as exc:
        return _failed(original, f"the file would not parse (line {exc.lineno})")
    if result == (current.rstrip("\n") + "\n") or not (outcome.replaced or outcome.added):
        return _failed(original, NO_CHANGE)
    outcome.text = result
    return _done(outcome, crlf)


def _done(outcome: SpliceOutcome, crlf: bool) -> SpliceOutcome:
    if crlf:  # the file keeps its line endings
        outcome.text = outcome.text.replace("\n", "\r\n")
    return outcome


def _class_edits(
    old: ast.ClassDef, new: ast.ClassDef, reply_lines: list[str]
) -> list[tuple[int, int, list[str]]] | None:
    """The class whole when the reply gives all its methods, else method by method; None when
    a class given in part changes more than methods (its header, attributes: not placeable)."""
    old_methods = {n.name: n for n in old.body if isinstance(n, _DEFS)}
    new_methods = [n for n in new.body if isinstance(n, _DEFS)]
    if set(old_methods) <= {n.name for n in new_methods}:
        start, end = _span(old)
        return [(start, end, reply_lines[_span(new)[0] : _span(new)[1]])]

    def header(c: ast.ClassDef) -> str:  # decorators, name, bases and keywords
        parts = [*c.decorator_list, *c.bases, *c.keywords]
        return c.name + "|" + "|".join(ast.unparse(p) for p in parts)

    others = [
        n
        for n in new.body
        if not isinstance(n, _DEFS)
        and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
    ]
    if others or header(old) != header(new):
        return None
    edits: list[tuple[int, int, list[str]]] = []
    end_of_class = _span(old)[1]
    for node in new_methods:
        text = reply_lines[_span(node)[0] : _span(node)[1]]
        if node.name in old_methods:
            start, end = _span(old_methods[node.name])
            edits.append((start, end, text))
        else:
            edits.append((end_of_class, end_of_class, ["", *text]))
    return edits
