"""Token counts and their estimated cost, from a small editable price table (prices.json)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PRICES_FILE = Path(__file__).with_name("prices.json")


@dataclass(frozen=True)
class TokenUsage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # part of prompt_tokens the endpoint served from its prefix cache
    requests: int = 0

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_tokens + other.cached_tokens,
            self.requests + other.requests,
        )

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_api(cls, usage: Any) -> TokenUsage:
        """From the `usage` object of a chat completion (any OpenAI-compatible shape)."""
        if usage is None:
            return cls(requests=1)
        details = getattr(usage, "prompt_tokens_details", None)
        cached = getattr(details, "cached_tokens", None) if details is not None else None
        return cls(
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            cached_tokens=int(cached or 0),
            requests=1,
        )


@lru_cache(maxsize=4)
def _price_table(path: str) -> dict[str, dict[str, float]]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["models"]


def price_for(model: str, path: Path = PRICES_FILE) -> dict[str, float] | None:
    """USD per million tokens for a model; the longest matching name prefix wins.

    Prefix matching lets dated snapshots (`gpt-4.1-mini-2025-04-14`) and provider prefixes
    (`openai/gpt-4.1-mini` on OpenRouter) find their base model.
    """
    table = _price_table(str(path))
    name = model.split("/", 1)[-1].lower()
    best = max((k for k in table if name.startswith(k)), key=len, default=None)
    return table[best] if best else None


def estimate_cost(usage: TokenUsage, model: str, path: Path = PRICES_FILE) -> float | None:
    """Estimated USD for the usage, or None when the model's price is unknown."""
    price = price_for(model, path)
    if price is None:
        return None
    cached = min(usage.cached_tokens, usage.prompt_tokens)
    fresh = usage.prompt_tokens - cached
    return (
        fresh * price["input"]
        + cached * price.get("cached_input", price["input"])
        + usage.completion_tokens * price["output"]
    ) / 1_000_000
