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
import ipaddress
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
# The one sentence a refused request gets (nothing else of the page is rendered).
ONLY_THIS_MACHINE = (
    "This studio serves only the computer it runs on (its owner can open it to others with "
    'SMOL_HOSTED = "true" in its secrets).'
)
ONLY_ITS_NAMES = "This studio answers only at its own address, such as http://localhost:8501."


def hosted_by_owner(secrets: Mapping[str, object], env: Mapping[str, str]) -> bool:
    """The owner said this studio serves others (Community Cloud, a server): SMOL_HOSTED in
    secrets or in the environment of whoever started it. Never read off a request: a header
    can say anything, and a studio on a person's machine must stay theirs."""
    return env_flag(str(secrets.get("SMOL_HOSTED") or env.get("SMOL_HOSTED") or ""))


def refusal(
    host: str | None, client_ip: str | None, hosted: bool, allowed: str | None = None
) -> str:
    """ "" if the page may answer this connection, else the one sentence it shows instead.

    `host` is the connection's Host header, `client_ip` its TCP peer as st.context gives it
    (None for loopback, or with no connection at all, as in AppTest). A studio that is not
    hosted answers only this machine (a peer on loopback) and only under a loopback name: a
    web page whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name. The
    server listens on every address (Community Cloud's proxy must reach it with the same
    config), so this is where everyone else is turned away. SMOL_ALLOWED_HOSTS (names,
    `*.example.com` for subdomains) sets the names explicitly, hosted or not.
    """
    if not hosted and not _is_loopback_ip(client_ip):
        return ONLY_THIS_MACHINE
    names = {n.strip().lower().strip("[]").rstrip(".") for n in (allowed or "").split(",")}
    names.discard("")
    if host is None or (hosted and not names):  # AppTest; a deployment behind its proxy
        return ""
    name = _hostname(host)
    if name is not None and _name_in(name, names or LOOPBACK_NAMES):
        return ""
    return ONLY_ITS_NAMES


def _name_in(name: str, names: frozenset[str] | set[str]) -> bool:
    return any(name == n or (n.startswith("*.") and name.endswith(n[1:])) for n in names)


def _is_loopback_ip(client_ip: str | None) -> bool:
    if client_ip is None:
        return True
    try:
        ip = ipaddress.ip_address(client_ip.strip().strip("[]").split("%")[0])
    except ValueError:
        return False
    # A server listening on "::" sees an IPv4 peer as ::ffff:127.0.0.1.
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def _hostname(host: str) -> str | None:
    try:
        parts = urlsplit("//" + host.strip())
        _ = parts.port  # a port that is not a number
    except ValueError:
        return None
    if parts.username is not None or parts.path or parts.query or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".")
