"""The workspace beside the editor, as decisions the page only draws: each file's status mark and
its place in the tree, the Run tab's command and its run (through the core's sandbox, never in
the studio's process), what a preview error concerns, what a job rewrote, and a streaming
file's text as it should be shown while it comes in."""

from __future__ import annotations

import re
import shlex
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..diffs import changed_paths, unified_diff
from ..events import Emit, ExamplesReady
from ..project import Project
from ..quality.checks import referenced_paths
from ..records import Command, Example, ExampleResult
from ..report import NOT_CHECKED, RAN
from ..report import mark as example_mark
from ..running.sandbox import Limits, RunResult, Sandbox, isolation
from ..settings import Settings
from ..steps.heal import full_examples, not_run_reason, run_and_heal, run_round
from .marks import FOLDER, MARKS, legend, mark


def file_status(project: Project, path: str, edited: Mapping[str, str]) -> str:
    """checked | ran | written | repaired | failing | edited | missing | failed. `edited` maps
    a path to the text the person last saved: the file is "edited by you" while it still holds
    that text."""
    if path in project.failed and path not in project.contents:
        return "failed"
    if path not in project.contents:
        return "missing"
    checked = project.check_status(path)
    if checked == "failing":
        return "failing"
    if edited.get(path) is not None and edited[path] == project.contents[path]:
        return "edited"
    if checked == "repaired":
        return "repaired"
    verdict = project.verdict()
    if path in verdict.checked_files:
        return "checked"
    return "ran" if path in verdict.only_run_files else "written"


def tree(project: Project, edited: Mapping[str, str]) -> list[tuple[str, str]]:
    """(path, label) in tree order: folders first at each level, then files; a file's label is
    indented by its depth, with its status mark, and the first file of a folder names it."""
    paths = sorted(project.paths, key=lambda p: (PurePosixPath(p).parent.parts, p.lower()))
    rows: list[tuple[str, str]] = []
    shown: set[str] = set()
    for path in paths:
        parts = PurePosixPath(path).parts
        folder = "/".join(parts[:-1])
        indent = "\u2003" * (len(parts) - 1)
        glyph = mark(file_status(project, path, edited))
        lead = f"{FOLDER} {folder}/ › " if folder and folder not in shown else ""
        shown.add(folder)
        rows.append((path, f"{indent}{lead}{glyph} {parts[-1]}"))
    return rows


# ----------------------------------------------------------------------------------- Run tab
def default_command(project: Project) -> str:
    """The command the Run tab starts with: the first command of the spec's examples, else the
    project's entry point (a Python file run as a program, a node script)."""
    for example in project.examples:
        for command in example.commands:
            if command.args:
                return shlex.join(command.args)
    contents = project.contents
    python = [p for p in project.paths if p.endswith(".py") and p in contents]
    for path in python:
        if "__name__" in contents[path] and "__main__" in contents[path]:
            return f"python {shlex.quote(path)}"
    if is_page_project(project):
        return ""  # a page opens in the Preview tab; `python app.py` beside it is no program
    for name in ("main.py", "app.py", "cli.py"):
        if name in contents:
            return f"python {name}"
    node = [
        p
        for p in project.paths
        if p.endswith((".js", ".mjs"))
        and p in contents
        and re.search(r"\bprocess\.argv|\brequire\(", contents[p])
    ]
    if node:
        return f"node {shlex.quote(node[0])}"
    return f"python {shlex.quote(python[0])}" if python else ""


def is_page_project(project: Project) -> bool:
    """The project is a web page: it has an HTML page (and no Python file run as a program)."""
    return any(p.lower().endswith((".html", ".htm")) for p in project.contents)


PAGE_RUN_HINT = (
    "This project is a web page: it opens in the Preview tab. To run something else, type its "
    "command here."
)


def run_refusal(settings: Settings) -> str:
    """Why the Run tab can't run anything here, in words ("" when it can)."""
    if not settings.run_examples:
        return (
            "Running the generated code is turned off in this studio (its owner can turn "
            "it on with SMOL_RUN_EXAMPLES=on)."
        )
    where = isolation()
    if where != "namespaces" and not settings.allow_unisolated:
        return (
            f"This machine can't isolate generated code ({where[6:]}), so it is not run "
            "here unless you tick “Run it anyway” in the sidebar."
        )
    return ""


