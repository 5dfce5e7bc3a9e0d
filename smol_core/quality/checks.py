"""Cheap checks of generated files: the small, checkable reasons generated code fails.

Each finding is plain data (file, line, message, kind). Checks never run the generated code:
they parse it (Python's compiler and pyflakes, json/tomllib, html.parser) and, for JavaScript,
ask `node --check` when node is on the machine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..prompts import instruction_headings
from ..records import Finding
from .common import NODE, _ext, _local, _resolve
from .data import _check_json, _check_toml
from .html_scan import _HtmlScan
from .project_view import _module_file, _Project
from .python import _check_python
from .python_facts import STDLIB, _python_facts, top_level_names
from .web import _check_html, _check_js, unsaved_state

# Kinds, most serious first. "missing-file" findings name a file that should be added; every
# other kind is fixed by writing its own file again (repair.REPAIRABLE).
KINDS = (
    "syntax",
    "echo",
    "undefined-name",
    "missing-module",
    "missing-name",
    "missing-file",
    "route-query",
    "dom-id",
    "script-unloaded",
    "script-early",
    "script-module",
    "inline-script",
    "js-global",
    "const-assigned",
    "stub",
    "unused",
    "entry-point",
    "manifest",
    "permission",
    "copied",
    "storage-call",
    "storage-unread",
    "storage-missing",
)


@dataclass(frozen=True)
class CheckReport:
    findings: dict[str, list[Finding]]  # path → its findings (every checked path is a key)
    notes: tuple[str, ...] = ()  # what could not be checked here, e.g. "node not found"

    @property
    def clean(self) -> bool:
        return not any(self.findings.values())

    def count(self) -> int:
        return sum(len(v) for v in self.findings.values())


def check_project(
    files: Mapping[str, str], plan: str = "", spec: str = "", *, use_node: bool = True
) -> CheckReport:
    """Check every file; cross-file references are checked against the whole project."""
    project = _Project(dict(files), plan, spec)
    notes: list[str] = []
    findings: dict[str, list[Finding]] = {}
    js = [p for p in files if _ext(p) in (".js", ".mjs", ".cjs")]
    if js and use_node and not NODE:
        notes.append("JavaScript syntax not checked: node is not installed on this machine.")
    headings = instruction_headings()
    for path, content in files.items():
        ext = _ext(path)
        found: list[Finding] = []
        if ext == ".py":
            found = _check_python(path, content, project)
        elif ext == ".json":
            found = _check_json(path, content, project)
        elif ext == ".toml":
            found = _check_toml(path, content)
        elif ext in (".html", ".htm"):
            found = _check_html(path, content, project)
        elif ext in (".js", ".mjs", ".cjs"):
            found = _check_js(path, content, project, use_node and bool(NODE))
        findings[path] = _echo(path, content, headings) + found
    if (unsaved := unsaved_state(project)) is not None:
        findings[unsaved.path].append(unsaved)
    return CheckReport(findings, tuple(notes))


def _echo(path: str, content: str, headings: frozenset[str]) -> list[Finding]:
    """A file that holds two or more of the instructions' own headings is the request copied
    back (seen from the 1.5B model on a README), not the file: every check passes it."""
    if sum(h in content for h in headings) < 2:  # a substring test first: cheap on 100 files
        return []
    lines = [i for i, ln in enumerate(content.splitlines(), 1) if ln.strip() in headings]
    if len(lines) < 2:
        return []
    return [
        Finding(
            path,
            lines[0],
            "is a copy of the instructions it was written from (the "
            "description, the plan, the file list), not the file itself",
            "echo",
        )
    ]


def referenced_paths(path: str, content: str, files: Mapping[str, str]) -> set[str]:
    """The project files `path` refers to: the modules a Python file imports, what a page
    loads (scripts, styles, images), the modules a script imports."""
    project = _Project(dict(files), "", "")
    ext = _ext(path)
    found: set[str | None] = set()
    if ext == ".py":
        facts = _python_facts(path, content)
        for _, module, level, names in facts.imports:
            if module:
                found.add(_module_file(project, path, module, level))
            else:
                found |= {_module_file(project, path, name, level) for name in names}
    elif ext in (".html", ".htm"):
        refs = [ref for _, _, ref in _HtmlScan.of(content).refs if _local(ref)]
        found |= {project.lower.get(_resolve(path, ref).lower()) for ref in refs}
    elif ext in (".js", ".mjs"):
        for ref in re.findall(r"""(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""", content):
            found.add(project.lower.get(_resolve(path, ref).lower()))
    return {p for p in found if p and p != path}


__all__ = [
    "KINDS",
    "NODE",
    "STDLIB",
    "CheckReport",
    "check_project",
    "referenced_paths",
    "top_level_names",
]
