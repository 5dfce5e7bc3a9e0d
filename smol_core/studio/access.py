"""Whose API key a request may use, so a public deployment can't spend its owner's money.

The rule (also in the README):
- a key the visitor types is always theirs to use;
- a key in the *environment only* belongs to whoever started the studio (local use): it is used;
- a key in Streamlit *secrets* is the owner's on a deployment: visitors may use it only if the
  owner set `SMOL_ACCESS_CODE` and the visitor enters it, or the owner set
  `SMOL_SHARE_OWNER_KEY = true` on purpose. Otherwise visitors bring their own key.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..settings import env_flag

KEY_NAMES = ("SMOL_API_KEY", "OPENAI_API_KEY")


@dataclass(frozen=True)
class KeyPolicy:
    owner_key: str | None = field(default=None, repr=False)
    locked: bool = True  # the owner's key needs a code (or is not shared at all)
    access_code: str | None = field(default=None, repr=False)

    @property
    def has_owner_key(self) -> bool:
        return bool(self.owner_key)


@dataclass(frozen=True)
class KeyChoice:
    api_key: str | None = field(repr=False)
    source: str  # "visitor" | "owner" | "none"
    message: str = ""


def policy_from(secrets: Mapping[str, object], env: Mapping[str, str]) -> KeyPolicy:
    """Read the owner's key and the sharing rule from secrets and the environment."""
    secret_key = next((str(secrets[k]) for k in KEY_NAMES if secrets.get(k)), None)
    # Stripped here as the visitor's input is: a code pasted with a trailing space still works.
    code = str(secrets.get("SMOL_ACCESS_CODE") or env.get("SMOL_ACCESS_CODE") or "").strip() or None
    share = str(secrets.get("SMOL_SHARE_OWNER_KEY") or env.get("SMOL_SHARE_OWNER_KEY") or "")
    if secret_key:
        return KeyPolicy(owner_key=secret_key, locked=not env_flag(share), access_code=code)
    env_key = next((env[k] for k in KEY_NAMES if env.get(k)), None)
    if env_key:
        # Set in the shell of whoever started the studio; still lockable with a code.
        return KeyPolicy(owner_key=env_key, locked=bool(code), access_code=code)
    return KeyPolicy()


def code_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of two codes as UTF-8 bytes, both stripped (any text works:
    compare_digest refuses non-ASCII str)."""
    return hmac.compare_digest(given.strip().encode("utf-8"), expected.strip().encode("utf-8"))


def choose_key(
    policy: KeyPolicy,
    visitor_key: str | None,
    visitor_code: str | None,
    gate: CodeGate | None = None,
) -> KeyChoice:
    """Whose key a request may use; `gate` limits how often a wrong access code may be tried."""
    if visitor_key and visitor_key.strip():
        return KeyChoice(visitor_key.strip(), "visitor")
    if not policy.has_owner_key:
        return KeyChoice(None, "none", "Enter an API key for this endpoint.")
    if not policy.locked:
        return KeyChoice(policy.owner_key, "owner")
    if policy.access_code:
        code = (visitor_code or "").strip()
        if not code:
            return KeyChoice(None, "none", "Enter the access code, or your own API key.")
        verdict = (gate or CodeGate()).check(code, policy.access_code)
        if verdict is True:
            return KeyChoice(policy.owner_key, "owner")
        return KeyChoice(None, "none", verdict or "That access code is not right.")
    return KeyChoice(
        None, "none", "This deployment does not share its key: enter your own API key."
    )


FREE_TRIES = 3  # wrong codes a session may try before it has to wait
FIRST_WAIT = 2.0  # seconds after the first wrong code past the free ones; doubles each time
LONGEST_WAIT = 600.0
PROCESS_TRIES = 30  # wrong codes from all sessions together, per PROCESS_WINDOW
PROCESS_WINDOW = 600.0


class ProcessGate:
    """Wrong access codes from every session of this server process: a visitor who opens new
    tabs (new sessions) still can't try more than PROCESS_TRIES codes per PROCESS_WINDOW."""

    def __init__(self, tries: int = PROCESS_TRIES, window: float = PROCESS_WINDOW) -> None:
        self.tries, self.window = tries, window
        self._failures: list[float] = []
        self._lock = threading.Lock()

    def blocked_for(self, now: float) -> float:
        with self._lock:
            self._failures = [t for t in self._failures if now - t < self.window]
            if len(self._failures) < self.tries:
                return 0.0
            return self.window - (now - self._failures[0])

    def failed(self, now: float) -> None:
        with self._lock:
            self._failures.append(now)


PROCESS_GATE = ProcessGate()


@dataclass
class CodeGate:
    """One session's tries of the access code: FREE_TRIES wrong ones, then a wait that doubles
    with each further wrong one. The page asks on every rerun, so a code already judged is not
    counted again (only a new code typed is a new try)."""

    process: ProcessGate = field(default_factory=lambda: PROCESS_GATE)
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    wait_until: float = 0.0
    _last: tuple[bytes, bool] | None = field(default=None, repr=False)

    def check(self, code: str, expected: str) -> bool | str:
        """True if right; else the message to show (wrong, or wait N seconds)."""
        digest = hashlib.sha256(code.strip().encode("utf-8")).digest()  # not the code itself
        if self._last is not None and hmac.compare_digest(self._last[0], digest):
            return True if self._last[1] else "That access code is not right."
        now = self.clock()
        wait = max(self.wait_until - now, self.process.blocked_for(now))
        if wait > 0:
            return f"Too many wrong access codes: try again in {int(wait) + 1} s."
        right = code_matches(code, expected)
        self._last = (digest, right)
        if right:
            self.failures, self.wait_until = 0, 0.0
            return True
        self.failures += 1
        self.process.failed(now)
        if self.failures >= FREE_TRIES:
            extra = self.failures - FREE_TRIES
            self.wait_until = now + min(LONGEST_WAIT, FIRST_WAIT * 2**extra)
        return "That access code is not right."


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(host: str | None, address: str | None, allowed: str | None = None) -> bool:
    """Whether the page answers a connection whose `Host` header is `host`.

    A studio listening on loopback only (`server.address`, set in .streamlit/config.toml)
    answers only to loopback names: a web page whose name was re-pointed at 127.0.0.1 (DNS
    rebinding) sends its own name and is refused. SMOL_ALLOWED_HOSTS (comma-separated names)
    sets the list explicitly; otherwise a studio listening elsewhere (a deployment behind its
    proxy) answers any name.
    """
    names = {n.strip().lower().strip("[]") for n in (allowed or "").split(",") if n.strip()}
    if not names and not _is_loopback(address):
        return True
    if host is None:  # no connection at all (AppTest runs the script in-process)
        return True
    name = _hostname(host)
    return name is not None and name in (names or LOOPBACK_NAMES | {str(address).lower()})


def _is_loopback(address: str | None) -> bool:
    name = (address or "").strip().lower().strip("[]")
    return name in LOOPBACK_NAMES or name.startswith("127.")


def _hostname(host: str) -> str | None:
    try:
        parts = urlsplit("//" + host.strip())
        _ = parts.port  # a port that is not a number
    except ValueError:
        return None
    if parts.username is not None or parts.path or parts.query or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".")
