"""One streamed chat call, done properly: retries, cut streams, and replies that hit the limit.

The openai client's own retries are off (`max_retries=0`, see client.py) because tenacity wraps
the *whole* streamed call here: the client never retries a stream that fails half-way, and two
retry layers would multiply attempts.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)

from ..errors import EmptyReplyError, StreamCutError
from ..events import Continued, Emit, Retry, UsageReport
from ..prompts import Message, continuation_messages
from ..settings import Settings
from ..usage import TokenUsage
from .repetition import LoopGuard

RETRY_STATUSES = frozenset({408, 409, 429})
LOOPED = "repetition"  # our finish_reason for a reply stopped because it was looping
# ... and for one that repeated a line pattern with other names each time: not a file at all
GARBLED = "repetition-names"
MAX_HONOURED_RETRY_AFTER = 120.0  # a server asking for longer is treated as "give up"


@dataclass(frozen=True)
class ChatResult:
    text: str
    finish_reason: str | None
    usage: TokenUsage
    tool_arguments: str | None = None  # arguments of the first tool call, if the model made one
    continuations: int = 0

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


def is_retryable(exc: BaseException) -> bool:
    """Transient failures only: never 400/401/403/404/422, which would fail the same way again."""
    if isinstance(exc, (StreamCutError, EmptyReplyError, openai.APIConnectionError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRY_STATUSES or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The wait a server asked for (`retry-after-ms` or `Retry-After`, seconds or HTTP date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        when = email.utils.parsedate_to_datetime(raw) if raw else None
        return max(0.0, when.timestamp() - time.time()) if when else None


def _reason(exc: BaseException | None) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection error"
    if isinstance(exc, StreamCutError):
        return "stream cut before the end"
    if isinstance(exc, EmptyReplyError):
        return "empty reply"
    return type(exc).__name__ if exc else "unknown"


class _Wait:
    """Honour the server's Retry-After; otherwise exponential backoff with jitter."""

    def __init__(self, settings: Settings):
        self.initial = settings.retry_wait_initial
        self.maximum = settings.retry_wait_max

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after_seconds(exc)
        if hinted is not None:
            # Over the cap means "much later": make stop_before_delay give up now.
            return hinted if hinted <= MAX_HONOURED_RETRY_AFTER else float("inf")
        backoff = min(self.maximum, self.initial * 2 ** (state.attempt_number - 1))
        return backoff * (0.5 + random.random() / 2)


