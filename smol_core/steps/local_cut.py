"""A local request changes what it concerns and nothing else.

Asked to change one function of a file with a dozen similar ones, the built-in model was seen
writing all of them back, each a little different (two lines gone from eight functions). When
the request names functions of the file (by name, or by the part that tells one of a family
apart: "the `sub` command" of `op_add`, `op_sub`…), the model is told which ones, and of what
it writes, the changes to other existing functions are cut back, unless they use what the
change concerns or adds (a dispatcher given the new command) or the concerned functions use
them (a fix made in a helper): those are part of the change.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

from .function_edits import NO_CHANGE, splice_functions

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _top_defs(tree: ast.Module) -> dict[str, ast.stmt]:
    return {n.name: n for n in tree.body if isinstance(n, _DEFS)}


def concerned_functions(request: str, source: str) -> list[str]:
    """The top-level functions and classes of `source` the request names: by their name, or
    (in a family of three or more sharing a prefix or suffix, like `op_add`, `op_sub`) by the
    part that tells one apart. [] when it names none (or the file does not parse)."""
    try:
        names = list(_top_defs(ast.parse(source)))
    except (SyntaxError, ValueError):
        return []
    words = {w.lower() for w in _WORD.findall(request)}
    named = [n for n in names if n.lower() in words]
    if named:
        return named
    heads = Counter(n.split("_", 1)[0] for n in names if "_" in n)
    tails = Counter(n.rsplit("_", 1)[1] for n in names if "_" in n)
    out = []
    for n in names:
        if "_" not in n:
            continue
        head, rest = n.split("_", 1)
        start, tail = n.rsplit("_", 1)
        if (heads[head] >= 3 and rest.lower() in words) or (
            tails[tail] >= 3 and start.lower() in words
        ):
            out.append(n)
    return out if len(out) < max(3, len(names) // 2) else []  # most of them: not local


def _uses(node: ast.AST, names: set[str]) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id in names)
        or (isinstance(n, ast.Attribute) and n.attr in names)
        or (isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in names)
        for n in ast.walk(node)
    )


def cut_back(current: str, new: str, concerned: list[str]) -> tuple[str, list[str]]:
    """`new` (a whole file written for a change of `concerned`) with the changes to the other
    existing functions and classes undone, except those that use a concerned or new name.
    Returns the text and the names cut back; `new` itself when nothing is cut or the result
    could not be made exactly."""
    if not concerned:
        return new, []
    try:
        old_tree, new_tree = ast.parse(current), ast.parse(new)
    except (SyntaxError, ValueError):
        return new, []
    old_defs, new_defs = _top_defs(old_tree), _top_defs(new_tree)
    if set(old_defs) - set(new_defs):
        return new, []  # a definition removed or renamed: not a local edit to cut by name
    added = set(new_defs) - set(old_defs)
    wanted = set(concerned) | added
    # What the concerned functions call is theirs to change too (a fix in a helper).
    wanted |= {
        n for n in old_defs if any(_uses(new_defs[c], {n}) for c in concerned if c in new_defs)
    }
    cut = [
        name
        for name, node in new_defs.items()
        if name in old_defs
        and name not in wanted
        and ast.dump(node) != ast.dump(old_defs[name])
        and not _uses(node, wanted)
    ]
    if not cut:
        return new, []
    lines = new.replace("\r\n", "\n").split("\n")
    kept = []
    for node in new_tree.body:
        if isinstance(node, _DEFS) and node.name in cut:
            continue
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        kept.append("\n".join(lines[first - 1 : node.end_lineno]))
    spliced = splice_functions(current, "\n\n\n".join(kept) + "\n")
    if spliced.failure == NO_CHANGE:  # only the others changed: the concerned ones did not
        return new, []
    if not spliced.ok:
        return new, []
    return spliced.text, sorted(cut)
