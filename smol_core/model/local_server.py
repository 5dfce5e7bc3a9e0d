"""The built-in local model: llama.cpp's OpenAI-compatible server, started on demand.

`start_local_server()` returns an OpenAI base URL ("http://127.0.0.1:PORT/v1") served by
`xllamacpp` (a prebuilt llama.cpp with its HTTP server) on the bundled Qwen2.5-Coder-1.5B
model, so the studio works with no API key and no network. One server per process.

The server runs in a child Python process, not in this one, because of what xllamacpp's
in-process `Server` does (measured with xllamacpp 2026.10.11549):
- its constructor holds the GIL for the whole model load (~3 s): every other thread, e.g. a
  web UI's event loop, would freeze;
- it has no stop method: the only stop is its C++ destructor, run when the last reference
  goes, still holding the GIL. With a request of this process in flight that deadlocks (the
  client thread can't run to close its connection; >400 s seen), and a stop that comes right
  after the start can be lost by the server loop and hang forever.
A child is stopped by closing its stdin (it exits at once) or, failing that, killing it; it
also exits by itself if this process dies, since its stdin then closes.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import importlib.util
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SmolError

LOCAL_MODEL_NAME = "local"
"""The model name the server lists in /v1/models (it answers to any name, this one is tidy)."""

INSTALL_HINT = "pip install -r requirements-local.txt"

log = logging.getLogger(__name__)

_READY_MARK = "SMOL-LOCAL-SERVER-READY "

ENV_SPECULATION = "SMOL_SPECULATION"
# Speculative decoding without a second model: llama.cpp proposes the tokens that followed the
# same n-gram earlier in the prompt or the reply and checks a whole proposal in one batch. It
# pays where the reply repeats its prompt (a file rewritten with a change, a repair, a
# continuation); the names are llama.cpp's `--spec-type` values. "off" turns it off.
SPECULATION_TYPES = {
    "off": "COMMON_SPECULATIVE_TYPE_NONE",
    "ngram-mod": "COMMON_SPECULATIVE_TYPE_NGRAM_MOD",
    "ngram-simple": "COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE",
    "ngram-map-k": "COMMON_SPECULATIVE_TYPE_NGRAM_MAP_K",
}
DEFAULT_SPECULATION = "ngram-mod"


class LocalServerError(SmolError):
    """The built-in model could not be started; the message says why and what to do."""


def speculation_from_env(env: dict[str, str] | None = None) -> str:
    """The speculation type `SMOL_SPECULATION` asks for (default ngram-mod); a clear error for
    a value that is not one."""
    value = (os.environ if env is None else env).get(ENV_SPECULATION, "").strip().lower()
    value = value or DEFAULT_SPECULATION
    if value in ("0", "false", "no", "none"):
        value = "off"
    if value not in SPECULATION_TYPES:
        raise LocalServerError(
            f"{ENV_SPECULATION}={value!r} is not a speculation type; use one of "
            f"{', '.join(SPECULATION_TYPES)}."
        )
    return value


def _default_threads() -> int:
    # Affinity, not cpu_count: in a container limited to 2 CPUs of a big host, more threads
    # than CPUs makes llama.cpp much slower.
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class LocalServerConfig:
    """How to run the server. `model_path=None` means the bundled model (or $SMOL_LOCAL_MODEL)."""

    model_path: Path | None = None
    # Total context, shared by the slots. 8192 fits a spec + plan + one file's output with room
    # to spare; the KV cache costs ~28 KB per token for this model (RSS 1.9 GB at 4096,
    # 2.1 GB at 8192, 2.3 GB at 16384), and speed does not depend on it.
    n_ctx: int = 8192
    # One slot: on 2 cores parallel slots don't add throughput, and a single slot reuses the
    # cached prompt prefix shared by consecutive requests (prefill is the slow part).
    n_parallel: int = 1
    threads: int = field(default_factory=_default_threads)
    port: int = 0  # 0: a free port is picked
    host: str = "127.0.0.1"
    # llama.cpp keeps old prompt states in RAM to reuse them; its default allows 8 GB.
    cache_ram_mib: int = 1024
    start_timeout: float = 180.0  # seconds for the model to load (slow disks, cold caches)
    # Speculative decoding (SPECULATION_TYPES), and the most tokens one proposal may hold:
    # long proposals pay for copied text; a wrong one costs one batch (bench.speculation).
    speculation: str = field(default_factory=speculation_from_env)
    draft_max: int = 64
    # A small model of the same family that drafts fresh text (llama.cpp's draft-simple);
    # None: none (bench.speculation measures whether one pays on this machine).
    draft_model: Path | None = None
    # Prefill the fixed start of the first request (the instructions before the spec) as soon
    # as the model is loaded, while the person writes their spec: ~300 tokens at ~50 tokens/s
    # that the plan then takes from the slot's cache instead of computing (bench 5).
    warm: bool = True

    def __post_init__(self) -> None:
        if self.speculation not in SPECULATION_TYPES:
            raise LocalServerError(
                f"Unknown speculation type {self.speculation!r}; use one of "
                f"{', '.join(SPECULATION_TYPES)}."
            )


@dataclass
class _Running:
    config: LocalServerConfig | None
    process: subprocess.Popen[str]
    base_url: str
    stderr_tail: collections.deque[str]
    warming: threading.Thread | None = None


_LOCK = threading.Lock()
_RUNNING: _Running | None = None
_ATEXIT_REGISTERED = False


def start_local_server(
    config: LocalServerConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Start the built-in model's server once per process; return its OpenAI base URL.

    A second call returns the same URL (`config=None` accepts whatever is running); a call with
    a different config while one runs is an error. A server that died is started again.
    `progress` receives short human messages ("Loading the model…", "Ready in 3.6 s").
    """
    global _RUNNING, _ATEXIT_REGISTERED
    say = progress or (lambda _msg: None)
    with _LOCK:
        if _RUNNING is not None:
            if _RUNNING.process.poll() is None:
                if config is None or config == _RUNNING.config:
                    return _RUNNING.base_url
                raise LocalServerError(
                    "The built-in model is already running with other settings; "
                    "stop it (stop_local_server()) before starting it differently."
                )
            log.warning(
                "local model server had exited (code %s); starting it again",
                _RUNNING.process.returncode,
            )
            _RUNNING = None

        started = time.monotonic()
        wanted = config or LocalServerConfig()
        if importlib.util.find_spec("xllamacpp") is None:
            raise LocalServerError(
                f"The built-in model needs the xllamacpp package: `{INSTALL_HINT}`."
            )
        model_path = wanted.model_path
        if model_path is None:
            from .model_file import default_model_path

            model_path = default_model_path(status=say)
        if not Path(model_path).is_file():
            raise LocalServerError(f"Model file not found: {model_path}")

        say("Loading the model…")
        running = _spawn(wanted, Path(model_path))
        running.config = wanted
        if wanted.warm:
            running.warming = threading.Thread(
                target=_warm, args=(running.base_url,), daemon=True, name="smol-local-warm"
            )
            running.warming.start()
        _RUNNING = running
        if not _ATEXIT_REGISTERED:
            atexit.register(stop_local_server)
            _ATEXIT_REGISTERED = True
        say(f"Ready in {time.monotonic() - started:.1f} s")
        return running.base_url


