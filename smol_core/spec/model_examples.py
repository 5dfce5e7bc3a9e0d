"""Examples as plain data: read from a model's reply, checked against the spec, made safe to run.

The model is asked to copy the spec's concrete examples; a small model also invents. So an
expected text is kept only if the spec itself says it (every line of it appears in the spec,
spaces aside; small numbers pass, as counts after clicks rarely are written out): an example
whose expectation was made up would send good code to be "repaired". A command stays even when
its expectations go (it must still run without a traceback).

A command must be one of the project's own programs (`python app.py`, `python -m pkg`, `node
x.js`, `sh run.sh`, the project's tests): anything else (`rm -rf ~`, `curl …`) is refused
before it runs. Where the spec gives no example, `smoke_examples` makes one per program and page.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from ..paths import normalize_path
from ..records import Command, Example, ExampleResult, PageStep, Request
from .example_grounding import (
    _expected,
    _grounding,
    _module_only,
    _said,
    _squash,
    filled_outputs,
    illustration,
)
from .example_grounding import held_to_sentences as held_to_sentences
from .example_grounding import spec_sentences as spec_sentences
from .example_grounding import with_sentence as with_sentence
from .example_grounding import with_sentences as with_sentences

KINDS = ("command", "call", "page", "server", "test", "smoke")
PAGE_ACTIONS = ("click", "fill", "text", "count", "reload", "stored")
MAX_EXAMPLES = 8
_PYTHONS = ("python", "python3")
_TEST_RUNNERS = ("pytest", "unittest")


# ------------------------------------------------------------------------ from the model's JSON


def parse_examples(
    raw: object, spec: str, contents: Mapping[str, str], plan: str = ""
) -> list[Example]:
    """Examples out of the model's reply (JSON text or data), grounded in `spec` and checked
    against the project's files; whatever can't be used is dropped, never guessed. Element ids
    a page step uses must be named by the spec or the plan (the contract the files follow)."""
    data = _json_of(raw)
    items = data.get("examples") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    out: list[Example] = []
    for item in items[: MAX_EXAMPLES * 2]:
        if not isinstance(item, dict):
            continue
        example = _example_of(item, spec, contents, len(out) + 1, _squash(f"{spec}\n{plan}"))
        if example is not None and example not in out:
            out.append(example)
    return out[:MAX_EXAMPLES]


def _json_of(raw: object) -> object:
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    text = re.sub(r"^```[a-zA-Z]*\n|\n?```$", "", text).strip()
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
            return value
        except ValueError:
            continue
    return None


def _example_of(
    item: dict, spec: str, contents: Mapping[str, str], number: int, named: str
) -> Example | None:
    kind = str(item.get("kind") or "").strip().lower()
    name = " ".join(str(item.get("name") or "").split())[:80] or f"example {number}"
    grounded = _grounding(spec)
    if kind in ("command", "sequence", "cli"):
        commands = tuple(
            c for c in (_command_of(c, grounded, contents, spec)
                        for c in _list(item.get("commands")))
            if c
        )  # fmt: skip
        if not commands and item.get("args"):
            single = _command_of(item, grounded, contents, spec)
            commands = (single,) if single else ()
        if not commands:
            return None  # a refused command stays: running it reports the refusal
        if _module_only(commands, spec, named):
            # A module the description never runs, run as a program: what it "prints" is not
            # the description's (a small model turned `slugify("x")` returns "y" into
            # `python textutils.py x` printing y). What stays: it runs cleanly.
            commands = tuple(replace(c, output=None, contains=()) for c in commands)
        inputs = _input_files(item, contents)
        if any(not _said(text, grounded) for _, text in inputs if text.strip()):
            # An input the spec doesn't give, with an output the spec gives for its own input:
            # they need not agree. What stays checks that the program runs cleanly on it.
            commands = tuple(replace(c, output=None, contains=()) for c in commands)
        return Example(name, "command", commands, input_files=inputs)
    if kind == "call":
        code = str(item.get("code") or "").strip()
        if not code or len(code) > 2000:
            return None
        expect = _command_of({**item, "args": ["python", "-c", "…"]}, grounded)
        if expect and "print" not in code:
            expect = replace(expect, output=None, contains=())  # it can't print what it expects
        return Example(name, "call", (replace(expect, args=()),) if expect else (), code=code,
                       input_files=_input_files(item, contents))  # fmt: skip
    if kind == "page":
        page = _project_path(item.get("page"), contents, (".html", ".htm"))
        if page is None:
            return None
        steps = tuple(
            s for s in (_step_of(s, grounded, named) for s in _list(item.get("steps"))) if s
        )
        return Example(name, "page", page=page, steps=steps)
    if kind == "server":
        start = _command_of(item, grounded) if item.get("args") else None
        port = _int(item.get("port"))
        if start is None or not port or refusal(start.args, contents) or not 1024 < port < 65536:
            return None
        requests = tuple(
            r for r in (_request_of(r, grounded) for r in _list(item.get("requests"))) if r
        )
        return Example(name, "server", (replace(start, exit_code=None),), port=port,
                       requests=requests)  # fmt: skip
    return None


def _command_of(
    item: object, grounded: str, files: Collection[str] = (), spec: str = ""
) -> Command | None:
    if not isinstance(item, dict):
        return None
    args = item.get("args")
    if isinstance(args, str):
        try:
            args = shlex.split(args)
        except ValueError:
            return None
    if not isinstance(args, list) or not args or not all(isinstance(a, str) for a in args):
        return None
    output = item.get("output")
    output = output if isinstance(output, str) and output.strip() else None
    filled = filled_outputs(args, spec)
    if (
        output is not None
        and _squash(output) not in filled
        and (not _expected(output, grounded, files) or illustration(output, grounded))
    ):
        output = None
    contains = tuple(
        c for c in (str(x) for x in _list(item.get("contains")) if isinstance(x, (str, int, float)))
        if c.strip() and (_expected(c, grounded, files) or _squash(c) in filled)
    )  # fmt: skip
    code = item.get("exit_code", 0)
    return Command(
        args=tuple(args)[:40],
        stdin=str(item.get("stdin") or "")[:10_000],
        # null: any status (a transcript that shows an error but not its status)
        exit_code=code if code is None or (isinstance(code, int) and 0 <= code < 256) else 0,
        output=output,
        contains=contains[:10],
        files=tuple(p for p in (_clean(f) for f in _list(item.get("files_left"))) if p)[:10],
    )


def _step_of(item: object, grounded: str, named: str) -> PageStep | None:
    if not isinstance(item, dict):
        return None
    action = str(item.get("action") or "").strip().lower()
    target = str(item.get("target") or item.get("id") or "").strip()
    value = str(item.get("value") if item.get("value") is not None else "")
    if action not in PAGE_ACTIONS or not target or len(target) > 200:
        return None
    bare = target.lstrip("#.").lower()
    if not re.search(rf"(?<![\w-]){re.escape(bare)}(?![\w-])", named):
        return None  # an element nobody named: clicking it would test the model's guess
    if action == "text" and not _said(value, grounded):
        return None
    if action == "count" and not value.strip().isdigit():
        return None
    return PageStep(action, target, value[:500])


def _request_of(item: object, grounded: str) -> Request | None:
    if not isinstance(item, dict):
        return None
    path = str(item.get("path") or "")
    if not path.startswith("/") or len(path) > 500:
        return None
    contains = tuple(
        str(c) for c in _list(item.get("contains")) if str(c).strip() and _said(str(c), grounded)
    )
    return Request(path, _int(item.get("status")) or 200, contains[:5])


def _input_files(item: dict, contents: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Files an example's commands read, written into the copy first; never over one of the
    project's own files (the example would then test itself)."""
    out = []
    for f in _list(item.get("input_files") or item.get("files")):
        if isinstance(f, dict) and (path := _clean(f.get("path"))) and path not in contents:
            out.append((path, str(f.get("content") or "")[:100_000]))
    return tuple(out[:5])


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _clean(path: object) -> str | None:
    try:
        return normalize_path(str(path)) if isinstance(path, str) and path.strip() else None
    except ValueError:
        return None


