"""A change to the whole project, asked for in words: decide which files, then write each.

1. The project is shown to the model within a budget (small context windows): the files the
   request names or is about first, whole; data files it names by their start; the others by
   name and purpose. That text is one shared prefix for every request of the change (cached).
2. The model decides which files to change, add or delete, as structured output with the file
   list's fallback chain (json_schema, a forced tool call, plain text).
3. Each file is written: a new one whole; an existing one as search/replace edit blocks
   (applied strictly: edits.py) or whole. Blocks that don't apply are sent back once; if they
   still don't, the whole file is asked for. Never an approximate edit.

Nothing here changes the project: the result is returned, and runs.change_project applies it
only when every file of the change was written (so a failure leaves the previous version).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field

import openai

from ..errors import SmolError, describe
from ..events import ChangePlanned, Emit, FileDelta, FileEdited, FileStarted, no_emit
from ..model.chat import stream_chat
from ..paths import Rejected, UnsafePath, check_paths, normalize_path, safe_repr
from ..project import Project
from ..prompts import Message, file_table, render
from ..records import FileSpec
from ..settings import Settings
from .code import FATAL
from .edits import apply_edits, describe_failures, parse_edit_blocks
from .fences import strip_code_fences
from .file_list import mode_order

EDIT_FORMATS = ("auto", "whole", "blocks")
ACTIONS = {"change": "change", "edit": "change", "modify": "change", "update": "change",
           "add": "add", "create": "add", "new": "add", "delete": "delete", "remove": "delete"}  # fmt: skip
TOOL_NAME = "save_change_plan"
# Characters of file contents shown with the request: the built-in model has a small window.
BUDGET_LOCAL = 12_000
BUDGET = 80_000
DATA_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".log", ".txt", ".dat", ".xml",
                 ".yaml", ".yml")  # fmt: skip
DATA_HEAD = 2_000  # a large data file is shown by its start
WHOLE_UP_TO_LINES = 60  # auto: a small file is cheaper to write whole than to patch

CHANGE_SCHEMA = {
    "type": "object",
    "properties": {
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "action": {"type": "string", "enum": ["change", "add", "delete"]},
                    "what": {"type": "string"},
                },
                "required": ["path", "action", "what"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["files"],
    "additionalProperties": False,
}
_MODE_ARGS: dict[str, dict] = {
    "json_schema": {"response_format": {"type": "json_schema", "json_schema": {
        "name": "change_plan", "strict": True, "schema": CHANGE_SCHEMA}}},
    "tool": {
        "tools": [{"type": "function", "function": {
            "name": TOOL_NAME, "description": "Save which files to change, add or delete.",
            "parameters": CHANGE_SCHEMA}}],
        "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}},
    },
    "text": {},
}  # fmt: skip


class ChangeError(SmolError):
    """The change could not even be planned (nothing was changed)."""


@dataclass(frozen=True)
class Change:
    path: str
    action: str  # change | add | delete
    what: str = ""


@dataclass
class ChangePlan:
    changes: list[Change]
    rejected: list[Rejected] = field(default_factory=list)
    mode: str = ""

    def paths(self, action: str) -> list[str]:
        return [c.path for c in self.changes if c.action == action]


@dataclass
class ChangeResult:
    """What a change request produced. `applied` is set by whoever applies it."""

    request: str
    plan: ChangePlan
    contents: dict[str, str] = field(default_factory=dict)  # new text of changed/added files
    methods: dict[str, str] = field(default_factory=dict)  # path → how it was written
    failed: dict[str, str] = field(default_factory=dict)
    applied: bool = False
    reason: str = ""

    @property
    def deleted(self) -> list[str]:
        return self.plan.paths("delete")


# ------------------------------------------------------------------------------- the context
def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]{3,}", text)}


def relevance(request: str, path: str, purpose: str = "") -> int:
    """3: the request names the path; 2: its file name or stem; 1: shares a word; 0: no."""
    low = request.lower()
    name = path.rsplit("/", 1)[-1].lower()
    stem = name.rsplit(".", 1)[0]
    if path.lower() in low:
        return 3
    if name in low or (len(stem) >= 3 and re.search(rf"\b{re.escape(stem)}\b", low)):
        return 2
    return 1 if _words(request) & (_words(path.replace("_", " ")) | _words(purpose)) else 0


def fenced(text: str) -> str:
    """Text in a fence longer than any run of backticks inside it (so it can't end early)."""
    ticks = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks}\n{text}{'' if text.endswith(chr(10)) or not text else chr(10)}{ticks}"


