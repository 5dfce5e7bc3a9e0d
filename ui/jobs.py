"""Running a job on the script thread: its progress dock, Stop, and what it changed."""

from __future__ import annotations

import asyncio
import time

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from smol_core.errors import describe
from smol_core.events import (
    ChecksDone,
    ExampleDone,
    ExampleStarted,
    FileDelta,
    FileDone,
    FileFailed,
    FileStarted,
    Healing,
    Idle,
    Retry,
)
from smol_core.model.client import resolve
from smol_core.project import Project
from smol_core.report import example_line
from smol_core.runs import events_of, generate_checked
from smol_core.settings import Settings
from smol_core.studio.actions import change_made
from smol_core.studio.languages import code_language
from smol_core.studio.nochange import again_if_same, nothing_changed, unchanged
from smol_core.studio.progress import WriteMeter, time_left
from smol_core.studio.session import Studio
from smol_core.studio.versions import JobVersions
from smol_core.studio.workspace import live_code
from ui.session import FAILURES, IDLE_SECONDS, REDRAW_SECONDS, versions


def ready(settings: Settings) -> Settings:
    """Settings with a live endpoint; starting the built-in model shows its progress."""
    if settings.provider != "local":
        return settings
    with st.status("Starting the built-in model…", expanded=True) as box:
        resolved = resolve(settings, progress=box.write)
        box.update(label="Built-in model ready", state="complete", expanded=False)
    return resolved


def run_job(
    studio: Studio, settings: Settings, job, on_event=None, cause=None, idle: float | None = None
) -> bool:
    """Drive a pipeline step on this script thread; the history records every event, and
    each version the job makes (`cause`: what made it, when the page knows better). With
    `idle`, `on_event` also gets an `Idle` event after each `idle` silent seconds: drawing
    something then is what lets a click on Stop end a step that says nothing for long."""
    made = JobVersions(studio, versions(), cause)
    before = dict(studio.project.contents) if studio.project else {}

    async def drive() -> None:
        async for event in events_of(job, record=made.wrap(studio.emitter(settings)), idle=idle):
            if on_event:
                on_event(event)

    try:
        asyncio.run(drive())
        return True
    except FAILURES as exc:
        st.error(describe(exc, settings))
        return False
    finally:
        made.settle()
        note_change(studio, before, cause or made.made_by())


def generate(
    studio: Studio, settings: Settings, paths: list[str], nochange: str = "", **job
) -> None:
    """Write some files, several at once, each streaming into its own box; then check them and
    repair what the checks find (repairs stream into the same boxes). With `nochange` (a job
    of nochange.JOBS), files given back as they were are tried again, then said."""
    project = studio.project
    assert project is not None
    live = ready(settings)
    status, clock = progress_dock("generate")
    bar = status.progress(0.0, text=f"Generating {len(paths)} file(s)…")
    started = time.monotonic()
    grid = st.columns(2)
    slots, texts, drawn = {}, {p: "" for p in paths}, dict[str, float]()
    for i, path in enumerate(paths):
        with grid[i % 2].container(border=True):
            st.markdown(f"**`{path}`**")
            slots[path] = st.empty()
            slots[path].caption("Waiting its turn…")
    finished: set[str] = set()
    meter = WriteMeter(list(paths), current={p: t for p, t in (job.get("current") or {}).items()})

    def show(event) -> None:
        if isinstance(event, Idle):  # a silent step (running examples): the clock moves on
            clock.caption(f"Still working · {event.seconds:.0f} s since it started")
            return
        reading = meter(event)
        if isinstance(event, ExampleStarted):
            after = f" (after repair {event.round})" if event.round > 0 else ""
            bar.progress(1.0, text=f"Running example {event.index + 1}{after}: {event.name}…")
            return
        if isinstance(event, ExampleDone):
            # Said as the report says it: never a bare "pass" for one that checks nothing.
            said = event.result.status
            if event.index < len(project.examples):
                said = example_line(project.examples[event.index], event.result)
            bar.progress(1.0, text=f"Example {event.index + 1}: {said}"[:300])
            return
        if isinstance(event, Healing):
            bar.progress(
                1.0,
                text=f"Repairing {', '.join(event.paths)} from what running "
                f"showed: {event.reasons[0] if event.reasons else ''}"[:300],
            )
            return
        if isinstance(event, ChecksDone):
            found = sum(len(v) for v in event.findings.values())
            step = "Checked" if event.round == 0 else f"Checked after repair {event.round}"
            bar.progress(1.0, text=f"{step}: {found} finding(s)")
            return
        path = getattr(event, "path", None)
        if path not in slots:
            return
        if isinstance(event, FileStarted):
            texts[path] = ""  # a repair writes the file again from the start
            slots[path].caption(
                "Writing it again to repair it…" if path in finished else "Writing…"
            )
            if path in finished:
                bar.progress(1.0, text=f"Repairing {path}: the checks found a problem in it…")
        elif isinstance(event, FileDelta):
            texts[path] += event.text
            if time.monotonic() - drawn.get(path, 0) >= REDRAW_SECONDS:
                shown = live_code(texts[path], path)
                slots[path].code(shown, language=code_language(path), height=220)
                drawn[path] = time.monotonic()
                if reading is not None and path not in finished:  # tokens/s and time left
                    bar.progress(len(finished) / len(paths), text=reading.words())
        elif isinstance(event, Retry):
            texts[path] = ""  # the attempt starts over
            slots[path].caption(f"Retrying ({event.reason}), attempt {event.attempt}…")
        elif isinstance(event, (FileDone, FileFailed)):
            finished.add(path)
            if isinstance(event, FileDone):
                slots[path].code(event.content, language=code_language(path), height=220)
            else:
                slots[path].error(event.error)
            left = time_left(len(finished), len(paths), time.monotonic() - started)
            bar.progress(
                len(finished) / len(paths),
                text=f"{len(finished)}/{len(paths)} files" + (f" · {left}" if left else ""),
            )

    def work(emit):
        def attempt(s: Settings, _second: bool):
            return generate_checked(project, s, emit, paths=paths, **job)

        return again_if_same(project, live, attempt) if nochange else attempt(live, False)

    tried_or_say(
        studio, nochange, paths, lambda: run_job(studio, settings, work, show, idle=IDLE_SECONDS)
    )


