"""Checks of Python files: compiles, names defined, imports resolve, entry points run something."""

from __future__ import annotations

import posixpath
import re
from pathlib import PurePosixPath

from ..records import Finding
from .common import _missing_file, _stub, _unused
from .copies import copied_definitions
from .project_view import _module_file, _Project
from .python_facts import STDLIB, _python_facts, top_level_names

# Import names whose distribution is called something else.
_DIST_ALIASES = {
    "yaml": "pyyaml",
    "bs4": "beautifulsoup4",
    "PIL": "pillow",
    "cv2": "opencv_python",
    "sklearn": "scikit_learn",
    "dotenv": "python_dotenv",
}


def _check_python(path: str, content: str, project: _Project) -> list[Finding]:
    facts = _python_facts(path, content)
    if facts.syntax is not None:
        return [facts.syntax]
    out = list(facts.undefined)
    out += _check_imports(path, facts.imports, project)
    out += [_stub(path, line, name) for line, name in facts.stubs]
    out += [
        Finding(
            path,
            line,
            f"compares `self.path` with `{route!r}`, but `self.path` also "
            f"holds the query string, so `{route}?a=1` never matches: compare the path "
            "alone, `self.path.split('?')[0]`",
            "route-query",
            route,
        )
        for line, _, _, route in facts.routes
    ]
    if path in project.run_targets() and not project.imported(path):
        # A script's own function or class that nothing calls: usually something not wired up
        # (a request handler never given to the server, a command never dispatched).
        for line, name in facts.unused:
            if name == "main" and not facts.runs_something:
                continue  # the entry-point finding says it better
            if not project.mentioned_elsewhere(path, name):
                out.append(_unused(path, line, name))
    for c in copied_definitions(path, project.files, project.run_targets()):
        out.append(
            Finding(
                path,
                c.first,
                f"defines `{c.name}` again, a copy of the one in "
                f"`{c.home}`: import it (`from {c.module} import {c.name}`), so "
                "that a fix to one reaches both",
                "copied",
                c.name,
            )
        )
    if path in project.run_targets() and not facts.runs_something:
        commands = project.run_commands(path)
        how = (
            f"handles each command the description gives ({', '.join(f'`{c}`' for c in commands)})"
            if commands
            else "reads the command-line arguments the description gives and calls the code"
        )
        out.append(
            Finding(
                path,
                None,
                "is meant to be run, but running it does nothing (no "
                '`if __name__ == "__main__":` and no top-level call): end it with '
                f'`if __name__ == "__main__":` that {how}',
                "entry-point",
            )
        )
    return out


def _check_imports(
    path: str, imports: tuple[tuple[int, str, int, tuple[str, ...]], ...], project: _Project
) -> list[Finding]:
    out: list[Finding] = []
    reqs = project.requirements()
    for lineno, module, level, names in imports:
        if not module:  # `from . import a, b`: each name is a module of the package
            for name in names:
                if _module_file(project, path, name, level) is None:
                    out.append(_missing_import(path, lineno, "." * level + name))
            continue
        found = _module_file(project, path, module, level)
        if found is None:
            top = module.split(".")[0]
            if level == 0 and top in STDLIB:
                continue
            meant_local = level > 0 or _looks_local(top, project)
            dist = _DIST_ALIASES.get(top, top).lower().replace("-", "_")
            if not meant_local and (dist in reqs or top.lower() in reqs):
                continue
            if meant_local:
                target = posixpath.join(posixpath.dirname(path), *module.split(".")) + ".py"
                out.append(_missing_file(path, lineno, f"imports `{module}` from", target))
            elif not reqs and not _has_requirements(project):
                # A third-party package with nowhere to declare it: the file to add.
                out.append(
                    _missing_file(
                        path, lineno, f"imports the package `{top}`; list it in", "requirements.txt"
                    )
                )
            else:
                out.append(_missing_import(path, lineno, module))
            continue
        exported = top_level_names(project.files[found])
        if exported is None:
            continue
        for name in names:
            if name == "*" or name in exported or _module_file(project, found, name, 1):
                continue
            out.append(
                Finding(
                    path,
                    lineno,
                    f"imports `{name}` from `{found}`, which does not define it",
                    "missing-name",
                )
            )
    return out


def _missing_import(path: str, line: int, module: str) -> Finding:
    return Finding(
        path,
        line,
        f"imports `{module}`, which is neither a file of the project, the "
        "standard library, nor listed in requirements.txt",
        "missing-module",
    )


def _has_requirements(project: _Project) -> bool:
    return any(
        PurePosixPath(p).name.lower() in ("requirements.txt", "pyproject.toml")
        for p in project.files
    )


def _looks_local(top: str, project: _Project) -> bool:
    """The plan or spec names `<top>.py`: the model meant a project file and forgot it."""
    return bool(re.search(rf"\b{re.escape(top)}\.py\b", project.text))
