"""Tests for the scripted OpenAI-compatible server, driven through the real ``openai`` client."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scripted_server import Fault, ScriptedServer, classify, continuation

PLAN = "# Plan\n\nBuild a tiny app with `app.py` and `util.js`.\n"
FILES = {
    "app.py": "import util\n\n\ndef main() -> None:\n    print('hello from app')\n" * 3,
    "util.js": "export function add(a, b) {\n  return a + b;\n}\n",
}
SYSTEM = "You are a careful senior engineer. " * 20
FILE_LIST_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "file_list",
        "schema": {
            "type": "object",
            "properties": {"files": {"type": "array", "items": {"type": "object"}}},
            "required": ["files"],
        },
    },
}
FILE_LIST_TOOL = {
    "type": "function",
    "function": {"name": "submit_files", "parameters": {"type": "object"}},
}


def code_messages(path: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Spec: a tiny app.\n\n{PLAN}"},
        {"role": "user", "content": f"Write only the file `{path}`. No commentary."},
    ]


@pytest.fixture
def srv() -> Iterator[ScriptedServer]:
    with ScriptedServer(plan_text=PLAN, files=FILES) as server:
        yield server


@pytest.fixture
def client(srv: ScriptedServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0) as c:
        yield c


def collect(stream: openai.Stream) -> tuple[str, list[str | None], list]:
    """Concatenated content, finish reasons seen, and all chunks."""
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    return text, finishes, chunks


# --------------------------------------------------------------------------- happy paths


def test_stream_text_usage_and_prefix_cache(srv: ScriptedServer, client: openai.OpenAI) -> None:
    def run(messages: list[dict[str, str]]) -> tuple[str, list[str | None], list]:
        return collect(
            client.chat.completions.create(
                model="any",
                messages=messages,
                stream=True,
                stream_options={"include_usage": True},
            )
        )

    text, finishes, chunks = run(code_messages("app.py"))
    assert text == FILES["app.py"]
    assert finishes[-1] == "stop" and all(f is None for f in finishes[:-1])
    assert chunks[0].choices[0].delta.role == "assistant"
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    prompt_chars = sum(len(m["content"]) for m in code_messages("app.py"))
    assert last.usage.prompt_tokens == -(-prompt_chars // 4)
    assert last.usage.completion_tokens == -(-len(FILES["app.py"]) // 4)
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens
    assert last.usage.prompt_tokens_details.cached_tokens == 0
    assert last.model_extra["timings"]["cache_n"] == 0

    # Second file shares system + spec + plan: most of the prompt is a cache hit.
    *_, last2 = run(code_messages("util.js"))[2]
    cached = last2.usage.prompt_tokens_details.cached_tokens
    shared = len(SYSTEM) + len(PLAN)
    assert shared // 4 <= cached < last2.usage.prompt_tokens
    timings = last2.model_extra["timings"]
    assert timings == {
        "prompt_n": last2.usage.prompt_tokens - cached,
        "cache_n": cached,
        "predicted_n": last2.usage.completion_tokens,
    }

    # A longer conversation that extends an earlier prompt hits even more of the cache.
    longer = [
        *code_messages("util.js"),
        {"role": "assistant", "content": "x"},
        {"role": "user", "content": "Continue."},
    ]
    *_, last3 = run(longer)[2]
    assert last3.usage.prompt_tokens_details.cached_tokens > cached

    assert [(r.kind, r.path, r.outcome) for r in srv.requests] == [
        ("code", "app.py", "ok"),
        ("code", "util.js", "ok"),
        ("continue", "util.js", "ok"),
    ]
    assert srv.requests[0].headers["authorization"] == "Bearer sk-test"
    assert all(r.finished_at is not None and r.finished_at >= r.started_at for r in srv.requests)


def test_non_streaming_plan_and_unknown_file(client: openai.OpenAI) -> None:
    plan = client.chat.completions.create(
        model="any", messages=[{"role": "user", "content": "Make a plan for: a tiny app"}]
    )
    assert plan.choices[0].message.content == PLAN
    assert plan.choices[0].finish_reason == "stop"
    assert plan.usage is not None and plan.usage.prompt_tokens > 0

    other = client.chat.completions.create(model="any", messages=code_messages("web/site.css"))
    content = other.choices[0].message.content
    assert content.startswith("/*") and "web/site.css" in content


def test_cache_block_rounding() -> None:
    with (
        ScriptedServer(plan_text=PLAN, files=FILES, cache_block_tokens=64) as srv,
        openai.OpenAI(base_url=srv.base_url, api_key="k", max_retries=0) as c,
    ):
        c.chat.completions.create(model="m", messages=code_messages("app.py"))
        r = c.chat.completions.create(model="m", messages=code_messages("util.js"))
        cached = r.usage.prompt_tokens_details.cached_tokens
        assert cached > 0 and cached % 64 == 0


# --------------------------------------------------------------------------- structured output


def test_json_schema_file_list_parses(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(
        model="any",
        messages=[{"role": "user", "content": "Give the files."}],
        response_format=FILE_LIST_SCHEMA,
    )
    data = json.loads(r.choices[0].message.content)
    assert [f["path"] for f in data["files"]] == list(FILES)
    assert all(f["purpose"] for f in data["files"])


def test_plain_text_file_list_request(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(
        model="any", messages=[{"role": "user", "content": "Now output the FILE LIST as JSON."}]
    )
    assert [f["path"] for f in json.loads(r.choices[0].message.content)["files"]] == list(FILES)


@pytest.mark.parametrize("stream", [False, True])
def test_forced_tool_call(client: openai.OpenAI, stream: bool) -> None:
    kwargs = {
        "model": "any",
        "messages": [{"role": "user", "content": "Give the files."}],
        "tools": [{"type": "function", "function": {"name": "other"}}, FILE_LIST_TOOL],
        "tool_choice": {"type": "function", "function": {"name": "submit_files"}},
    }
    if stream:
        chunks = list(client.chat.completions.create(stream=True, **kwargs))
        calls = [tc for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
        assert calls[0].id and calls[0].type == "function"
        assert {tc.index for tc in calls} == {0}
        name = calls[0].function.name
        arguments = "".join(tc.function.arguments or "" for tc in calls)
        assert chunks[-1].choices[0].finish_reason == "tool_calls"
        assert all(not (c.choices[0].delta.content or "") for c in chunks)
    else:
        r = client.chat.completions.create(**kwargs)
        (call,) = r.choices[0].message.tool_calls
        name, arguments = call.function.name, call.function.arguments
        assert r.choices[0].message.content is None
    assert name == "submit_files"
    assert [f["path"] for f in json.loads(arguments)["files"]] == list(FILES)


def test_tools_ignore_writes_fenced_json() -> None:
    with (
        ScriptedServer(plan_text=PLAN, files=FILES, tools="ignore") as srv,
        openai.OpenAI(base_url=srv.base_url, api_key="k", max_retries=0) as c,
    ):
        r = c.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "Give the files."}],
            tools=[FILE_LIST_TOOL],
            tool_choice="required",
        )
    msg = r.choices[0].message
    assert not msg.tool_calls and r.choices[0].finish_reason == "stop"
    assert msg.content.startswith("```json\n") and msg.content.rstrip().endswith("```")
    inner = msg.content.strip().removeprefix("```json").removesuffix("```")
    assert [f["path"] for f in json.loads(inner)["files"]] == list(FILES)


def test_rejected_capabilities_are_400() -> None:
    with (
        ScriptedServer(files=FILES, tools="reject", json_schema="reject") as srv,
        openai.OpenAI(base_url=srv.base_url, api_key="k", max_retries=0) as c,
    ):
        msgs = [{"role": "user", "content": "Give the files."}]
        with pytest.raises(openai.BadRequestError):
            c.chat.completions.create(model="m", messages=msgs, tools=[FILE_LIST_TOOL])
        with pytest.raises(openai.BadRequestError) as err:
            c.chat.completions.create(model="m", messages=msgs, response_format=FILE_LIST_SCHEMA)
        assert "json_schema" in err.value.message
        # json_object and plain requests still work.
        r = c.chat.completions.create(
            model="m", messages=msgs, response_format={"type": "json_object"}
        )
        assert json.loads(r.choices[0].message.content)["files"]
        assert [r.outcome for r in srv.requests] == ["status 400", "status 400", "ok"]


# --------------------------------------------------------------------------- faults


def test_rate_limit_with_retry_after(srv: ScriptedServer, client: openai.OpenAI) -> None:
    srv.add_fault(
        Fault.status(429, retry_after=1, retry_after_ms=250), kind="code", path="app.py", times=2
    )
    for _ in range(2):
        with pytest.raises(openai.RateLimitError) as err:
            client.chat.completions.create(model="m", messages=code_messages("app.py"), stream=True)
        assert err.value.status_code == 429
        assert err.value.response.headers["retry-after"] == "1"
        assert err.value.response.headers["retry-after-ms"] == "250"
        assert err.value.code == "rate_limit_exceeded"
    # Other paths were never affected, and the fault is used up after two hits.
    assert client.chat.completions.create(model="m", messages=code_messages("util.js"))
    r = client.chat.completions.create(model="m", messages=code_messages("app.py"))
    assert r.choices[0].message.content == FILES["app.py"]
    assert [r.outcome for r in srv.requests] == ["status 429", "status 429", "ok", "ok"]


def test_status_forever_and_clear(srv: ScriptedServer, client: openai.OpenAI) -> None:
    srv.add_fault(Fault.status(503, message="overloaded"), times=None)
    for _ in range(3):
        with pytest.raises(openai.InternalServerError, match="overloaded"):
            client.chat.completions.create(model="m", messages=code_messages("app.py"))
    srv.clear_faults()
    assert client.chat.completions.create(model="m", messages=code_messages("app.py"))


def test_cut_ends_stream_quietly_without_finish_reason(
    srv: ScriptedServer, client: openai.OpenAI
) -> None:
    srv.add_fault(Fault.cut(20), kind="code")
    text, finishes, chunks = collect(
        client.chat.completions.create(
            model="m",
            messages=code_messages("app.py"),
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert text == FILES["app.py"][:20]
    assert all(f is None for f in finishes)
    assert all(c.usage is None for c in chunks)
    assert srv.requests[-1].outcome == "cut"


def test_reset_raises_connection_error(srv: ScriptedServer, client: openai.OpenAI) -> None:
    srv.add_fault(Fault.reset(20), kind="code")
    stream = client.chat.completions.create(
        model="m", messages=code_messages("app.py"), stream=True
    )
    with pytest.raises(openai.APIConnectionError):
        for _ in stream:
            pass
    assert srv.requests[-1].outcome == "reset"
    # The server keeps serving after a reset.
    assert client.chat.completions.create(model="m", messages=code_messages("app.py"))


def test_hang_times_out_and_stop_is_prompt() -> None:
    srv = ScriptedServer(files=FILES).start()
    try:
        srv.add_fault(Fault.hang(30), times=None)
        with openai.OpenAI(base_url=srv.base_url, api_key="k", max_retries=0, timeout=0.3) as c:
            t0 = time.monotonic()
            with pytest.raises(openai.APITimeoutError):
                c.chat.completions.create(model="m", messages=code_messages("app.py"), stream=True)
            assert time.monotonic() - t0 < 2
        assert srv.requests[-1].outcome == "hang"
        assert srv.requests[-1].finished_at is None  # the handler is still sleeping
    finally:
        t0 = time.monotonic()
        srv.stop()
        assert time.monotonic() - t0 < 3  # hang woke up early instead of sleeping 30 s
    assert srv.requests[-1].outcome == "hang" and srv.requests[-1].finished_at is not None


def test_length_then_continuation(srv: ScriptedServer, client: openai.OpenAI) -> None:
    srv.add_fault(Fault.length(30), kind="code", path="app.py")
    messages = code_messages("app.py")
    text, finishes, _ = collect(
        client.chat.completions.create(model="m", messages=messages, stream=True)
    )
    assert text == FILES["app.py"][:30] and finishes[-1] == "length"

    # Continuation: the server answers exactly the rest, even across several rounds.
    srv.add_fault(Fault.length(25), kind="continue", path="app.py")
    parts = [text]
    for _ in range(2):
        messages = [
            *messages,
            {"role": "assistant", "content": parts[-1]},
            {"role": "user", "content": "Continue exactly where you stopped."},
        ]
        r = client.chat.completions.create(model="m", messages=messages)
        parts.append(r.choices[0].message.content)
    assert r.choices[0].finish_reason == "stop"
    assert "".join(parts) == FILES["app.py"]
    assert [(q.kind, q.outcome) for q in srv.requests] == [
        ("code", "length"),
        ("continue", "length"),
        ("continue", "ok"),
    ]


def test_max_tokens_truncates_with_length(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(model="m", messages=code_messages("app.py"), max_tokens=5)
    assert r.choices[0].message.content == FILES["app.py"][:20]
    assert r.choices[0].finish_reason == "length"


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        (Fault.empty(), lambda s: s == ""),
        (Fault.text("exactly this"), lambda s: s == "exactly this"),
        (Fault.malformed(), lambda s: s.startswith('{"files": [')),
        (
            Fault.prose("py"),
            lambda s: (
                f"```py\n{FILES['app.py']}```" in s
                and not s.startswith("```")
                and not s.rstrip().endswith("```")
            ),
        ),
    ],
)
def test_content_faults(srv: ScriptedServer, client: openai.OpenAI, fault: Fault, check) -> None:
    srv.add_fault(fault, kind="code")
    text, finishes, _ = collect(
        client.chat.completions.create(model="m", messages=code_messages("app.py"), stream=True)
    )
    assert check(text) and finishes[-1] == "stop"
    assert srv.requests[-1].outcome == fault.name


def test_malformed_file_list_tool_arguments(srv: ScriptedServer, client: openai.OpenAI) -> None:
    srv.add_fault(Fault.malformed(), kind="file_list")
    r = client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "Give the files."}],
        tools=[FILE_LIST_TOOL],
        tool_choice="required",
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.choices[0].message.tool_calls[0].function.arguments)


# --------------------------------------------------------------------------- server behaviour


def test_twenty_concurrent_streams() -> None:
    n = 20

    async def one(c: openai.AsyncOpenAI, i: int) -> str:
        path = f"f{i}.py"
        stream = await c.chat.completions.create(
            model="m", messages=code_messages(path), stream=True
        )
        return "".join([ch.choices[0].delta.content or "" async for ch in stream if ch.choices])

    async def main(srv: ScriptedServer) -> list[str]:
        async with openai.AsyncOpenAI(base_url=srv.base_url, api_key="k", max_retries=0) as c:
            return await asyncio.gather(*(one(c, i) for i in range(n)))

    files = {f"f{i}.py": f"# file {i}\n" + "x = 1\n" * 30 for i in range(n)}
    # ~190 chars at 200 tok/s (800 chars/s) keeps every stream open for ~250 ms: long enough for
    # all 20 to start on a loaded CI machine, while one after another would take ~6 s (> 2 s).
    with ScriptedServer(files=files, tokens_per_second=200, latency=0.05) as srv:
        t0 = time.monotonic()
        results = asyncio.run(main(srv))
        elapsed = time.monotonic() - t0
        records = srv.requests
    assert results == [files[f"f{i}.py"] for i in range(n)]
    assert len(records) == n and {r.outcome for r in records} == {"ok"}
    # All streams were in flight at the same time (served concurrently, not one by one).
    assert max(r.started_at for r in records) < min(r.finished_at for r in records)
    assert elapsed < 2


def test_pacing_and_latency() -> None:
    text = "y" * 400  # 100 tokens
    with (
        ScriptedServer(files={"a.py": text}, tokens_per_second=500, latency=0.1) as srv,
        openai.OpenAI(base_url=srv.base_url, api_key="k", max_retries=0) as c,
    ):
        t0 = time.monotonic()
        stream = c.chat.completions.create(model="m", messages=code_messages("a.py"), stream=True)
        first = next(iter(stream))
        ttfb = time.monotonic() - t0
        rest, _, _ = collect(stream)
        total = time.monotonic() - t0
    assert first.choices[0].delta.role == "assistant"
    assert rest == text
    assert 0.1 <= ttfb < 0.3
    assert 0.3 <= total < 1.0  # 0.1 s latency + 100 tokens at 500 tok/s


def test_api_key_models_and_health() -> None:
    with ScriptedServer(files=FILES, require_api_key="sk-right", model="tiny-1") as srv:
        with (
            openai.OpenAI(base_url=srv.base_url, api_key="sk-wrong", max_retries=0) as bad,
            pytest.raises(openai.AuthenticationError) as err,
        ):
            bad.chat.completions.create(model="m", messages=code_messages("app.py"))
        assert err.value.code == "invalid_api_key"
        assert srv.requests[-1].outcome == "status 401"
        with openai.OpenAI(base_url=srv.base_url, api_key="sk-right", max_retries=0) as good:
            assert [m.id for m in good.models.list()] == ["tiny-1"]
            r = good.chat.completions.create(model="m", messages=code_messages("app.py"))
            assert r.model == "tiny-1"
        with urllib.request.urlopen(srv.base_url.removesuffix("/v1") + "/health") as resp:
            assert json.load(resp) == {"status": "ok"}


def test_custom_classifier() -> None:
    def everything_is_code(body: dict) -> tuple[str, str | None]:
        return "code", "util.js"

    with (
        ScriptedServer(files=FILES, classify=everything_is_code) as srv,
        openai.OpenAI(base_url=srv.base_url, api_key="k", max_retries=0) as c,
    ):
        r = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert r.choices[0].message.content == FILES["util.js"]


def test_cli_process_prints_ready_and_serves() -> None:
    script = Path(__file__).with_name("scripted_server.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--port", "0", "--latency", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("READY http://127.0.0.1:") and line.endswith("/v1")
        with openai.OpenAI(base_url=line.split()[1], api_key="k", max_retries=0) as c:
            r = c.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "Plan a greeting app"}]
            )
            assert r.choices[0].message.content.startswith("# Plan")
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stdout.close()


# --------------------------------------------------------------------------- classification


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def test_classify_rules() -> None:
    assert classify({"messages": [user("Make a plan")]}) == ("plan", None)
    assert classify({"messages": [user("Now the file list please")]}) == ("file_list", None)
    assert classify({"messages": [user("x")], "tools": [FILE_LIST_TOOL]}) == ("file_list", None)
    assert classify({"messages": [user("x")], "response_format": {"type": "json_object"}}) == (
        "file_list",
        None,
    )
    assert classify(
        {"messages": [user("Write only the file `a.py` then write only the file `b/c.py`")]}
    ) == ("code", "b/c.py")
    # Content-part lists count as text; only user messages are looked at.
    assert classify(
        {
            "messages": [
                {"role": "system", "content": "Write only the file `sys.py`"},
                {
                    "role": "user",
                    "content": [{"type": "text", "text": "write only the file `p.py`"}],
                },
            ]
        }
    ) == ("code", "p.py")
    conv = [
        user("Write only the file `a.py`"),
        {"role": "assistant", "content": "pri"},
        user("continue"),
    ]
    assert classify({"messages": conv}) == ("continue", "a.py")
    assert classify(
        {"messages": [user("plan"), {"role": "assistant", "content": "# P"}, user("Continue.")]}
    ) == ("continue", None)


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=200), st.data())
def test_continuation_resumes_exactly(target: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(target)), max_size=3)))
    pieces = [target[a:b] for a, b in zip([0, *cuts], [*cuts, len(target)], strict=True)][:-1]
    messages = [user("Write only the file `a.py`")]
    for piece in pieces:
        messages += [{"role": "assistant", "content": piece}, user("Continue")]
    if not pieces:
        messages += [{"role": "assistant", "content": ""}, user("Continue")]
    assert "".join(pieces) + continuation({"messages": messages}, target) == target
