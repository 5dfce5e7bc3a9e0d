"""A request that moves functions or classes to another module, made exactly, without the
model: asked to "move `f` and `g` into b.py", a small model copies them and leaves the
originals, or breaks the imports. Where a definition starts and ends, what it uses and who
imports it are known (ast), so the move is a cut and a paste: the definitions go with the
imports they need, the source imports back what it still uses, every importer is sent to
the new home. When that can't be exact (the moved code needs a helper left behind, a name
clashes), nothing is made here and the model does the change as before."""

from __future__ import annotations

import ast
import re
import symtable
from collections.abc import Mapping, Sequence

from .change_scope import _module_names
from .move_asked import Move

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)
_Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


# ---------------------------------------------------------------------------- the move made
def _bindings(tree: ast.Module) -> dict[str, list[ast.stmt]]:
    """Each top-level name of a module with the statements that bind it (over-counted in
    compound statements, and `global x` in a function counts: a doubt refuses a move)."""
    out: dict[str, list[ast.stmt]] = {}
    for stmt in [*tree.body, *(n for n in ast.walk(tree) if isinstance(n, ast.Global))]:
        if isinstance(stmt, (*_DEFS, *_IMPORTS, ast.Global)):
            names = {stmt.name} if isinstance(stmt, _DEFS) else set(getattr(stmt, "names", ()))
            names = {n if isinstance(n, str) else (n.asname or n.name).split(".")[0] for n in names}
        else:
            walk = list(ast.walk(stmt))
            names = {n.id for n in walk if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            names |= {n.name for n in walk if isinstance(n, _DEFS)}
        for name in names:
            out.setdefault(name, []).append(stmt)
    return out


def _uses(text: str, nodes: Sequence[_Def]) -> set[str]:
    """The module-level names the definitions use: their bodies' globals (symtable), and what
    runs where they are defined (decorators, defaults, annotations, bases)."""
    children = symtable.symtable(text, "<source>", "exec").get_children()
    out: set[str] = set()
    for node in nodes:
        table = [c for c in children if (c.get_name(), c.get_lineno()) == (node.name, node.lineno)]
        if len(table) != 1:
            raise ValueError(node.name)
        while table:  # the body's globals, nested functions and classes included
            inner = table.pop()
            table += inner.get_children()
            out |= {s.get_name() for s in inner.get_symbols() if s.is_global()}
        outer: list[ast.AST | None] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            outer += [*node.bases, *(k.value for k in node.keywords)]
        else:
            a = node.args
            args = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            outer += [*a.defaults, *(d for d in a.kw_defaults if d), node.returns]
            outer += [x.annotation for x in args if x and x.annotation]
        out |= {n.id for part in outer if part for n in ast.walk(part) if isinstance(n, ast.Name)}
    return out


def _span(node: ast.stmt, lines: list[str]) -> tuple[int, int] | None:
    """The 0-based first and last line of a definition with its decorators and the comment
    lines right above it; None when it shares a line with other code."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
    last = (node.end_lineno or node.lineno) - 1
    tail = lines[last].encode("utf-8")[node.end_col_offset or 0 :].decode("utf-8", "replace")
    if tail.strip() and not tail.strip().startswith("#"):
        return None
    while first > 0 and lines[first - 1].startswith("#"):
        first -= 1
    return first, last


def _stem(path: str) -> tuple[str, str]:
    return path.rpartition("/")[0], path.rpartition("/")[2].removesuffix(".py")


def _refers(importer: str, module: str | None, level: int, path: str) -> bool:
    """Whether `from <module> import …` (dots: `level`) in `importer` names the file `path`."""
    if level == 0:
        return (module or "") in _module_names(path)
    base = importer.split("/")[:-1]
    if level - 1 > len(base):
        return False
    parts = base[: len(base) - (level - 1)] + (module.split(".") if module else [])
    return "/".join(parts) in (path[:-3], path.removesuffix("/__init__.py"))


def _retarget(module: str, source: str, target: str) -> str | None:
    """How an import of `source` spelled `module` spells `target` (same folder: the last part
    changes; else only a full dotted name can be followed)."""
    (s_dir, s_name), (t_dir, t_name) = _stem(source), _stem(target)
    parts = module.split(".") if module else []
    if s_dir == t_dir and parts and parts[-1] == s_name:
        return ".".join([*parts[:-1], t_name])
    dotted = {p: p[:-3].replace("/", ".") for p in (source, target)}
    return dotted[target] if module == dotted[source] else None


def _line(stmt: ast.stmt, aliases: Sequence[ast.alias], module: str | None = None) -> str:
    """The import statement `stmt` with only `aliases` (from `module` when given)."""
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in aliases)
    if not isinstance(stmt, ast.ImportFrom):
        return f"import {names}"
    return f"from {'.' * stmt.level}{module or stmt.module or ''} import {names}"


def _insert_imports(text: str, tree: ast.Module, new: Sequence[str]) -> str:
    """`text` with import lines `new` after its docstring and leading imports (PEP 8)."""
    end, after_import = 0, False
    for i, stmt in enumerate(tree.body):
        doc = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        if not (doc or isinstance(stmt, _IMPORTS)):
            break
        end, after_import = stmt.end_lineno or stmt.lineno, not doc
    lines = text.splitlines(keepends=True)
    head, tail, block = "".join(lines[:end]), lines[end:], "".join(f"{x}\n" for x in new)
    if not new or after_import:
        return head + block + "".join(tail)
    if tail and tail[0].strip():  # two blank lines before a def, one before other code
        block += "\n\n" if tail[0].startswith(("def ", "class ", "@", "async ")) else "\n"
    return (head.rstrip("\n") + "\n\n" if head else "") + block + "".join(tail)


def _at(node: ast.expr | ast.stmt) -> tuple[int, int, int, int]:
    return node.lineno, node.col_offset, node.end_lineno or 0, node.end_col_offset or 0


def _edit(text: str, spots: list[tuple[int, int, int, int, str]]) -> str:
    """`text` with each (line, byte, end line, end byte, new text) replaced (ast positions)."""
    lines = text.split("\n")

    def at(line: int, byte: int) -> int:  # a character offset into text
        start = sum(len(s) + 1 for s in lines[: line - 1])
        return start + len(lines[line - 1].encode("utf-8")[:byte].decode("utf-8", "replace"))

    for line, col, end, end_col, new in sorted(spots, reverse=True):
        text = text[: at(line, col)] + new + text[at(end, end_col) :]
    return text


def _reroute(path: str, text: str, move: Move) -> str | None:
    """`text` importing the moved names from the target instead of the source (the target
    itself drops its imports of them); None when that can't be done exactly."""
    if not any(n in text for n in move.names):
        return text
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text  # broken already: not this change's to mend
    lines, spots, taken = text.split("\n"), [], set(_bindings(tree))
    home, stem = path == move.target, _stem(move.source)[1]
    for node in [n for n in ast.walk(tree) if isinstance(n, _IMPORTS)]:
        at = _at(node)
        alone = not lines[node.lineno - 1][: node.col_offset].strip()
        if isinstance(node, ast.ImportFrom) and _refers(path, node.module, node.level, move.source):
            moved = [a for a in node.names if a.name in move.names]
            module = _retarget(node.module or "", move.source, move.target)
            if any(a.name == "*" for a in node.names) or (home and any(a.asname for a in moved)):
                return None
            if moved and (module is None or not alone):
                return None
            kept = [a for a in node.names if a.name not in move.names]
            new = [_line(node, kept)] if kept else []
            new += [] if home or not module else [_line(node, moved, module)]
            if moved and new:
                spots.append((*at, f"\n{' ' * node.col_offset}".join(new)))
            elif moved:  # the target imported them from the source: its own now
                spots.append((node.lineno, 0, at[2] + 1, 0, ""))
            continue
        for a in node.names:  # `import a` (or `from pkg import a`) then `a.f`
            whole = isinstance(node, ast.Import) and a.name in _module_names(move.source)
            sub = isinstance(node, ast.ImportFrom) and a.name == stem
            bound = a.asname or a.name
            uses = [  # by position: never in a string or a comment
                n.value
                for n in ast.walk(tree)
                if (whole or sub) and isinstance(n, ast.Attribute) and n.attr in move.names
                if isinstance(n.value, (ast.Name, ast.Attribute))
                and ast.get_source_segment(text, n.value) == bound
            ]
            if not uses:
                continue
            module = _retarget(a.name, move.source, move.target)
            if home or sub or module is None or not alone:
                return None  # `a.f` where f now lives, or `from pkg import a`: not followed
            have = f"import {module}\n" in f"{text}\n"
            if module.split(".")[0] in taken and not have:
                return None  # the name is already something else in this file
            spots += [(*_at(v), module) for v in uses]
            top = bound.split(".")[0]
            left = sum(isinstance(n, ast.Name) and n.id == top for n in ast.walk(tree)) - len(uses)
            if not have and not left and len(node.names) == 1:  # `a` has no other use left
                spots.append((*at, f"import {module}"))
            elif not have:
                spots.append((*at[2:], *at[2:], f"\n{' ' * node.col_offset}import {module}"))
    return _edit(text, spots) if spots else text


def _cut(lines: list[str], spans: Sequence[tuple[int, int]]) -> str:
    """The text without the given lines and the blank lines after each (PEP 8 spacing kept)."""
    drop = {i for first, last in spans for i in range(first, last + 1)}
    for _, last in spans:
        while last + 1 < len(lines) and not lines[last + 1].strip():
            drop.add(last := last + 1)
    return re.sub(r"\n\n+\Z", "\n", "".join(s for i, s in enumerate(lines) if i not in drop))


def _drop_unused(text: str, names: set[str]) -> str:
    """`text` without the imports of `names` it no longer mentions (the moved code took them)."""
    tree, spots = ast.parse(text), []
    for stmt in [s for s in tree.body if isinstance(s, _IMPORTS)]:
        bound = [(a, (a.asname or a.name).split(".")[0]) for a in stmt.names]
        kept = [a for a, n in bound if n not in names or len(re.findall(rf"\b{n}\b", text)) > 1]
        if len(kept) == len(stmt.names):
            continue
        end = (stmt.end_lineno or 0, stmt.end_col_offset or 0)
        if not kept:  # the line goes, and the blank lines above it when blank ones follow
            first, lines = stmt.lineno, text.split("\n")
            while first > 1 and not lines[first - 2].strip() and not lines[end[0]].strip():
                first -= 1
            spots.append((first, 0, end[0] + 1, 0, ""))
        else:
            spots.append((stmt.lineno, 0, *end, _line(stmt, kept)))
    return _edit(text, spots).lstrip("\n")


def _taken(stmt: ast.stmt, alias: ast.alias, bound: Mapping[str, list[ast.stmt]]) -> bool:
    """Whether the target has the alias's name already by the same import (ValueError when
    something else there has that name: a clash)."""
    for x in (there := bound.get((alias.asname or alias.name).split(".")[0], [])):
        pairs = {(a.name, a.asname) for a in getattr(x, "names", ())}
        if type(x) is not type(stmt) or getattr(x, "module", 0) != getattr(stmt, "module", 0):
            raise ValueError(alias.name)
        if (alias.name, alias.asname) not in pairs:
            raise ValueError(alias.name)
    return bool(there)


def _imports_for(
    tree: ast.Module, needed: set[str], move: Move, t_bound: Mapping[str, list[ast.stmt]]
) -> list[str]:
    """The source's import lines of the names the moved code uses, as the target needs them
    (its own names and the ones it imports the same way left out). ValueError: can't be."""
    out, (s_dir, _), (t_dir, _) = [], _stem(move.source), _stem(move.target)
    for stmt in [s for s in tree.body if isinstance(s, _IMPORTS)]:
        take = [a for a in stmt.names if (a.asname or a.name).split(".")[0] in needed]
        if isinstance(stmt, ast.ImportFrom):
            if take and stmt.level and s_dir != t_dir:
                raise ValueError("a relative import would mean another module there")
            if _refers(move.source, stmt.module, stmt.level, move.target):
                continue  # the target's own names
        if take := [a for a in take if not _taken(stmt, a, t_bound)]:
            out.append(_line(stmt, take))
    return out


def _back(rest: str, tree: ast.Module, names: set[str], move: Move) -> str:
    """The source's rest importing the moved names it still uses from the target, spelled
    like its own imports (relative, dotted or plain)."""
    still = sorted({n.id for n in ast.walk(ast.parse(rest)) if isinstance(n, ast.Name)} & names)
    if not still:
        return rest
    (s_dir, _), (t_dir, t_name) = _stem(move.source), _stem(move.target)
    froms = _froms(tree)
    relative = any(level for _, level in froms)
    dotted = any((m or "").startswith(s_dir.replace("/", ".") + ".") for m, _ in froms)
    module = "." + t_name if relative else t_name
    if s_dir != t_dir or (s_dir and dotted and not relative):
        module = move.target[:-3].replace("/", ".")
    return _insert_imports(rest, ast.parse(rest), [f"from {module} import {', '.join(still)}"])


def _move(files: Mapping[str, str], move: Move) -> dict[str, str] | None:
    """The texts one move changes or creates; None when it can't be made exactly."""
    source, target, names = move.source, move.target, set(move.names)
    text, t_text = files.get(source), files.get(target)
    if text is None or source == target or not target.endswith(".py"):
        return None
    if t_text is not None and (t_text := _reroute(target, t_text, move)) is None:
        return None
    try:
        tree, t_tree = ast.parse(text), ast.parse(t_text or "")
        nodes: list[_Def] = [n for n in tree.body if isinstance(n, _DEFS) and n.name in names]
        used, bound, t_bound = _uses(text, nodes), _bindings(tree), _bindings(t_tree)
        needed = {n for n in used - names if n in bound}
        imports = _imports_for(tree, needed, move, t_bound)
    except (SyntaxError, ValueError):
        return None
    if len(nodes) != len(names) or any(len(bound[n]) != 1 for n in names):
        return None  # a name defined twice, or also assigned: which one moves is a guess
    helpers = sorted(n for n in needed if not all(isinstance(b, _IMPORTS) for b in bound[n]))
    if names & set(t_bound) or set(helpers) & set(t_bound):
        return None  # a clash in the target
    lines = text.splitlines(keepends=True)
    spans = [_span(n, lines) for n in nodes]
    future = [s for s in tree.body if isinstance(s, ast.ImportFrom) and s.module == "__future__"]
    futures = [ast.get_source_segment(text, s) or "" for s in future]
    cuts = [s for s in spans if s]
    if len(cuts) != len(spans) or (t_text is not None and any(f not in t_text for f in futures)):
        return None
    body = "\n\n\n".join("".join(lines[a : b + 1]).rstrip("\n") for a, b in cuts)
    left = _drop_unused(_cut(lines, cuts), needed)
    if (rest := _back(left, tree, names, move)) != left and (
        helpers or any(_refers(target, m, level, source) for m, level in _froms(t_tree))
    ):
        return None  # the source imports from the target, which imports the source
    if helpers:  # what the moved code uses of what stays: the target imports it back
        imports.append(f"from {_module_of(source, target)} import {', '.join(helpers)}")
    imports = [*futures, *imports] if t_text is None else imports
    out = {source: rest, target: _paste(t_text, t_tree, body, imports)}
    for path, other in files.items():
        if path.endswith(".py") and path not in out:
            if (new := _reroute(path, other, move)) is None:
                return None
            out[path] = new
    return out


def _module_of(source: str, importer: str) -> str:
    """How `importer` names the module `source`: its stem beside it, else its dotted path."""
    (s_dir, s_name), (i_dir, _) = _stem(source), _stem(importer)
    return s_name if s_dir == i_dir else source[:-3].replace("/", ".")


def _froms(tree: ast.Module) -> list[tuple[str | None, int]]:
    """Every module a module imports: (module, level), `import a` as ("a", 0)."""
    out = [(n.module, n.level) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    return out + [(a.name, 0) for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]


def _paste(text: str | None, tree: ast.Module, body: str, imports: list[str]) -> str:
    """The target with the moved definitions after its own (before a main guard or other
    top-level code, which may call them) and the imports they need."""
    if text is None:
        head = "\n".join(imports)
        return (head + "\n\n\n" if head else "") + body + "\n"
    end = 0
    for stmt in tree.body:
        doc = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        if not (doc or isinstance(stmt, (*_DEFS, *_IMPORTS, ast.Assign, ast.AnnAssign))):
            break
        end = stmt.end_lineno or stmt.lineno
    lines = text.splitlines(keepends=True)
    head, tail = "".join(lines[:end]).rstrip("\n"), "".join(lines[end:]).lstrip("\n")
    new = (head + "\n\n\n" if head else "") + body + ("\n\n\n" + tail if tail.strip() else "\n")
    return _insert_imports(new, tree, imports)


def apply_moves(contents: Mapping[str, str], moves: Sequence[Move]) -> dict[str, str] | None:
    """The new text of every file the moves change or create; None when any of them can't be
    made exactly (or the result would not compile): the model does the change then."""
    files = dict(contents)
    for move in moves:
        if (done := _move(files, move)) is None:
            return None
        files.update(done)
    out = {p: t for p, t in files.items() if contents.get(p) != t}
    for path, text in out.items():
        try:  # the move must leave every file compiling, or it is not made
            compile(text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return None
    return out or None
