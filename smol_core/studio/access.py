"""Whose API key a request may use, so a public deployment can't spend its owner's money.

The rule (also in the README):
- a key the visitor types is always theirs to use;
- a key in the *environment only* belongs to whoever started the studio (local use): it is used;
- a key in Streamlit *secrets* is the owner's on a deployment: visitors may use it only if the
  owner set `SMOL_ACCESS_CODE` and the visitor enters it, or the owner set
  `SMOL_SHARE_OWNER_KEY = true` on purpose. Otherwise visitors bring their own key.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

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
    code = str(secrets.get("SMOL_ACCESS_CODE") or env.get("SMOL_ACCESS_CODE") or "") or None
    share = str(secrets.get("SMOL_SHARE_OWNER_KEY") or env.get("SMOL_SHARE_OWNER_KEY") or "")
    if secret_key:
        return KeyPolicy(owner_key=secret_key, locked=not env_flag(share), access_code=code)
    env_key = next((env[k] for k in KEY_NAMES if env.get(k)), None)
    if env_key:
        # Set in the shell of whoever started the studio; still lockable with a code.
        return KeyPolicy(owner_key=env_key, locked=bool(code), access_code=code)
    return KeyPolicy()


def choose_key(policy: KeyPolicy, visitor_key: str | None, visitor_code: str | None) -> KeyChoice:
    if visitor_key and visitor_key.strip():
        return KeyChoice(visitor_key.strip(), "visitor")
    if not policy.has_owner_key:
        return KeyChoice(None, "none", "Enter an API key for this endpoint.")
    if not policy.locked:
        return KeyChoice(policy.owner_key, "owner")
    if policy.access_code:
        if visitor_code and hmac.compare_digest(visitor_code.strip(), policy.access_code):
            return KeyChoice(policy.owner_key, "owner")
        if visitor_code:
            return KeyChoice(None, "none", "That access code is not right.")
        return KeyChoice(None, "none", "Enter the access code, or your own API key.")
    return KeyChoice(
        None, "none", "This deployment does not share its key: enter your own API key."
    )
