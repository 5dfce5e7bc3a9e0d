"""The model's examples, read from its reply and held to the spec.

The model is asked to copy the spec's concrete examples; a small model also invents. So an
expected text is kept only if the spec itself says it (every line of it appears in the spec,
spaces aside; small numbers pass, as counts after clicks rarely are written out): an example
whose expectation was made up would send good code to be "repaired". A command stays even when
its expectations go (it must still run without a traceback). A server whose command may not run
(`running.programs.refusal`) is dropped.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from ..paths import clean_path
from ..records import Command, Example, PageStep, Request
from ..running.programs import refusal
from .grounding import (
    _expected,
    _grounding,
    _module_only,
    _said,
    _squash,
    filled_outputs,
    illustration,
)
from .words import OUTPUT_SLOT, fixed_parts

PAGE_ACTIONS = ("click", "fill", "text", "count", "reload", "stored")
MAX_EXAMPLES = 8


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
        items = _whole_items(raw)
    out: list[Example] = []
    for item in items[: MAX_EXAMPLES * 2]:
        if not isinstance(item, dict):
            continue
        example = _example_of(item, spec, contents, len(out) + 1, _squash(f"{spec}\n{plan}"))
        if example is not None and example not in out:
            out.append(example)
    return out[:MAX_EXAMPLES]


def _whole_items(raw: object) -> list[object]:
    """The examples a reply cut off mid-way finished (a reply capped at a few hundred tokens
    ends inside its last example): each whole object of its `examples` list, in order."""
    if not isinstance(raw, str):
        return []
    start = re.search(r'"examples"\s*:\s*\[', raw)
    if start is None:
        return []
    decoder, at, items = json.JSONDecoder(), start.end(), list[object]()
    while True:
        while at < len(raw) and raw[at] in ", \t\r\n":
            at += 1
        try:
            item, at = decoder.raw_decode(raw, at)
        except ValueError:
            return items
        items.append(item)


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
            c
            for c in (_command_of(c, grounded, contents, spec) for c in _list(item.get("commands")))
            if c
        )
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
        return Example(
            name,
            "call",
            (replace(expect, args=()),) if expect else (),
            code=code,
            input_files=_input_files(item, contents),
        )
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
        return Example(
            name, "server", (replace(start, exit_code=None),), port=port, requests=requests
        )
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
        c
        for c in (str(x) for x in _list(item.get("contains")) if isinstance(x, (str, int, float)))
        if c.strip() and (_expected(c, grounded, files) or _squash(c) in filled)
    )
    # A template (`total: N`) is no output: what every right program prints of it is.
    parts = fixed_parts(output) if output is not None else None
    if parts is not None and _squash(output or "") not in filled:
        output, contains = None, (*parts, *contains)
    contains = tuple(dict.fromkeys(p for c in contains for p in _fixed(c, filled)))
    code = item.get("exit_code", 0)
    return Command(
        args=tuple(args)[:40],
        stdin=str(item.get("stdin") or "")[:10_000],
        # null: any status (a transcript that shows an error but not its status)
        exit_code=code if code is None or (isinstance(code, int) and 0 <= code < 256) else 0,
        output=output,
        contains=contains[:10],
        files=tuple(p for p in (clean_path(f) for f in _list(item.get("files_left"))) if p)[:10],
        not_output=tuple(
            t for t in (str(x) for x in _list(item.get("not_output"))) if _said(t, grounded)
        )[:3],
    )


def _fixed(text: str, filled: Collection[str]) -> list[str]:
    """A text an output must contain, or the fixed parts of it when it is a template."""
    if _squash(text) in filled or not OUTPUT_SLOT.search(text):
        return [text]
    return fixed_parts(text) or []


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
        if isinstance(f, dict) and (path := clean_path(f.get("path"))) and path not in contents:
            out.append((path, str(f.get("content") or "")[:100_000]))
    return tuple(out[:5])


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _project_path(value: object, contents: Mapping[str, str], ends: tuple[str, ...]) -> str | None:
    path = clean_path(value)
    return path if path is not None and path in contents and path.lower().endswith(ends) else None


def merged(first: Sequence[Example], more: Sequence[Example]) -> list[Example]:
    """`first`, then those of `more` that run commands `first` doesn't, up to the cap."""
    seen = {c.args for e in first for c in e.commands}
    extra = [e for e in more if not any(c.args in seen for c in e.commands)]
    return [*first, *extra][:MAX_EXAMPLES]
