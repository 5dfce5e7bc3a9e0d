"""The command line's progress on stderr: one live line with a bar on a terminal (plain lines
otherwise), and a line for each step, file, repair and example as it happens."""

from __future__ import annotations

import time
from typing import TextIO

from .events import (
    ChangePlanned,
    ChecksDone,
    Continued,
    Event,
    ExampleDone,
    ExamplesReady,
    FileDelta,
    FileDone,
    FileEdited,
    FileFailed,
    FileListDone,
    Healing,
    PlanDelta,
    PlanDone,
    Retry,
)
from .records import Example
from .report import NOT_CHECKED, RAN, mark
from .studio.progress import WriteMeter


class Progress:
    """A one-line progress display on stderr (plain lines when not a terminal)."""

    def __init__(self, out: TextIO, debug: bool):
        self.out = out
        self.debug = debug
        self.total = 0
        self.written: set[str] = set()  # a file repaired is still one file
        self.failed = 0
        self.tty = out.isatty()
        self.meter = WriteMeter([])
        self.shown = 0.0  # when the live line was last drawn
        self.now = ""  # what the model is writing now, beside the bar
        self.examples: tuple[Example, ...] = ()  # the last examples run: what each checks

    def line(self, text: str) -> None:
        if self.tty:
            self.out.write("\r\033[K" + text)
        else:
            self.out.write(text + "\n")
        self.out.flush()

    def say(self, text: str) -> None:
        if self.tty:
            self.out.write("\r\033[K")
        self.out.write(text + "\n")
        self.out.flush()

    def __call__(self, event: Event) -> None:
        reading = self.meter(event)
        if isinstance(event, (PlanDelta, FileDelta)):
            if self.debug:
                self.out.write(event.text)
            elif reading is not None and self.tty and time.monotonic() - self.shown > 0.5:
                self.shown = time.monotonic()
                self.now = reading.words()
                self._bar()
            return
        if isinstance(event, PlanDone):
            self.say(f"plan: {len(event.plan.splitlines())} lines")
        elif isinstance(event, FileListDone):
            self.total = len(event.files)
            self.meter.paths = [f.path for f in event.files]
            self.say(f"files ({event.mode}): " + ", ".join(f.path for f in event.files))
            for r in event.rejected:
                self.say(f"  skipped {r.path!r}: {r.reason}")
        elif isinstance(event, FileDone) and event.fixed:
            self.say(f"  fixed {event.path} without the model: {'; '.join(event.fixed)}")
        elif isinstance(event, FileDone):
            self.written.add(event.path)
            note = " (still truncated)" if event.truncated else ""
            note += " (stopped: the model was repeating itself)" if event.looped else ""
            if reading is not None and reading.tokens:
                speed = (
                    f", {reading.tokens_per_second:.1f} tokens/s"
                    if reading.tokens_per_second
                    else ""
                )
                note += f" ({reading.tokens} tokens{speed})"
            self.now = ""
            self.say(f"  wrote {event.path}{note}")
        elif isinstance(event, FileFailed):
            self.failed += 1
            self.say(f"  FAILED {event.path}: {event.error}")
        elif isinstance(event, Retry):
            where = event.path or event.step
            self.say(
                f"  retry {where} (attempt {event.attempt}, {event.reason}, in {event.wait:.1f}s)"
            )
        elif isinstance(event, ChecksDone):
            found = [f for items in event.findings.values() for f in items]
            when = "checks" if event.round == 0 else f"checks after repair {event.round}"
            self.say(f"{when}: {len(found)} finding(s) in {len(event.findings)} file(s)")
            for f in found:
                self.say(f"  {f}")
            for note in event.notes:
                self.say(f"  note: {note}")
        elif isinstance(event, ChangePlanned):
            what = ", ".join(f"{a} {p}" for p, a, _ in event.changes)
            self.say(f"change ({event.mode}): {what}")
            for r in event.rejected:
                self.say(f"  skipped {r.path!r}: {r.reason}")
        elif isinstance(event, FileEdited):
            self.say(f"  {event.path}: written ({event.method})")
        elif isinstance(event, Continued):
            self.say(f"  continuing {event.path or event.step} (hit the output limit)")
        elif isinstance(event, ExamplesReady) and event.examples:
            self.examples = event.examples
            self.say(
                f"examples: {event.note}"
                if event.note
                else f"running {len(event.examples)} example(s), each over an isolated copy"
            )
        elif isinstance(event, ExampleDone):
            got = event.result
            after = f" (after repair {event.round})" if event.round > 0 else ""
            known = event.index < len(self.examples)
            status, reason = got.status.replace("_", " "), got.reason
            if known and mark(self.examples[event.index], got) == RAN:  # never a bare "pass"
                status, reason = "ran", NOT_CHECKED
            self.say(
                f"  example {event.index + 1}{after}: {status}"
                + (f": {reason}" if reason else "")
                + f"  [{got.name}]"
            )
        elif isinstance(event, Healing):
            self.say(f"repair {event.round} from running: rewriting {', '.join(event.paths)}")
        self._bar()

    def _bar(self) -> None:
        if self.total:
            width = 24
            done = min(len(self.written) + self.failed, self.total)
            filled = int(width * done / self.total)
            now = f" · {self.now}" if self.now and self.tty else ""
            self.line(f"[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} files{now}")
