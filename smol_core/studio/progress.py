"""How long is left, from how far along a step is and how long it has taken: a rough figure
in words, only once there is enough to go on."""

from __future__ import annotations


def time_left(done: float, total: float, elapsed: float) -> str:
    """ "about 40 s left" / "about 3 min left"; "" while nothing is done yet or it is over."""
    if total <= 0 or done <= 0 or done >= total or elapsed < 1:
        return ""
    left = elapsed * (total - done) / done
    if left < 5:
        return "a few seconds left"
    if left < 90:
        return f"about {round(left / 5) * 5:.0f} s left"
    return f"about {round(left / 60):.0f} min left"
