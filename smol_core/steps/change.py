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

Nothing here changes the project: the result is returned, and changes.change_project applies it
only when every file of the change was written (so a failure leaves the previous version).
"""

from __future__ import annotations

import asyncio
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
from ..paths import Rejected, safe_repr
from ..project import Project
from ..prompts import Message, render
from ..settings import Settings
from ..spec_reading.kept_outputs import left_alone
from .change_context import ChangeContext, fenced
from .change_move import apply_moves
from .change_plan import ACTIONS as ACTIONS
from .change_plan import (
    Change,
    ChangePlan,
    check_change_plan,
    obvious_change,
    parse_change_plan,
    widen,
)
from .change_scope import apply_renames, scope_of
from .edits import apply_edits, describe_failures, parse_edit_blocks
from .fences import strip_code_fences
from .file_list import mode_order, structured_args
from .function_edits import NO_CHANGE, edit_format_for, splice_functions
from .local_cut import concerned_functions, cut_back
from .move_asked import moves_asked

EDIT_FORMATS = ("auto", "whole", "blocks", "functions")
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
_MODE_ARGS = structured_args(
    "change_plan",
    CHANGE_SCHEMA,
    TOOL_NAME,
    "Save which files to change, add or delete.",
    strict=True,
)


class ChangeError(SmolError):
    """The change could not even be planned (nothing was changed)."""


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
async def decide_change(
    client: openai.AsyncOpenAI,
    settings: Settings,
    project: Project,
    request: str,
    context: ChangeContext,
    emit: Emit = no_emit,
) -> ChangePlan:
    """Which files to change, add or delete; ChangeError if no mode gives a usable answer."""
    ask = {
        "role": "user",
        "content": render("change_request", settings.prompts_dir, request=request),
    }
    tried: list[str] = []
    for mode in mode_order(settings):
        try:
            messages = context.messages(ask, what="the change plan")
            result = await stream_chat(
                client,
                settings,
                messages,
                step="change_plan",
                emit=emit,
                extra=_MODE_ARGS[mode],
                stop_loops=False,
                continue_on_length=False,
            )
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            tried.append(f"{mode}: rejected by the endpoint (HTTP {exc.status_code})")
            continue
        raw = result.tool_arguments if mode == "tool" and result.tool_arguments else result.text
        entries = parse_change_plan(raw, allow_lines=mode == "text")
        if entries is None:
            start = " ".join((raw or "").split())[:80]
            tried.append(
                f"{mode}: no change plan in the reply ({start!r})"
                if start
                else f"{mode}: empty reply"
            )
            continue
        plan = check_change_plan(entries, project, settings.max_files)
        plan.mode = mode
        if plan.changes:
            return plan
        why = "; ".join(f"{safe_repr(r.path, 40)} {r.reason}" for r in plan.rejected[:3])
        raise ChangeError(
            "The model proposed no change it could make"
            + (f" ({why})." if why else ": it found nothing to change for this request.")
        )
    raise ChangeError(
        "The model did not say which files to change. Tried " + "; ".join(tried) + "."
    )


def _plan_moves(plan: ChangePlan, request: str, project: Project) -> dict[str, str]:
    """The texts of the files a move the request asks changes or creates, each made part of
    `plan` (a new target added, a file the model left out or would delete changed); {} when
    there is no move, or it can't be made exactly (the model then does it as before)."""
    moved = apply_moves(project.contents, moves_asked(request, project.contents)) or {}
    # Not capped at max_files: written without the model, and a part of a move breaks imports.
    checked = check_change_plan([(p, "change", "") for p in moved], project, len(moved))
    if not moved or checked.rejected:
        return {}
    whats = {c.path: c.what for c in plan.changes}
    plan.changes = [c for c in plan.changes if c.path not in moved] + [
        replace(c, what=whats.get(c.path) or "moved as the request asks (no model)")
        for c in checked.changes
    ]
    return moved


# ------------------------------------------------------------------------------ the writing
def _leave_alone(plan: ChangePlan, kept: set[str]) -> None:
    """Take out of `plan` the files the request says not to change ("don't edit the tests"):
    a test rewritten to pass proves nothing, and the person said so."""
    if kept:
        plan.rejected += [
            Rejected(c.path, "is one the request says not to change")
            for c in plan.changes
            if c.path in kept
        ]
        plan.changes = [c for c in plan.changes if c.path not in kept]


