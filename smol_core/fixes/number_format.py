"""A number shown with more decimals than its example asks for is shown with that many, without
the model.

Asked for `212`, the built-in model's page showed `212.00` from `fahrenheit.toFixed(2)`, and three
rounds of heal left it so (the rewrite came back the same, or worse). The output says what
differs: the same number, another count of decimals. Where exactly one `.toFixed(n)` (JavaScript)
or `:.nf` (a Python format) of the file gives that many decimals, it gives the expected count
instead. The program is run again, and the change is gone back from unless it does better
(heal.run_and_trim), so another example needing the decimals keeps them.
"""

from __future__ import annotations

import re

from .trim_output import Trimmed

_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")
_FORMATS = {  # the expression that fixes a count of decimals, with the count as {n}
    ".js": r"\.toFixed\(\s*{n}\s*\)",
    ".mjs": r"\.toFixed\(\s*{n}\s*\)",
    ".py": r"(?<=[:{{])(?P<head>[<>^=]?[+\- ]?0?\d*,?)\.{n}f(?=[}}'\"])",
}
DECIMALS = "shows as many decimals as its example asks for"


def _decimals(text: str) -> int | None:
    found = _NUMBER.fullmatch(text.strip())
    return None if found is None else len(found.group(1) or "")


def differing_number(expected: str, got: str) -> tuple[str, str] | None:
    """The first line where `got` differs from `expected`, when every line that differs is the
    same number written with other decimals (and the lines are as many); else None."""
    want = [line.strip() for line in expected.strip().splitlines()]
    have = [line.strip() for line in got.strip().splitlines()]
    pairs = [(w, h) for w, h in zip(want, have, strict=False) if w != h]
    if len(want) != len(have) or not pairs:
        return None
    if all(_decimals(w) is not None and _decimals(h) is not None for w, h in pairs):
        return pairs[0]
    return None


def fewer_decimals(path: str, source: str, expected: str, got: str) -> Trimmed | None:
    """`source` with the one format that gave `got` giving `expected`'s decimals, or None when
    the two are not the same number with more decimals in `got`, or no single format did it."""
    ending = "." + path.rsplit(".", 1)[-1].lower()
    want, have = _decimals(expected), _decimals(got)
    if ending not in _FORMATS or want is None or have is None or want >= have:
        return None
    if abs(float(expected) - float(got)) >= 10**-want / 2 + 1e-12:
        return None  # another number, not another way of writing it
    pattern = re.compile(_FORMATS[ending].format(n=have))
    found = list(pattern.finditer(source))
    if len(found) != 1:
        return None  # none, or which one is not known
    m = found[0]
    after = f"{m.group('head')}.{want}f" if ending == ".py" else f".toFixed({want})"
    changed = source[: m.start()] + after + source[m.end() :]
    line = source.count("\n", 0, m.start())
    return Trimmed(
        changed, source.splitlines()[line].strip(), changed.splitlines()[line].strip(), DECIMALS
    )
