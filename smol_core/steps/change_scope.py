"""What a change must reach, whatever the model decided: every file that uses a name the
request renames, and every file the request names as new.

A small model deciding which files to change often lists the file that defines a function
and forgets the files that import it; asked to "add `x.py`", it may put the code elsewhere.
Where a Python name is defined and used is known exactly (the checks' facts: imports, top-level
names), so a rename is carried to its users by tokens, without the model (in names, never in
strings or comments), and a file the request names as new is added to the change.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..paths import UnsafePath, normalize_path
from ..quality.python_facts import _python_facts, top_level_names

# "rename [the function] `old()` to `new`": a name, not a file (a dot would make it one).
_RENAME = re.compile(
    r"\brenam\w*\s+(?:the\s+)?(?:(?:function|class|method|variable|constant|helper)\s+)?"
    r"`?([A-Za-z_]\w*)(?:\(\))?`?\s+(?:to|as|into)\s+`?([A-Za-z_]\w*)(?:\(\))?`?(?!\.?\w)",
    re.IGNORECASE,
)
# "`old` should be renamed (to) `new`": the same, said the other way round.
_RENAMED = re.compile(
    r"`?([A-Za-z_]\w*)(?:\(\))?`?\s+(?:should\s+be\s+|must\s+be\s+|is\s+|to\s+be\s+)?"
    r"renamed\s+(?:to|as|into)\s+`?([A-Za-z_]\w*)(?:\(\))?`?(?!\.?\w)",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset({"it", "them", "this", "that", "function", "be", "is", "was", "should"})
# A file named in the request that is not in the project and holds code or prose: it is to be
# created (a data file named but absent is something the code reads, not something to write).
_NEW_FILE = re.compile(
    r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.(?:py|js|mjs|ts|jsx|tsx|html?|css|sh|md))"
    r"(?![\w/-])",
    re.IGNORECASE,
)


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class Scope:
    """What the change must reach beyond the model's choice."""

    renames: list[tuple[str, str]] = field(default_factory=list)  # (old, new) Python names
    users: dict[str, str] = field(default_factory=dict)  # path → why it is in the change
    new_files: list[str] = field(default_factory=list)


def renames_asked(request: str) -> list[tuple[str, str]]:
    """The (old, new) names a request renames."""
    out = []
    found = [*_RENAME.finditer(request), *_RENAMED.finditer(request)]
    for m in sorted(found, key=lambda m: m.start()):
        pair = (m.group(1), m.group(2))
        if pair[0] != pair[1] and pair not in out and pair[0].lower() not in _NOT_NAMES:
            out.append(pair)
    return out


def _module_names(path: str) -> set[str]:
    """The names a Python file is imported by: `pkg/mod.py` as `pkg.mod` or `mod` (relative)."""
    dotted = path[:-3].replace("/", ".").removesuffix(".__init__")
    return {dotted, dotted.rsplit(".", 1)[-1]}


def definers(name: str, contents: Mapping[str, str]) -> list[str]:
    """The Python files that define `name` at top level (by def, class or assignment) rather
    than import it."""
    out = []
    for path, text in contents.items():
        if not path.endswith(".py") or name not in text:
            continue
        facts = _python_facts(path, text)
        imported = {n for _, _, _, names in facts.imports for n in names}
        if name in (top_level_names(text) or ()) and name not in imported:
            out.append(path)
    return out


def users_of(name: str, defined_in: Iterable[str], contents: Mapping[str, str]) -> list[str]:
    """The Python files that import `name` from one of `defined_in`, or use it as
    `module.name` after importing that module."""
    modules = {m for p in defined_in for m in _module_names(p)}
    out = []
    for path, text in contents.items():
        if not path.endswith(".py") or name not in text or path in defined_in:
            continue
        for _, module, _, names in _python_facts(path, text).imports:
            by_name = name in names and module in modules
            whole = not names and module in modules and f".{name}" in text
            # `from pkg import mod` then `mod.name`
            package = bool(module) and any(f"{module}.{n}" in modules for n in names)
            if by_name or whole or (package and f".{name}" in text):
                out.append(path)
                break
    return out


def rename_python(text: str, old: str, new: str, modules: set[str]) -> str:
    """`text` with the name `old` renamed `new` where it means the renamed name: bare where
    the file defines or imports it from one of `modules`; as `alias.old` where `alias` is one
    of `modules` imported whole. Strings and comments are left alone (the expressions of an
    f-string are code); a file that does not parse comes back as it was."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    bare = any(n.module in modules and any(a.name == old for a in n.names) for n in imports)
    bare = bare or old in (top_level_names(text) or ())
    aliases = set(modules) | {
        a.asname or a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for a in n.names
        if a.name in modules
    }
    lines = text.split("\n")
    spots: set[tuple[int, int]] = set()  # (line, character) where `old` starts

    def at(line: int, byte: int) -> tuple[int, int]:  # ast counts UTF-8 bytes
        return line, len(lines[line - 1].encode("utf-8")[:byte].decode("utf-8", "replace"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == old and bare:
            spots.add(at(node.lineno, node.col_offset))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == old
            and node.end_lineno
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            end = at(node.end_lineno, node.end_col_offset or 0)
            spots.add((end[0], end[1] - len(old)))
        elif isinstance(node, _DEFS) and node.name == old and bare:
            line = lines[node.lineno - 1]
            found = re.search(rf"\b(?:def|class)\s+({re.escape(old)})\b", line)
            if found:
                spots.add((node.lineno, found.start(1)))
        elif isinstance(node, ast.ImportFrom) and node.module in modules:
            for alias in node.names:
                if alias.name == old:
                    spots.add(at(alias.lineno, alias.col_offset))
    for row, col in sorted(spots, reverse=True):
        line = lines[row - 1]
        if line[col : col + len(old)] == old:  # never a guess: only where the name is
            lines[row - 1] = line[:col] + new + line[col + len(old) :]
    return "\n".join(lines)


def apply_renames(path: str, text: str, scope: Scope, contents: Mapping[str, str]) -> str:
    """`text` of `path` with every rename of `scope` carried out in it (nothing for a file
    that is not Python, or a definer that keeps the old name beside the new on purpose)."""
    if not path.endswith(".py"):
        return text
    for old, new in scope.renames:
        homes = definers(old, contents) or definers(new, contents)
        modules = {m for p in homes for m in _module_names(p)}
        names = top_level_names(text) or frozenset()
        if old in names and new in names:
            continue  # both defined: an alias kept for old callers
        text = rename_python(text, old, new, modules)
    return text


def scope_of(request: str, contents: Mapping[str, str], known: Iterable[str]) -> Scope:
    """The renames the request asks with the files they reach, and the files it names as new
    (not among `known`, the paths the project has)."""
    scope = Scope(renames_asked(request))
    for old, new in scope.renames:
        homes = definers(old, contents)
        for path in homes:
            scope.users.setdefault(path, f"rename `{old}` to `{new}` where it is defined")
        for path in users_of(old, homes, contents):
            scope.users.setdefault(path, f"rename `{old}` to `{new}` where it is used")
    have = {p.casefold() for p in known}
    names = {p.rsplit("/", 1)[-1].casefold() for p in known}
    for m in _NEW_FILE.finditer(request):
        try:
            path = normalize_path(m.group(1))
        except UnsafePath:
            continue
        if path.casefold() in have or ("/" not in path and path.casefold() in names):
            continue
        if path not in scope.new_files:
            scope.new_files.append(path)
    return scope
