"""What a request to move functions or classes to another module asks, read exactly: which
names, from which project file, to which Python file ("move `f` and `g` from a.py into the
new module b.py", "put `f` in its own file b.py"). change_move.py makes the move."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..paths import UnsafePath, normalize_path
from .change_scope import definers

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_PY = r"`?((?:[\w-]+/)*[\w-]+\.py)`?(?![\w/-])"
# "into the new module b.py", "in its own file b.py", "to b.py"
_TARGET = (
    r"\s+(?:(?:a|an|the|its|their)\s+)?(?:(?:own|new|separate|single|dedicated)\s+)*"
    r"(?:(?:python\s+)?(?:module|file)\s+)?(?:(?:called|named)\s+)?" + _PY
)
_VERB = r"(?:move|put|place|extract|pull|relocate|transfer|split\s+out)"
# What is moved: one clause up to its target, never across a sentence's end, another verb or
# another "into x.py" (two targets in one clause would be a guess).
_WHAT = (
    r"((?:(?!\.\s|\.$|[;!?\n]|\b(?:move|put|place|extract|pull|relocate|transfer|keep|leave|"
    r"update|make|change|add|rename|delete|remove|import)\b|\b(?:into|to)" + _TARGET + r").)*)"
)
_MOVE = re.compile(rf"\b{_VERB}\b{_WHAT}\b(?:into|to|in){_TARGET}", re.IGNORECASE)
# "… into b.py and `h` into c.py": a second clause of the same verb.
_MORE = re.compile(rf"\s*,?\s*(?:and\s+)?(?:then\s+)?{_WHAT}\b(?:into|to|in){_TARGET}", re.I)
_FILE = re.compile(r"(?<![\w./-])" + _PY)
_WORD = re.compile(r"`([^`]*)`|([A-Za-z_]\w*)(?:\(\))?")


@dataclass(frozen=True)
class Move:
    """Top-level functions or classes to move from one Python file to another."""

    names: tuple[str, ...]
    source: str
    target: str


def _defs(text: str) -> set[str]:
    """The names a Python file defines at top level by def or class."""
    try:
        return {n.name for n in ast.parse(text).body if isinstance(n, _DEFS)}
    except (SyntaxError, ValueError):
        return set()


def _path(raw: str) -> str | None:
    try:
        return normalize_path(raw)
    except UnsafePath:
        return None


def _clause(what: str, target: str, request: str, contents: Mapping[str, str]) -> Move | None:
    """The move one clause asks ("`f`, `g` from a.py" into `target`); None when not clear."""
    files = {p for m in _FILE.finditer(what) if (p := _path(m.group(1)))}
    words = _WORD.findall(_FILE.sub(" ", what))
    strong = [w.strip().removesuffix("()") for w, _ in words if w]
    weak = [w for b, w in words if not b]
    py = [p for p in contents if p.endswith(".py") and p != target]

    def names_in(path: str) -> list[str]:
        found = _defs(contents[path])
        named = list(dict.fromkeys(strong or [w for w in weak if w in found]))
        return named if all(n in found for n in named) else []

    named = {_path(m.group(1)) for m in _FILE.finditer(request)}
    if files:  # "from a.py", "out of a.py": that file and no other
        sources = list(files) if len(files) == 1 and files <= set(py) else []
    elif not (sources := [p for p in py if p in named and names_in(p)]):
        homes = [set(definers(n, contents)) for n in strong]
        sources = [p for p in py if all(p in h for h in homes)]
    sources = [p for p in sources if names_in(p)]
    return Move(tuple(names_in(sources[0])), sources[0], target) if len(sources) == 1 else None


def moves_asked(request: str, contents: Mapping[str, str]) -> list[Move]:
    """The moves a request asks: which top-level functions or classes, from which project
    file (the one the request names that defines them, else the one that does) to which
    Python file. [] when one of them is not clear."""
    out: list[Move] = []
    known = {n for p, t in contents.items() if p.endswith(".py") for n in _defs(t)}
    m = _MOVE.search(request)
    while m:
        target = _path(m.groups()[-1])  # the last group: the others are in a lookahead
        move = _clause(m.group(1), target, request, contents) if target else None
        if move is None or not move.names:
            return []
        out.append(move)
        # "… into b.py and `h` into c.py" goes on; "… and use it in main.py" does not.
        more = _MORE.match(request, m.end())
        if more and ("`" in more.group(1) or known & set(re.findall(r"\w+", more.group(1)))):
            m = more
        else:
            m = _MOVE.search(request, m.end())
    return out