async def _whole(
    client: openai.AsyncOpenAI, settings: Settings, messages: list[Message], path: str, emit: Emit
) -> str:
    result = await stream_chat(
        client,
        settings,
        messages,
        step="code",
        path=path,
        emit=emit,
        on_text=lambda t: emit(FileDelta(path, t)),
    )
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
        change = replace(
            change,
            what=f"{change.what or request} (this concerns {names}; the "
            "other functions stay exactly as they are)",
        )
    text, method = await _write_changed_file(
        client, settings, context, request, change, current, emit
    )
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
    whole_ask = {
        "role": "user",
        "content": render(
            "change_whole", d, request=request, path=path, what=what, current=fenced(current)
        ),
    }
    how = edit_format_for(settings, current, path)
    if how == "whole":
        return await _whole(
            client, settings, context.messages(whole_ask, what=path), path, emit
        ), "whole"
    if how == "functions":
        # The file once: where the context already shows it whole, the ask points to it (on
        # the built-in model, ~700 tokens less to prefill for a 90-line file).
        ask = render(
            "change_functions",
            d,
            request=request,
            path=path,
            what=what,
            current=f"The file `{path}` as it is now is shown above.",
        )
        messages = context.messages({"role": "user", "content": ask}, what=path)
        if f"## `{path}`\n\n{fenced(current)}" not in messages[1]["content"]:
            ask = render(
                "change_functions",
                d,
                request=request,
                path=path,
                what=what,
                current=f"This is the file `{path}` as it is now:\n\n{fenced(current)}",
            )
            messages = context.messages({"role": "user", "content": ask}, what=path)
        reply = await stream_chat(client, settings, messages, step="edit", path=path, emit=emit)
        spliced = splice_functions(current, strip_code_fences(reply.text, path))
        if spliced.ok and not reply.truncated:
            return spliced.text, "functions"
        if spliced.failure == NO_CHANGE:  # understood as nothing to do: the whole file would
            return current, "unchanged"  # come back the same, at 20 times the tokens
        return await _whole(
            client, settings, context.messages(whole_ask, what=path), path, emit
        ), "whole-fallback"
    ask = render("change_blocks", d, request=request, path=path, what=what, current=fenced(current))
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
        tail = [
            *tail,
            {"role": "assistant", "content": reply.text},
            {"role": "user", "content": retry},
        ]
    # Still not applied exactly: the whole file instead, never an approximate edit.
    return await _whole(
        client, settings, context.messages(whole_ask, what=path), path, emit
    ), "whole-fallback"


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
        raise ChangeError(
            f"Unknown edit format {settings.edit_format!r}; choose one of "
            f"{', '.join(EDIT_FORMATS)}."
        )
    context = ChangeContext(project, request, settings)
    plan = obvious_change(project, request) or await decide_change(
        client, settings, project, request, context, emit
    )
    scope = scope_of(request, project.contents, [*project.paths, *project.binary])
    rename_only = widen(plan, scope, project, settings.max_files)
    moved = _plan_moves(plan, request, project)
    _leave_alone(plan, left_alone(request, project.paths))
    emit(
        ChangePlanned(
            request,
            tuple((c.path, c.action, c.what) for c in plan.changes),
            tuple(plan.rejected),
            plan.mode,
        )
    )
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
                if change.path in moved:  # cut and pasted exactly (change_move.py): no model
                    text, method = moved[change.path], "moved"
                elif change.path in rename_only and current is not None:
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
        result = await stream_chat(
            c,
            settings.with_(max_tokens=settings.max_plan_tokens),
            messages,
            step="plan",
            emit=emit,
            on_text=lambda t: emit(PlanDelta(t)),
            continue_on_length=settings.max_plan_tokens is None,
            distinct_lines=True,
        )
    plan = result.text.strip()
    if not plan:
        raise SmolError("The model returned an empty plan. Try again or use another model.")
    emit(PlanDone(plan=plan, truncated=result.truncated))
    return plan