def shown_contents(project: Project, request: str, budget: int) -> str:
    """The files' contents for the request, most relevant first, within `budget` characters."""
    purposes = {f.path: f.purpose for f in project.files}
    order = sorted(
        [p for p in project.paths if p in project.contents],
        key=lambda p: -relevance(request, p, purposes.get(p, "")),
    )  # stable: the project's order among equals
    parts: list[str] = []
    left = budget
    for path in order:
        text = project.contents[path]
        score = relevance(request, path, purposes.get(path, ""))
        if path.lower().endswith(DATA_SUFFIXES):
            if score == 0:
                parts.append(f"## `{path}`\n\n(data, {len(text):,} characters: not shown)")
                continue
            if len(text) > DATA_HEAD:
                more = text[DATA_HEAD:].count("\n")
                text = text[:DATA_HEAD].rsplit("\n", 1)[0] + "\n"
                parts.append(f"## `{path}` (its start; {more:,} more lines)\n\n{fenced(text)}")
                left -= len(text)
                continue
        if len(text) <= left:
            parts.append(f"## `{path}`\n\n{fenced(text)}")
            left -= len(text)
        else:
            parts.append(f"## `{path}`\n\n({text.count(chr(10)) + 1:,} lines: not shown here)")
    for path, data in sorted(project.binary.items()):
        parts.append(f"## `{path}`\n\n(binary, {len(data):,} bytes: kept as it is, not shown)")
    return "\n\n".join(parts) or "(no files yet)"


def change_prefix(project: Project, request: str, settings: Settings) -> list[Message]:
    """The shared start of every request of this change: system, then the project."""
    d = settings.prompts_dir
    budget = BUDGET_LOCAL if settings.provider == "local" else BUDGET
    about = render("project", d, spec=project.spec.strip() or "(no description given: the "
                   "project was brought as it is)", plan=project.plan.strip() or "(none)")  # fmt: skip
    listed = [*project.files, *(FileSpec(p, "binary") for p in sorted(project.binary))]
    table = render("file_table", d, file_table=file_table(listed))
    contents = shown_contents(project, request, budget)
    return [{"role": "system", "content": render("system", d)},
            {"role": "user", "content": render("change_context", d, project=about,
                                               file_table=table, contents=contents)}]  # fmt: skip


# ------------------------------------------------------------------------------ the decision
def _entries(data: object) -> list[tuple[str, str, str]] | None:
    """(path, action, what) out of parsed JSON; None when it is not a change plan at all."""
    if isinstance(data, dict):
        for key in ("files", "changes", "edits"):
            if isinstance(data.get(key), list):
                return _entries(data[key])
        split = [(k, a) for k, a in (("change", "change"), ("add", "add"), ("delete", "delete"))
                 if isinstance(data.get(k), list)]  # fmt: skip
        if split:
            grouped: list[tuple[str, str, str]] = []
            for key, action in split:
                for item in data[key]:
                    got = _entries([item if isinstance(item, dict) else {"path": item}]) or []
                    grouped += [(p, action, w) for p, _, w in got]
            return grouped
        return None
    if not isinstance(data, list):
        return None
    out: list[tuple[str, str, str]] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        path = item.get("path") or item.get("file") or item.get("filename")
        action = str(item.get("action") or item.get("op") or item.get("type") or "change")
        what = item.get("what") or item.get("description") or item.get("instruction") or ""
        if isinstance(path, str) and action.lower() in ACTIONS:
            out.append((path, ACTIONS[action.lower()], str(what)))
    return out


_LINE = re.compile(r"^\W*(change|edit|modify|update|add|create|new|delete|remove)\w*\W+"
                   r"`?([\w./\-]+\.\w+|Makefile|Dockerfile)`?\s*[:\-–—]?\s*(.*)$", re.I)  # fmt: skip


