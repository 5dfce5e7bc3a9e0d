"""Spotting a reply that has fallen into a loop, while it streams.

Small models at temperature 0 sometimes repeat one line, or a few lines with a counter ticking
("| 20 | ...", "| 21 | ..."), until the token limit, and then a continuation asks for more of
the same. Seen in the quality bench: a 140-token README grew to 1,800 tokens and three minutes
of the 1.5B model. Stopping at the loop saves that time and keeps the file readable.

The test is deliberately strict, so that real code is never cut: a block of 1–4 lines must
repeat exactly 12 times in a row at the end of the reply, or 40 times when only its digits
differ (a numbered list of 20 similar entries is real). Structured replies (the file list)
are not watched. A single line with no newline that keeps repeating a short unit is caught too.
Prose that never says a line twice (a plan: one line per file) is stopped at the first line it
repeats: the 1.5B model was seen writing a plan's three lines four times over, to its cap.
"""

from __future__ import annotations

import re

MAX_PERIOD = 4  # lines in the repeating block
EXACT_REPEATS = 12  # a 9-row grid of zeros is real code; twelve identical lines is not
SHAPE_REPEATS = 40  # same lines once digits are ignored (a counter ticking)
# Same lines once names are ignored too: `const document.a = document.a;` 238 times over, seen
# from the 1.5B model. Data rows (a line starting with a quote, bracket, digit or `|`) are real
# tables and never count.
NAMES_REPEATS = 40
DISTINCT_MIN = 8  # shorter lines ("---", "- none") may come twice in real prose
LONG_LINE = 600  # characters before a line without newline is examined
UNIT_MAX = 60
UNIT_REPEATS = 10

_DIGITS = re.compile(r"\d+")
_NAMES = re.compile(r"[A-Za-z_$][\w$]*")
_DATA_ROW = re.compile(r"""\s*(?:["'`\[\]{}()|#<>]|-?\d)""")


def _shape(line: str) -> str:
    return _DIGITS.sub("#", line.strip())


def _names_shape(line: str) -> str:
    if _DATA_ROW.match(line) or not line.strip():
        return "\0" + line  # never alike: data rows and blank lines don't count
    return _NAMES.sub("a", _shape(line))


def _repeats(lines: list[str], period: int) -> int:
    """How many times the last `period` lines repeat back to back at the end of `lines`."""
    block = lines[-period:]
    count, end = 1, len(lines) - period
    while end - period >= 0 and lines[end - period : end] == block:
        count += 1
        end -= period
    return count


def _unit_loop(line: str) -> bool:
    tail = line[-UNIT_MAX * UNIT_REPEATS :]
    for size in range(1, UNIT_MAX + 1):
        unit = tail[-size:]
        if unit.strip() and tail.endswith(unit * UNIT_REPEATS) and len(unit * UNIT_REPEATS) >= 40:
            return True
    return False


class LoopGuard:
    """Fed the text deltas of one reply; says when it is looping and what to keep."""

    def __init__(self, distinct_lines: bool = False) -> None:
        self._distinct = distinct_lines
        self._seen: set[str] = set()
        self._lines: list[str] = []
        self._shapes: list[str] = []
        self._names: list[str] = []
        self._partial = ""
        self.keep_lines: int | None = None  # set once a loop is found
        self.kind = ""  # exact | shape | names: what kind of loop it was

    @property
    def looped(self) -> bool:
        return self.keep_lines is not None

    def feed(self, delta: str) -> bool:
        """Take one delta; True once the reply is looping (then stop reading it)."""
        if self.looped:
            return True
        *done, self._partial = (self._partial + delta).split("\n")
        for line in done:
            self._lines.append(line)
            self._shapes.append(_shape(line))
            self._names.append(_names_shape(line))
            if self._check():
                return True
        if len(self._partial) >= LONG_LINE and _unit_loop(self._partial):
            self.keep_lines = len(self._lines)  # drop the runaway line itself
            self.kind = "exact"
            return True
        return False

    def _check(self) -> bool:
        lines = self._lines
        if self._distinct:
            said = lines[-1].strip()
            if len(said) >= DISTINCT_MIN and said in self._seen:
                self.keep_lines, self.kind = len(lines) - 1, "exact"
                return True
            self._seen.add(said)
        for period in range(1, MAX_PERIOD + 1):
            if len(lines) < period * EXACT_REPEATS:
                break
            if not "".join(lines[-period:]).strip():
                continue  # blank lines: leave them to the token limit
            for kind, seq, needed in (
                ("exact", lines, EXACT_REPEATS),
                ("shape", self._shapes, SHAPE_REPEATS),
                ("names", self._names, NAMES_REPEATS),
            ):
                count = _repeats(seq, period)
                if count >= needed:
                    # Keep what came before the loop and one copy of the repeated block.
                    self.keep_lines = len(lines) - count * period + period
                    self.kind = kind
                    return True
        return False

    def trimmed(self, text: str) -> str:
        """`text` (the whole reply so far) without the loop; unchanged if there was none."""
        if self.keep_lines is None:
            return text
        kept = text.split("\n")[: self.keep_lines]
        return "\n".join(kept) + "\n" if kept else ""