def stop_local_server(timeout: float = 5.0) -> None:
    """Stop the server if it runs (safe to call any time, from any thread, more than once)."""
    global _RUNNING
    with _LOCK:
        running, _RUNNING = _RUNNING, None
    if running is not None:
        _stop_process(running.process, timeout)


def wait_until_warm(timeout: float = 60.0) -> bool:
    """Wait for the warm-up request of the running server (True when none is in flight)."""
    with _LOCK:
        warming = _RUNNING.warming if _RUNNING is not None else None
    if warming is not None:
        warming.join(timeout)
        return not warming.is_alive()
    return True


def _warm(base_url: str) -> None:
    """One request of one token whose prompt is the plan request's fixed start; the slot keeps
    its state, and the plan request shares it up to where the spec begins. Best effort: a
    failure only means the first request computes it itself."""
    from ..prompts import plan_messages

    marker = "\u0000SPEC\u0000"
    messages = plan_messages(marker, style="brief")
    messages[-1]["content"] = messages[-1]["content"].split(marker)[0]
    body = json.dumps(
        {"model": LOCAL_MODEL_NAME, "messages": messages, "max_tokens": 1, "temperature": 0.0}
    ).encode()
    request = urllib.request.Request(
        base_url + "/chat/completions", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120.0) as resp:
            resp.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.debug("warm-up of the built-in model failed: %s", exc)