def parse_change_plan(
    raw: str | None, *, allow_lines: bool = True
) -> list[tuple[str, str, str]] | None:
    """The change plan in a reply (JSON, fenced JSON, or plain lines like "add `x.py`: …");
    [] for an honest "no change"; None when nothing usable is there."""
    if not raw or not raw.strip():
        return None
    body = strip_code_fences(raw, "change.json").strip()
    decoder = json.JSONDecoder()
    for text in (body, raw):
        for m in re.finditer(r"[\[{]", text):
            try:
                value, _ = decoder.raw_decode(text, m.start())
            except ValueError:
                continue
            found = _entries(value)
            if found is not None:
                return found
    if not allow_lines:
        return None
    lines = []
    for line in raw.splitlines():
        if found_line := _LINE.match(line.strip()):
            g = found_line.group
            lines.append((g(2), ACTIONS[g(1).lower()], g(3).strip()))
    return lines or None


def check_change_plan(
    entries: list[tuple[str, str, str]], project: Project, max_files: int
) -> ChangePlan:
    """Safe, consistent changes: existing files changed or deleted, new ones added; binary
    files never rewritten; a name unsafe or clashing refused with the reason."""
    known = {p.casefold(): p for p in [*project.paths, *project.binary]}
    changes: list[Change] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for raw, action, what in entries:
        try:
            path = normalize_path(raw)
        except UnsafePath as exc:
            rejected.append(Rejected(raw, exc.reason))
            continue
        path = known.get(path.casefold(), path)  # "App.py" for "app.py": the file we have
        if path in seen:
            continue
        seen.add(path)
        exists = path.casefold() in known
        if action == "delete" and not exists:
            rejected.append(Rejected(path, "is not in the project, so it can't be deleted"))
        elif action != "delete" and path in project.binary:
            rejected.append(Rejected(path, "is a binary file: it is kept as it is"))
        else:
            changes.append(Change(path, action if action == "delete" else
                                  "change" if exists else "add", what.strip()))  # fmt: skip
    added = [c.path for c in changes if c.action == "add"]
    clash = check_paths([*known.values(), *added])
    bad = {r.path: r.reason for r in clash.rejected if r.path in added}
    rejected += [Rejected(p, r) for p, r in bad.items()]
    changes = [c for c in changes if c.path not in bad]
    if len(changes) > max_files:
        rejected += [Rejected(c.path, f"more than {max_files} files") for c in changes[max_files:]]
        changes = changes[:max_files]
    return ChangePlan(changes, rejected)


async def decide_change(
    client: openai.AsyncOpenAI,
    settings: Settings,
    project: Project,
    request: str,
    prefix: list[Message],
    emit: Emit = no_emit,
) -> ChangePlan:
    """Which files to change, add or delete; ChangeError if no mode gives a usable answer."""
    ask = {"role": "user", "content": render("change_request", settings.prompts_dir,
                                             request=request)}  # fmt: skip
    tried: list[str] = []
    for mode in mode_order(settings):
        try:
            result = await stream_chat(client, settings, [*prefix, ask], step="change_plan",
                                       emit=emit, extra=_MODE_ARGS[mode], stop_loops=False,
                                       continue_on_length=False)  # fmt: skip
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            tried.append(f"{mode}: rejected by the endpoint (HTTP {exc.status_code})")
            continue
        raw = result.tool_arguments if mode == "tool" and result.tool_arguments else result.text
        entries = parse_change_plan(raw, allow_lines=mode == "text")
        if entries is None:
            start = " ".join((raw or "").split())[:80]
            tried.append(f"{mode}: no change plan in the reply ({start!r})" if start
                         else f"{mode}: empty reply")  # fmt: skip
            continue
        plan = check_change_plan(entries, project, settings.max_files)
        plan.mode = mode
        if plan.changes:
            return plan
        why = "; ".join(f"{safe_repr(r.path, 40)} {r.reason}" for r in plan.rejected[:3])
        raise ChangeError("The model proposed no change it could make" + (f" ({why})." if why
                          else ": it found nothing to change for this request."))  # fmt: skip
    raise ChangeError("The model did not say which files to change. Tried "
                      + "; ".join(tried) + ".")  # fmt: skip


# ------------------------------------------------------------------------------ the writing
def edit_format_for(settings: Settings, current: str) -> str:
    """whole | blocks for one existing file. auto: whole for the built-in model (small models
    copy SEARCH text badly) and for small files (cheap whole); blocks for the rest."""
    if settings.edit_format != "auto":
        return settings.edit_format
    if settings.provider == "local" or current.count("\n") < WHOLE_UP_TO_LINES:
        return "whole"
    return "blocks"


