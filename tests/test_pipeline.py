"""The whole pipeline against the scripted server: events, concurrency, prefixes, failures."""

from __future__ import annotations

import asyncio

import openai
import pytest

from smol_core.errors import SmolError, SpecError, StreamCutError, describe
from smol_core.events import (
    FileDelta,
    FileDone,
    FileFailed,
    FileListDone,
    FileStarted,
    PlanDelta,
    PlanDone,
    Retry,
    RunDone,
)
from smol_core.records import FileSpec
from smol_core.runs import events_of, run_all
from smol_core.steps.code import generate_files
from smol_core.steps.plan import make_plan
from tests.conftest import FAKE_KEY, FILES, PLAN, fast_settings
from tests.scripted_server import Fault

TWENTY = {f"pkg/mod_{i:02d}.py": f"VALUE_{i} = {i}\n" * 5 for i in range(20)}


def _run(server, spec="a greeter", **overrides):
    settings = fast_settings(server.base_url, **overrides)
    events = []
    project = asyncio.run(run_all(spec, settings, events.append))
    return project, events


def test_spec_to_files_with_events_in_order(server):
    project, events = _run(server)
    assert project.plan == PLAN.strip()
    assert project.contents == FILES
    assert project.failed == {}
    kinds = [type(e) for e in events]
    assert kinds.index(PlanDone) < kinds.index(FileListDone) < kinds.index(FileStarted)
    assert kinds[-1] is RunDone
    assert "".join(e.text for e in events if isinstance(e, PlanDelta)) == PLAN
    for path, code in FILES.items():
        streamed = "".join(e.text for e in events if isinstance(e, FileDelta) and e.path == path)
        assert streamed == code
    assert project.usage.requests == 5  # plan + list + examples + 2 files
    assert project.usage.prompt_tokens > 0


def test_every_file_request_shares_one_byte_identical_prefix(make_server):
    server = make_server(files=TWENTY)
    _run(server)
    code = [r for r in server.requests if r.kind == "code"]
    assert len(code) == 20
    prefixes = {repr(r.body["messages"][:-1]) for r in code}
    assert len(prefixes) == 1
    for r in code:
        last = r.body["messages"][-1]["content"]
        assert r.path in last
        # The file's own name appears nowhere before the last message except in the shared list.
        system = r.body["messages"][0]["content"]
        assert r.path not in system


