"""Step 2b: the spec's concrete examples, asked for as structured output, made into checks.

One request after the file list, in the same cache-friendly layout as every per-file request
(the shared prefix, then the ask), with the file list's fallback chain (json_schema, a forced
tool call, plain text). A reply that can't be used is not an error: the project then gets
smoke checks only (spec_reading/model_examples.py grounds and filters what comes back).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import openai

from ..events import Emit, no_emit
from ..model.chat import stream_chat
from ..prompts import render, shared_context
from ..records import Example, FileSpec
from ..settings import Settings
from ..spec_reading.blocks import indented_as_fenced
from ..spec_reading.doctests import session_calls
from ..spec_reading.grounding import held_to_sentences, with_sentences
from ..spec_reading.labels import with_labels
from ..spec_reading.model_examples import merged, parse_examples
from ..spec_reading.pages import spec_pages
from ..spec_reading.words import bare_outputs, bare_runs
from ..spec_reading.written_calls import spec_calls, spec_server
from ..spec_reading.written_examples import spec_commands, spec_examples
from .file_list import mode_order, structured_args

TOOL_NAME = "save_examples"
BRIEF_CAP = 400  # output tokens of the brief examples request
# What an expected output can be held to: a quoted text or a number.
_LITERAL = re.compile(r"`[^`\n]+`|\"[^\"\n]+\"|“[^”\n]+”|\b\d+(?:\.\d+)?\b")
_STRINGS = {"type": "array", "items": {"type": "string"}}
_COMMAND = {
    "type": "object",
    "properties": {
        "args": _STRINGS,
        "stdin": {"type": "string"},
        "output": {"type": "string"},
        "contains": _STRINGS,
        "exit_code": {"type": "integer"},
    },
    "required": ["args"],
}
EXAMPLES_SCHEMA = {
    "type": "object",
    "properties": {
        "examples": {
            "type": "array",
            "maxItems": 4,
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": ["command", "call", "page", "server"]},
                    "name": {"type": "string"},
                    "commands": {"type": "array", "items": _COMMAND},
                    "code": {"type": "string"},
                    "output": {"type": "string"},
                    "page": {"type": "string"},
                    "steps": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "action": {
                                    "type": "string",
                                    "enum": ["click", "fill", "text", "count"],
                                },
                                "target": {"type": "string"},
                                "value": {"type": "string"},
                            },
                            "required": ["action", "target"],
                        },
                    },
                    "input_files": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "path": {"type": "string"},
                                "content": {"type": "string"},
                            },
                            "required": ["path", "content"],
                        },
                    },
                    "args": _STRINGS,
                    "port": {"type": "integer"},
                    "requests": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "path": {"type": "string"},
                                "status": {"type": "integer"},
                                "contains": _STRINGS,
                            },
                            "required": ["path"],
                        },
                    },
                },
                "required": ["kind", "name"],
            },
        }
    },
    "required": ["examples"],
}
_MODE_ARGS = structured_args(
    "examples", EXAMPLES_SCHEMA, TOOL_NAME, "Save the checks of the project."
)


def examples_messages(
    spec: str, plan: str, files: list[FileSpec], directory: str | None = None, style: str = "full"
) -> list[dict[str, str]]:
    # Brief with the brief plan (the built-in model): its instructions are prefilled at ~50
    # tokens a second, and the JSON's shape is held by the schema, not by the prose.
    name = "examples_brief" if style == "brief" else "examples"
    return [
        *shared_context(spec, plan, files, directory),
        {"role": "user", "content": render(name, directory)},
    ]


def written_examples(
    text: str, contents: Mapping[str, str], *, commands: bool = False
) -> list[Example]:
    """The examples a text (a spec, a change request) writes out in full, read without the
    model: a quoted command and what it prints, a call and its value, a server's answers, a
    page's elements and what its buttons do; each names its sentence. With `commands`, when
    there are none, the project's commands it quotes without an output, each to end cleanly."""
    # A file run with no arguments, read as the command it is; outputs given unquoted, quoted.
    runs = bare_outputs(bare_runs(indented_as_fenced(text)))
    calls = spec_calls(text, contents)
    calls += [e for e in session_calls(runs, contents) if e.code not in {c.code for c in calls}]
    found = merged(spec_examples(runs, contents), calls)
    found = merged(merged(found, spec_server(text, contents)), spec_pages(text, contents))
    if not found and commands:
        found = spec_commands(runs, contents)
    return with_sentences(with_labels(found, runs), text)


async def make_examples(
    client: openai.AsyncOpenAI,
    settings: Settings,
    spec: str,
    plan: str,
    files: list[FileSpec],
    contents: dict[str, str],
    emit: Emit = no_emit,
) -> list[Example]:
    """The spec's examples as checks of this project: those it writes out in full (a quoted
    command and what it prints, what a page's elements show and its buttons do) read directly,
    then the model's ([] when there are none). Each names the spec sentence it stands for."""
    written = written_examples(spec, contents)
    if settings.plan_style == "brief":
        # The built-in model (brief style): the description's own examples are exact, and
        # its additions cost a request (~17 s) and are where wrong expectations come from.
        # Commands written out without their output are run as they are: the model, told to
        # invent no output, made the same checks of them (in 21 s).
        written = written_examples(spec, contents, commands=True)
        if written or not _LITERAL.search(spec):
            # With no quoted text or number in the spec, no output the model expects can be
            # held to it: on five fresh specs, 4 requests (15-26 s each) kept 0 checks.
            return written
        # Three checks fit in ~250 tokens; the 1.5B model's page checks were seen looping on
        # one click step for 600 tokens (30 s) before the reply ended, unusable.
        settings = settings.with_(max_tokens=min(settings.max_tokens or BRIEF_CAP, BRIEF_CAP))
    messages = examples_messages(spec, plan, files, settings.prompts_dir, settings.plan_style)
    for mode in mode_order(settings):
        try:
            result = await stream_chat(
                client,
                settings,
                messages,
                step="examples",
                emit=emit,
                extra=_MODE_ARGS[mode],
                stop_loops=False,
                continue_on_length=False,
            )
        except (openai.BadRequestError, openai.UnprocessableEntityError):
            continue  # this endpoint doesn't take this kind of request: the next one
        raw = result.tool_arguments if mode == "tool" and result.tool_arguments else result.text
        parsed = with_sentences(parse_examples(raw, spec, contents, plan), spec)
        held = (held_to_sentences(e, spec, contents) for e in parsed)
        found = [replace(e, source="model") for e in held if e is not None]
        if found or (raw or "").strip():
            return merged(written, found)  # a usable reply, or an honest "none"
    return written
