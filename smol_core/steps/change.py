"""A change to the whole project, asked for in words: decide which files, then write each.

1. The project is shown to the model within a budget (small context windows): the files the
   request names or is about first, whole; data files it names by their start; the others by
   name and purpose (change_context.py). That text is one shared prefix for every request of
   the change (cached).
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
from dataclasses import dataclass, field, replace

import openai

from ..errors import SmolError, describe
from ..events import (
    ChangePlanned,
    Emit,
    FileDelta,
    FileEdited,
    FileStarted,
    PlanDelta,
    PlanDone,
    no_emit,
)
from ..model.chat import LOOPED, stream_chat
from ..model.client import prepare, using_client
from ..paths import Rejected, UnsafePath, check_paths, normalize_path, safe_repr
from ..project import Project
from ..prompts import Message, render
from ..settings import Settings
from .change_context import ChangeContext, fenced
from .change_scope import Scope, apply_renames, scope_of
from .edits import apply_edits, describe_failures, parse_edit_blocks
from .fences import strip_code_fences
from .file_list import mode_order, structured_args
from .function_edits import NO_CHANGE, edit_format_for, splice_functions
from .local_cut import concerned_functions, cut_back

EDIT_FORMATS = ("auto", "whole", "blocks", "functions")
ACTIONS = {"change": "change", "edit": "change", "modify": "change", "update": "change",
           "add": "add", "create": "add", "new": "add", "delete": "delete", "remove": "delete"}  # fmt: skip
TOOL_NAME = "save_change_plan"

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
_MODE_ARGS = structured_args("change_plan", CHANGE_SCHEMA, TOOL_NAME,
                             "Save which files to change, add or delete.", strict=True)  # fmt: skip


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
    unclean: str = ""  # applied, but why its checks or runs are not clean ("" when they are)

    @property
    def deleted(self) -> list[str]:
        return self.plan.paths("delete")


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
        if path.split("/")[0] == ".smol" or path == "smol-manifest.json":
            rejected.append(Rejected(path, "is the studio's own record, not part of the project"))
        elif action == "delete" and not exists:
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


_NAMED_FILE = re.compile(r"[\w/-]+\.(?:py|js|mjs|ts|jsx|tsx|html|css|md|json|txt|csv|toml|ya?ml|"
                         r"cfg|ini|sh|sql)\b", re.IGNORECASE)  # fmt: skip
# Words of a request that may want another file than the one there is: ask which files then.
_MORE_FILES = re.compile(r"\b(?:new|another|separate|split|rename|move|delete|tests?|readme|"
                         r"modules?|pages?|stylesheet|folder|directory|package|dockerfile|"
                         r"makefile|gitignore|files)\b|\.gitignore", re.IGNORECASE)  # fmt: skip


def obvious_change(project: Project, request: str) -> ChangePlan | None:
    """The change of a one-file project whose request names no other file and no new file:
    that file, with the request itself as what to do. Nothing to decide, so no request for it
    (on the built-in model the decision costs a prefill and ~50 tokens, and its "what" can
    misread the request)."""
    texts = [p for p in project.paths if p in project.contents]
    if len(texts) != 1 or project.binary or project.missing() or _MORE_FILES.search(request):
        return None
    named = {m.group(0).lower().lstrip("./") for m in _NAMED_FILE.finditer(request)}
    if named - {texts[0].lower(), texts[0].rsplit("/", 1)[-1].lower()}:
        return None
    return ChangePlan([Change(texts[0], "change", request)], mode="one file")


async def decide_change(
    client: openai.AsyncOpenAI,
    settings: Settings,
    project: Project,
    request: str,
    context: ChangeContext,
    emit: Emit = no_emit,
) -> ChangePlan:
    """Which files to change, add or delete; ChangeError if no mode gives a usable answer."""
    ask = {"role": "user", "content": render("change_request", settings.prompts_dir,
                                             request=request)}  # fmt: skip
    tried: list[str] = []
    for mode in mode_order(settings):
        try:
            messages = context.messages(ask, what="the change plan")
            result = await stream_chat(client, settings, messages, step="change_plan",
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


def widen(plan: ChangePlan, scope: Scope, project: Project, max_files: int) -> set[str]:
    """Add to `plan` the files `scope` says the change must reach and the model left out; the
    paths that need only a rename (written without the model) are returned."""
    planned = {c.path for c in plan.changes}
    extra = [(p, "change", why) for p, why in scope.users.items() if p not in planned]
    extra += [(p, "add", "the new file the request names") for p in scope.new_files
              if p not in planned]  # fmt: skip
    room = max(0, max_files - len(plan.changes))
    added = check_change_plan(extra, project, max_files).changes[:room]
    plan.changes += added
    return {c.path for c in added if c.action == "change"}


# ------------------------------------------------------------------------------ the writing
async def _whole(
    client: openai.AsyncOpenAI, settings: Settings, messages: list[Message], path: str, emit: Emit
) -> str:
    result = await stream_chat(client, settings, messages, step="code", path=path, emit=emit,
                               on_text=lambda t: emit(FileDelta(path, t)))  # fmt: skip
    if result.truncated:
        raise SmolError(f"The new {path} was cut off by the output limit.")
    if result.finish_reason == LOOPED:  # cut where it started repeating: not a whole file
        raise SmolError(f"The model started repeating itself while writing {path}.")
    text = strip_code_fences(result.text, path)
    if not text.strip():
        raise SmolError(f"The model returned an empty reply for {path}.")
    return text


async def write_changed_file(
    client: openai.AsyncOpenAI,
    settings: Settings,
    context: ChangeContext,
    request: str,
    change: Change,
    current: str | None,
    emit: Emit = no_emit,
) -> tuple[str, str]:
    """The new text of one file of the change, and how it was written (FileEdited.method).
    A Python file whose functions the request names is told so, and changes the model makes
    to other functions are cut back (local_cut.py)."""
    concerned = []
    if current is not None and change.path.endswith(".py"):
        concerned = concerned_functions(f"{request}\n{change.what}", current)
    if concerned:
        names = ", ".join(f"`{n}`" for n in concerned)
        change = replace(change, what=f"{change.what or request} (this concerns {names}; the "
                                       "other functions stay exactly as they are)")  # fmt: skip
    text, method = await _write_changed_file(client, settings, context, request, change,
                                             current, emit)  # fmt: skip
    if concerned and current is not None:
        text, cut = cut_back(current, text, concerned)
        if cut:
            method += f", {len(cut)} other function(s) left as they were"
    return text, method


async def _write_changed_file(
    client: openai.AsyncOpenAI,
    settings: Settings,
    context: ChangeContext,
    request: str,
    change: Change,
    current: str | None,
    emit: Emit = no_emit,
) -> tuple[str, str]:
    d, path = settings.prompts_dir, change.path
    what = change.what or "what the request needs in this file"
    emit(FileStarted(path))
    if current is None:
        ask = render("change_new", d, request=request, path=path, what=what)
        new = context.messages({"role": "user", "content": ask}, what=path)
        return await _whole(client, settings, new, path, emit), "new"
    whole_ask = {"role": "user", "content": render("change_whole", d, request=request,
                 path=path, what=what, current=fenced(current))}  # fmt: skip
    how = edit_format_for(settings, current, path)
    if how == "whole":
        return await _whole(client, settings, context.messages(whole_ask, what=path), path,
                            emit), "whole"  # fmt: skip
    if how == "functions":
        # The file once: where the context already shows it whole, the ask points to it (on
        # the built-in model, ~700 tokens less to prefill for a 90-line file).
        ask = render("change_functions", d, request=request, path=path, what=what,
                     current=f"The file `{path}` as it is now is shown above.")  # fmt: skip
        messages = context.messages({"role": "user", "content": ask}, what=path)
        if f"## `{path}`\n\n{fenced(current)}" not in messages[1]["content"]:
            ask = render("change_functions", d, request=request, path=path, what=what,
                         current=f"This is the file `{path}` as it is now:\n\n{fenced(current)}")  # fmt: skip
            messages = context.messages({"role": "user", "content": ask}, what=path)
        reply = await stream_chat(client, settings, messages, step="edit", path=path, emit=emit)
        spliced = splice_functions(current, strip_code_fences(reply.text, path))
        if spliced.ok and not reply.truncated:
            return spliced.text, "functions"
        if spliced.failure == NO_CHANGE:  # understood as nothing to do: the whole file would
            return current, "unchanged"  # come back the same, at 20 times the tokens
        return await _whole(client, settings, context.messages(whole_ask, what=path), path,
                            emit), "whole-fallback"  # fmt: skip
    ask = render("change_blocks", d, request=request, path=path, what=what,
                 current=fenced(current))  # fmt: skip
    tail: list[Message] = [{"role": "user", "content": ask}]
    text = current
    for attempt in ("blocks", "blocks-retried"):
        try:
            messages = context.messages(*tail, what=path)
        except SmolError:  # the retry does not fit the model's context: the whole file then
            break
        reply = await stream_chat(client, settings, messages, step="edit", path=path, emit=emit)
        blocks, problems = parse_edit_blocks(reply.text)
        outcome = apply_edits(text, blocks)
        failures = problems + outcome.failures
        if blocks and not failures:
            return outcome.text, attempt
        text = outcome.text  # the edits that did apply are kept for the next try
        note = describe_failures(failures) if failures else "the reply held no edit blocks"
        shown = fenced(text) if text != current else "(the same as shown above: no edit was made)"
        retry = render("change_retry", d, path=path, failures=note, current=shown)
        tail = [*tail, {"role": "assistant", "content": reply.text},
                {"role": "user", "content": retry}]  # fmt: skip
    # Still not applied exactly: the whole file instead, never an approximate edit.
    return await _whole(client, settings, context.messages(whole_ask, what=path), path,
                        emit), "whole-fallback"  # fmt: skip


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
    context = ChangeContext(project, request, settings)
    plan = obvious_change(project, request) or await decide_change(
        client, settings, project, request, context, emit
    )
    scope = scope_of(request, project.contents, [*project.paths, *project.binary])
    rename_only = widen(plan, scope, project, settings.max_files)
    emit(ChangePlanned(request, tuple((c.path, c.action, c.what) for c in plan.changes),
                       tuple(plan.rejected), plan.mode))  # fmt: skip
    result = ChangeResult(request, plan)
    gate = asyncio.Semaphore(settings.concurrency)

    async def one(change: Change) -> None:
        async with gate:
            if result.failed:
                result.failed[change.path] = "not written: another file of the change failed"
                return
            current = project.contents.get(change.path)
            try:
                if current is not None and scope.renames:
                    # A rename is carried out exactly before the model sees the file: what it
                    # writes is then the rest of the request (a small model renaming by
                    # functions leaves the old definition beside the new one).
                    current = apply_renames(change.path, current, scope, project.contents)
                if change.path in rename_only and current is not None:
                    text, method = current, "renamed"  # only a name to carry: no model
                else:
                    text, method = await write_changed_file(
                        client, settings, context, request, change, current, emit
                    )
                    # What the model left of a rename (an import of the old name) is finished.
                    text = apply_renames(change.path, text, scope, project.contents)
            except Exception as exc:  # noqa: BLE001 - reported; the change is then not applied
                result.failed[change.path] = describe(exc, settings)
                return
            result.contents[change.path] = text
            result.methods[change.path] = method
            emit(FileEdited(change.path, method))

    await asyncio.gather(*(one(c) for c in plan.changes if c.action != "delete"))
    return result


async def plan_from_code(
    project: Project,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> str:
    """The plan of a project brought as code (imported), written from its files and streamed
    as PlanDelta events like step 1, so later changes have a contract to follow."""
    settings = await prepare(settings)
    ask = {"role": "user", "content": render("plan_from_code", settings.prompts_dir)}
    messages = ChangeContext(project, "", settings).messages(ask, what="the plan")
    async with using_client(settings, client) as c:
        result = await stream_chat(c, settings.with_(max_tokens=settings.max_plan_tokens),
                                   messages, step="plan", emit=emit,
                                   on_text=lambda t: emit(PlanDelta(t)),
                                   continue_on_length=settings.max_plan_tokens is None,
                                   distinct_lines=True)  # fmt: skip
    plan = result.text.strip()
    if not plan:
        raise SmolError("The model returned an empty plan. Try again or use another model.")
    emit(PlanDone(plan=plan, truncated=result.truncated))
    return plan
