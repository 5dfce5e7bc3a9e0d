"""Retries, cut streams and continuations of one streamed call, against the scripted server."""

from __future__ import annotations

import asyncio

import openai
import pytest

from smol_core.errors import StreamCutError
from smol_core.events import Continued, Retry, UsageReport
from smol_core.model.chat import stitch, stream_chat
from smol_core.model.client import open_client
from smol_core.prompts import file_messages
from smol_core.records import FileSpec
from tests.conftest import FILES, PLAN, fast_settings
from tests.scripted_server import Fault

FILE_LIST = [FileSpec("main.py", "entry"), FileSpec("util.py", "helpers")]


def _code_call(server, path="util.py", **overrides):
    settings = fast_settings(server.base_url, **overrides)
    events = []

    async def go():
        async with open_client(settings) as client:
            return await stream_chat(
                client,
                settings,
                file_messages("spec", PLAN, FILE_LIST, path),
                step="code",
                path=path,
                emit=events.append,
            )

    return asyncio.run(go()), events


def test_plain_stream_returns_text_usage_and_finish(server):
    result, events = _code_call(server)
    assert result.text == FILES["util.py"]
    assert result.finish_reason == "stop"
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    assert [e for e in events if isinstance(e, UsageReport)][0].usage == result.usage
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503])
def test_transient_statuses_are_retried(server, status):
    server.add_fault(Fault.status(status), kind="code", times=2)
    result, events = _code_call(server)
    assert result.text == FILES["util.py"]
    retries = [e for e in events if isinstance(e, Retry)]
    assert [r.attempt for r in retries] == [2, 3]
    assert all(r.reason == f"HTTP {status}" and r.path == "util.py" for r in retries)
    assert len(server.requests) == 3


def test_retry_after_is_honoured(server):
    server.add_fault(Fault.status(429, retry_after=1), kind="code", times=1)
    _, events = _code_call(server)
    (retry,) = [e for e in events if isinstance(e, Retry)]
    assert retry.wait == 1.0  # the server's word, not our backoff (0.01 s here)


def test_retry_after_ms_is_honoured(server):
    server.add_fault(Fault.status(503, retry_after_ms=70), kind="code", times=1)
    _, events = _code_call(server)
    (retry,) = [e for e in events if isinstance(e, Retry)]
    assert retry.wait == pytest.approx(0.07)


def test_retry_after_beyond_budget_gives_up_at_once(server):
    server.add_fault(Fault.status(429, retry_after=3600), kind="code", times=None)
    with pytest.raises(openai.RateLimitError):
        _code_call(server)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_permanent_statuses_are_not_retried(server, status):
    server.add_fault(Fault.status(status), kind="code", times=None)
    with pytest.raises(openai.APIStatusError) as info:
        _code_call(server)
    assert info.value.status_code == status
    assert len(server.requests) == 1


def test_attempts_are_bounded(server):
    server.add_fault(Fault.status(500), kind="code", times=None)
    with pytest.raises(openai.InternalServerError):
        _code_call(server, max_attempts=3)
    assert len(server.requests) == 3


def test_total_retry_time_is_bounded(server):
    server.add_fault(Fault.status(503, retry_after=0.4), kind="code", times=None)
    with pytest.raises(openai.InternalServerError):
        _code_call(server, max_attempts=50, max_retry_seconds=1.0)
    # 0.4 s waits inside a 1 s budget: the third wait would cross it, so 3 requests at most.
    assert 2 <= len(server.requests) <= 3


def test_stream_cut_without_done_is_a_failed_attempt(server):
    server.add_fault(Fault.cut(after_chars=10), kind="code", times=1)
    result, events = _code_call(server)
    assert result.text == FILES["util.py"]
    (retry,) = [e for e in events if isinstance(e, Retry)]
    assert retry.reason == "stream cut before the end"


def test_stream_cut_every_time_raises(server):
    server.add_fault(Fault.cut(after_chars=10), kind="code", times=None)
    with pytest.raises(StreamCutError):
        _code_call(server, max_attempts=2)
    assert len(server.requests) == 2


def test_connection_reset_mid_stream_is_retried(server):
    server.add_fault(Fault.reset(after_chars=12), kind="code", times=1)
    result, events = _code_call(server)
    assert result.text == FILES["util.py"]
    assert [e.reason for e in events if isinstance(e, Retry)] == ["connection error"]


def test_hang_past_timeout_is_retried(server):
    server.add_fault(Fault.hang(5), kind="code", times=1)
    result, events = _code_call(server, timeout=0.5)
    assert result.text == FILES["util.py"]
    assert [e.reason for e in events if isinstance(e, Retry)] == ["timeout"]


def test_length_is_continued_and_stitched(server):
    server.add_fault(Fault.length(after_chars=20), kind="code", times=1)
    result, events = _code_call(server)
    assert result.text == FILES["util.py"]
    assert not result.truncated and result.continuations == 1
    assert [e.count for e in events if isinstance(e, Continued)] == [1]
    kinds = [r.kind for r in server.requests]
    assert kinds == ["code", "continue"]
    # The continuation carries the partial reply as an assistant message.
    follow = server.requests[1].body["messages"]
    assert follow[-2]["role"] == "assistant" and follow[-2]["content"] == FILES["util.py"][:20]


def test_length_beyond_the_allowed_continuations_is_reported_truncated(server):
    server.add_fault(Fault.length(after_chars=5), kind=None, times=None)
    result, _ = _code_call(server, max_continuations=2)
    assert result.truncated
    assert result.continuations == 2
    assert result.text == FILES["util.py"][:15]
    assert len(server.requests) == 3


def test_stitch_drops_a_repeated_seam():
    assert stitch("def f():\n    return 1\n", "    return 1\nprint(f())\n") == (
        "def f():\n    return 1\nprint(f())\n"
    )
    assert stitch("abc", "def") == "abcdef"
    assert stitch("x = 1", "1 + 2") == "x = 11 + 2"  # short overlaps are chance, kept
