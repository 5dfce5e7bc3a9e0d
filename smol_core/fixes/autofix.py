"""Fixes that need no model: findings with one right answer, applied to the text directly.

A forgotten `import sys`, a name used from another file of the project without importing it, a
script whose `main()` is never called, a page that never loads its script or loads a file the
list took off, a `const` assigned again, an extension that uses `chrome.storage` without the
permission: a small model makes these often, and asking it again to fix them is slow and not
always successful (seen in the quality bench: a repair moved the `__main__` test *inside*
`main`). Each fix here is made only when exactly one change is right; anything less certain is
left to the model's repair.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..quality.checks import STDLIB, referenced_paths, top_level_names
from ..quality.common import _local, _resolve
from ..quality.copies import copied_definitions
from ..quality.python_facts import _python_facts
from ..quality.web import GLOBAL_UNPACKED, storage_pairs
from ..records import Finding


@dataclass(frozen=True)
class Fix:
    path: str
    content: str
    changes: tuple[str, ...]  # what was done, in words, for the person


def autofix(
    files: Mapping[str, str],
    findings: Mapping[str, Sequence[Finding]],
    ruled_out: Collection[str] = (),
) -> dict[str, Fix]:
    """The files some of whose findings can be fixed mechanically, fixed. `ruled_out`: paths the
    file list took off (the description's own limits): a page's reference to one is removed."""
    out: dict[str, Fix] = {}
    for path, items in findings.items():
        content = files.get(path)
        if content is None or not items:
            continue
        changes: list[str] = []
        if path.endswith(".py"):
            content = _fix_python(path, content, items, files, changes)
        elif path.endswith((".html", ".htm")):
            content = _fix_html(path, content, items, changes, ruled_out)
        elif path.endswith((".js", ".mjs", ".cjs")):
            content = _fix_js(content, items, changes)
        elif PurePosixPath(path).name == "manifest.json":
            content = _fix_manifest(content, items, changes)
        if changes:
            out[path] = Fix(path, content, tuple(changes))
    return out


# -------------------------------------------------------------------------------------- Python
def _fix_python(
    path: str, content: str, items: Sequence[Finding], files: Mapping[str, str], changes: list
) -> str:
    imports: list[str] = []
    for name in dict.fromkeys(f.target for f in items if f.kind == "undefined-name" and f.target):
        line = _import_for(path, name, content, files)
        if line and line not in imports:
            imports.append(line)
    if imports:
        content = _insert_imports(content, imports)
        changes += [f"added `{line}`" for line in imports]
    if copied := {f.target for f in items if f.kind == "copied" and f.target}:
        content = _import_copies(path, content, files, copied, changes)
    if any(f.kind == "route-query" for f in items):
        content = _route_by_path(path, content, changes)
    if any(f.kind == "entry-point" for f in items) and _main_without_arguments(content):
        content = content.rstrip("\n") + '\n\n\nif __name__ == "__main__":\n    main()\n'
        changes.append('added `if __name__ == "__main__": main()`')
    return content


def _import_copies(
    path: str, content: str, files: Mapping[str, str], names: set[str], changes: list
) -> str:
    """A function copied from a module beside the script: imported from there instead."""
    # The checks found `path` to be a script the spec runs; the names are the copies found.
    copies = [
        c for c in copied_definitions(path, {**files, path: content}, {path}) if c.name in names
    ]
    if not copies:
        return content
    lines = content.split("\n")
    for c in sorted(copies, key=lambda c: -c.first):  # bottom-up: earlier lines stay true
        del lines[c.first - 1 : c.last]
    content = re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines))
    imports = {c.module: [x.name for x in copies if x.module == c.module] for c in copies}
    wanted = [f"from {m} import {', '.join(names)}" for m, names in imports.items()]
    changes += [
        f"imported `{', '.join(names)}` from `{m}.py` instead of keeping a copy"
        for m, names in imports.items()
    ]
    return _insert_imports(content, wanted)


def _route_by_path(path: str, content: str, changes: list) -> str:
    """`self.path == "/add"` → `self.path.split("?")[0] == "/add"`: the same for a request
    without a query, and the route it names for one with a query."""
    lines = content.split("\n")
    routes = _python_facts(path, content).routes
    for line, start, end, _ in reversed(routes):  # bottom-up: earlier columns stay true
        raw = lines[line - 1].encode("utf-8")  # ast's columns count bytes
        lines[line - 1] = (raw[:start] + b'self.path.split("?")[0]' + raw[end:]).decode("utf-8")
    changes += [
        f"line {line}: compares the path without its query string with `{route}`"
        for line, _, _, route in routes
    ]
    return "\n".join(lines)


def _import_for(path: str, name: str, content: str, files: Mapping[str, str]) -> str | None:
    """The one import that defines `name` for `path`, or None when there isn't exactly one."""
    if name in STDLIB and re.search(rf"(?<![\w.]){re.escape(name)}\.\w", content):
        return f"import {name}"  # `sys.argv` with no `import sys`
    homes = []
    for other, text in files.items():
        if other == path or not other.endswith(".py"):
            continue
        module = _module_name(path, other)
        names = top_level_names(text)
        # `other` importing `path` already: importing back would make a cycle.
        cycle = path in referenced_paths(other, text, files)
        if module and names is not None and name in names and not cycle:
            homes.append(module)
    return f"from {homes[0]} import {name}" if len(homes) == 1 else None


def _module_name(importer: str, target: str) -> str | None:
    """How `importer` (run as a script from its folder) imports the file `target`."""
    here = posixpath.dirname(importer)
    stem = target[: -len(".py")]
    if here:
        if not stem.startswith(here + "/"):
            return None
        stem = stem[len(here) + 1 :]
    parts = stem.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def _insert_imports(content: str, lines: list[str]) -> str:
    """After the file's leading docstring and imports (and any shebang or encoding line)."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    after = 0  # number of source lines that stay above the new imports
    for i, node in enumerate(tree.body):
        is_doc = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if is_doc or isinstance(node, (ast.Import, ast.ImportFrom)):
            after = node.end_lineno or after
        else:
            break
    source = content.splitlines(keepends=True)
    if after == 0:
        while after < len(source) and source[after].startswith("#"):
            after += 1  # shebang, encoding, a header comment
    block = "".join(f"{line}\n" for line in lines)
    head = "".join(source[:after])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + block + "".join(source[after:])


def _main_without_arguments(content: str) -> bool:
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "main":
            a = node.args
            required = len(a.posonlyargs) + len(a.args) - len(a.defaults)
            kw_required = sum(d is None for d in a.kw_defaults)
            return required == 0 and kw_required == 0 and isinstance(node, ast.FunctionDef)
    return False


# ---------------------------------------------------------------------------------------- HTML
def _fix_html(
    path: str, content: str, items: Sequence[Finding], changes: list, ruled_out: Collection[str]
) -> str:
    for f in items:
        if f.kind == "missing-file" and f.target and f.target in ruled_out:
            # The description named its files and this is not one of them: a stylesheet or
            # script nobody will write only makes the page fail to load it.
            fixed = _drop_reference(path, content, f.target)
            if fixed != content:
                content = fixed
                changes.append(
                    f"removed the reference to `{f.target}`, which is not one of the "
                    "files the description asks for"
                )
        elif f.kind == "script-unloaded" and f.target:
            src = posixpath.relpath(f.target, posixpath.dirname(path) or ".")
            tag = f'<script src="{src}"></script>'
            close = content.lower().rfind("</body>")
            if close >= 0:
                content = content[:close] + f"  {tag}\n" + content[close:]
            else:
                content = content.rstrip("\n") + f"\n{tag}\n"
            changes.append(f"added `{tag}` at the end of the body")
        elif f.kind == "script-early" and f.target:
            fixed = _add_defer(content, f.target)
            if fixed != content:
                content = fixed
                changes.append(
                    f"made `{PurePosixPath(f.target).name}` load after the page (`defer`)"
                )
    return content


_LOADING_TAG = re.compile(r"[ \t]*(<link\b[^>]*>|<script\b[^>]*>\s*</script\s*>)[ \t]*\n?", re.I)
_REF = re.compile(r"\b(?:href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)


def _drop_reference(path: str, content: str, target: str) -> str:
    """`content` without the <link> or empty <script src> tags that load `target`."""

    def keep(m: re.Match) -> str:
        ref = _REF.search(m.group(1))
        value = next((g for g in ref.groups() if g is not None), "") if ref else ""
        return "" if _local(value) and _resolve(path, value) == target else m.group(0)

    return _LOADING_TAG.sub(keep, content)


def _add_defer(content: str, src: str) -> str:
    name = re.escape(PurePosixPath(src).name)
    tag = re.compile(rf"<script\b(?=[^>]*\bsrc\s*=\s*['\"][^'\"]*{name}['\"])([^>]*)>", re.I)
    return tag.sub(lambda m: f"<script defer{m.group(1)}>", content, count=1)


# ---------------------------------------------------------------------------------- JavaScript
def _fix_js(content: str, items: Sequence[Finding], changes: list) -> str:
    if any(f.kind == "js-global" for f in items):
        # `const { document } = window;` declares what the page already has, the same object:
        # without the line, every use means the same thing and the script runs.
        fixed, count = GLOBAL_UNPACKED.subn("", content)
        if count:
            content = fixed
            changes.append("removed `const { … } = window`: the page already has those names")
    if any(f.kind == "storage-call" for f in items):
        # `set('k', v, cb)` → `set({ 'k': v }, cb)`: the object form Chrome takes, same data.
        for key_at, value_at, end, _ in reversed(storage_pairs(content)):
            value = content[value_at:end].strip()
            key = content[key_at : value_at - 1].rstrip()
            content = f"{content[:key_at]}{{ {key}: {value} }}{content[end:]}"
            changes.append(f"passed `chrome.storage` `set` one object ({{ {key}: … }})")
    for name in dict.fromkeys(f.target for f in items if f.kind == "const-assigned" and f.target):
        # `let` allows all that `const` does, and the assignment too: never wrong.
        declaration = re.compile(rf"\bconst(\s+{re.escape(name)}\s*=)")
        fixed = declaration.sub(r"let\1", content)
        if fixed != content:
            content = fixed
            changes.append(f"declared `{name}` with `let` (it is assigned again)")
    return content


# ------------------------------------------------------------------------------ manifest.json
def _fix_manifest(content: str, items: Sequence[Finding], changes: list) -> str:
    wanted = [f.target for f in items if f.kind == "permission" and f.target]
    try:
        data = json.loads(content)
    except ValueError:
        return content
    permissions = data.get("permissions", [])
    if not wanted or not isinstance(data, dict) or not isinstance(permissions, list):
        return content
    added = [w for w in dict.fromkeys(wanted) if w not in permissions]
    if not added:
        return content
    data["permissions"] = [*permissions, *added]
    changes += [f'added the `"{w}"` permission' for w in added]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
