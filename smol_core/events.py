"""What the pipeline reports while it runs: plain dataclasses, one per kind of progress.

The page, the CLI and the tests all watch these same events. A consumer that shows streamed text
must drop a file's partial text when it sees `Retry` for that file: the attempt starts over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from .paths import Rejected
from .records import Example, ExampleResult, FileSpec, Finding
from .usage import TokenUsage


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"


@dataclass(frozen=True)
class PlanDelta(Event):
    kind: ClassVar[str] = "plan_delta"
    text: str


@dataclass(frozen=True)
class PlanDone(Event):
    kind: ClassVar[str] = "plan_done"
    plan: str
    truncated: bool = False


@dataclass(frozen=True)
class FileListDone(Event):
    kind: ClassVar[str] = "file_list_done"
    files: tuple[FileSpec, ...]
    rejected: tuple[Rejected, ...]
    mode: str  # how the list was obtained: json_schema | tool | text


@dataclass(frozen=True)
class FileStarted(Event):
    kind: ClassVar[str] = "file_started"
    path: str


@dataclass(frozen=True)
class FileDelta(Event):
    kind: ClassVar[str] = "file_delta"
    path: str
    text: str


@dataclass(frozen=True)
class FileDone(Event):
    kind: ClassVar[str] = "file_done"
    path: str
    content: str
    truncated: bool = False  # still cut off after the allowed continuations
    usage: TokenUsage = field(default_factory=TokenUsage)
    fixed: tuple[str, ...] = ()  # set when the file was fixed without the model: what changed
    looped: bool = False  # the model started repeating itself; its reply was stopped there


@dataclass(frozen=True)
class FileFailed(Event):
    kind: ClassVar[str] = "file_failed"
    path: str
    error: str


@dataclass(frozen=True)
class Retry(Event):
    kind: ClassVar[str] = "retry"
    step: str  # plan | file_list | code
    path: str | None
    attempt: int  # the attempt about to start (2 = first retry)
    wait: float
    reason: str


@dataclass(frozen=True)
class Continued(Event):
    """A reply hit the output limit and is being continued by a follow-up request."""

    kind: ClassVar[str] = "continued"
    step: str
    path: str | None
    count: int


@dataclass(frozen=True)
class UsageReport(Event):
    kind: ClassVar[str] = "usage"
    step: str
    path: str | None
    usage: TokenUsage


@dataclass(frozen=True)
class ChecksDone(Event):
    """Findings of the automatic checks, per checked file (after a repair round: round > 0)."""

    kind: ClassVar[str] = "checks_done"
    findings: Mapping[str, Sequence[Finding]]  # every checked file is a key
    notes: tuple[str, ...] = ()  # what could not be checked here
    round: int = 0


@dataclass(frozen=True)
class RunDone(Event):
    kind: ClassVar[str] = "run_done"
    done: tuple[str, ...]  # paths written
    failed: tuple[tuple[str, str], ...]  # (path, error) pairs
    usage: TokenUsage
    seconds: float


@dataclass(frozen=True)
class ExamplesReady(Event):
    """The checks the project's code will be run against (the spec's examples, then smoke
    checks and the project's own tests). `note` says why they will not run, if they won't."""

    kind: ClassVar[str] = "examples_ready"
    examples: tuple[Example, ...]
    note: str = ""


@dataclass(frozen=True)
class ExampleStarted(Event):
    kind: ClassVar[str] = "example_started"
    index: int
    name: str
    round: int = 0  # 0: the first run; n: after the n-th round of repairs


@dataclass(frozen=True)
class ExampleDone(Event):
    kind: ClassVar[str] = "example_done"
    index: int
    result: ExampleResult
    round: int = 0


@dataclass(frozen=True)
class Healing(Event):
    """A round of repairs from what running showed: which files, and why, in words."""

    kind: ClassVar[str] = "healing"
    round: int
    paths: tuple[str, ...]
    reasons: tuple[str, ...]  # one line per failing example


@dataclass(frozen=True)
class Idle(Event):
    """Nothing happened for a while (only from `events_of(..., idle=...)`, never emitted by a
    step): a page redraws its clock on it, which is also where a click on Stop is noticed."""

    kind: ClassVar[str] = "idle"
    seconds: float  # since the job started


# Every step reports through one of these; the page, the CLI and the tests pass their own.
Emit = Callable[[Event], None]


def no_emit(_event: Event) -> None:
    """The emitter of a caller that watches nothing."""


@dataclass(frozen=True)
class ChangePlanned(Event):
    """What a change request will do: (path, action, what) with action change | add | delete."""

    kind: ClassVar[str] = "change_planned"
    request: str
    changes: tuple[tuple[str, str, str], ...]
    rejected: tuple[Rejected, ...]
    mode: str  # how the decision was obtained: json_schema | tool | text


@dataclass(frozen=True)
class FileEdited(Event):
    """One file of a change is ready (not yet applied): how it was written, in a word."""

    kind: ClassVar[str] = "file_edited"
    path: str
    method: str  # blocks | blocks-retried | functions | unchanged | whole | whole-fallback | new


@dataclass(frozen=True)
class FilesDeleted(Event):
    kind: ClassVar[str] = "files_deleted"
    paths: tuple[str, ...]


@dataclass(frozen=True)
class ChangeDone(Event):
    """A change request ended. `applied` False: the project was left exactly as it was."""

    kind: ClassVar[str] = "change_done"
    applied: bool
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (path, error)
    reason: str = ""