def _project_path(value: object, contents: Mapping[str, str], ends: tuple[str, ...]) -> str | None:
    path = _clean(value)
    return path if path is not None and path in contents and path.lower().endswith(ends) else None


def merged(first: Sequence[Example], more: Sequence[Example]) -> list[Example]:
    """`first`, then those of `more` that run commands `first` doesn't, up to the cap."""
    seen = {c.args for e in first for c in e.commands}
    extra = [e for e in more if not any(c.args in seen for c in e.commands)]
    return [*first, *extra][:MAX_EXAMPLES]


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
        if rest and rest[0].endswith(".py") and _clean(rest[0]) in contents:
            return ""
        return "a Python command must run a .py file of the project"
    if name in ("node", "nodejs"):
        if rest and _clean(rest[0]) in contents and rest[0].endswith((".js", ".mjs", ".cjs")):
            return ""
        return "a node command must run a .js file of the project"
    if name in ("sh", "bash"):
        if rest and _clean(rest[0]) in contents:
            return ""
        return "a shell command must run a script of the project"
    if _clean(head.removeprefix("./")) in contents:
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
        out.append(Example("every module imports cleanly", "smoke",
                           (Command((), exit_code=0),), code=code, source="smoke"))  # fmt: skip
    for page in contents:
        if page.lower().endswith((".html", ".htm")) and page not in seen:
            out.append(Example(f"{page} loads and its controls work", "smoke", page=page,
                               source="smoke"))  # fmt: skip
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