def local_server_pid() -> int | None:
    """The server process's id, or None (for memory figures and diagnostics)."""
    running = _RUNNING
    return None if running is None or running.process.poll() is not None else running.process.pid


def local_model_problem() -> str | None:
    """Why the built-in model can't start here (a human sentence), or None if it can.

    Cheap: checks the packages and files are present, loads nothing.
    """
    if importlib.util.find_spec("xllamacpp") is None:
        return f"The xllamacpp package is not installed (`{INSTALL_HINT}`)."
    from .model_file import ENV_MODEL, ModelFileError, bundled_parts_missing, check_gguf_file

    override = os.environ.get(ENV_MODEL, "").strip()
    if override:
        try:
            check_gguf_file(Path(override).expanduser())
        except ModelFileError as exc:
            return str(exc)
        return None
    missing = bundled_parts_missing()
    if missing:
        return (
            f"The built-in model's files are not installed ({len(missing)} part packages "
            f"missing; `{INSTALL_HINT}`)."
        )
    return None


# The child: loads the model, prints its address, then lives until its stdin closes. It is
# plain Python run with `-c` so that it imports nothing but xllamacpp (no smol_core, no
# sys.path needs), which keeps its start fast.
_CHILD_SOURCE = f"""
import json, os, signal, sys
# Ctrl+C in the terminal goes to the whole process group: the parent decides when we stop.
signal.signal(signal.SIGINT, signal.SIG_IGN)
import xllamacpp as xlc
cfg = json.loads(sys.argv[1])
p = xlc.CommonParams()
p.model.path = cfg["model_path"]
p.model_alias = {{cfg["alias"]}}
p.n_ctx = cfg["n_ctx"]
p.n_parallel = cfg["n_parallel"]
p.cpuparams.n_threads = cfg["threads"]
p.cpuparams_batch.n_threads = cfg["threads"]
p.hostnames = [cfg["host"]]
p.port = cfg["port"]
p.cache_ram_mib = cfg["cache_ram_mib"]
p.endpoint_slots = True
if cfg["speculation"] != "COMMON_SPECULATIVE_TYPE_NONE":
    p.speculative.types = [getattr(xlc.common_speculative_type, cfg["speculation"])]
    p.speculative.draft.n_max = cfg["draft_max"]
    p.speculative.draft.n_min = 0
if cfg["draft_model"]:
    p.speculative.types = [xlc.common_speculative_type.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE]
    p.speculative.draft.mparams.path = cfg["draft_model"]
    p.speculative.draft.n_max = cfg["draft_max"]
    p.speculative.draft.cpuparams.n_threads = cfg["threads"]
    p.speculative.draft.cpuparams_batch.n_threads = cfg["threads"]
server = xlc.Server(p)
print({_READY_MARK!r} + json.dumps({{"address": server.listening_address}}), flush=True)
sys.stdin.read()
# No graceful teardown: the server's destructor can hang on open connections, and the OS
# frees everything at once.
os._exit(0)
"""


