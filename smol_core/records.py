"""The small records every layer passes along: a listed file, what a check found in one, an
example and what running it gave, and the examples as plain data (the manifest, the history).

They sit below everything else (no imports of the package), so that the events, the project and
every step can name them without depending on the step that makes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class FileSpec:
    """One file of the project: where it goes and what it is for."""

    path: str
    purpose: str = ""


@dataclass(frozen=True)
class Finding:
    """One thing a check found in one file."""

    path: str
    line: int | None
    message: str
    kind: str
    # missing-file: the path referenced but not listed; undefined-name: the name;
    # script-unloaded / script-early: the script's path
    target: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Command:
    """One command of an example and what it must do. Empty expectations check nothing."""

    args: tuple[str, ...]  # argv, e.g. ("python", "todo.py", "add", "milk")
    stdin: str = ""
    exit_code: int | None = 0  # None: any status
    output: str | None = None  # the whole standard output, exactly (line ends and trailing
    # spaces aside)
    contains: tuple[str, ...] = ()  # texts the output must contain
    files: tuple[str, ...] = ()  # files it must leave in the project folder
    # Whole outputs it must no longer print: what a bug report says it prints now, wrongly.
    not_output: tuple[str, ...] = ()

    @property
    def checks_output(self) -> bool:
        """It asserts something beyond "ends with status 0": what it prints, contains or
        leaves, or a failing status the spec asks for."""
        failing = self.exit_code is not None and self.exit_code != 0
        told = self.contains or self.files or self.not_output
        return self.output is not None or bool(told) or failing or self.runs_tests

    @property
    def runs_tests(self) -> bool:
        """It runs a test file (`python test_stack.py`) or a test runner (`python -m
        unittest`) to its end: its status is what its tests assert."""
        if self.args[:1] not in (("python",), ("python3",)) or self.exit_code != 0:
            return False
        if self.args[1:2] == ("-m",):
            return self.args[2:3] in (("unittest",), ("pytest",))
        return len(self.args) > 1 and is_test_file(self.args[1])


def is_test_file(path: str) -> bool:
    """A Python test file by the usual names: `test_x.py`, `x_test.py`."""
    base = path.rsplit("/", 1)[-1]
    return base.endswith(".py") and (base.startswith("test_") or base.endswith("_test.py"))


@dataclass(frozen=True)
class PageStep:
    """One step of a page example: `click`/`fill` an element, `text`/`count` to expect, or
    `reload` the page (what it saved must show again), or find a value `stored` (target
    "localStorage:key", "chrome.storage.local:key")."""

    action: str  # click | fill | text | count | reload | stored
    target: str  # an element id (or a CSS selector when it starts with one of `.#[`)
    value: str = ""  # fill: what to type; text: what the element must show; count: a number


@dataclass(frozen=True)
class Request:
    """One HTTP request to a server example, and what the answer must be."""

    path: str  # "/add?a=2&b=3"
    status: int = 200
    contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    """One executable check of the project, made from the spec's examples (or a smoke check).

    kind: command (one or several `commands` in one folder, state carried over), call (a short
    Python `code` run with the project importable; its output checked by `commands[0]`), page
    (open `page`, do `steps`, and no JavaScript error), server (start `commands[0]`, which
    listens on `port`, then send `requests`), test (a test file of the project, run by pytest
    or unittest), smoke (the program starts and ends cleanly, the page loads with no error).
    """

    name: str
    kind: str
    commands: tuple[Command, ...] = ()
    input_files: tuple[tuple[str, str], ...] = ()  # (path, content) written first
    code: str = ""
    page: str = ""
    steps: tuple[PageStep, ...] = ()
    port: int = 0
    requests: tuple[Request, ...] = ()
    source: str = "spec"  # who wrote it: spec | model | you (and smoke | tests, made at run time)
    sentence: str = ""  # the spec's sentence it stands for, in its own words

    @property
    def checks_behaviour(self) -> bool:
        """It checks some output, file, element or value: one that passes says the program
        does something, not only that it ran. A smoke check, a command that only has to end
        with 0, a page that only loads (or is only clicked), a server only asked for a 200:
        False. The project's own tests assert by themselves."""
        if self.kind == "test":
            return True
        if self.kind == "smoke":
            return False
        if self.page or self.kind == "page":
            return any(s.action in ("text", "count", "stored") for s in self.steps)
        if self.kind == "server":
            return any(r.contains or r.status != 200 for r in self.requests)
        if self.kind == "call":
            return bool(self.commands) and self.commands[0].checks_output
        return any(c.checks_output for c in self.commands)


@dataclass(frozen=True)
class ExampleResult:
    """What running one example gave."""

    name: str
    status: str  # pass | fail | not_run | refused
    reason: str = ""  # one line: what was expected and what happened
    detail: str = ""  # the actual output, trimmed (with any traceback): what a repair is shown
    files: tuple[str, ...] = ()  # the project files it concerns (what a repair rewrites)
    seconds: float = 0.0
    # Of a failed example: how many of its steps (commands, requests) passed first. A repair
    # that makes a server answer nothing is worse than one where only /add is wrong.
    reached: int = 0
    # Of a failed command: its standard output (capped), for a fix without the model.
    printed: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "pass"


# ----------------------------------------------------------------------------- to and from JSON


EXAMPLE_KINDS = ("command", "call", "page", "server", "test", "smoke")


def example_to_dict(example: Example) -> dict[str, Any]:
    """A plain dict (the manifest, the history), without the fields left at their default."""
    data = asdict(example)
    return {k: v for k, v in data.items() if v not in ((), "", 0, None) or k in ("name", "kind")}


def example_from_dict(data: Mapping[str, Any]) -> Example:
    """The inverse of `example_to_dict`, for what was stored (raises ValueError if broken)."""
    try:
        kind = str(data["kind"])
        if kind not in EXAMPLE_KINDS:
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
                    not_output=tuple(c.get("not_output", ())),
                )
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
            name=str(data["name"]),
            status=str(data["status"]),
            reason=str(data.get("reason", "")),
            detail=str(data.get("detail", "")),
            files=tuple(data.get("files", ())),
            seconds=float(data.get("seconds", 0.0)),
            reached=int(data.get("reached", 0)),
            printed=str(data.get("printed", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"a stored example result is broken: {exc}") from None
