"""The examples a file will be run against, in words, for the request that writes it.

The examples are made before any file is written, so the writer can be told them. Told only in
the description, the built-in model printed `100.0°F = 37.8°F` for "`python convert.py 100 --to
f` prints `212.0`"; told the same example as a check its file must pass, it printed `212.0`.
Only the examples that run a file are told to it (the entry of a command, the module a call
imports, a page and its script): a helper module told a command's output was seen growing a
command-line interface of its own.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from ..records import Command, Example, PageStep
from ..running.programs import css_selector, imported_modules

MAX_EXAMPLES = 6  # per file: the prompt of a small model stays short
MAX_CHARS = 1500
_PAGE_ENDS = (".html", ".htm")
_NOT_POPUP = ("background", "worker", "content", "test")  # scripts no page example drives


def must_pass(path: str, examples: Sequence[Example], paths: Sequence[str]) -> str:
    """Markdown bullets, one per example that runs `path` ("" when none does)."""
    lines: list[str] = []
    for example in examples:
        if example.source in ("smoke", "tests") or not _concerns(example, path, paths):
            continue
        said = _said(example)
        if said and sum(map(len, lines)) + len(said) <= MAX_CHARS:
            lines.append(said)
        if len(lines) == MAX_EXAMPLES:
            break
    return "\n".join(lines)


def _concerns(example: Example, path: str, paths: Sequence[str]) -> bool:
    if example.kind in ("command", "server"):
        return any(_entry(c.args, paths) == path for c in example.commands)
    if example.kind == "call":
        return path in imported_modules(example.code, dict.fromkeys(paths, ""))
    if example.kind == "page":
        return path == example.page or path in _page_scripts(example.page, paths)
    return False


def _entry(args: Sequence[str], paths: Sequence[str]) -> str | None:
    if args[1:2] == ["-m"] and len(args) > 2:
        base = args[2].replace(".", "/")
        return next((p for p in (f"{base}.py", f"{base}/__main__.py") if p in paths), None)
    return next((a for a in args[1:] if a in paths), None)


def _page_scripts(page: str, paths: Sequence[str]) -> list[str]:
    """The scripts a page likely loads, known before either is written: the one named like
    it (popup.html, popup.js), else every script beside it that is not a background one."""
    folder, _, name = page.rpartition("/")
    beside = [p for p in paths if p.rpartition("/")[0] == folder and p.endswith((".js", ".mjs"))]
    stem = name.rsplit(".", 1)[0]
    named = [p for p in beside if p.rpartition("/")[2].rsplit(".", 1)[0] == stem]
    if named:
        return named
    return [p for p in beside if not any(w in p.rpartition("/")[2].lower() for w in _NOT_POPUP)]


def _said(example: Example) -> str:
    if example.kind == "page":
        steps = "; ".join(map(_step, example.steps))
        return f"- open `{example.page}`" + (f", then: {steps}" if steps else "")
    if example.kind == "call":
        expect = example.commands[0] if example.commands else Command(())
        return (
            f"- this Python, run beside the files:\n{_block(example.code)}\n  it{_outcome(expect)}"
        )
    if example.kind == "server":
        command = example.commands[0] if example.commands else Command(())
        asked = "; ".join(
            f"`GET {r.path}` answers {r.status}"
            + "".join(f", with `{text}` in the body" for text in r.contains)
            for r in example.requests
        )
        return f"- `{shlex.join(command.args)}` serves on port {example.port}: {asked}"
    said = [f"`{shlex.join(c.args)}`" + _stdin(c) + _outcome(c) for c in example.commands]
    given = "".join(
        f"with the file `{p}` holding:\n{_block(text)}\n  "
        for p, text in example.input_files
        if len(text) <= MAX_CHARS // 3
    )
    if len(said) == 1:
        return "- " + given + said[0]
    return "- " + given + "in one folder, in turn: " + "; then ".join(said)


def _stdin(command: Command) -> str:
    return f" with `{command.stdin.strip()}` typed in" if command.stdin.strip() else ""


def _outcome(command: Command) -> str:
    told = []
    if command.output is not None:
        out = command.output.strip("\n")
        told.append(
            f"prints exactly `{out}`" if "\n" not in out else "prints exactly:\n" + _block(out)
        )
    told += [f"prints `{text}` somewhere" for text in command.contains]
    if command.exit_code not in (0, None):
        told.append(f"ends with exit status {command.exit_code}")
    told += [f"leaves the file `{f}`" for f in command.files]
    told += [f"no longer prints `{text}` (said to be wrong)" for text in command.not_output]
    return (" " + ", and ".join(told)) if told else " runs without an error"


def _block(text: str) -> str:
    return "  ```\n" + "".join(f"  {line}\n" for line in text.splitlines()) + "  ```"


def _step(step: PageStep) -> str:
    target = css_selector(step.target)
    return {
        "click": f"click `{target}`",
        "fill": f"type `{step.value}` into `{target}`",
        "text": f"`{target}` shows `{step.value}`" if step.value else f"`{target}` is empty",
        "count": f"`{target}` holds {step.value} elements",
        "reload": "open the page again (as it opens, it shows what was saved)",
        "stored": "`{}` holds `{}` under the key `{}`".format(*_stored(step)),
    }.get(step.action, step.action)


def checks_by_path(examples: Sequence[Example], paths: Sequence[str]) -> dict[str, str]:
    """`must_pass` of every listed file that some example runs."""
    said = {p: must_pass(p, examples, paths) for p in paths}
    return {p: text for p, text in said.items() if text}


def _stored(step: PageStep) -> tuple[str, str, str]:
    area, _, key = step.target.partition(":")
    return area, step.value, key