def run_command(
    project: Project | Mapping[str, str | bytes],
    command: str,
    settings: Settings,
    *,
    on_output: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Run one command over a temporary copy of the project (or of these files), isolated,
    with the runner's limits. A command that can't be parsed or run says so in `reason`.
    `on_output` gets the output as it comes; setting `cancel` kills it (see Sandbox)."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        return RunResult((), None, "", "", 0.0, isolation(), reason=f"not run: {exc}")
    if not argv:
        return RunResult((), None, "", "", 0.0, isolation(), reason="not run: no command")
    if refusal := run_refusal(settings):
        return RunResult(tuple(argv), None, "", "", 0.0, isolation(), reason=f"not run: {refusal}")
    files = project.all_files() if isinstance(project, Project) else project
    with Sandbox(files, Limits(), allow_unisolated=settings.allow_unisolated, cancel=cancel) as box:
        return box.run(argv, on_output=on_output)


class LiveRun:
    """The Run tab's command, running in a thread over a copy of the files as they are now:
    its output so far (stdout and stderr as they come), and `stop()`, which kills it and keeps
    what it printed. The page polls it; nothing here touches the page."""

    TAIL_CHARS = 20_000  # what a redraw shows of a long output: its end, which follows it

    def __init__(self, project: Project, command: str, settings: Settings) -> None:
        self.command = command
        self.result: RunResult | None = None
        self._parts: list[str] = []
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._started = time.monotonic()
        files = project.all_files()  # a snapshot: the page may change the project meanwhile
        self._thread = threading.Thread(target=self._go, args=(files, settings), daemon=True)
        self._thread.start()

    def _go(self, files: Mapping[str, str | bytes], settings: Settings) -> None:
        self.result = run_command(
            files, self.command, settings, on_output=self._add, cancel=self._cancel
        )

    def _add(self, text: str) -> None:
        with self._lock:
            self._parts.append(text)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self._started

    def output(self, tail: int | None = TAIL_CHARS) -> str:
        with self._lock:
            text = "".join(self._parts)
        return text if tail is None or len(text) <= tail else "…" + text[-tail:]

    def wait(self, seconds: float) -> bool:
        """True once it has ended (waits at most `seconds`)."""
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def stop(self, seconds: float = 15.0) -> RunResult | None:
        """End it now if it still runs (its process group is killed); its result."""
        self._cancel.set()
        self._thread.join(seconds)
        return self.result


def run_outcome(result: RunResult) -> str:
    """One sentence: how it ended and how long it took (the exit status said once)."""
    if result.reason.startswith("not run"):
        return result.reason[0].upper() + result.reason[1:] + "."
    took = f"{result.seconds:.2f} s"
    cut = " Only the start of its output is kept." if result.cut else ""
    if result.stopped:
        return f"The program was {result.reason} ({took}).{cut}"
    if result.timed_out:
        return f"The program was stopped: it ran past the time limit ({took}).{cut}"
    code = result.exit_code
    if code == 0:
        return f"The program ran and ended well in {took} (exit status 0).{cut}"
    why = result.reason if result.reason not in ("", f"exit status {code}") else ""
    said = f": it {why}" if why else ""
    return f"The program ended with an error after {took} (exit status {code}{said}).{cut}"


# ------------------------------------------------------------------------------- Examples tab
async def run_examples_now(project: Project, settings: Settings, emit: Emit) -> list[ExampleResult]:
    """Run the project's examples once (no repair): the spec's and the person's, and smoke
    checks and tests for what they don't cover. `emit` must fold events into `project`."""
    why = not_run_reason(settings)
    emit(ExamplesReady(tuple(full_examples(project)), why))
    if why or not project.examples:
        return []
    return await run_round(project, settings, emit, 0)


async def fix_failing(project: Project, settings: Settings, emit: Emit) -> list[ExampleResult]:
    """Run the examples and repair the files the failing ones concern (bounded rounds)."""
    return await run_and_heal(project, settings, emit)


def example_rows(project: Project) -> list[dict[str, str]]:
    """One row per example: mark, name, what was expected, what it gave."""
    rows = []
    for i, example in enumerate(project.examples):
        result = project.results.get(i)
        expected = [c.output for c in example.commands if c.output is not None]
        expected += [", ".join(c.contains) for c in example.commands if c.contains]
        expected += [f"not {t}" for c in example.commands for t in c.not_output]
        expected += [f"{s.action} {s.target} {s.value}".strip() for s in example.steps]
        # A sentence: the run's details (output, tracebacks) go under the Details expander.
        said = plain(result.reason or result.status) if result else "not run yet"
        if result is not None and example_mark(example, result) == RAN:
            said = NOT_CHECKED
        rows.append(
            {
                "": example_mark(example, result),
                "example": example.name,
                "command": "; ".join(shlex.join(c.args) for c in example.commands if c.args)
                or example.page
                or example.kind,
                "expected": "\n".join(expected),
                "actual": said,
            }
        )
    return rows


# Names a person never needs to read (in the table: the Details expander shows them as they are).
INTERNAL = {"_smol_example.py": "the example's code"}


def plain(text: str) -> str:
    """A result's words without the studio's internal file names."""
    for name, words in INTERNAL.items():
        text = text.replace(name, words)
    return text


def example_details(project: Project) -> list[tuple[str, str]]:
    """(example name, what it ran and what happened) for each example that failed or was not
    run: what the Details expander under the table shows, for a developer."""
    out = []
    for i, example in enumerate(project.examples):
        result = project.results.get(i)
        if result is not None and result.status in ("fail", "not_run") and result.detail:
            out.append((example.name, result.detail))
    return out


def _editable(example: Example) -> bool:
    """An example the table edits: one command and what it must print."""
    return (
        example.kind == "command"
        and len(example.commands) == 1
        and example.source not in ("smoke", "tests")
    )


def example_table(project: Project) -> list[dict[str, str]]:
    """The examples a person can edit, as rows: name, command, expected output."""
    return [
        {
            "name": e.name,
            "command": shlex.join(e.commands[0].args),
            "expected output": e.commands[0].output or "",
        }
        for e in project.examples
        if _editable(e)
    ]


def examples_from_table(
    rows: Sequence[Mapping[str, object]], project: Project
) -> tuple[list[Example], list[str]]:
    """The project's examples with the table's rows in place of the editable ones (an
    unchanged row keeps its example as it was); and what is wrong with rows that can't be
    used, in words (then nothing should be saved)."""
    before = {
        (r["name"], r["command"], r["expected output"]): e
        for r, e in zip(
            example_table(project), [e for e in project.examples if _editable(e)], strict=True
        )
    }
    made: list[Example] = [e for e in project.examples if not _editable(e)]
    problems: list[str] = []
    for number, row in enumerate(rows, 1):
        name, command, expected = (
            str(row.get(k) or "").strip() for k in ("name", "command", "expected output")
        )
        if not (name or command or expected):
            continue  # a blank row
        if (name, command, expected) in before:
            made.append(before[(name, command, expected)])
            continue
        try:
            args = tuple(shlex.split(command))
        except ValueError as exc:
            problems.append(f"Row {number}: the command can't be read ({exc}).")
            continue
        if not args:
            problems.append(f"Row {number}: it has no command to run.")
            continue
        made.append(
            Example(
                name or command, "command", (Command(args, output=expected or None),), source="you"
            )
        )
    return made, problems


# -------------------------------------------------------------------------------- Preview tab
def error_files(page: str, where: str, contents: Mapping[str, str]) -> list[str]:
    """The files a preview error concerns: the file it names first, then the page's scripts,
    then the page (what "Fix this error" rewrites, at most three)."""
    named = where.rsplit(":", 1)[0] if where else ""
    loaded = sorted(
        p
        for p in referenced_paths(page, contents.get(page, ""), contents)
        if p.lower().endswith((".js", ".mjs"))
    )
    ordered = [p for p in [named, *loaded, page] if p in contents]
    return list(dict.fromkeys(ordered))[:3]


def error_request(page: str, report: Mapping[str, str]) -> str:
    """What "Fix this error" tells the model: where it showed, and the message."""
    where = f" (at {report['where']})" if report.get("where") else ""
    what = "console.error" if report.get("kind") == "console" else "a JavaScript error"
    return f"Opened in a browser, {page} shows {what}{where}:\n{report.get('message', '')}"


# ------------------------------------------------------------------------------ What changed
@dataclass(frozen=True)
class Change:
    """What one job did to files that had text before it: each path's earlier text."""

    run_id: str
    what: str  # "Fixed from an error", "Repaired", ...
    before: dict[str, str]  # path → its text before the job (only the files it rewrote)
    added: tuple[str, ...] = ()

    def diff(self, path: str, now: Mapping[str, str]) -> str:
        return unified_diff(
            {path: self.before[path]},
            {path: now[path]} if path in now else {},
            old="before",
            new="now",
        )


def what_changed(
    run_id: str, what: str, before: Mapping[str, str], after: Mapping[str, str]
) -> Change | None:
    """The files a job rewrote (or deleted) that had text before; None when it rewrote none
    (a first generation only adds files: nothing to undo there)."""
    changes = changed_paths(dict(before), dict(after))
    rewritten = {p: before[p] for p, kind in changes.items() if kind != "added"}
    if not rewritten:
        return None
    added = tuple(p for p, kind in changes.items() if kind == "added")
    return Change(run_id, what, rewritten, added)


# ------------------------------------------------------------------------------ streaming view
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n`]*$", re.M)
LIVE_LINES = 14


def live_code(text: str, path: str = "", lines: int = LIVE_LINES) -> str:
    """A file's text while it streams: without the fence the model wraps it in (and a short
    sentence before or after it), as `strip_code_fences` will take them off at the end; and
    only its last lines, so the box follows the text as it comes. A Markdown file keeps its
    fences (they are its own)."""
    opening = _FENCE_LINE.search(text)
    if path.lower().endswith((".md", ".markdown", ".mdx", ".rst", ".txt")):
        opening = None
    if opening and text.count("\n", 0, opening.start()) <= 2 and "\n" in text[opening.end() :]:
        fence = opening.group(1)
        body = text[opening.end() + 1 :]
        closing = re.search(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", body, re.M)
        text = body[: closing.start()] if closing else body
    kept = text.split("\n")
    return "\n".join(kept[-lines:])


def changed_files_line(change: Change) -> str:
    names = ", ".join(f"`{p}`" for p in change.before)
    added = f"; added {', '.join(f'`{p}`' for p in change.added)}" if change.added else ""
    return f"{change.what}: rewrote {names}{added}."


__all__: Sequence[str] = [
    "MARKS",
    "Change",
    "default_command",
    "example_table",
    "examples_from_table",
    "error_files",
    "error_request",
    "example_rows",
    "file_status",
    "fix_failing",
    "legend",
    "live_code",
    "LiveRun",
    "run_command",
    "run_examples_now",
    "run_outcome",
    "run_refusal",
    "tree",
    "what_changed",
]
