"""The calls a spec writes out with what they return (`slugify("A b")` returns `"a-b"`) and a
server it starts with the answers it gives, read off the spec itself, asked of no model."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping

from ..records import Command, Example, Request
from ..running.programs import refusal
from .model_examples import MAX_EXAMPLES
from .words import paragraphs, quoted_commands

# `f(args)` returns `value`, in one sentence: a call the spec writes out with its result.
_SPEC_CALL = re.compile(
    r"`([A-Za-z_]\w*)\(([^`\n]*)\)`"
    r"(?:[^`\n.;!?]|[.;!?](?!\s)){0,30}?"
    r"\b(?:returns|return|gives|is|==|evaluates to|->|→)\s*(?:exactly\s*)?:?\s*`([^`\n]+)`"
)
_MODULE = re.compile(r"`([\w/]+)\.py`")


def spec_calls(spec: str, contents: Mapping[str, str]) -> list[Example]:
    """The function calls a spec writes out with their results (`slugify("Hello, World!")`
    returns `"hello-world"`), as "call" examples: exact, and asked of no model. The module is
    the Python file the same paragraph names, or the project's only one; arguments and result
    must be Python literals (the result is compared as its repr)."""
    out: list[Example] = []
    for paragraph in paragraphs(spec):
        for m in _SPEC_CALL.finditer(paragraph):
            name, args, value = m.groups()
            try:
                ast.literal_eval(f"({args},)" if args.strip() else "()")
                expected = repr(ast.literal_eval(value))
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            dotted = call_module(paragraph[: m.start()], contents)
            if dotted is None:
                continue
            code = f"from {dotted} import {name}\nprint(repr({name}({args})))"
            example = Example(
                f"`{name}({args})` returns `{value}`"[:80],
                "call",
                (Command((), output=expected),),
                code=code,
            )
            if example not in out:
                out.append(example)
    return out[:MAX_EXAMPLES]


def own_modules(files: Iterable[str]) -> list[str]:
    """The project's Python files that are not its tests."""
    return [p for p in files if p.endswith(".py") and not p.rsplit("/", 1)[-1].startswith("test")]


def call_module(before: str, contents: Mapping[str, str]) -> str | None:
    """The module (dotted) a call is made of: the last of the project's Python files the text
    before it names, or the project's only one (tests aside); None when that is not known."""
    modules = own_modules(contents)
    named = [f"{n}.py" for n in _MODULE.findall(before)]
    module = next((n for n in reversed(named) if n in modules), None)
    if module is None and len(modules) == 1:
        module = modules[0]
    return module[:-3].replace("/", ".") if module else None


_SPEC_GET = re.compile(r"`GET\s+(/[^`\s]*)`((?:(?!`GET\s)[^\n])*)")  # up to the next request
# A clause that gives a status for paths (routes, addresses) and names none: what a path the
# server has no route for answers ("Requests for a route it lacks get status 404").
_PATHS = re.compile(r"\b(?:paths?|urls?|routes?|pages?|address(?:es)?|endpoints?)\b", re.I)
_CLAUSE_STATUS = re.compile(r"\b(?:status|code)\s*`?(4\d\d)\b")
OTHER_PATH = "/no-such-path"
_PORT_WORD = re.compile(r"^(?:PORT|<port>|\{port\}|\$PORT)$", re.I)
SPEC_SERVER_PORT = 8765  # inside the sandbox's own network namespace: any free port


def spec_server(spec: str, contents: Mapping[str, str]) -> list[Example]:
    """A server the spec starts (`python server.py --port PORT`) and the answers it writes out
    (`GET /health`: status 200, body `ok`), as one "server" example, asked of no model. Plain
    texts of an answer are checked as contained; JSON bodies are not (their spacing may differ),
    their status is."""
    start = None
    for args in quoted_commands(spec):
        if args is None or not args[0].startswith("python"):
            continue
        if len(args) > 2 and args[1] in contents and any(_PORT_WORD.match(a) for a in args[2:]):
            start = tuple(str(SPEC_SERVER_PORT) if _PORT_WORD.match(a) else a for a in args)
            break
    if start is None or refusal(start, contents):
        return []
    requests = []
    for m in _SPEC_GET.finditer(spec):
        path, rest = m.group(1), m.group(2)
        status = re.search(r"\b(?:status|code)\s*(\d{3})\b", rest)
        if not status:
            continue
        texts = [
            t
            for t in re.findall(r"`([^`\n]+)`", rest[status.end() :])
            if not re.fullmatch(r"[\w.+-]+/[\w.+-]+", t) and not _is_json(t)
        ]
        requests.append(Request(path, int(status.group(1)), tuple(texts[:1])))
    for clause in re.split(r"[.,;\n](?=\s|$)", spec):
        # In the same clause ("unknown paths are logged, and errors give status 500" is not
        # it), naming no path of its own (not "`/add` with a bad number: status 400").
        status = _CLAUSE_STATUS.search(clause)
        if status and requests and _PATHS.search(clause) and not re.search(r"`[^`]*/", clause):
            requests.append(Request(OTHER_PATH, int(status.group(1)), ()))
            break
    if not requests:
        return []
    name = f"`{' '.join(start)}` answers " + ", ".join(r.path for r in requests)
    return [
        Example(
            name[:80],
            "server",
            (Command(start, exit_code=None),),
            port=SPEC_SERVER_PORT,
            requests=tuple(requests[:6]),
        )
    ]


def _is_json(text: str) -> bool:
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
