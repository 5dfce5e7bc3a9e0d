"""Watching and stopping what runs (issue 13): the sandbox hands its output over as it comes,
a Stop kills the command's process group and keeps what it printed, a round of examples that
is cancelled starts no other example, and a silent job still lets its consumer look up.

Generated code runs only through the Sandbox: skipped, with the reason, where the OS gives no
isolation (as in test_running.py).
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from smol_core.events import ExampleDone, ExampleStarted, Idle, PlanDelta
from smol_core.project import Project
from smol_core.records import Command, Example, FileSpec
from smol_core.running.sandbox import STOPPED, Limits, Sandbox, isolation
from smol_core.runs import events_of
from smol_core.settings import Settings
from smol_core.steps.heal import run_round
from smol_core.studio.filetable import purposes_kept, readable, table_rows
from smol_core.studio.workspace import LiveRun, run_outcome

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)
# Prints, then sleeps: what came first must be seen while it sleeps.
SLOW = "import sys, time\nprint('first line')\ntime.sleep(float(sys.argv[1]))\nprint('second')\n"


@isolated
def test_the_output_is_handed_over_as_it_comes_not_at_the_end():
    chunks: list[tuple[float, str]] = []
    with Sandbox({"slow.py": SLOW}, Limits(seconds=10)) as box:
        started = time.monotonic()
        result = box.run(
            ["python", "slow.py", "1.5"],
            on_output=lambda text: chunks.append((time.monotonic() - started, text)),
        )
    assert result.ok and result.stdout == "first line\nsecond\n"
    assert "".join(t for _, t in chunks) == result.stdout
    first_at = next(at for at, text in chunks if "first line" in text)
    assert first_at < result.seconds - 1.0, (first_at, result.seconds)  # before the sleep ended
    print(
        f"\n[live] first line seen after {first_at:.2f} s; the program ended after "
        f"{result.seconds:.2f} s"
    )


@isolated
def test_a_stop_kills_the_command_and_keeps_what_it_printed():
    cancel = threading.Event()
    seen = threading.Event()
    done: list = []
    box = Sandbox({"slow.py": SLOW}, Limits(seconds=30), cancel=cancel)
    worker = threading.Thread(
        target=lambda: done.append(
            box.run(["python", "slow.py", "25"], on_output=lambda _t: seen.set())
        )
    )
    worker.start()
    try:
        assert seen.wait(10), "no output while it ran"
        assert not done  # it still runs
        stop = time.monotonic()
        cancel.set()
        worker.join(10)
        took = time.monotonic() - stop
    finally:
        box.close()
    [result] = done
    assert result.stopped and not result.ok and result.exit_code is None
    assert result.reason == STOPPED and result.stdout == "first line\n"
    assert took < 3, took
    assert run_outcome(result).startswith("The program was stopped before it ended (")
    with Sandbox({"slow.py": SLOW}, cancel=cancel) as again:  # stopped: nothing else starts
        assert again.run(["python", "slow.py", "0"]).stopped
    print(f"\n[live] Stop → the program's process group killed in {took:.2f} s")


@isolated
def test_the_run_tabs_live_run_shows_output_so_far_and_stop_keeps_it():
    project = Project(spec="s", files=[FileSpec("slow.py")])
    project.contents = {"slow.py": SLOW}
    live = LiveRun(project, "python slow.py 25", Settings())
    deadline = time.monotonic() + 10
    while "first line" not in live.output() and time.monotonic() < deadline:
        assert not live.wait(0.05)
    assert live.output() == "first line\n" and live.result is None  # shown while it runs
    result = live.stop()
    assert result is not None and result.stopped and result.stdout == "first line\n"
    assert live.wait(0) and live.seconds < 15


@isolated
def test_a_cancelled_round_of_examples_kills_the_one_running_and_starts_no_other():
    """Stop during "Run examples" / "Fix failing": without it the worker thread went on
    through every example (up to 20 s each) before the page could move."""
    project = Project(spec="s", files=[FileSpec("slow.py")])
    project.contents = {"slow.py": SLOW}
    project.examples = [
        Example(f"slow {i}", "command", (Command(("python", "slow.py", "15")),)) for i in range(3)
    ]
    events: list = []

    async def main() -> None:
        started = asyncio.Event()

        def emit(event) -> None:
            events.append(event)
            if isinstance(event, ExampleStarted):
                started.set()

        task = asyncio.ensure_future(run_round(project, Settings(), emit, 0))
        await started.wait()
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    begun = time.monotonic()
    asyncio.run(main())  # returns once the worker thread has ended too
    took = time.monotonic() - begun
    assert [e.index for e in events if isinstance(e, ExampleStarted)] == [0]
    assert took < 10, took
    stopped = [e.result for e in events if isinstance(e, ExampleDone)]
    assert all(r.status == "not_run" and STOPPED in r.reason for r in stopped), stopped
    print(f"\n[live] a round of 3 examples of 15 s each, stopped in its first: {took:.2f} s")


def test_a_silent_job_yields_idle_events_and_loses_nothing():
    async def job(emit) -> str:
        await asyncio.sleep(0.35)
        emit(PlanDelta("a"))
        emit(PlanDelta("b"))
        return "done"

    async def watch() -> list:
        return [e async for e in events_of(job, idle=0.1)]

    seen = asyncio.run(watch())
    idle = [e for e in seen if isinstance(e, Idle)]
    assert len(idle) >= 2 and idle[0].seconds >= 0.1
    assert [e.text for e in seen if isinstance(e, PlanDelta)] == ["a", "b"]
    assert not isinstance(seen[-1], Idle)  # the events came after the idle ones

    async def quiet() -> list:
        return [e async for e in events_of(job)]

    assert not [e for e in asyncio.run(quiet()) if isinstance(e, Idle)]  # only when asked


def test_the_file_tables_purposes_read_as_words_and_keep_their_marks_for_the_model():
    """Issue 13, problem 8: the Purpose column showed raw backticks."""
    files = [
        FileSpec("main.py", "entry point: imports `greet` from `util.py`"),
        FileSpec("util.py", "builds the greeting"),
    ]
    rows = table_rows(files)
    assert rows[0]["purpose"] == "entry point: imports greet from util.py"
    assert readable("`a` and ``b``") == "a and b"
    shown = [FileSpec(r["path"], r["purpose"]) for r in rows]
    assert purposes_kept(shown, files) == files  # left alone: as the model wrote it
    changed = [shown[0], FileSpec("util.py", "builds `the` greeting, in French")]
    assert purposes_kept(changed, files)[1].purpose == "builds `the` greeting, in French"
    assert table_rows([]) == [{"path": "", "purpose": ""}]
