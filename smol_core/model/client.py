"""The AsyncOpenAI client for a run, and the endpoint behind a provider.

A client is bound to the event loop it was created in, so each run makes its own (inside its
coroutine) and closes it at the end; never cache one across `asyncio.run` calls. What a client
costs to make is kept, though: its TLS context (see `tls_context`).
"""

from __future__ import annotations

import asyncio
import os
import ssl
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache

import httpx2
import openai

from ..settings import Settings, same_endpoint, url_problem

# Local servers ignore the key, but the client refuses to start without one.
PLACEHOLDER_KEY = "not-needed"


def resolve(settings: Settings, progress: Callable[[str], None] | None = None) -> Settings:
    """Settings with a concrete base URL and model: starts the built-in model when it is chosen."""
    if settings.provider != "local" or settings.base_url:
        return settings
    from .local_server import LOCAL_MODEL_NAME, start_local_server

    base_url = start_local_server(progress=progress)
    model = settings.model if settings.model not in ("", "local") else LOCAL_MODEL_NAME
    return settings.with_(base_url=base_url, model=model)


@lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx2.create_ssl_context()  # the client's default trust; it reads SSL_CERT_* itself


def tls_context() -> ssl.SSLContext:
    """The TLS context every client shares, made once per process (per SSL_CERT_FILE/DIR).

    Making one reads the system's CA bundle: ~50 ms, which each new client paid before its first
    request (the page makes one per step; it was a third of the delay between pressing Generate
    and the first request). A context is safe to share between clients, loops and threads.
    """
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


def warm_up() -> None:
    """Pay ahead of time what the first request of a process pays (~0.4 s on 2 cores): the
    TLS trust, the HTTP stack's lazy imports, openai's chat resources and response models."""
    from openai.types.chat import ChatCompletionChunk

    async def touch() -> None:
        async with openai.AsyncOpenAI(
            api_key=PLACEHOLDER_KEY,
            base_url="http://127.0.0.1:9/v1",  # never called
            http_client=openai.DefaultAsyncHttpxClient(verify=tls_context()),
        ) as client:
            _ = client.chat.completions  # imported on first use

    asyncio.run(touch())
    ChatCompletionChunk.model_validate(
        {
            "id": "x",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": None}],
        }
    )


_warming = threading.Lock()
_warmed = False


def start_warm_up() -> None:
    """`warm_up()` once per process, in a background thread (the page calls this on every
    run; only the first call does anything)."""
    global _warmed
    with _warming:
        if _warmed:
            return
        _warmed = True
    threading.Thread(target=warm_up, name="smol-warm-up", daemon=True).start()


def require_key(settings: Settings) -> str:
    """The key to send (trimmed), or SmolError if this endpoint needs one and there is none,
    the base URL is malformed, or the key is bound to another endpoint (`key_endpoint`).

    Called before anything is started (a run in the history, a request), so a visitor with
    no key gets one clear message and leaves nothing behind.
    """
    # A key pasted or mounted with a trailing newline or space is never valid as is, and as an
    # HTTP header it fails as a "connection error", retried in vain: trim it.
    from ..errors import SmolError

    key = (settings.api_key or "").strip()
    if problem := url_problem(settings.base_url):
        raise SmolError(problem)
    if (
        key
        and settings.key_endpoint is not None
        and not same_endpoint(settings.base_url, settings.key_endpoint)
    ):
        # Defence in depth: the page never builds such settings, but an owner's key must not
        # go to an endpoint its owner did not configure, whoever asks.
        raise SmolError(
            "The studio's key can only be used with its own endpoint, not "
            f"{settings.endpoint_label}: enter your own API key to use another endpoint."
        )
    if not key and (settings.provider == "openai" or settings.key_required):
        if settings.provider == "openai" and not settings.key_required:
            raise SmolError("No API key: set one for OpenAI, or choose the built-in local model.")
        raise SmolError(
            f"No API key for {settings.endpoint_label}: enter your own API key "
            "(or the access code, if the owner gave you one)."
        )
    return key


def open_client(settings: Settings) -> openai.AsyncOpenAI:
    """A client with retries off (tenacity owns them) and a read timeout between chunks."""
    key = require_key(settings)
    return openai.AsyncOpenAI(
        api_key=key or PLACEHOLDER_KEY,
        base_url=settings.base_url or None,
        max_retries=0,
        timeout=httpx2.Timeout(settings.timeout, connect=settings.connect_timeout),
        http_client=openai.DefaultAsyncHttpxClient(verify=tls_context()),
    )


@asynccontextmanager
async def using_client(
    settings: Settings, client: openai.AsyncOpenAI | None
) -> AsyncIterator[openai.AsyncOpenAI]:
    """The client given, or one opened (and closed) for this step alone."""
    if client is not None:
        yield client
        return
    async with open_client(settings) as owned:
        yield owned


async def prepare(settings: Settings, progress: Callable[[str], None] | None = None) -> Settings:
    """Resolve the endpoint (starting the built-in model if chosen) without blocking the loop."""
    return await asyncio.to_thread(resolve, settings, progress)
