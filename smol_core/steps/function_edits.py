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
FUNCTIONS_FROM_LINES = 20
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
    if wanted == "functions" and not path.endswith(".py"):
        return "whole"
    return wanted


def _span(node: ast.stmt) -> tuple[int, int]:
    """0-based first line (its decorators included) and end line (exclusive)."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return first - 1, node.end_lineno or node.lineno


def _is_main(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "__name__" in ast.unparse(node.test)


def _key(node: ast.stmt) -> str | None:
    """The name a top-level statement is found by, or None when it has none."""
    if isinstance(node, _DEFS):
        return node.name
    if _is_main(node):
        return "__main__"
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return targets[0].id
    return None


def _segment(lines: list[str], node: ast.stmt) -> list[str]:
    start, end = _span(node)
    return lines[start:end]


def splice_functions(current: str, reply: str) -> SpliceOutcome:
    """Put the reply's definitions in place in `current` (Python source)."""
    try:
        old_tree = ast.parse(current)
    except SyntaxError:
        return SpliceOutcome(current, failure="the file as it is now does not parse")
    try:
        new_tree = ast.parse(reply)
    except SyntaxError as exc:
        return SpliceOutcome(current, failure=f"the reply is not valid Python (line {exc.lineno})")
    if not new_tree.body:
        return SpliceOutcome(current, failure="the reply holds no code")
    old_names = {n.name for n in old_tree.body if isinstance(n, _DEFS)}
    new_names = {n.name for n in new_tree.body if isinstance(n, _DEFS)}
    if old_names and old_names <= new_names:  # the whole file again
        whole = reply.rstrip("\n") + "\n"
        if whole == current.rstrip("\n") + "\n":
            return SpliceOutcome(current, failure=NO_CHANGE)
        return SpliceOutcome(whole, replaced=sorted(new_names))

    lines = current.splitlines()
    reply_lines = reply.splitlines()
    outcome = SpliceOutcome(current)
    # Edits as (start, end, new lines), applied bottom-up so earlier line numbers stay true.
    edits: list[tuple[int, int, list[str]]] = []
    where = {(_key(n) or f"#{i}"): n for i, n in enumerate(old_tree.body)}
    main = where.get("__main__")
    imports_end = max((_span(n)[1] for n in old_tree.body
                       if isinstance(n, (ast.Import, ast.ImportFrom))), default=0)  # fmt: skip
    if not imports_end and old_tree.body and isinstance(old_tree.body[0], ast.Expr):
        imports_end = _span(old_tree.body[0])[1]  # after the module docstring
    have = {ast.unparse(n) for n in old_tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    for node in new_tree.body:
        text = _segment(reply_lines, node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if ast.unparse(node) not in have:
                edits.append((imports_end, imports_end, text))
                outcome.added.append(ast.unparse(node))
            continue
        key = _key(node)
        if key is None:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring or a stray string: nothing to place
            return SpliceOutcome(current, failure=f"line {node.lineno} of the reply is not a "
                                 "function, class, import, assignment or main block")  # fmt: skip
        old = where.get(key)
        if old is None:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                edits.append((imports_end, imports_end, text))
            elif main is not None and key != "__main__":  # before the main block
                edits.append((_span(main)[0], _span(main)[0], [*text, "", ""]))
            else:
                edits.append((len(lines), len(lines), ["", "", *text]))
            outcome.added.append(key)
        elif isinstance(old, ast.ClassDef) and isinstance(node, ast.ClassDef):
            edits += _class_edits(lines, old, node, reply_lines)
            outcome.replaced.append(key)
        else:
            start, end = _span(old)
            edits.append((start, end, text))
            outcome.replaced.append(key)
    # Bottom-up; of insertions at one place the last is made first, so they keep their order.
    order = sorted(range(len(edits)), key=lambda i: (edits[i][0], edits[i][1], i), reverse=True)
    for i in order:
        start, end, text = edits[i]
        lines[start:end] = text
    result = "\n".join(lines).rstrip("\n") + "\n"
    try:
        ast.parse(result)
    except SyntaxError as exc:
        return SpliceOutcome(current, failure=f"the file would not parse (line {exc.lineno})")
    if result == (current.rstrip("\n") + "\n") or not (outcome.replaced or outcome.added):
        return SpliceOutcome(current, failure=NO_CHANGE)
    outcome.text = result
    return outcome


def _class_edits(
    lines: list[str], old: ast.ClassDef, new: ast.ClassDef, reply_lines: list[str]
) -> list[tuple[int, int, list[str]]]:
    """The class whole when the reply gives all its methods, else method by method."""
    old_methods = {n.name: n for n in old.body if isinstance(n, _DEFS)}
    new_methods = [n for n in new.body if isinstance(n, _DEFS)]
    if set(old_methods) <= {n.name for n in new_methods}:
        start, end = _span(old)
        return [(start, end, _segment(reply_lines, new))]
    edits: list[tuple[int, int, list[str]]] = []
    end_of_class = _span(old)[1]
    for node in new_methods:
        text = _segment(reply_lines, node)
        if node.name in old_methods:
            start, end = _span(old_methods[node.name])
            edits.append((start, end, text))
        else:
            edits.append((end_of_class, end_of_class, ["", *text]))
    return edits
