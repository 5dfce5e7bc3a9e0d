"""Run settings: where the model lives and how hard to try.

Precedence is arguments > environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SMOL_*`) > defaults.
The API key is kept out of `repr()` so it can't leak through logs or tracebacks that print settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

PROVIDERS = ("openai", "compatible", "local")
STRUCTURED_MODES = ("auto", "json_schema", "tool", "text")
PLAN_STYLES = ("full", "brief")

# Provider-specific defaults that differ from the general ones. The built-in model runs on the
# CPU: one request at a time is faster there (its slot reuses the cached shared prefix) and its
# output must be capped so a 1.5B model can't ramble through the context.
PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    "openai": {"model": "gpt-4.1-mini"},
    "compatible": {"model": ""},
    "local": {
        "model": "local",
        # Greedy: what bench.quality measures, the same project for the same spec, and with
        # speculation on the same text (repairs sample warmer on purpose: steps/heal.py).
        "temperature": 0.0,
        "concurrency": 1,
        "max_tokens": 1536,
        # A brief plan (prompts/plan_brief.md): it is prefilled in every later request and
        # written at ~10 tokens a second; the full one hit its 700-token cap (bench 5).
        "plan_style": "brief",
        "max_plan_tokens": 450,
        "timeout": 300.0,
        "context_tokens": 8192,  # the built-in server's n_ctx (local_server.py)
    },
}


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to talk to one endpoint. Plain data: safe to copy between threads."""

    provider: str = "openai"
    model: str = ""
    base_url: str | None = field(default=None, repr=False)  # may carry credentials
    api_key: str | None = field(default=None, repr=False)
    # The one base URL this key may go to, when it is not the caller's own (the owner's key on
    # the page): the client refuses any other (model/client.py). None: wherever base_url says.
    key_endpoint: str | None = field(default=None, repr=False)
    # Never call the endpoint without a key (it is someone else's: the page sets this when a
    # visitor may not use the owner's key), instead of sending a placeholder.
    key_required: bool = False
    temperature: float = 0.2
    concurrency: int = 8
    timeout: float = 120.0  # seconds between two chunks of a stream (read timeout)
    connect_timeout: float = 10.0
    max_attempts: int = 4  # per streamed call, first try included
    max_retry_seconds: float = 180.0  # total time one call may spend retrying
    retry_wait_initial: float = 0.5
    retry_wait_max: float = 20.0
    max_continuations: int = 2  # follow-ups after finish_reason == "length"
    max_tokens: int | None = None  # output cap per request; None = the endpoint's default
    max_plan_tokens: int | None = None  # a tighter cap for the plan: it is prefilled per file
    plan_style: str = "full"  # full | brief (a list of files, names and formats only)
    # The model's context, prompt and reply together (None: unknown, not checked). A request
    # that would not fit is trimmed first (context_fit.py) instead of failing with a 400.
    context_tokens: int | None = None
    structured_mode: str = "auto"  # how to ask for the file list
    max_files: int = 60
    checks: bool = True  # check generated files (compile, names, links, ids)
    repair_rounds: int = 1  # regenerate a file with findings this many times at most
    # Run what was written (the spec's examples, smoke checks, the project's tests) and repair
    # what fails. Generated code runs only in running/sandbox.py; a hosted page turns this off
    # unless its owner turns it on.
    run_examples: bool = True
    run_rounds: int = 2  # rounds of "repair the files a failing example concerns, run again"
    # Where the OS gives no isolation, run only if the person agreed (never by default).
    allow_unisolated: bool = False
    prompts_dir: str | None = None
    # How a change request rewrites an existing file: auto | whole | blocks (search/replace
    # edits applied strictly; auto picks by model and file size, see steps/change.py).
    edit_format: str = "auto"

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ValueError(
                f"unknown provider {self.provider!r}; choose one of {', '.join(PROVIDERS)}"
            )
        if self.structured_mode not in STRUCTURED_MODES:
            raise ValueError(
                f"unknown structured mode {self.structured_mode!r}; "
                f"choose one of {', '.join(STRUCTURED_MODES)}"
            )
        if self.plan_style not in PLAN_STYLES:
            raise ValueError(
                f"unknown plan style {self.plan_style!r}; choose one of {', '.join(PLAN_STYLES)}"
            )
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (None values are ignored, so CLI flags can pass through)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def endpoint_label(self) -> str:
        """Where requests go, fit to show a person: scheme and host only, never a key or query."""
        if self.provider == "local":
            return "built-in local model"
        return public_host(self.base_url or "https://api.openai.com/v1") or "(invalid URL)"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from arguments, then the environment, then defaults."""
        env = os.environ if env is None else env
        given = {k: v for k, v in overrides.items() if v is not None}
        api_key = given.get("api_key", env.get("SMOL_API_KEY") or env.get("OPENAI_API_KEY") or None)
        base_url = given.get(
            "base_url", env.get("SMOL_BASE_URL") or env.get("OPENAI_BASE_URL") or None
        )
        provider = (
            given.get("provider") or env.get("SMOL_PROVIDER") or _guess_provider(api_key, base_url)
        )
        values: dict[str, Any] = {"provider": provider, "api_key": api_key, "base_url": base_url}
        values.update(PROVIDER_DEFAULTS.get(provider, {}))
        for f in fields(cls):
            raw = env.get(f"SMOL_{f.name.upper()}")
            if raw not in (None, "") and f.name not in _NOT_FROM_ENV:
                values[f.name] = _coerce(f.name, raw)
        values.update(given)
        if values["provider"] == "local":
            values["base_url"] = given.get("base_url")  # filled in when the server starts
        return cls(**values)


# Never read from SMOL_*: a key and where it may go are set by whoever builds the settings.
_NOT_FROM_ENV = ("api_key", "base_url", "provider", "key_endpoint")
OPENAI_URL = "https://api.openai.com/v1"


def _guess_provider(api_key: str | None, base_url: str | None) -> str:
    # With nothing configured the studio still works: the built-in model needs no key.
    if base_url:
        return "compatible"
    if api_key:
        return "openai"
    return "local"


_INTS = {
    "concurrency",
    "max_attempts",
    "max_continuations",
    "max_tokens",
    "max_plan_tokens",
    "context_tokens",
    "max_files",
    "repair_rounds",
    "run_rounds",
}
_FLOATS = {
    "temperature",
    "timeout",
    "connect_timeout",
    "max_retry_seconds",
    "retry_wait_initial",
    "retry_wait_max",
}


_BOOLS = {"checks", "key_required", "run_examples", "allow_unisolated"}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def env_flag(value: object, default: bool = False) -> bool:
    """A yes/no setting from the environment or secrets: 1/true/yes/on or 0/false/no/off/""
    (any case, spaces ignored), a real bool as itself; anything else (None included) is
    `default`. The one place such a value is read, so a flag means the same everywhere."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return default


