"""The run console: a command run over a copy of the project, its output as it comes."""

from __future__ import annotations

import streamlit as st

from smol_core.project import Project
from smol_core.settings import Settings
from smol_core.studio.asks import EMPTY, LIVE
from smol_core.studio.session import Studio
from smol_core.studio.workspace import (
    PAGE_RUN_HINT,
    LiveRun,
    default_command,
    is_page_project,
    run_outcome,
    run_refusal,
)
from ui.jobs import Dock, stopped_notice
from ui.reruns import count_run, rerun_pane, start_pane_job, take_pane_job
from ui.session import REDRAW_SECONDS


@st.fragment
def run_pane(project: Project, studio: Studio, settings: Settings, dock: Dock | None) -> None:
    """A command run over a copy of the project, isolated; its output as it comes, then its
    status and time. A fragment: typing a command reruns this pane alone (running it: the page)."""
    count_run("run")
    refusal = run_refusal(settings)
    if refusal:
        st.info(refusal)
    elif not default_command(project) and is_page_project(project):
        st.caption(PAGE_RUN_HINT)
    command = st.text_input(
        "Command",
        value=default_command(project),
        key=f"in_run_command_{studio.run_id}",
        placeholder="e.g. python main.py",
        live=LIVE,
    )
    clicked = st.button("Run", key="btn_run_command", disabled=bool(refusal))
    if clicked and not command.strip():
        st.warning(EMPTY["btn_run_command"])
    elif clicked:
        start_pane_job("run", command, studio.run_id)
    if dock and isinstance(job := take_pane_job("run"), str):
        run_live(project, studio, settings, job, dock)
    stopped_notice("run")
    ran_in, live = st.session_state.get("live_run", (None, None))
    # Ended already, or (a run a click interrupted, still being torn down) ended now.
    result = live.stop() if isinstance(live, LiveRun) and ran_in == studio.run_id else None
    if result is None:
        st.caption("Runs on a temporary copy: no network, nothing outside it can change.")
        return
    (st.success if result.ok else st.error)(run_outcome(result))
    st.code(result.stdout or "(no output)", language=None)
    if result.stderr.strip():  # a traceback: under the sentence above, for a developer
        with st.expander("Details: what it printed as errors", expanded=not result.stdout):
            st.code(result.stderr, language=None)


def run_live(
    project: Project, studio: Studio, settings: Settings, command: str, dock: Dock
) -> None:
    """The command's output as it comes (its end: the box follows it) and its clock, until it
    ends. Stop, or any click, ends this script at its next redraw (Streamlit starts the next
    run at once and refuses this one any st.* call, session state included): `finally` kills
    the program, and the run kept in the session before it started is what the next run
    shows, with what it printed."""
    status, clock = dock
    status.caption(f"Running `{command}` on a copy of the project…")
    box, shown = st.empty(), None
    live = LiveRun(project, command, settings)
    st.session_state.live_run = (studio.run_id, live)
    try:
        while not live.wait(REDRAW_SECONDS * 2):
            clock.caption(f"Running for {live.seconds:.1f} s")
            if (out := live.output()) != shown:
                box.code(out or " ", language=None)
                shown = out
    finally:
        live.stop()
    rerun_pane()  # drawn again without the progress box: the output, its status and time
