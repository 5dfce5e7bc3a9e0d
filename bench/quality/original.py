"""The original smol developer's flow, reproduced for this benchmark only (in our own words).

Its shape, as the original had it:
1. plan: a system prompt (who the model is + "write a plan") and the spec as the user message;
2. file list: the spec and the plan, asking for the list of file paths (a list of strings);
3. per file: the SYSTEM prompt starts with the file's name ("write the file <path>"), then the
   plan, then the spec, then reminders (stick to the names of the plan, valid code, no fences);
4. the reply is cleaned the way the original did: the first fenced block if there is one,
   else the raw text;
5. no checks, no repair.

One difference, on purpose: the original asked for the file list through OpenAI *function
calling*. llama.cpp's server gives small models no `tool_calls`, so that request can't work on
the built-in model; here the file list comes through `response_format` json_schema, as the
studio's does, so both flows get their file list the same way and the comparison is about how
the code is asked for and what happens after.

Requests go through the same client and `smol_core.model.chat.stream_chat` as the studio (streaming,
retries, the same continuation of a reply cut by `max_tokens`), with the same settings.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from smol_core.model.chat import stream_chat
from smol_core.model.client import open_client
from smol_core.paths import check_paths
from smol_core.settings import Settings
from smol_core.usage import TokenUsage

IDENTITY = (
    "You are an excellent AI software developer. You write complete programs from what the "
    "user wants: never leave a TODO, implement every feature that was asked for. Comment your "
    "code to say what it does and how it follows the plan and the user's instructions."
)

PLAN_TASK = (
    "Reply to the user's request with a plan in GitHub Markdown. Start with a YAML block that "
    "lists the files to create. Then describe the structure of the code: for every file, the "
    "variables it exports, the data schemas, the ids of the DOM elements the JavaScript uses, "
    "the message names and the function names. Reply with the plan only."
)

FILE_LIST_TASK = (
    "From the request and the plan, give the paths of the files that will be created, as a "
    'JSON object {"files": ["path", ...]}.'
)


def file_system_prompt(path: str) -> str:
    """The per-file system prompt: the file name comes first, as in the original."""
    return (
        f"Write the file {path}. The project has been split into files and each is written on "
        f"its own; your job now is only the code of {path}.\n\n{IDENTITY}\n\n"
        "Write only valid code for that path and its file type, and reply with the code "
        "alone, with no explanation."
    )


def file_reminder(path: str) -> str:
    return (
        "Keep file names consistent when you refer to the other files of the project.\n\n"
        "Three rules:\n"
        f"- you are writing the code of {path};\n"
        "- keep to the file names and the plan that were agreed;\n"
        "- above all, every line you write must be valid code. Do not wrap it in a Markdown "
        "code fence (no ``` lines).\n\n"
        "Write the code now."
    )


FILE_PATHS_SCHEMA = {
    "type": "object",
    "properties": {"files": {"type": "array", "items": {"type": "string"}}},
    "required": ["files"],
    "additionalProperties": False,
}

_FIRST_FENCE = re.compile(r"```[\w+#.-]*\n(.*?)```", re.DOTALL)


def first_fenced_block(reply: str) -> str:
    """The original's clean-up: the body of the first fenced block, else the reply as is."""
    m = _FIRST_FENCE.search(reply)
    return m.group(1) if m else reply


@dataclass
class OriginalRun:
    plan: str = ""
    paths: list[str] = field(default_factory=list)
    contents: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    usage: TokenUsage = field(default_factory=TokenUsage)
    steps: list[tuple[str, str | None, int, int]] = field(
        default_factory=list
    )  # step, path, in, out
    seconds: float = 0.0

    def add(self, step: str, path: str | None, usage: TokenUsage) -> None:
        self.usage += usage
        self.steps.append((step, path, usage.prompt_tokens, usage.completion_tokens))


async def run_original(spec: str, settings: Settings, progress=None) -> OriginalRun:
    """Plan, file list, then each file in turn (the built-in model has one slot)."""
    say = progress or (lambda _msg: None)
    run = OriginalRun()
    started = time.monotonic()
    async with open_client(settings) as client:
        plan_settings = settings.with_(max_tokens=settings.max_plan_tokens)
        result = await stream_chat(
            client,
            plan_settings,
            [
                {"role": "system", "content": f"{IDENTITY}\n\n{PLAN_TASK}"},
                {"role": "user", "content": f"This is the app to build: {spec}"},
            ],
            step="plan",
            continue_on_length=settings.max_plan_tokens is None,
        )
        run.add("plan", None, result.usage)
        run.plan = result.text.strip()
        say("plan done")

        result = await stream_chat(
            client,
            settings,
            [
                {"role": "system", "content": f"{IDENTITY}\n\n{FILE_LIST_TASK}"},
                {"role": "user", "content": f"I want: {spec}"},
                {"role": "user", "content": f"The plan we agreed on:\n{run.plan}"},
            ],
            step="file_list",
            continue_on_length=False,
            extra={
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "file_paths",
                        "strict": True,
                        "schema": FILE_PATHS_SCHEMA,
                    },
                }
            },
        )
        run.add("file_list", None, result.usage)
        try:
            raw = json.loads(result.text).get("files", [])
        except (ValueError, AttributeError):
            raw = []
        # Writing model-given paths to disk needs the same safety as anywhere else.
        checked = check_paths(p for p in raw if isinstance(p, str))
        run.paths = list(checked.accepted)
        run.rejected = [f"{r.path}: {r.reason}" for r in checked.rejected]
        say(f"file list: {', '.join(run.paths) or '(none)'}")

        for path in run.paths:
            messages = [
                {"role": "system", "content": file_system_prompt(path)},
                {"role": "user", "content": f"The plan we agreed on:\n{run.plan}"},
                {"role": "user", "content": f"This is the app to build: {spec}"},
                {"role": "user", "content": file_reminder(path)},
            ]
            try:
                result = await stream_chat(client, settings, messages, step="code", path=path)
            except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
                run.failed[path] = f"{type(exc).__name__}: {exc}"
                continue
            run.add("code", path, result.usage)
            run.contents[path] = first_fenced_block(result.text)
            say(f"wrote {path} ({result.usage.completion_tokens} tokens)")
    run.seconds = time.monotonic() - started
    return run