def _coerce(name: str, raw: str) -> Any:
    if name in _BOOLS:
        return env_flag(raw)
    try:
        if name in _INTS:
            return int(raw)
        if name in _FLOATS:
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"SMOL_{name.upper()} must be a number, got {raw!r}") from exc
    return raw


def public_host(url: str) -> str:
    """`scheme://host[:port]` of a URL, or "" if it has no host.

    Userinfo (`user:key@`), path, query and fragment are dropped: any of them can carry a
    credential, and showing or storing which endpoint was used needs none of them.
    """
    text = (url or "").strip()
    if not text:
        return ""
    # "localhost:11434" has no scheme; "//" makes urlsplit read it as a host.
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
        host = parts.hostname or ""
    except ValueError:  # "http://[x": an unclosed IPv6 bracket
        return ""
    if not host:
        return ""
    if ":" in host:  # IPv6 literal: urlsplit strips the brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that isn't a number: drop it
        port = None
    netloc = f"{host}:{port}" if port is not None else host
    scheme = parts.scheme.lower()
    return f"{scheme}://{netloc}" if scheme else netloc


def url_problem(url: str | None) -> str | None:
    """Why a base URL can't be used (one line, without the URL: it may hold a key), or None."""
    if url is None or not url.strip():
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        return "The base URL is not a valid URL (e.g. http://127.0.0.1:11434/v1)."
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "The base URL must start with http:// or https:// and name a host."
    return None


def same_endpoint(a: str | None, b: str | None) -> bool:
    """True when two base URLs send requests to the same place (None = OpenAI's)."""
    return _endpoint(a) == _endpoint(b)


def _endpoint(url: str | None) -> tuple[str, ...]:
    text = (url or "").strip() or OPENAI_URL
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return ("invalid", text)
    scheme = parts.scheme.lower()
    port = port or {"http": 80, "https": 443}.get(scheme)
    userinfo = parts.netloc.rpartition("@")[0]
    # All that decides where a request lands (and what it carries): nothing is ignored but
    # the case of scheme and host, a default port and a trailing slash.
    host = (parts.hostname or "").lower()
    return (scheme, userinfo, host, str(port), parts.path.rstrip("/"), parts.query)


@dataclass(frozen=True)
class Limits:
    """What one page session may do: sizes of what a person types or pastes, and on a hosted
    studio how many runs and model requests a session may start. Each is `SMOL_MAX_<NAME>`
    (e.g. SMOL_MAX_PLAN_CHARS); 0 for a per-session count means no limit. The number of files
    per run is Settings.max_files (SMOL_MAX_FILES), the same for the table and the model."""

    plan_chars: int = 100_000
    file_chars: int = 400_000
    instruction_chars: int = 2_000
    runs_per_session: int = 0
    requests_per_session: int = 0

    @classmethod
    def from_env(cls, env: Mapping[str, str], hosted: bool) -> Limits:
        values: dict[str, int] = (
            {"runs_per_session": 20, "requests_per_session": 400} if hosted else {}
        )
        for f in fields(cls):
            raw = (env.get(f"SMOL_MAX_{f.name.upper()}") or "").strip()
            if raw:
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise ValueError(f"SMOL_MAX_{f.name.upper()} must be a number") from exc
        return cls(**values)
