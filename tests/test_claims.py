"""Claims mutation testing found untested (issue 16), each with a test that fails when the
behaviour is removed:
- a file cut off by the output limit is reported as truncated in the pipeline, on the page
  and in the history (also after reopening the run);
- each file is saved to the history the moment it finishes, not at the end of the run;
- a Retry-After over the cap means "give up now"; a Retry-After given as an HTTP date is
  honoured.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai
import pytest

from smol_core.events import FileDone
from smol_core.model.chat import MAX_HONOURED_RETRY_AFTER
from smol_core.records import FileSpec
from smol_core.runs import run_all
from smol_core.steps.code import generate_files
from smol_core.steps.plan import make_plan
from smol_core.studio.history import RunStore
from smol_core.studio.session import Studio
from tests.conftest import FILES, PLAN, fast_settings
from tests.kit import new_app, ok, point_env
from tests.scripted_server import Fault


# ------------------------------------------------------------------------------ truncation
def cut_util(server) -> None:
    # Every answer for util.py, continuations included, stops at the output limit.
    for kind in ("code", "continue"):
        server.add_fault(Fault.length(after_chars=12), kind=kind, path="util.py", times=None)


def test_a_cut_off_file_is_reported_truncated_by_the_pipeline(server):
    cut_util(server)
    events: list = []
    project = asyncio.run(run_all("a greeter", fast_settings(server.base_url), events.append))
    done = {e.path: e for e in events if isinstance(e, FileDone)}
    assert done["util.py"].truncated and not done["main.py"].truncated
    assert project.truncated == {"util.py"}
    assert project.manifest(fast_settings(server.base_url))["truncated"] == ["util.py"]


def test_a_cut_off_file_is_reported_on_the_page_and_kept_so_in_the_history(
    server, page_env, monkeypatch
):
    cut_util(server)
    point_env(monkeypatch, server)
    at = ok(new_app().run())
    at.text_area(key="in_spec").input("a greeter").run()
    at.button(key="btn_plan").click().run()
    at.button(key="btn_files").click().run()
    at.button(key="btn_generate").click().run()
    ok(at)
    warning = "`util.py` was cut off by the output limit"
    assert any(warning in w.value for w in at.warning)
    assert not any("`main.py` was cut off" in w.value for w in at.warning)
    run_id, owner = at.session_state.studio.run_id, at.query_params["u"]
    files = {f.path: f.status for f in RunStore(page_env).load_run(run_id, None).files}
    assert files == {"main.py": "done", "util.py": "truncated"}
    again = ok(new_app(u=owner, run=run_id).run())  # a refresh: read back from the history
    assert any(warning in w.value for w in again.warning)


# ------------------------------------------------------------------ saved as each finishes
def test_each_file_is_in_the_history_the_moment_it_finishes(make_server, tmp_path):
    server = make_server(latency=0.05)
    store = RunStore(tmp_path / "h.sqlite3")
    settings = fast_settings(server.base_url, concurrency=1)
    studio = Studio(store, "me")
    studio.start("a greeter", settings)
    studio.set_plan(PLAN)
    studio.set_files([FileSpec(p) for p in FILES])
    record = studio.emitter(settings)
    stored_when_done: dict[str, str | None] = {}

    def emit(event) -> None:
        record(event)
        if isinstance(event, FileDone):  # the next file has not even started yet
            files = {f.path: f for f in store.load_run(studio.run_id, "me").files}
            stored_when_done[event.path] = files[event.path].content

    asyncio.run(generate_files("a greeter", PLAN, studio.project.files, settings, emit))
    assert stored_when_done == FILES


# ------------------------------------------------------------------------------ Retry-After
def test_a_retry_after_over_the_cap_means_give_up_now(make_server):
    server = make_server()
    wait = MAX_HONOURED_RETRY_AFTER + 1
    server.add_fault(Fault.status(429, retry_after=wait), kind="plan", times=None)
    # The retry budget alone would allow the wait: only the cap makes it give up.
    settings = fast_settings(server.base_url, max_retry_seconds=10 * wait, max_attempts=4)
    started = time.monotonic()
    with pytest.raises(openai.RateLimitError):
        asyncio.run(make_plan("a greeter", settings))
    assert time.monotonic() - started < 5 and len(server.requests) == 1


class _DateRetryAfter(BaseHTTPRequestHandler):
    """429 with `Retry-After: <HTTP date>` once, then a normal streamed plan."""

    times: list[float] = []  # noqa: RUF012 (one server per test)
    retry_at = 0.0

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.times.append(time.time())
        if len(self.times) == 1:
            body = json.dumps({"error": {"message": "slow down", "type": "rate_limit"}}).encode()
            self.send_response(429)
            self.send_header("Retry-After", email.utils.formatdate(self.retry_at, usegmt=True))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        chunk = {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": PLAN}, "finish_reason": "stop"}],
        }
        data = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_retry_after_given_as_an_http_date_is_honoured():
    handler = type("Handler", (_DateRetryAfter,), {"times": []})
    # An HTTP date has whole seconds: two seconds from the next whole one.
    handler.retry_at = math.ceil(time.time()) + 2
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        plan = asyncio.run(make_plan("a greeter", fast_settings(url)))  # backoff: 0.01-0.05 s
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert plan == PLAN.strip()
    first, second = handler.times
    assert second >= handler.retry_at - 0.05, (second - first, handler.retry_at - first)