# ----------------------------------------------------------------------------- to and from JSON


def example_to_dict(example: Example) -> dict[str, Any]:
    """A plain dict (the manifest, the history), without the fields left at their default."""
    data = asdict(example)
    return {k: v for k, v in data.items() if v not in ((), "", 0, None) or k in ("name", "kind")}


def example_from_dict(data: Mapping[str, Any]) -> Example:
    """The inverse of `example_to_dict`, for what was stored (raises ValueError if broken)."""
    try:
        kind = str(data["kind"])
        if kind not in KINDS:
            raise ValueError(f"unknown example kind {kind!r}")
        return Example(
            name=str(data["name"]),
            kind=kind,
            commands=tuple(
                Command(
                    args=tuple(c.get("args", ())),
                    stdin=c.get("stdin", ""),
                    exit_code=c.get("exit_code", 0),
                    output=c.get("output"),
                    contains=tuple(c.get("contains", ())),
                    files=tuple(c.get("files", ())),
                )  # fmt: skip
                for c in data.get("commands", ())
            ),
            input_files=tuple((str(p), str(t)) for p, t in data.get("input_files", ())),
            code=str(data.get("code", "")),
            page=str(data.get("page", "")),
            steps=tuple(PageStep(**s) for s in data.get("steps", ())),
            port=int(data.get("port", 0)),
            requests=tuple(
                Request(r["path"], int(r.get("status", 200)), tuple(r.get("contains", ())))
                for r in data.get("requests", ())
            ),
            source=str(data.get("source", "spec")),
            sentence=str(data.get("sentence", "")),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"a stored example is broken: {exc}") from None


def result_to_dict(result: ExampleResult) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(result).items()}


def result_from_dict(data: Mapping[str, Any]) -> ExampleResult:
    try:
        return ExampleResult(
            name=str(data["name"]), status=str(data["status"]), reason=str(data.get("reason", "")),
            detail=str(data.get("detail", "")), files=tuple(data.get("files", ())),
            seconds=float(data.get("seconds", 0.0)), reached=int(data.get("reached", 0)),
            printed=str(data.get("printed", "")),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"a stored example result is broken: {exc}") from None


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
