"""Errors a person can read, with the API key scrubbed from every message."""

from __future__ import annotations

import re

import openai

from .settings import Settings


class SmolError(Exception):
    """A failure with a one-line, human explanation (no traceback needed to understand it)."""


class SpecError(SmolError):
    """The spec can't be used (empty, too large, not text)."""


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


def describe(exc: BaseException, settings: Settings | None = None) -> str:
    """One line that names the cause, fit for the page, the CLI and the history."""
    where = settings.endpoint_label if settings else "the endpoint"
    model = settings.model if settings else "?"
    if isinstance(exc, SmolError):
        msg = str(exc)
    elif isinstance(exc, openai.AuthenticationError):
        msg = f"{where} refused the API key (401). Check the key for this endpoint."
    elif isinstance(exc, openai.PermissionDeniedError):
        msg = f"{where} denied access (403): {_api_message(exc)}"
    elif isinstance(exc, openai.NotFoundError):
        msg = f"{where} does not know model {model!r} or this API path (404): {_api_message(exc)}"
    elif isinstance(exc, openai.RateLimitError):
        msg = f"{where} kept rate-limiting the requests (429) past the retry budget: {_api_message(exc)}"
    elif isinstance(exc, openai.APITimeoutError):
        msg = f"{where} did not answer in time (timeout) even after retries."
    elif isinstance(exc, openai.APIConnectionError):
        msg = f"Could not reach {where}: connection failed even after retries."
    elif isinstance(exc, openai.APIStatusError):
        msg = f"{where} answered HTTP {exc.status_code}: {_api_message(exc)}"
    elif isinstance(exc, EmptyReplyError):
        msg = f"{where} kept returning an empty reply (model {model!r})."
    elif isinstance(exc, StreamCutError):
        msg = f"{where} kept closing the stream before the reply was finished."
    else:
        msg = f"Unexpected error ({type(exc).__name__}): {exc}"
    return redact(msg, settings.api_key if settings else None)


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:300]
    return str(exc.message)[:300]