def test_every_file_request_after_the_first_is_served_from_the_prefix_cache(make_server):
    # The server's simulated prefix cache sees the shared part from the second request on.
    server = make_server(files=TWENTY)
    _, events = _run(server, concurrency=1)
    cached = [e.usage.cached_tokens for e in events if isinstance(e, FileDone)]
    prompts = [e.usage.prompt_tokens for e in events if isinstance(e, FileDone)]
    assert len(cached) == 20 and min(cached[1:]) > 0
    assert all(c > p // 2 for c, p in zip(cached[1:], prompts[1:], strict=True))


def test_cached_tokens_are_reported_in_usage(make_server):
    server = make_server(files=TWENTY)
    project, _ = _run(server, concurrency=1)
    assert project.usage.cached_tokens > 0
    assert project.usage.cached_tokens < project.usage.prompt_tokens


def test_concurrency_is_bounded(make_server):
    server = make_server(files=TWENTY, latency=0.05)
    _run(server, concurrency=8)
    spans = [(r.started_at, r.finished_at) for r in server.requests if r.kind == "code"]
    peak = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert 2 <= peak <= 8


def test_one_failed_file_loses_no_other(make_server):
    server = make_server(files=TWENTY)
    server.add_fault(Fault.status(500), kind="code", path="pkg/mod_07.py", times=None)
    server.add_fault(Fault.cut(after_chars=4), kind="code", path="pkg/mod_03.py", times=1)
    project, events = _run(server, max_attempts=3)
    assert set(project.failed) == {"pkg/mod_07.py"}
    assert "500" in project.failed["pkg/mod_07.py"]
    assert {p: c for p, c in project.contents.items()} == {
        p: c for p, c in TWENTY.items() if p != "pkg/mod_07.py"
    }
    done = events[-1]
    assert isinstance(done, RunDone) and len(done.done) == 19 and len(done.failed) == 1
    assert any(isinstance(e, Retry) and e.path == "pkg/mod_03.py" for e in events)


def test_a_refused_key_ends_the_run_with_one_clear_message(make_server):
    server = make_server(require_api_key="sk-the-right-one")
    with pytest.raises(openai.AuthenticationError) as info:
        _run(server)
    message = describe(info.value, fast_settings(server.base_url))
    assert "refused the API key (401)" in message and "\n" not in message
    assert FAKE_KEY not in message
    assert len(server.requests) == 1  # the plan call; 401 is never retried


def test_a_refused_key_during_files_stops_the_other_files(make_server):
    server = make_server(files=TWENTY)
    server.add_fault(Fault.status(401), kind="code", times=None)
    settings = fast_settings(server.base_url, concurrency=2)
    files = [FileSpec(p) for p in TWENTY]
    events = []
    with pytest.raises(SmolError) as info:
        asyncio.run(generate_files("spec", PLAN, files, settings, events.append))
    assert "401" in str(info.value) and FAKE_KEY not in str(info.value)
    failed = [e for e in events if isinstance(e, FileFailed)]
    assert len(failed) == 20
    assert len([r for r in server.requests if r.kind == "code"]) <= 2


@pytest.mark.parametrize("spec", ["", "   \n\t ", "\x00\x01binary"])
def test_a_bad_spec_sends_no_request(server, spec):
    with pytest.raises(SpecError):
        _run(server, spec=spec)
    assert server.requests == []


def test_events_of_yields_live_events_and_the_result_state(server):
    settings = fast_settings(server.base_url)

    async def collect():
        return [e async for e in events_of(lambda emit: run_all("a greeter", settings, emit))]

    events = asyncio.run(collect())
    assert isinstance(events[-1], RunDone)
    assert {e.path for e in events if isinstance(e, FileDone)} == set(FILES)


def test_events_of_raises_the_jobs_error_after_its_events(make_server):
    # The plan streams some text, then the stream is cut and never finished: the consumer
    # gets the text streamed so far first, then the job's own error.
    server = make_server()
    server.add_fault(Fault.cut(after_chars=24), kind="plan", times=None)
    settings = fast_settings(server.base_url, max_attempts=1)
    seen = []

    async def collect():
        async for e in events_of(lambda emit: make_plan("spec", settings, emit)):
            seen.append(e)

    with pytest.raises(StreamCutError):
        asyncio.run(collect())
    streamed = "".join(e.text for e in seen if isinstance(e, PlanDelta))
    assert streamed and PLAN.startswith(streamed) and len(streamed) <= 24


def test_regenerate_one_file_with_an_instruction(server):
    settings = fast_settings(server.base_url)
    files = [FileSpec(p) for p in FILES]
    asyncio.run(generate_files("spec", PLAN, files, settings))
    shared = server.requests[-1].body["messages"][:-1]  # what a plain file request starts with
    project = asyncio.run(
        generate_files(
            "spec",
            PLAN,
            files,
            settings,
            paths=["util.py"],
            instructions={"util.py": "add a docstring"},
            current={"util.py": "old body"},
        )
    )
    assert list(project.contents) == ["util.py"]
    last = server.requests[-1].body["messages"][-1]["content"]
    assert "add a docstring" in last and "old body" in last
    # The instruction and the current text go in the last message only: the prefix is shared.
    assert server.requests[-1].body["messages"][:-1] == shared


def test_prose_and_fences_are_stripped_from_code(server):
    server.add_fault(Fault.prose("python"), kind="code", path="util.py", times=1)
    project, _ = _run(server)
    assert project.contents["util.py"] == FILES["util.py"]


def test_an_empty_reply_is_retried(server):
    server.add_fault(Fault.empty(), kind="code", path="util.py", times=1)
    project, events = _run(server)
    assert project.contents == FILES
    assert [e.reason for e in events if isinstance(e, Retry)] == ["empty reply"]


def test_empty_replies_every_time_fail_only_that_file(server):
    server.add_fault(Fault.empty(), kind="code", path="util.py", times=None)
    project, _ = _run(server, max_attempts=2)
    assert "empty reply" in project.failed["util.py"]
    assert project.contents == {"main.py": FILES["main.py"]}


def test_openai_requests_share_one_prompt_cache_key(make_server):
    server = make_server(files=TWENTY)
    _run(server, provider="openai")
    keys = {r.body.get("prompt_cache_key") for r in server.requests if r.kind == "code"}
    assert len(keys) == 1 and next(iter(keys)).startswith("smol-")


def test_other_endpoints_get_no_unknown_fields(server):
    _run(server)
    assert all("prompt_cache_key" not in r.body for r in server.requests)
