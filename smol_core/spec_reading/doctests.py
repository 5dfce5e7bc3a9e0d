"""Calls a spec writes as a Python session (`>>> to_isbn13("0-306-40615-2")` and the line
under it, `'9780306406157'`), the way Python's own documentation and doctest write them:
each a "call" example, exact, asked of no model. An exception shown under a call is expected
as that exception."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

from ..records import Command, Example
from .inputs import FENCE
from .model_examples import MAX_EXAMPLES
from .written_calls import call_module

_PROMPT = re.compile(r"^\s*>>>\s?(.*)$")
_MORE = re.compile(r"^\s*\.\.\.\s?(.*)$")
_RAISED = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt))\b")


def session_calls(spec: str, contents: Mapping[str, str]) -> list[Example]:
    """One example per expression of a `>>>` session in a fenced block that shows what it
    gives; the statements before it (imports, assignments) run first, as in the session."""
    out: list[Example] = []
    for block in FENCE.finditer(spec):
        lines = block.group(1).splitlines()
        if not any(_PROMPT.match(line) for line in lines):
            continue
        module = call_module(spec[: block.start()], contents)
        setup: list[str] = []
        for source, shown in _turns(lines):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                break  # what follows may depend on it
            is_expression = len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
            if "doctest:" in source or ("..." in shown and not _raised(shown)):
                continue  # doctest's own directives and elisions: not an exact output
            if not is_expression or not shown.strip():
                setup.append(source)
                continue
            example = _example(source, shown, setup, tree, module)
            if example is not None and example not in out:
                out.append(example)
    return out[:MAX_EXAMPLES]


def _turns(lines: list[str]) -> list[tuple[str, str]]:
    """(source, what it showed) for each `>>>` of a session, its `...` lines joined on."""
    turns: list[tuple[list[str], list[str]]] = []
    for line in lines:
        if prompt := _PROMPT.match(line):
            turns.append(([prompt.group(1)], []))
        elif turns and not turns[-1][1] and (more := _MORE.match(line)):
            turns[-1][0].append(more.group(1))
        elif turns and line.strip():
            turns[-1][1].append(line.rstrip())
        elif turns:
            turns.append(([], []))  # a blank line ends what the last call showed
    return [("\n".join(s), "\n".join(o)) for s, o in turns if s]


def _example(
    source: str, shown: str, setup: list[str], tree: ast.Module, module: str | None
) -> Example | None:
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    imported = "\n".join(setup)
    if module is None and "import" not in imported:
        return None  # where the functions come from is not known
    head = f"from {module} import *\n" if module else ""
    body = f"{head}{imported}\n".lstrip("\n")
    raised = _raised(shown)
    if raised:
        code = (
            f"{body}try:\n    {source}\nexcept BaseException as error:\n"
            "    print('raises', type(error).__name__)\nelse:\n    print('raises nothing')"
        )
        expected = f"raises {raised}"
    elif _is_print(tree):
        code, expected = f"{body}{source}", shown
    else:
        code, expected = (
            f"{body}_value = {source}\nif _value is not None:\n    print(repr(_value))",
            shown,
        )
    if not names and not raised:
        return None  # a literal: nothing of the project's is called
    return Example(
        f"`{source.splitlines()[0]}` gives `{shown.splitlines()[-1]}`"[:80],
        "call",
        (Command((), output=expected),),
        code=code,
    )


def _raised(shown: str) -> str:
    lines = shown.strip().splitlines()
    if not lines or not lines[0].startswith("Traceback"):
        return ""
    found = _RAISED.match(lines[-1])
    return found.group(1).rsplit(".", 1)[-1] if found else ""


def _is_print(tree: ast.Module) -> bool:
    call = tree.body[0].value if isinstance(tree.body[0], ast.Expr) else None
    return (
        isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"
    )