def tried_or_say(studio: Studio, job: str, paths: list[str], run) -> None:
    """Run a job (`run`: True when it ended well); a fix or regeneration (`job`) that gave
    back every file as it was is said after the rerun, not left silent."""
    before = dict(studio.project.contents) if studio.project else {}
    if run() and job and studio.project is not None and unchanged(before, studio.project.contents):
        st.session_state.nochange_note = (studio.run_id, nothing_changed(job, paths, 2))


def fix_progress(project: Project, paths: list[str], dock: Dock | None = None):
    """A fix's progress box (`dock`: one the page drew already): the file being rewritten and,
    once it streams, the time left (the meter's estimate, as when generating)."""
    status, clock = dock or progress_dock("generate")
    status.caption("Rewriting " + ", ".join(paths) + " with this error…")
    had = {p: project.contents[p] for p in paths if p in project.contents}
    meter = WriteMeter(list(paths), current=had)
    drawn = [0.0]

    def show(event) -> None:
        reading = meter(event)
        if isinstance(event, FileStarted):
            status.caption(f"Rewriting {event.path} with this error…")
        elif reading is not None and time.monotonic() - drawn[0] >= REDRAW_SECONDS:
            status.caption(f"Rewriting {reading.words()}")
            drawn[0] = time.monotonic()

    return show


Dock = tuple[DeltaGenerator, DeltaGenerator]  # a progress dock's status line and its clock

# What Stop ends, and what is said after: the click itself ends the run (Streamlit stops the
# script at its next redraw); the job is cancelled with it, its requests ended and a program
# it runs killed, and what finished is kept.
STOPS = {
    "generate": (
        "btn_stop",
        "Ends the requests now; the files already written are kept.",
        "Stopped: the requests were ended. The files already written are kept; "
        "press “Generate missing” to go on.",
    ),
    "examples": (
        "btn_stop_examples",
        "Ends the run now; the results already in are kept.",
        "Stopped: the example running (or the repair asked for) was ended and nothing "
        "else was started. The results that came in are kept.",
    ),
    "run": (
        "btn_stop_run",
        "Ends the program now; what it printed is kept.",
        "Stopped: the program was ended. What it printed until then is below.",
    ),
}


def stop_requested(what: str = "generate") -> None:
    """Callback of Stop: the click itself ends the run (its requests with it)."""
    st.session_state.stopped = what


def stopped_notice(what: str = "generate") -> None:
    if st.session_state.get("stopped") == what:
        del st.session_state.stopped
        st.warning(STOPS[what][2])


def progress_dock(what: str) -> Dock:
    """Where a running job shows how far along it is, and its Stop: a box PAGE_CSS keeps in
    the window's corner however far the page is scrolled. Its status line and its clock."""
    dock = st.container(key="progress_dock")
    status, clock = dock.empty(), dock.empty()
    key, help_text, _ = STOPS[what]
    dock.button("Stop", key=key, on_click=stop_requested, args=(what,), help=help_text)
    return status, clock


def note_change(studio: Studio, before: dict[str, str], cause: str | None) -> None:
    """After a job: which files it rewrote, kept for "What changed" (a job that only added
    files leaves the last one said)."""
    change = change_made(studio, before, cause)
    if change is not None:
        st.session_state.last_change = change
