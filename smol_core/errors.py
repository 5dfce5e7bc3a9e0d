"""Errors a person can read, with the API key scrubbed from every message."""

from __future__ import annotations

import re

import openai

from .settings import Settings


class SmolError(Exception):
    """A failure with a one-line, human explanation (no traceback needed to understand it)."""


class SpecError(SmolError):
    """The spec can't be used (empty, too large, not text)."""


class LimitError(SmolError):
    """A limit of the studio was reached (files per run, text sizes, runs or requests)."""


class StreamCutError(Exception):
    """The connection closed before the model said it had finished (no finish_reason)."""


class EmptyReplyError(Exception):
    """The model finished without a word: worth another try, like a cut stream."""


class FileListError(SmolError):
    """The model never gave a usable file list."""


_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+[A-Za-z0-9_\-.]{8,})")


def redact(text: str, *secrets: str | None) -> str:
    """Remove the given secrets, and anything shaped like an API key, from text."""
    for secret in secrets:
        secret = (secret or "").strip()  # the key is sent trimmed (model/client.py): echoed so too
        if len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _KEYLIKE.sub("[redacted]", text)


MESSAGE_CHARS = 300  # of a server's own words in a message


def describe(exc: BaseException, settings: Settings | None = None) -> str:
    """One line that names the cause, fit for the page, the CLI and the history.

    Secrets are scrubbed from the whole text *before* anything is cut short (a key straddling
    the cut would otherwise leave its first characters), and this never raises itself.
    """
    key = settings.api_key if settings else None
    try:
        msg = _describe(exc, settings)
    except Exception as inner:  # a message must come out whatever the failure looks like
        msg = f"Unexpected error ({type(exc).__name__}; {type(inner).__name__} describing it)."
    return _shorten(redact(msg, key))


def _shorten(text: str, limit: int = 2 * MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe(exc: BaseException, settings: Settings | None) -> str:
    where = settings.endpoint_label if settings else "the endpoint"
    model = settings.model if settings else "?"
    key = settings.api_key if settings else None
    if isinstance(exc, SmolError):
        return str(exc)
    if isinstance(exc, openai.AuthenticationError):
        return f"{where} refused the API key (401). Check the key for this endpoint."
    if isinstance(exc, openai.PermissionDeniedError):
        return f"{where} denied access (403): {_api_message(exc, key)}"
    if isinstance(exc, openai.NotFoundError):
        return f"{where} does not know model {model!r} or this API path (404): {_api_message(exc, key)}"
    if isinstance(exc, openai.RateLimitError):
        return f"{where} kept rate-limiting the requests (429) past the retry budget: {_api_message(exc, key)}"
    if isinstance(exc, openai.APITimeoutError):
        return f"{where} did not answer in time (timeout) even after retries."
    if isinstance(exc, openai.APIConnectionError):
        return f"Could not reach {where}: connection failed even after retries."
    if isinstance(exc, openai.APIStatusError):
        return f"{where} answered HTTP {exc.status_code}: {_api_message(exc, key)}"
    if isinstance(exc, EmptyReplyError):
        return f"{where} kept returning an empty reply (model {model!r})."
    if isinstance(exc, StreamCutError):
        return f"{where} kept closing the stream before the reply was finished."
    return f"Unexpected error ({type(exc).__name__}): {exc}"


def _api_message(exc: openai.APIStatusError, key: str | None) -> str:
    """The server's own words, scrubbed first, then cut to MESSAGE_CHARS."""
    body = exc.body
    text = str(exc.message)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            text = str(inner["message"])
    text = redact(text, key)
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"