def request_args(settings: Settings, messages: Sequence[Message], extra: dict | None) -> dict:
    args: dict[str, Any] = {
        "model": settings.model,
        "messages": list(messages),
        "temperature": settings.temperature,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if settings.max_tokens:
        # OpenAI's newer models only take max_completion_tokens; other servers know max_tokens.
        key = "max_completion_tokens" if settings.provider == "openai" else "max_tokens"
        args[key] = settings.max_tokens
    if extra:
        args.update(extra)
    return args


async def _stream_once(
    client: openai.AsyncOpenAI,
    args: dict,
    on_text: Callable[[str], None] | None,
    stop_loops: bool = True,
    distinct_lines: bool = False,
) -> ChatResult:
    text: list[str] = []
    tool_args: list[str] = []
    finish: str | None = None
    usage: Any = None
    guard = LoopGuard(distinct_lines) if stop_loops else None
    stream = await client.chat.completions.create(**args)
    try:
        async for chunk in stream:
            if chunk.usage is not None:
                usage = chunk.usage
            if not chunk.choices:
                continue
            choice = chunk.choices[0]
            delta = choice.delta
            if delta is not None:
                if delta.content:
                    text.append(delta.content)
                    if on_text:
                        on_text(delta.content)
                    if guard and guard.feed(delta.content):
                        # Closing the stream stops the server generating more of the loop.
                        finish = LOOPED
                        break
                for call in delta.tool_calls or ():
                    if call.index == 0 and call.function and call.function.arguments:
                        tool_args.append(call.function.arguments)
            if choice.finish_reason:
                finish = choice.finish_reason
    finally:
        await stream.close()
    if finish is None:
        # The client ends quietly when the connection closes without [DONE]; that is a failure.
        raise StreamCutError("the stream ended without a finish_reason")
    if not text and not tool_args and finish != "length":
        raise EmptyReplyError("the model finished with an empty reply")
    if guard and guard.looped:
        # No usage chunk comes after a stop: count one token per delta (servers send about that).
        return ChatResult(
            text=guard.trimmed("".join(text)),
            finish_reason=GARBLED if guard.kind == "names" else LOOPED,
            usage=TokenUsage(completion_tokens=len(text), requests=1),
        )
    return ChatResult(
        text="".join(text),
        finish_reason=finish,
        usage=TokenUsage.from_api(usage),
        tool_arguments="".join(tool_args) if tool_args else None,
    )


async def stream_chat(
    client: openai.AsyncOpenAI,
    settings: Settings,
    messages: Sequence[Message],
    *,
    step: str,
    path: str | None = None,
    emit: Emit | None = None,
    on_text: Callable[[str], None] | None = None,
    extra: dict | None = None,
    continue_on_length: bool = True,
    stop_loops: bool = True,
    distinct_lines: bool = False,
) -> ChatResult:
    """Stream one reply to the end, retrying transient failures, continuing cut-off replies.

    With `stop_loops`, a reply that falls into a loop (repetition.py) is cut off there; with
    `distinct_lines` too, at the first line it says again (prose such as a plan).

    `on_text` sees every text delta; after a `Retry` event the partial text of the failed attempt
    is void (the attempt restarts from scratch). Permanent errors are raised unchanged.
    """
    emit = emit or (lambda _e: None)
    result = await _with_retries(
        client, settings, messages, step, path, emit, on_text, extra, stop_loops, distinct_lines
    )
    total = result.usage
    text = result.text
    count = 0
    while continue_on_length and result.truncated and count < settings.max_continuations:
        count += 1
        emit(Continued(step=step, path=path, count=count))
        follow = continuation_messages(messages, text, settings.prompts_dir)
        result = await _with_retries(
            client, settings, follow, step, path, emit, on_text, extra, stop_loops, distinct_lines
        )
        text = stitch(text, result.text)
        total = total + result.usage
    return ChatResult(
        text=text,
        finish_reason=result.finish_reason,
        usage=total,
        tool_arguments=result.tool_arguments,
        continuations=count,
    )


async def _with_retries(
    client: openai.AsyncOpenAI,
    settings: Settings,
    messages: Sequence[Message],
    step: str,
    path: str | None,
    emit: Emit,
    on_text: Callable[[str], None] | None,
    extra: dict | None,
    stop_loops: bool = True,
    distinct_lines: bool = False,
) -> ChatResult:
    args = request_args(settings, messages, extra)

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        emit(
            Retry(
                step=step,
                path=path,
                attempt=state.attempt_number + 1,
                wait=round(state.upcoming_sleep, 3),
                reason=_reason(exc),
            )
        )

    retrying = AsyncRetrying(
        stop=stop_after_attempt(settings.max_attempts)
        | stop_before_delay(settings.max_retry_seconds),
        wait=_Wait(settings),
        retry=retry_if_exception(is_retryable),
        before_sleep=before_sleep,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            result = await _stream_once(client, args, on_text, stop_loops, distinct_lines)
    emit(UsageReport(step=step, path=path, usage=result.usage))
    return result


def stitch(head: str, tail: str, max_overlap: int = 400) -> str:
    """Join a continuation to what came before, dropping text the model repeated at the seam."""
    limit = min(len(head), len(tail), max_overlap)
    for size in range(limit, 7, -1):  # overlaps under 8 chars are too likely to be chance
        if head.endswith(tail[:size]):
            return head + tail[size:]
    return head + tail
