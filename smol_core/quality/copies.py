"""Definitions a script copied from another file of the project instead of importing them.

The 1.5B model writes `storage.py` with `load_notes()` as the plan says, then writes the same
function again into `notes.py`; `convert.py` repeats `conversions.py`'s `c_to_f`. Both run, but
the contract between files is gone: a fix in one never reaches the other. A copy is only named
when importing it instead changes nothing: the same code (`ast.dump`), every outside name it
uses bound the same way in both files, a module that runs nothing when imported and does not
import the script back.
"""

from __future__ import annotations

import ast
import builtins
import itertools
import posixpath
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .common import _digest, _remember
from .python_facts import _python_facts

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BUILTINS = frozenset(dir(builtins))
_UNIQUE = itertools.count()  # meanings that equal nothing else, in any file, ever


@dataclass(frozen=True)
class Copied:
    name: str
    first: int  # 1-based, decorators included
    last: int
    home: str  # the file it is a copy of
    module: str  # what to import it from


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _bindings(tree: ast.Module) -> dict[str, str]:
    """What each top-level name is bound to, as text to compare. A name bound twice, or inside
    a block, gets a value no other file can have."""
    out: dict[str, str] = {}

    def bind(name: str, meaning: str) -> None:
        out[name] = f"\0{next(_UNIQUE)}" if name in out else meaning

    for node in tree.body:
        if isinstance(node, _DEFS):
            bind(node.name, ast.dump(node))
        elif isinstance(node, ast.Import):
            for a in node.names:
                bind((a.asname or a.name).split(".")[0], f"import {a.name} {a.asname}")
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                bind(a.asname or a.name, f"from {node.level}{node.module} import {a.name}")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        bind(n.id, ast.dump(node.value))
        else:
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    bind(n.id, f"\0{next(_UNIQUE)}")
    return out


def _outside_names(node: ast.AST) -> set[str]:
    """Names a definition reads that it does not bind itself."""
    read: set[str] = set()
    bound: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (read if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, _DEFS) and n is not node:
            bound.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in n.names}
    return read - bound


def _quiet_module(tree: ast.Module) -> bool:
    """Importing it only defines things: no call at the top level outside the main block."""
    for node in tree.body:
        if isinstance(node, (*_DEFS, ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and not any(
            isinstance(n, (ast.Call, ast.Await)) for n in ast.walk(node)
        ):
            continue
        return False
    return True


_HOMES: OrderedDict[tuple[str, str], tuple[dict[str, str], bool] | None] = OrderedDict()


def _home_view(path: str, text: str) -> tuple[dict[str, str], bool] | None:
    """A possible home of copies: its top-level bindings, and whether importing it runs
    nothing. Worked out once per version of the file: the checks run on every edit, and every
    module beside a script is looked at."""

    def make() -> tuple[dict[str, str], bool] | None:
        tree = _parse(text)
        return None if tree is None else (_bindings(tree), _quiet_module(tree))

    return _remember(_HOMES, (path, _digest(text)), make)


def _imports_back(path: str, text: str, stem: str) -> bool:
    imports = _python_facts(path, text).imports  # (line, module, level, names)
    return any(module.split(".")[0] == stem for _, module, _, _ in imports)


def copied_definitions(
    path: str, files: Mapping[str, str], run_targets: Collection[str]
) -> list[Copied]:
    """The top-level functions and classes of the script `path` that are exact copies of ones
    in a module beside it (not itself run), safe to import from there instead."""
    tree = _parse(files.get(path, ""))
    if tree is None or path not in run_targets or not path.endswith(".py"):
        return []
    mine = _bindings(tree)
    folder, stem = posixpath.dirname(path), posixpath.basename(path)[:-3]
    homes = []
    for other, text in sorted(files.items()):
        if other == path or not other.endswith(".py") or other in run_targets:
            continue
        if posixpath.dirname(other) != folder or not posixpath.basename(other)[:-3].isidentifier():
            continue
        view = _home_view(other, text)
        if view and view[1] and not _imports_back(other, text, stem):
            homes.append((other, view[0]))
    out = []
    for node in tree.body:
        if not isinstance(node, _DEFS) or mine.get(node.name) != ast.dump(node):
            continue  # defined twice here: leave it to the person
        for home, theirs in homes:
            if theirs.get(node.name) != ast.dump(node):
                continue
            outside = _outside_names(node) - {node.name}
            if all(
                (g in _BUILTINS and g not in mine and g not in theirs)
                or (g in mine and mine[g] == theirs.get(g))
                for g in outside
            ):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                module = posixpath.basename(home)[:-3]
                out.append(Copied(node.name, first, node.end_lineno or node.lineno, home, module))
                break
    return out