def _spawn(config: LocalServerConfig, model_path: Path) -> _Running:
    args = {
        "model_path": str(model_path),
        "alias": LOCAL_MODEL_NAME,
        "n_ctx": config.n_ctx,
        "n_parallel": config.n_parallel,
        "threads": config.threads,
        "host": config.host,
        "port": config.port,
        "cache_ram_mib": config.cache_ram_mib,
        "speculation": SPECULATION_TYPES[config.speculation],
        "draft_max": config.draft_max,
        "draft_model": str(config.draft_model) if config.draft_model else "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD_SOURCE, json.dumps(args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    tail: collections.deque[str] = collections.deque(maxlen=40)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_drain_stderr, args=(proc, tail), daemon=True).start()
    threading.Thread(target=_read_stdout, args=(proc, lines), daemon=True).start()
    try:
        address = _wait_for_address(proc, lines, tail, config.start_timeout)
        base = address.rstrip("/")
        _wait_until_ready(base, proc, tail, timeout=30.0)
    except BaseException:
        _stop_process(proc, 1.0)
        raise
    return _Running(config=None, process=proc, base_url=base + "/v1", stderr_tail=tail)


def _drain_stderr(proc: subprocess.Popen[str], tail: collections.deque[str]) -> None:
    # Always drained: a full pipe would block the server. llama.cpp logs a few lines per
    # request (timings, prompt-cache reuse), kept at debug level.
    assert proc.stderr is not None
    with proc.stderr:
        for line in proc.stderr:
            line = line.rstrip()
            if line:
                tail.append(line)
                log.debug("llama.cpp: %s", line)


def _read_stdout(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert proc.stdout is not None
    with proc.stdout:
        for line in proc.stdout:
            lines.put(line)
    lines.put(None)


def _wait_for_address(
    proc: subprocess.Popen[str],
    lines: queue.Queue[str | None],
    tail: collections.deque[str],
    timeout: float,
) -> str:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LocalServerError(
                f"The built-in model did not finish loading within {timeout:.0f} s."
                + _tail_text(tail)
            )
        try:
            line = lines.get(timeout=min(left, 1.0))
        except queue.Empty:
            continue
        if line is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(2.0)
            time.sleep(0.1)  # let the stderr reader catch the last lines
            raise LocalServerError(
                f"The built-in model's server stopped while starting (exit code "
                f"{proc.returncode}). The model file may be damaged or memory short "
                f"(it needs about 2.2 GB)." + _tail_text(tail)
            )
        if line.startswith(_READY_MARK):
            address = json.loads(line[len(_READY_MARK) :])["address"]
            return str(address)


def _wait_until_ready(
    base: str, proc: subprocess.Popen[str], tail: collections.deque[str], timeout: float
) -> None:
    """Wait for /health to say ok, then for one answer from the task loop (/slots)."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    for path in ("/health", "/slots"):
        while True:
            if proc.poll() is not None:
                raise LocalServerError(
                    f"The built-in model's server exited (code {proc.returncode})."
                    + _tail_text(tail)
                )
            try:
                with urllib.request.urlopen(base + path, timeout=5.0) as resp:
                    if resp.status == 200:
                        break
                    last_error = f"HTTP {resp.status}"
            except (urllib.error.URLError, OSError) as exc:
                last_error = str(exc)
            if time.monotonic() > deadline:
                raise LocalServerError(
                    f"The built-in model's server at {base} did not answer {path} within "
                    f"{timeout:.0f} s ({last_error})." + _tail_text(tail)
                )
            time.sleep(0.1)


def _stop_process(proc: subprocess.Popen[str], timeout: float) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()  # the child exits as soon as it sees EOF
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            # Still loading (it reads stdin only once loaded) or stuck: no state to lose.
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5.0)
    # stdout and stderr are closed by their reader threads when they reach EOF.


def _tail_text(tail: collections.deque[str]) -> str:
    lines = [line for line in tail if " W " in line or " E " in line or "rror" in line]
    lines = (lines or list(tail))[-8:]
    return ("\nServer log (last lines):\n" + "\n".join(lines)) if lines else ""
