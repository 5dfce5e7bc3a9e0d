"""The AsyncOpenAI client for a run, and the endpoint behind a provider.

A client is bound to the event loop it was created in, so each run makes its own (inside its
coroutine) and closes it at the end; never cache one across `asyncio.run` calls.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import openai

from .settings import Settings

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


def open_client(settings: Settings) -> openai.AsyncOpenAI:
    """A client with retries off (tenacity owns them) and a read timeout between chunks."""
    if not settings.api_key and (settings.provider == "openai" or settings.key_required):
        from .errors import SmolError

        if settings.provider == "openai" and not settings.key_required:
            raise SmolError("No API key: set one for OpenAI, or choose the built-in local model.")
        raise SmolError(
            f"No API key for {settings.endpoint_label}: enter your own API key "
            "(or the access code, if the owner gave you one)."
        )
    return openai.AsyncOpenAI(
        api_key=settings.api_key or PLACEHOLDER_KEY,
        base_url=settings.base_url or None,
        max_retries=0,
        timeout=httpx2.Timeout(settings.timeout, connect=settings.connect_timeout),
    )
