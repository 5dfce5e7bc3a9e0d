"""A scripted, OpenAI-compatible Chat Completions server for tests and benchmarks.

It is a real HTTP server on 127.0.0.1 (stdlib ``ThreadingHTTPServer`` in a daemon
thread), so tests exercise the real ``openai`` client, its HTTP stack, SSE parsing,
timeouts and error mapping instead of a monkeypatched fake.

Usage::

    srv = ScriptedServer(plan_text="# Plan ...", files={"a.py": "print(1)\\n"})
    with srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0)
        srv.add_fault(Fault.status(429, retry_after=1), kind="code", path="a.py", times=2)
        ...
        srv.requests  # [RecordedRequest(kind, path, body, headers, started_at, finished_at, outcome)]

Every chat request is classified into a *kind* (see :func:`classify`):

- ``plan``      -> answers ``plan_text``
- ``file_list`` -> answers ``{"files": [{"path": ..., "purpose": ...}]}`` for ``files``
  (as content for ``response_format``/plain requests, as tool-call arguments for ``tools``)
- ``code``      -> answers ``files[path]`` (unknown path: a one-line placeholder comment)
- ``continue``  -> answers the rest of the target text after what the request's assistant
  messages already contain

Faults (:class:`Fault`) attached with :meth:`ScriptedServer.add_fault` change how matching
requests are answered (HTTP errors, hangs, cut/reset streams, truncation, bad content).

Run as a process (benchmarks, manual tries)::

    python tests/scripted_server.py --port 0 [--latency S] [--tokens-per-second N]

prints ``READY http://127.0.0.1:PORT/v1`` and serves until killed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CODE_PATTERN",
    "DEFAULT_FILES",
    "DEFAULT_PLAN",
    "Fault",
    "RecordedRequest",
    "ScriptedServer",
    "classify",
    "message_text",
]

#: A user message asking for one file, e.g. "Write only the file `src/app.py` ...".
CODE_PATTERN = re.compile(r"[Ww]rite only the file `([^`]+)`")

DEFAULT_PLAN = (
    "# Plan\n\n"
    "A tiny greeting program.\n\n"
    "## Files\n\n"
    "- `main.py`: entry point, prints the greeting\n"
    "- `greeting.py`: builds the greeting text\n"
)
DEFAULT_FILES: dict[str, str] = {
    "main.py": (
        "from greeting import greet\n\n\n"
        "def main() -> None:\n"
        '    print(greet("world"))\n\n\n'
        'if __name__ == "__main__":\n'
        "    main()\n"
    ),
    "greeting.py": 'def greet(name: str) -> str:\n    return f"Hello, {name}!"\n',
}

_CHARS_PER_TOKEN = 4
_MAX_BODY_BYTES = 64 * 1024 * 1024
# Bound the prefix-cache history so a long benchmark cannot grow memory without limit.
_MAX_CACHED_PROMPTS = 2000

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    408: ("timeout_error", None),
    409: ("conflict_error", None),
    413: ("invalid_request_error", "request_too_large"),
    429: ("requests", "rate_limit_exceeded"),
}


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Fault:
    """How to misbehave for one matching request. Build it with the class methods.

    ``text``/``prose``/``empty`` answer in ``content`` even where a tool call was due (the
    model ignored the tool); ``malformed``/``length``/``cut``/``reset`` keep the normal
    channel (tool-call arguments for tool requests).
    """

    name: str
    code: int = 0
    retry_after: float | None = None
    retry_after_ms: int | None = None
    message: str | None = None
    seconds: float = 0.0
    after_chars: int = 0
    lang: str = ""
    content: str = ""

    @classmethod
    def status(
        cls,
        code: int,
        retry_after: float | None = None,
        retry_after_ms: int | None = None,
        message: str | None = None,
    ) -> Fault:
        """HTTP error ``code`` with an OpenAI-style JSON error body (+ Retry-After headers)."""
        return cls(
            "status",
            code=code,
            retry_after=retry_after,
            retry_after_ms=retry_after_ms,
            message=message,
        )

    @classmethod
    def hang(cls, seconds: float) -> Fault:
        """Send nothing for ``seconds`` (wakes early on stop), then answer normally."""
        return cls("hang", seconds=seconds)

    @classmethod
    def cut(cls, after_chars: int) -> Fault:
        """Stream ``after_chars`` chars, then end the body cleanly with no finish_reason/[DONE]."""
        return cls("cut", after_chars=after_chars)

    @classmethod
    def reset(cls, after_chars: int) -> Fault:
        """Stream ``after_chars`` chars, then abort the TCP connection with RST."""
        return cls("reset", after_chars=after_chars)

    @classmethod
    def length(cls, after_chars: int) -> Fault:
        """Answer only the first ``after_chars`` chars with finish_reason "length"."""
        return cls("length", after_chars=after_chars)

    @classmethod
    def empty(cls) -> Fault:
        """Empty content, finish_reason "stop"."""
        return cls("empty")

    @classmethod
    def malformed(cls) -> Fault:
        """Broken JSON such as ``{"files": [ "a.py",`` (as tool arguments when tools are used)."""
        return cls("malformed")

    @classmethod
    def prose(cls, lang: str = "python") -> Fault:
        """Chatty answer: a sentence, the normal answer in a ```lang fence, a closing sentence."""
        return cls("prose", lang=lang)

    @classmethod
    def text(cls, content: str) -> Fault:
        """Answer exactly ``content``."""
        return cls("text", content=content)


@dataclass(frozen=True)
class RecordedRequest:
    """One chat request as the server saw it.

    ``started_at``/``finished_at`` are ``time.monotonic()`` values (``finished_at`` is None
    while in flight). ``headers`` keys are lower-case. ``outcome`` is "pending" while in
    flight, then "ok", "status <code>", "hang", "cut", "reset", "length", "empty",
    "malformed", "prose", "text", "disconnected" (client went away), "stopped" or "error".
    Unparseable bodies are recorded with kind "invalid"; a crashing custom classifier
    gives kind "error" and a 500.
    The outcome is final before the client sees the end of the response.
    """

    kind: str
    path: str | None
    body: Any
    headers: dict[str, str]
    started_at: float
    finished_at: float | None = None
    outcome: str = "pending"


# --------------------------------------------------------------------------- classification


def message_text(content: Any) -> str:
    """Text of a message ``content`` (a string, a list of content parts, or None)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _messages(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list):
        return []
    return [m for m in messages if isinstance(m, dict)]


def _is_continue(text: str) -> bool:
    return text.lstrip().lower().startswith("continue")


def classify(body: Mapping[str, Any]) -> tuple[str, str | None]:
    """Default request classifier: returns ``(kind, path)``.

    Looks at user messages only:

    1. last user message starts with "Continue" (case-insensitive) -> ``("continue", path)``,
       path = last code-pattern match in the latest earlier user message that has one (or None);
    2. any user message matches :data:`CODE_PATTERN` -> ``("code", last match)``;
    3. the last user message asks for the checks of the project (the examples step) ->
       ``("examples", None)``;
    4. body has ``response_format`` or ``tools``, or the last user message mentions
       "file list" -> ``("file_list", None)``;
    5. otherwise ``("plan", None)``.
    """
    users = [message_text(m.get("content")) for m in _messages(body) if m.get("role") == "user"]
    last = users[-1] if users else ""
    if _is_continue(last):
        for text in reversed(users[:-1]):
            found = CODE_PATTERN.findall(text)
            if found:
                return "continue", found[-1]
        return "continue", None
    for text in reversed(users):
        found = CODE_PATTERN.findall(text)
        if found:
            return "code", found[-1]
    if "list the checks" in last.lower():
        return "examples", None
    if body.get("response_format") or body.get("tools") or "file list" in last.lower():
        return "file_list", None
    return "plan", None


default_classify = classify  # the constructor's ``classify`` argument shadows the name


def continuation(body: Mapping[str, Any], target: str) -> str:
    """What is left of ``target`` after the text the request's assistant messages already hold.

    Only assistant messages after the last non-"Continue" user message count (earlier ones
    are e.g. the plan, not part of this answer). Clients either send each partial answer as
    its own assistant message or one accumulated message, so both shapes are tried, then a
    fuzzy "find the last partial inside the target" and finally a restart from scratch.
    """
    messages = _messages(body)
    anchor = -1
    for i, m in enumerate(messages):
        if m.get("role") == "user" and not _is_continue(message_text(m.get("content"))):
            anchor = i
    parts = [
        message_text(m.get("content"))
        for m in messages[anchor + 1 :]
        if m.get("role") == "assistant"
    ]
    given = "".join(parts)
    if not given:
        return target
    if given.startswith(target):
        return ""
    for candidate in (given, parts[-1]):
        if candidate and target.startswith(candidate):
            return target[len(candidate) :]
    last = parts[-1].strip()
    if last and (pos := target.find(last)) >= 0:
        return target[pos + len(last) :]
    return target


def _placeholder(path: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    text = f"placeholder: the scripted server has no content for {path}"
    if ext in {
        "js",
        "jsx",
        "ts",
        "tsx",
        "java",
        "c",
        "h",
        "cpp",
        "hpp",
        "cs",
        "go",
        "rs",
        "kt",
        "swift",
        "scala",
        "dart",
        "php",
    }:
        return f"// {text}\n"
    if ext in {"css", "scss"}:
        return f"/* {text} */\n"
    if ext in {"html", "htm", "xml", "md", "vue", "svelte"}:
        return f"<!-- {text} -->\n"
    return f"# {text}\n"


def _serialize_prompt(body: Mapping[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """The prompt as one string, plus the (start, end) spans that are message content.

    Tools/response_format go first, like chat templates that render them into the system
    prompt: changing them invalidates the whole cached prefix. Role tags and that header
    must match for a cache hit but are not counted as tokens, so cached_tokens stays on
    the same basis as prompt_tokens (message content chars / 4).
    """
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    if body.get("tools") or body.get("response_format"):
        head = (
            json.dumps(
                {"tools": body.get("tools"), "response_format": body.get("response_format")},
                sort_keys=True,
            )
            + "\n"
        )
        out.append(head)
        pos += len(head)
    for m in _messages(body):
        tag, text = f"<|{m.get('role')}|>", message_text(m.get("content"))
        out += [tag, text, "\n"]
        spans.append((pos + len(tag), pos + len(tag) + len(text)))
        pos += len(tag) + len(text) + 1
    return "".join(out), spans


def _common_prefix_len(a: str, b: str) -> int:
    # Binary search on slice equality: C-speed comparisons instead of a per-char Python loop.
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _tokens(chars: int) -> int:
    return math.ceil(chars / _CHARS_PER_TOKEN)


# --------------------------------------------------------------------------- server internals


class _ClientGone(ConnectionError):
    """The client closed the connection while we were writing."""


class _Stopped(Exception):
    """The server is stopping; abandon the exchange."""


@dataclass
class _Rule:
    fault: Fault
    kind: str | None
    path: str | None
    remaining: int | None


@dataclass
class _Answer:
    content: str
    tool_name: str | None = None  # set -> deliver ``content`` as tool-call arguments


class _Exchange:
    """Bookkeeping for one chat request: its record index and outcome (set once)."""

    def __init__(self, server: ScriptedServer, index: int) -> None:
        self.server = server
        self.index = index
        self.outcome = "ok"
        self.done = False

    def finish(self, outcome: str | None = None) -> None:
        if self.done:
            return
        self.done = True
        self.server._finish_record(self.index, outcome or self.outcome)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The stdlib default backlog of 5 drops SYNs when 20+ clients connect at once.
    request_queue_size = 256

    def __init__(self, scripted: ScriptedServer) -> None:
        self.scripted = scripted
        self._conn_lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._idle = threading.Condition(self._conn_lock)
        super().__init__(("127.0.0.1", 0 if scripted._port is None else scripted._port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse-DNS getfqdn(), which can stall in sandboxes.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])

    def track(self, conn: socket.socket) -> None:
        with self._conn_lock:
            self._conns.add(conn)

    def untrack(self, conn: socket.socket) -> None:
        with self._conn_lock:
            self._conns.discard(conn)
            self._idle.notify_all()

    def close_connections(self, wait: float) -> None:
        """Shut down every open connection (wakes idle keep-alive readers), wait a bit."""
        with self._conn_lock:
            for conn in list(self._conns):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._idle.wait_for(lambda: not self._conns, timeout=wait)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping connections is routine in fault tests; only report real bugs.
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError) or self.scripted._stopping.is_set():
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive + chunked streaming, like real servers
    disable_nagle_algorithm = True  # many tiny SSE writes must not wait for delayed ACKs
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; srv.requests is the log

    # -- routing

    def do_GET(self) -> None:
        scripted = self.server.scripted
        path = urlsplit(self.path).path.rstrip("/")
        if path == "/health":
            self.send_json(200, {"status": "ok"})
        elif path == "/v1/models":
            if scripted._auth_error(self):
                return
            self.send_json(200, {"object": "list", "data": [scripted._model_card()]})
        elif path == f"/v1/models/{scripted.model}":
            if scripted._auth_error(self):
                return
            self.send_json(200, scripted._model_card())
        else:
            self.send_error_json(404, f"Unknown path {path!r}")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        try:
            raw = self.read_body()
        except ValueError as exc:
            self.close_connection = True
            self.send_error_json(413 if "large" in str(exc) else 400, str(exc))
            return
        if path == "/v1/chat/completions":
            self.server.scripted._handle_chat(self, raw)
        else:
            self.send_error_json(404, f"Unknown path {path!r}")

    # -- I/O helpers

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                total += size
                if total > _MAX_BODY_BYTES:
                    raise ValueError("request body too large")
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY_BYTES:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
        except OSError as exc:
            self.close_connection = True
            raise _ClientGone from exc

    def write_chunk(self, data: bytes) -> None:
        if data:
            self.write(b"%x\r\n%s\r\n" % (len(data), data))

    def end_chunks(self) -> None:
        self.write(b"0\r\n\r\n")

    def send_json(self, status: int, obj: Any, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex}")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        try:
            self.end_headers()
        except OSError as exc:
            self.close_connection = True
            raise _ClientGone from exc
        self.write(data)

    def send_error_json(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        type_, code = _ERROR_TYPES.get(
            status, ("server_error" if status >= 500 else "api_error", None)
        )
        body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
        with contextlib.suppress(_ClientGone):
            self.send_json(status, body, headers)

    def abort_with_rst(self) -> None:
        # SO_LINGER(on, 0) makes close() send RST instead of FIN: a crashed/killed upstream.
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()  # drop the makefile() reference so close() is immediate
            self.connection.close()
        except OSError:
            pass


# --------------------------------------------------------------------------- the server


class ScriptedServer:
    """Real OpenAI-compatible HTTP server whose "model" answers from a script.

    Args:
        plan_text: answer to "plan" requests (and continuations without a file path).
        files: path -> content; drives "file_list" and "code" answers.
        examples: the answer to the examples step, ``{"examples": [...]}`` (default none).
        latency: seconds before the first byte of every chat response (also errors).
        tokens_per_second: None = no pacing; else output is paced at this rate
            (1 token = 4 chars; non-streaming answers wait the whole generation time).
        chunk_chars: content characters per SSE chunk.
        json_schema: "ok" honours ``response_format``; "ignore" answers as if it were a
            plain-text request (the JSON in content); "reject" -> HTTP 400 for json_schema.
        tools: "ok" answers file lists with a tool call; "ignore" (llama.cpp-like) writes a
            ```json fenced block in content and no tool_calls; "reject" -> HTTP 400.
        require_api_key: if set, other keys get 401 (chat and /v1/models; not /health).
        model: model id reported in responses and /v1/models.
        classify: ``body -> (kind, path)`` override for :func:`classify`.
        cache_block_tokens: cached_tokens is rounded down to a multiple of this.
        port: fixed port, default a free one.

    Also honoured: ``max_tokens``/``max_completion_tokens`` (answer truncated to that many
    tokens with finish_reason "length") and ``stream_options.include_usage``.

    Usage: prompt_tokens = ceil(message content chars / 4), completion_tokens = ceil(sent
    chars / 4). cached_tokens = content chars inside the longest common prefix with any
    earlier *answered* prompt (tools/response_format + role tags + contents) // 4, rounded
    down to ``cache_block_tokens``; requests refused with an HTTP error never enter the cache.
    The final chunk (and non-streaming body) also carries llama.cpp-like
    ``timings = {prompt_n, cache_n, predicted_n}``.
    """

    def __init__(
        self,
        plan_text: str = DEFAULT_PLAN,
        files: Mapping[str, str] | None = None,
        *,
        examples: list[dict[str, Any]] | None = None,
        latency: float = 0.0,
        tokens_per_second: float | None = None,
        chunk_chars: int = 16,
        json_schema: str = "ok",
        tools: str = "ok",
        require_api_key: str | None = None,
        model: str = "scripted-model",
        classify: Callable[[Mapping[str, Any]], tuple[str, str | None]] | None = None,
        cache_block_tokens: int = 1,
        port: int | None = None,
    ) -> None:
        for label, value in (("json_schema", json_schema), ("tools", tools)):
            if value not in ("ok", "ignore", "reject"):
                raise ValueError(f"{label} must be 'ok', 'ignore' or 'reject', not {value!r}")
        if chunk_chars < 1 or cache_block_tokens < 1:
            raise ValueError("chunk_chars and cache_block_tokens must be >= 1")
        if tokens_per_second is not None and tokens_per_second <= 0:
            raise ValueError("tokens_per_second must be > 0 or None")
        self.plan_text = plan_text
        self.files: dict[str, str] = dict(DEFAULT_FILES if files is None else files)
        self.examples: list[dict[str, Any]] = list(examples or [])
        self.latency = latency
        self.tokens_per_second = tokens_per_second
        self.chunk_chars = chunk_chars
        self.json_schema = json_schema
        self.tools = tools
        self.require_api_key = require_api_key
        self.model = model
        self.classify = classify or default_classify
        self.cache_block_tokens = cache_block_tokens
        self._port = port

        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._records: list[RecordedRequest] = []
        self._prompts: list[str] = []
        self._prompt_set: set[str] = set()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> ScriptedServer:
        """Bind 127.0.0.1 and serve in a daemon thread. Returns self."""
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"scripted-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly: wakes hanging/paced handlers and closes open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # first, so sleeping handlers wake while we shut down
        httpd.shutdown()
        httpd.close_connections(wait=2.0)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2.0)

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1`` - pass as ``base_url`` to ``openai.OpenAI``."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- faults and records

    def add_fault(
        self,
        fault: Fault,
        kind: str | None = None,
        path: str | None = None,
        times: int | None = 1,
    ) -> None:
        """Apply ``fault`` to the next ``times`` requests matching kind/path (None = any).

        ``times=None`` means forever. Rules are checked in the order they were added; the
        first matching rule wins and consumes one use.
        """
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        with self._lock:
            self._rules.append(_Rule(fault, kind, path, times))

    def clear_faults(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of all chat requests so far, in arrival order."""
        with self._lock:
            return list(self._records)

    def _take_fault(self, kind: str, path: str | None) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if (rule.kind is None or rule.kind == kind) and (
                    rule.path is None or rule.path == path
                ):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining <= 0:
                            self._rules.remove(rule)
                    return rule.fault
        return None

    def _start_record(self, record: RecordedRequest) -> _Exchange:
        with self._lock:
            self._records.append(record)
            return _Exchange(self, len(self._records) - 1)

    def _set_outcome(self, index: int, outcome: str) -> None:
        with self._lock:
            self._records[index] = replace(self._records[index], outcome=outcome)

    def _finish_record(self, index: int, outcome: str) -> None:
        with self._lock:
            self._records[index] = replace(
                self._records[index], outcome=outcome, finished_at=time.monotonic()
            )

    def _cached_tokens(self, body: Mapping[str, Any], prompt_tokens: int) -> int:
        """Prefix-cache simulation: longest common prefix with any earlier prompt."""
        prompt, spans = _serialize_prompt(body)
        with self._lock:
            best = max((_common_prefix_len(prompt, p) for p in self._prompts), default=0)
            if prompt not in self._prompt_set:
                self._prompts.append(prompt)
                self._prompt_set.add(prompt)
                if len(self._prompts) > _MAX_CACHED_PROMPTS:
                    self._prompt_set.discard(self._prompts.pop(0))
        content_chars = sum(max(0, min(end, best) - start) for start, end in spans)
        cached = min(content_chars // _CHARS_PER_TOKEN, prompt_tokens)
        return cached - cached % self.cache_block_tokens

    # -- helpers

    def _model_card(self) -> dict[str, Any]:
        return {"id": self.model, "object": "model", "created": 0, "owned_by": "scripted"}

    def _key_ok(self, h: _Handler) -> bool:
        return self.require_api_key is None or (
            h.headers.get("Authorization", "") == f"Bearer {self.require_api_key}"
        )

    def _auth_error(self, h: _Handler) -> bool:
        """Send a 401 and return True when the API key is required and wrong."""
        if self._key_ok(h):
            return False
        h.send_error_json(401, "Incorrect API key provided.")
        return True

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self._stopping.wait(seconds):
            raise _Stopped

    def _file_list_json(self) -> str:
        return json.dumps(
            {
                "files": [
                    {"path": p, "purpose": f"{p}: as described in the plan"} for p in self.files
                ]
            },
            indent=2,
        )

    def _target(self, body: Mapping[str, Any], kind: str, path: str | None) -> _Answer:
        """The well-behaved answer for a request."""
        if kind in ("file_list", "examples"):
            data = (
                self._file_list_json()
                if kind == "file_list"
                else json.dumps({"examples": self.examples})
            )
            tools = body.get("tools")
            if tools and body.get("tool_choice") != "none":
                if self.tools == "ignore":
                    return _Answer(f"```json\n{data}\n```\n")
                return _Answer(data, tool_name=_tool_name(body))
            return _Answer(data)
        if kind == "code":
            return _Answer(self._file_text(path))
        if kind == "continue":
            target = self.plan_text if path is None else self._file_text(path)
            return _Answer(continuation(body, target))
        return _Answer(self.plan_text)

    def _file_text(self, path: str | None) -> str:
        if path is None:
            return self.plan_text
        return self.files.get(path, _placeholder(path))

    def _apply_content_fault(self, fault: Fault | None, answer: _Answer) -> _Answer:
        if fault is None:
            return answer
        if fault.name == "text":
            return _Answer(fault.content)
        if fault.name == "empty":
            return _Answer("")
        if fault.name == "prose":
            body = answer.content if answer.content.endswith("\n") else answer.content + "\n"
            return _Answer(
                "Sure! Here is what you asked for:\n\n"
                f"```{fault.lang}\n{body}```\n\n"
                "Let me know if you would like any changes.\n"
            )
        if fault.name == "malformed":
            first = next(iter(self.files), "a.py")
            return replace(answer, content=f'{{"files": [ "{first}",')
        return answer

    # -- the chat endpoint

    def _handle_chat(self, h: _Handler, raw: bytes) -> None:
        started = time.monotonic()
        headers = {k.lower(): v for k, v in h.headers.items()}
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            ex = self._start_record(
                RecordedRequest("invalid", None, raw.decode("utf-8", "replace"), headers, started)
            )
            ex.finish("status 400")
            h.send_error_json(400, "Request body must be a JSON object.")
            return
        try:
            kind, path = self.classify(body)
        except Exception:  # a broken custom classifier should show up as a 500, not hang
            kind, path = "error", None
        ex = self._start_record(RecordedRequest(kind, path, body, headers, started))
        try:
            self._respond(h, body, kind, path, ex)
        except _ClientGone:
            ex.finish(ex.outcome if ex.outcome != "ok" else "disconnected")
        except _Stopped:
            h.close_connection = True
            ex.finish(ex.outcome if ex.outcome != "ok" else "stopped")
        except Exception:
            h.close_connection = True
            ex.finish("error")
            raise
        finally:
            ex.finish()

    def _error(
        self,
        h: _Handler,
        ex: _Exchange,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        ex.finish(f"status {status}")  # record first: the client may look as soon as it reads
        h.send_error_json(status, message, headers)

    def _respond(
        self, h: _Handler, body: dict[str, Any], kind: str, path: str | None, ex: _Exchange
    ) -> None:
        self._sleep(self.latency)
        if kind == "error":
            self._error(h, ex, 500, "The classifier failed on this request.")
            return
        if not self._key_ok(h):
            self._error(h, ex, 401, "Incorrect API key provided.")
            return
        if body.get("tools") and self.tools == "reject":
            self._error(h, ex, 400, "tools are not supported by this server")
            return
        rf = body.get("response_format")
        if (
            isinstance(rf, dict)
            and rf.get("type") == "json_schema"
            and self.json_schema == "reject"
        ):
            self._error(h, ex, 400, "response_format json_schema is not supported by this server")
            return

        fault = self._take_fault(kind, path)
        if fault is not None:
            ex.outcome = fault.name
        if fault is not None and fault.name == "status":
            extra: dict[str, str] = {}
            if fault.retry_after is not None:
                extra["Retry-After"] = _num(fault.retry_after)
            if fault.retry_after_ms is not None:
                extra["retry-after-ms"] = _num(fault.retry_after_ms)
            self._error(h, ex, fault.code, fault.message or _default_message(fault.code), extra)
            return
        if fault is not None and fault.name == "hang":
            self._set_outcome(ex.index, "hang")  # visible while the client is still waiting
            self._sleep(fault.seconds)

        answer = self._apply_content_fault(fault, self._target(body, kind, path))
        prompt_tokens = _tokens(sum(len(message_text(m.get("content"))) for m in _messages(body)))
        cached = self._cached_tokens(body, prompt_tokens)

        payload = answer.content
        finish = "tool_calls" if answer.tool_name else "stop"
        ending = "normal"
        if fault is not None and fault.name == "length":
            payload, finish = payload[: fault.after_chars], "length"
        max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
        if isinstance(max_tokens, int) and max_tokens > 0 and len(payload) > max_tokens * 4:
            payload, finish = payload[: max_tokens * _CHARS_PER_TOKEN], "length"
        if fault is not None and fault.name in ("cut", "reset"):
            payload, ending = payload[: fault.after_chars], fault.name

        completion_tokens = _tokens(len(payload))
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached},
        }
        timings = {
            "prompt_n": prompt_tokens - cached,
            "cache_n": cached,
            "predicted_n": completion_tokens,
        }
        reply = _Reply(
            id=f"chatcmpl-{uuid.uuid4().hex[:24]}",
            created=int(time.time()),
            model=self.model,
            payload=payload,
            tool_name=answer.tool_name,
            finish=finish,
            ending=ending,
            usage=usage,
            timings=timings,
        )
        if body.get("stream"):
            opts = body.get("stream_options")
            include_usage = isinstance(opts, dict) and bool(opts.get("include_usage"))
            self._send_stream(h, ex, reply, include_usage)
        else:
            self._send_whole(h, ex, reply)

    def _pace(self, t0: float, chars_done: int) -> None:
        """Sleep until ``chars_done`` characters would have been generated since ``t0``."""
        if self.tokens_per_second is None:
            if self._stopping.is_set():
                raise _Stopped
            return
        due = t0 + chars_done / (self.tokens_per_second * _CHARS_PER_TOKEN)
        self._sleep(due - time.monotonic())
        if self._stopping.is_set():
            raise _Stopped

    def _send_stream(self, h: _Handler, ex: _Exchange, r: _Reply, include_usage: bool) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream; charset=utf-8")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("x-request-id", f"req_{uuid.uuid4().hex}")
        try:
            h.end_headers()
        except OSError as exc:
            h.close_connection = True
            raise _ClientGone from exc

        def event(obj: Any) -> None:
            data = obj if isinstance(obj, str) else json.dumps(obj)
            h.write_chunk(f"data: {data}\n\n".encode())

        call_id = f"call_{uuid.uuid4().hex[:24]}"
        if r.tool_name:
            first: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "index": 0,
                        "id": call_id,
                        "type": "function",
                        "function": {"name": r.tool_name, "arguments": ""},
                    }
                ],
            }
        else:
            first = {"role": "assistant", "content": ""}
        event(r.chunk(first))
        t0 = time.monotonic()
        sent = 0
        for piece in _pieces(r.payload, self.chunk_chars):
            sent += len(piece)
            self._pace(t0, sent)
            if r.tool_name:
                delta: dict[str, Any] = {
                    "tool_calls": [{"index": 0, "function": {"arguments": piece}}]
                }
            else:
                delta = {"content": piece}
            event(r.chunk(delta))

        if r.ending == "cut":
            # A well-formed end of the HTTP body, but no finish_reason and no [DONE].
            h.close_connection = True
            ex.finish()
            h.end_chunks()
            return
        if r.ending == "reset":
            time.sleep(0.02)  # let the bytes already written leave before the RST
            ex.finish()
            h.abort_with_rst()
            return
        final = r.chunk({}, r.finish)
        if include_usage:
            event(final)
            last = r.chunk(None)
            last["usage"] = r.usage
        else:
            last = final
        last["timings"] = r.timings
        event(last)
        ex.finish()
        event("[DONE]")
        h.end_chunks()

    def _send_whole(self, h: _Handler, ex: _Exchange, r: _Reply) -> None:
        if self.tokens_per_second is not None:
            self._sleep(len(r.payload) / (self.tokens_per_second * _CHARS_PER_TOKEN))
        if r.tool_name:
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{uuid.uuid4().hex[:24]}",
                        "type": "function",
                        "function": {"name": r.tool_name, "arguments": r.payload},
                    }
                ],
            }
        else:
            message = {"role": "assistant", "content": r.payload}
        obj = {
            "id": r.id,
            "object": "chat.completion",
            "created": r.created,
            "model": r.model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": r.finish, "logprobs": None}
            ],
            "usage": r.usage,
            "timings": r.timings,
        }
        if r.ending == "normal":
            ex.finish()
            h.send_json(200, obj)
            return
        # cut/reset without streaming: announce the full length, deliver only part of it.
        data = json.dumps(obj).encode()
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        ex.finish()
        h.write(data[: max(1, min(len(data) - 1, len(data) // 2))])
        if r.ending == "reset":
            time.sleep(0.02)
            h.abort_with_rst()


@dataclass
class _Reply:
    id: str
    created: int
    model: str
    payload: str
    tool_name: str | None
    finish: str
    ending: str  # "normal" | "cut" | "reset"
    usage: dict[str, Any]
    timings: dict[str, int]

    def chunk(self, delta: dict[str, Any] | None, finish: str | None = None) -> dict[str, Any]:
        choices = (
            []
            if delta is None
            else [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]
        )
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": choices,
        }


def _pieces(text: str, size: int) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i : i + size]


def _tool_name(body: Mapping[str, Any]) -> str:
    """The forced function name, else the first offered function's name."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name:
            return str(name)
    for tool in body.get("tools") or []:
        if isinstance(tool, dict):
            name = (tool.get("function") or {}).get("name") or tool.get("name")
            if name:
                return str(name)
    return "submit_file_list"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _default_message(code: int) -> str:
    if code == 429:
        return "Rate limit reached for scripted-model. Please try again later."
    if code >= 500:
        return "The server had an error while processing your request."
    return f"Scripted error {code}."


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before first byte")
    parser.add_argument("--tokens-per-second", type=float, default=None)
    parser.add_argument("--chunk-chars", type=int, default=16)
    parser.add_argument("--cache-block-tokens", type=int, default=1)
    parser.add_argument("--model", default="scripted-model")
    parser.add_argument("--api-key", default=None, help="require this API key")
    parser.add_argument(
        "--script",
        default=None,
        help='JSON file {"plan_text": "...", "files": {"path": "content"}}',
    )
    args = parser.parse_args(argv)

    plan_text, files = DEFAULT_PLAN, None
    if args.script:
        with open(args.script, encoding="utf-8") as fh:
            script = json.load(fh)
        plan_text = script.get("plan_text", DEFAULT_PLAN)
        files = script.get("files")
    srv = ScriptedServer(
        plan_text,
        files,
        latency=args.latency,
        tokens_per_second=args.tokens_per_second,
        chunk_chars=args.chunk_chars,
        cache_block_tokens=args.cache_block_tokens,
        model=args.model,
        require_api_key=args.api_key,
        port=args.port or None,
    )

    def _terminate(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _terminate)
    with srv:
        print(f"READY {srv.base_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
