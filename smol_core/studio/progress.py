"""How long is left, from how far along a step is and how long it has taken: a rough figure
in words, only once there is enough to go on. And a meter of the files being written: tokens
written, tokens a second, and the time left for the file and for those waiting, so progress
tells the truth on slow hardware (the built-in model writes ~10 tokens a second on 2 cores)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..events import Event, FileDelta, FileDone, FileFailed, FileStarted

# What a file of each kind usually takes, in tokens, before any file of the run is done; then
# the run's own mean replaces it. Servers stream about one token per chunk (llama.cpp: one).
_TYPICAL_TOKENS = {
    ".md": 250,
    ".txt": 120,
    ".json": 120,
    ".css": 300,
    ".html": 350,
    ".js": 450,
    ".py": 450,
}
_DEFAULT_TOKENS = 350


def time_left(done: float, total: float, elapsed: float) -> str:
    """ "about 40 s left" / "about 3 min left"; "" while nothing is done yet or it is over."""
    if total <= 0 or done <= 0 or done >= total or elapsed < 1:
        return ""
    return seconds_words(elapsed * (total - done) / done)


def seconds_words(left: float) -> str:
    """A time left, rounded the way a person says it."""
    if left < 5:
        return "a few seconds left"
    if left < 90:
        return f"about {round(left / 5) * 5:.0f} s left"
    return f"about {round(left / 60):.0f} min left"


@dataclass(frozen=True)
class Reading:
    """The meter for one file, as the page and the CLI show it."""

    path: str
    tokens: int  # written so far in this request
    tokens_per_second: float  # over the whole run so far (0: not known yet)
    file_seconds_left: float | None  # None: not known yet
    waiting: int  # files not started yet
    all_seconds_left: float | None  # this file and the waiting ones, one after another

    def words(self) -> str:
        """ "`app.py`: 120 tokens, 9.8 tokens/s, about 25 s left (3 files after it: about 2 min)" """
        text = f"{self.path}: {self.tokens} tokens"
        if self.tokens_per_second:
            text += f", {self.tokens_per_second:.1f} tokens/s"
        if self.file_seconds_left is not None:
            text += f", {seconds_words(self.file_seconds_left)}"
        if self.waiting and self.all_seconds_left is not None:
            whole = seconds_words(self.all_seconds_left).removesuffix(" left")
            text += f" ({self.waiting} more file(s) after it: {whole} in all)"
        return text


@dataclass
class WriteMeter:
    """Watches the file events of a run. `meter(event)` returns a Reading for file events.

    Speed is measured over the time tokens were flowing (from a file's first token to its
    last), so the wait before the first token (prefill) does not count as slow writing. The
    expected size of a file is its current size for a rewrite, else the mean of the files
    done in this run, else a typical size for its kind; never less than what it has written.
    """

    paths: list[str]
    current: dict[str, str] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic
    _tokens: dict[str, int] = field(default_factory=dict)
    _first: dict[str, float] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _done: dict[str, int] = field(default_factory=dict)
    _flowing: float = 0.0  # seconds of finished requests' token flow
    _flowed: int = 0  # tokens of finished requests

    def expected(self, path: str) -> int:
        if path in self.current:
            return max(1, round(len(self.current[path]) / 3.5))
        if self._done:
            return round(sum(self._done.values()) / len(self._done))
        return _TYPICAL_TOKENS.get(PurePosixPath(path).suffix.lower(), _DEFAULT_TOKENS)

    def rate(self, path: str | None = None) -> float:
        seconds, tokens = self._flowing, self._flowed
        if path in self._first and self._tokens.get(path, 0) > 1:
            seconds += self._last[path] - self._first[path]
            tokens += self._tokens[path] - 1
        return tokens / seconds if seconds >= 0.5 and tokens >= 5 else 0.0

    def __call__(self, event: Event) -> Reading | None:
        path = getattr(event, "path", None)
        if path is None:
            return None
        now = self.clock()
        if isinstance(event, FileStarted):
            self._tokens[path] = 0
            self._first.pop(path, None)
        elif isinstance(event, FileDelta):
            self._tokens[path] = self._tokens.get(path, 0) + 1
            self._first.setdefault(path, now)
            self._last[path] = now
        elif isinstance(event, (FileDone, FileFailed)):
            if path in self._first and self._tokens.get(path, 0) > 1:
                self._flowing += self._last[path] - self._first[path]
                self._flowed += self._tokens[path] - 1
            if isinstance(event, FileDone) and path not in self.current and path not in self._done:
                # A rewrite (a repair, a change) may be one function: not a file's size.
                self._done[path] = self._tokens.get(path, 0) or round(len(event.content) / 3.5)
            self._first.pop(path, None)
        else:
            return None
        return self.reading(path)

    def reading(self, path: str) -> Reading:
        written = self._tokens.get(path, 0)
        speed = self.rate(path)
        ahead = [p for p in self.paths if p not in self._tokens and p not in self._done]
        file_left: float | None = None
        all_left: float | None = None
        if speed:
            remaining = max(self.expected(path) - written, 0)
            file_left = remaining / speed
            all_left = (remaining + sum(self.expected(p) for p in ahead)) / speed
        return Reading(path, written, speed, file_left, len(ahead), all_left)