async def _whole(
    client: openai.AsyncOpenAI, settings: Settings, messages: list[Message], path: str, emit: Emit
) -> str:
    result = await stream_chat(client, settings, messages, step="code", path=path, emit=emit,
                               on_text=lambda t: emit(FileDelta(path, t)))  # fmt: skip
    if result.truncated:
        raise SmolError(f"The new {path} was cut off by the output limit.")
    text = strip_code_fences(result.text, path)
    if not text.strip():
        raise SmolError(f"The model returned an empty reply for {path}.")
    return text


async def write_changed_file(
    client: openai.AsyncOpenAI,
    settings: Settings,
    prefix: list[Message],
    request: str,
    change: Change,
    current: str | None,
    emit: Emit = no_emit,
) -> tuple[str, str]:
    """The new text of one file of the change, and how it was written (FileEdited.method)."""
    d, path = settings.prompts_dir, change.path
    what = change.what or "what the request needs in this file"
    emit(FileStarted(path))
    if current is None:
        ask = render("change_new", d, request=request, path=path, what=what)
        return await _whole(client, settings, [*prefix, {"role": "user", "content": ask}],
                            path, emit), "new"  # fmt: skip
    whole_ask = {"role": "user", "content": render("change_whole", d, request=request,
                 path=path, what=what, current=fenced(current))}  # fmt: skip
    if edit_format_for(settings, current) == "whole":
        return await _whole(client, settings, [*prefix, whole_ask], path, emit), "whole"
    ask = render("change_blocks", d, request=request, path=path, what=what,
                 current=fenced(current))  # fmt: skip
    messages = [*prefix, {"role": "user", "content": ask}]
    text = current
    for attempt in ("blocks", "blocks-retried"):
        reply = await stream_chat(client, settings, messages, step="edit", path=path, emit=emit)
        blocks, problems = parse_edit_blocks(reply.text)
        outcome = apply_edits(text, blocks)
        failures = problems + outcome.failures
        if blocks and not failures:
            return outcome.text, attempt
        text = outcome.text  # the edits that did apply are kept for the next try
        note = describe_failures(failures) if failures else "the reply held no edit blocks"
        retry = render("change_retry", d, path=path, failures=note, current=fenced(text))
        messages = [*messages, {"role": "assistant", "content": reply.text},
                    {"role": "user", "content": retry}]  # fmt: skip
    # Still not applied exactly: the whole file instead, never an approximate edit.
    return await _whole(client, settings, [*prefix, whole_ask], path, emit), "whole-fallback"


async def make_change(
    project: Project,
    request: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    client: openai.AsyncOpenAI,
) -> ChangeResult:
    """Plan the change and write every file of it, `settings.concurrency` at a time. The
    project is not touched. After the first failure the files not started are not asked for
    (the change will not be applied anyway)."""
    request = request.strip()
    if not request:
        raise ChangeError("The change request is empty.")
    if settings.edit_format not in EDIT_FORMATS:
        raise ChangeError(f"Unknown edit format {settings.edit_format!r}; choose one of "
                          f"{', '.join(EDIT_FORMATS)}.")  # fmt: skip
    prefix = change_prefix(project, request, settings)
    plan = await decide_change(client, settings, project, request, prefix, emit)
    emit(ChangePlanned(request, tuple((c.path, c.action, c.what) for c in plan.changes),
                       tuple(plan.rejected), plan.mode))  # fmt: skip
    result = ChangeResult(request, plan)
    gate = asyncio.Semaphore(settings.concurrency)

    async def one(change: Change) -> None:
        async with gate:
            if result.failed:
                result.failed[change.path] = "not written: another file of the change failed"
                return
            try:
                text, method = await write_changed_file(
                    client, settings, prefix, request, change,
                    project.contents.get(change.path), emit,
                )  # fmt: skip
            except FATAL as exc:
                result.failed[change.path] = describe(exc, settings)
                return
            except Exception as exc:  # noqa: BLE001 - reported; the change is then not applied
                result.failed[change.path] = describe(exc, settings)
                return
            result.contents[change.path] = text
            result.methods[change.path] = method
            emit(FileEdited(change.path, method))

    await asyncio.gather(*(one(c) for c in plan.changes if c.action != "delete"))
    return result
