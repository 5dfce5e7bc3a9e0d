"""The project's own programs: which a command may start, a smoke check for each that no
example covers, the project's tests run the way it runs them, the modules a call imports.

A command must be one of the project's own programs (`python app.py`, `python -m pkg`, `node
x.js`, `sh run.sh`, the project's tests): anything else (`rm -rf ~`, `curl …`) is refused
before it runs. Where the spec gives no example, `smoke_examples` makes one per program and page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..paths import clean_path
from ..records import Command, Example

_PYTHONS = ("python", "python3")
_TEST_RUNNERS = ("pytest", "unittest")


# ----------------------------------------------------------------------------- what may run


def refusal(args: Sequence[str], contents: Mapping[str, str]) -> str:
    """Why a command may not run ("" when it may): it must start one of the project's own
    programs, through an interpreter the project's files are written for."""
    if not args:
        return "an empty command"
    head, rest = args[0], list(args[1:])
    name = head.rsplit("/", 1)[-1]
    if name in _PYTHONS:
        if rest[:1] == ["-m"] and len(rest) >= 2:
            module = rest[1]
            if module in _TEST_RUNNERS or _module_file(module, contents):
                return ""
            return f"`python -m {module}`: {module} is not a module of the project"
        if rest and rest[0].endswith(".py") and clean_path(rest[0]) in contents:
            return ""
        return "a Python command must run a .py file of the project"
    if name in ("node", "nodejs"):
        if rest and clean_path(rest[0]) in contents and rest[0].endswith((".js", ".mjs", ".cjs")):
            return ""
        return "a node command must run a .js file of the project"
    if name in ("sh", "bash"):
        if rest and clean_path(rest[0]) in contents:
            return ""
        return "a shell command must run a script of the project"
    if clean_path(head.removeprefix("./")) in contents:
        return ""
    return f"`{head}` is not one of the project's own programs"


def _module_file(module: str, contents: Mapping[str, str]) -> str | None:
    base = module.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__main__.py", f"{base}/__init__.py"):
        if candidate in contents:
            return candidate
    return None


# ----------------------------------------------------------------------- examples without a spec


def smoke_examples(contents: Mapping[str, str], covered: Iterable[Example] = ()) -> list[Example]:
    """One check per program and page no example covers: Python modules import cleanly (a
    script's main code is guarded by `__name__`), pages load with no error and their controls
    do something, and the project's own tests run."""
    seen = set()
    for example in covered:
        seen.add(example.page)
        for c in example.commands:
            seen.update(a for a in c.args if a in contents)
    out: list[Example] = []
    modules = [p for p in contents if p.endswith(".py") and p not in seen and _importable(p)]
    tests = [p for p in modules if p.rsplit("/", 1)[-1].startswith("test_")]
    plain = [p for p in modules if p not in tests]
    if plain:
        names = [p[:-3].replace("/", ".").removesuffix(".__init__") for p in plain]
        code = "".join(f"import {n}\n" for n in names)
        out.append(
            Example(
                "every module imports cleanly",
                "smoke",
                (Command((), exit_code=0),),
                code=code,
                source="smoke",
            )
        )
    for page in contents:
        if page.lower().endswith((".html", ".htm")) and page not in seen:
            out.append(
                Example(f"{page} loads and its controls work", "smoke", page=page, source="smoke")
            )
    for test in tests:
        out.append(test_example(test, contents[test]))
    return out


_RUNS_ITSELF = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.M)


def test_example(path: str, text: str = "") -> Example:
    """The project's own test file, run the way the project runs it: a script that runs its
    own tests (`python test_x.py`, exit 0 when they pass) as itself; a unittest file by
    unittest; otherwise by pytest (where pytest is not installed, the runner says "not run")."""
    if _RUNS_ITSELF.search(text):  # pytest would find none of its checks, or other ones
        runner: tuple[str, ...] = ("python", path)
    elif "unittest" in text and "pytest" not in text:
        runner = ("python", "-m", "unittest", path)
    else:
        runner = ("python", "-m", "pytest", "-q", path)
    return Example(f"tests in {path}", "test", (Command(runner),), source="tests")


def _importable(path: str) -> bool:
    parts = path[:-3].split("/")
    return all(p.isidentifier() for p in parts) and not path.endswith("__main__.py")


# ------------------------------------------------------------------------- what an example reaches


def imported_modules(code: str, contents: Mapping[str, str]) -> list[str]:
    """The project's files that Python `code` imports by name."""
    names = re.findall(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", code, re.M)
    out = []
    for a, b in names:
        base = (a or b).replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in contents:
                out.append(candidate)
    return out


def css_selector(target: str) -> str:
    """An example's target as CSS: a bare name is an element id."""
    return target if target[:1] in ".#[" or " " in target else f"#{target}"
