"""What a Python file is made of (its syntax error, undefined names, imports, top-level names),
worked out once per version of the file."""

from __future__ import annotations

import ast
import sys
from collections import OrderedDict
from dataclasses import dataclass
from typing import cast

from ..records import Finding
from .common import _digest, _remember

# -------------------------------------------------------------------------------------- Python
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


_FACTS: OrderedDict[tuple[str, str], _PythonFacts] = OrderedDict()
_NAMES: OrderedDict[str, frozenset[str] | None] = OrderedDict()


@dataclass(frozen=True)
class _PythonFacts:
    """What one Python file says by itself: a pure function of its path and text, so it is
    worked out once per version of a file (parsing and pyflakes are ~95% of a check's time)."""

    syntax: Finding | None
    undefined: tuple[Finding, ...]
    imports: tuple[tuple[int, str, int, tuple[str, ...]], ...]  # (line, module, level, names)
    runs_something: bool
    stubs: tuple[tuple[int, str], ...] = ()  # (line, name) of functions with an empty body
    unused: tuple[tuple[int, str], ...] = ()  # top-level functions/classes the file never uses
    # (line, start byte, end byte, route) of each `self.path` a request handler compares with a
    # bare route: `self.path` carries the query string, so `GET /add?a=2` never matches "/add".
    routes: tuple[tuple[int, int, int, str], ...] = ()


def _python_facts(path: str, content: str) -> _PythonFacts:
    return _remember(_FACTS, (path, _digest(content)), lambda: _analyse_python(path, content))


def _analyse_python(path: str, content: str) -> _PythonFacts:
    try:
        tree = ast.parse(content, filename=path)
        compile(tree, path, "exec")
    except SyntaxError as exc:
        found = Finding(path, exc.lineno, f"does not compile: {exc.msg}", "syntax")
        return _PythonFacts(found, (), (), False)
    from pyflakes import checker, messages

    undefined = []
    flakes = checker.Checker(tree, filename=path)
    for msg in sorted(flakes.messages, key=lambda m: m.lineno):
        if isinstance(msg, (messages.UndefinedName, messages.UndefinedLocal)):
            name = msg.message_args[0]
            undefined.append(
                Finding(
                    path,
                    msg.lineno,
                    f"uses `{name}`, which is never defined or imported",
                    "undefined-name",
                    name,
                )
            )
    imports: list[tuple[int, str, int, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports += [(node.lineno, alias.name, 0, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = tuple(a.name for a in node.names)
            imports.append((node.lineno, node.module or "", node.level, names))
    return _PythonFacts(
        None,
        tuple(undefined),
        tuple(imports),
        _runs_something(tree),
        tuple(_python_stubs(tree)),
        tuple(_python_unused(tree)),
        tuple(_bare_routes(tree)),
    )


def _bare_routes(tree: ast.Module) -> list[tuple[int, int, int, str]]:
    out = []
    handlers = [
        c
        for c in ast.walk(tree)
        if isinstance(c, ast.ClassDef)
        and any(ast.unparse(b).endswith("RequestHandler") for b in c.bases)
    ]
    for node in (n for c in handlers for n in ast.walk(c)):
        if not (isinstance(node, ast.Compare) and ast.unparse(node.left) == "self.path"):
            continue
        if not all(isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) for op in node.ops):
            continue
        routes = [
            e
            for c in node.comparators
            for e in (c.elts if isinstance(c, (ast.Tuple, ast.List, ast.Set)) else [c])
        ]
        bare = [
            r.value
            for r in routes
            if isinstance(r, ast.Constant)
            and isinstance(r.value, str)
            and r.value.startswith("/")
            and "?" not in r.value
        ]
        left = node.left
        if bare and left.end_lineno == left.lineno and left.end_col_offset is not None:
            out.append((left.lineno, left.col_offset, left.end_col_offset, bare[0]))
    return sorted(set(out))


def _python_unused(tree: ast.Module) -> list[tuple[int, str]]:
    used: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            used.add(n.id)
        elif isinstance(n, ast.Attribute):
            used.add(n.attr)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            used.add(n.value)  # getattr(module, "name"), a route table of names
    return [
        (node.lineno, node.name)
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and not node.decorator_list
        and node.name not in used
        and not node.name.startswith("_")
    ]


def _python_stubs(tree: ast.Module) -> list[tuple[int, str]]:
    """Top-level functions whose body is only `pass`, `...` or a docstring: left unwritten.
    Methods are skipped (abstract methods and protocols are empty on purpose)."""
    out = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.decorator_list:
            continue
        body = [
            b
            for b in node.body
            if not (
                isinstance(b, ast.Expr)
                and isinstance(b.value, ast.Constant)
                and isinstance(b.value.value, str)
            )
        ]
        empty = all(
            isinstance(b, ast.Pass)
            or (
                isinstance(b, ast.Expr)
                and isinstance(b.value, ast.Constant)
                and b.value.value is Ellipsis
            )
            for b in body
        )
        if empty:
            out.append((node.lineno, node.name))
    return out


def top_level_names(source: str) -> frozenset[str] | None:
    def find() -> frozenset[str] | None:
        names = _find_top_level_names(source)
        return None if names is None else frozenset(names)

    return _remember(_NAMES, _digest(source), find)


def _find_top_level_names(source: str) -> set[str] | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                names |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            # Conditional definitions (try/except imports, platform branches) count too.
            children = cast(list[ast.stmt], list(ast.iter_child_nodes(node)))
            inner = ast.Module(body=children, type_ignores=[])
            names |= _find_top_level_names(ast.unparse(inner)) or set()
    return names


def _runs_something(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Call, ast.Await)):
            return True
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return True
        if isinstance(node, (ast.For, ast.While, ast.With, ast.Try, ast.Assign)) and any(
            isinstance(n, ast.Call) for n in ast.walk(node)
        ):
            return True
    return False
