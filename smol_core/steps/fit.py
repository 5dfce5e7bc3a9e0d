"""Every request fits the model's context: what matters least is trimmed first, never the file
being written. Seen with the built-in model: a repair asked for 8,223 tokens of an 8,192-token
context and got HTTP 400 after ten minutes of work; a person must never see that.

Counting is an estimate on the safe side (3 characters a token; code and English run 3.5-4 for
these tokenizers), so no round trip to a tokenizer is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import SmolError
from ..prompts import Message, load_prompt
from ..settings import Settings

CHARS_PER_TOKEN = 3.0
PER_MESSAGE = 8  # role tags and separators of the chat template
CUT_NOTE = "\n\n(… the rest of the plan is left out here, to fit the model's context.)"


def estimate_tokens(messages: Sequence[Message]) -> int:
    return sum(int(len(m["content"]) / CHARS_PER_TOKEN) + PER_MESSAGE for m in messages)


def budget(settings: Settings) -> int | None:
    """Prompt tokens a request may take (None: the context is unknown, nothing is checked)."""
    if not settings.context_tokens:
        return None
    return settings.context_tokens - (settings.max_tokens or 1024) - 32


def without_related(instruction: str, directory: str | None) -> str:
    """The instruction without the other files shown with it (repairs add them last)."""
    head = load_prompt("related_files", directory).split("\n", 1)[0]
    at = instruction.find("\n\n" + head)
    return instruction if at < 0 else instruction[:at]


def fitted(
    build: Callable[[str, str | None], list[Message]],
    plan: str,
    instruction: str | None,
    settings: Settings,
    what: str,
) -> list[Message]:
    """`build(plan, instruction)`, trimmed until it fits: first the related files, then the
    plan's end (its start names the files and their names), then the whole plan."""
    limit = budget(settings)
    messages = build(plan, instruction)
    if limit is None or estimate_tokens(messages) <= limit:
        return messages
    if instruction:
        instruction = without_related(instruction, settings.prompts_dir)
        messages = build(plan, instruction)
    for share in (0.5, 0.25, 0.0):
        if estimate_tokens(messages) <= limit:
            return messages
        messages = build(plan[: int(len(plan) * share)].rstrip() + CUT_NOTE, instruction)
    if estimate_tokens(messages) <= limit:
        return messages
    raise SmolError(
        f"The request for {what} is too long for the model's context (about "
        f"{estimate_tokens(messages):,} tokens of {limit:,} allowed), even without the plan: "
        "shorten the spec or the file, or use a model with a longer context."
    )
