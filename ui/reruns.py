"""Which part of the page a click reruns. The panes that change often (preview, run console,
examples pane, versions, what changed) are `st.fragment`s: a click inside one reruns that pane
alone. A click whose result shows outside its pane (a fix or a restore changes the file tree's
marks and the editor) reruns the whole page, with `st.rerun()` from the pane's body (a callback
of a widget in a fragment would rerun only the fragment); so does a pane's long job, whose
Stop must be the page's own (start_pane_job)."""

from __future__ import annotations

import os

import streamlit as st
from streamlit.errors import StreamlitAPIException

SHOW_RUNS = "SMOL_SHOW_RUNS"  # "1": each part says how often it ran (for the page's tests)


def count_run(where: str) -> None:
    """One more run of `where` ("page", or a pane's name): kept in the session, said only when
    SMOL_SHOW_RUNS=1, where a test reads whether a click reran the page or its pane alone."""
    runs = st.session_state.setdefault("runs_counted", {})
    runs[where] = runs.get(where, 0) + 1
    if os.environ.get(SHOW_RUNS) == "1":
        st.caption(f"{where} runs: {runs[where]}")


def rerun_pane() -> None:
    """Draw this pane again: the fragment alone when it is rerunning alone; the whole page when
    the pane ran as part of it (Streamlit refuses a fragment's rerun then)."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


# A pane's job → the progress dock (and Stop) it shows with: see jobs.STOPS.
PANE_DOCKS = {"run": "run", "examples": "examples", "preview": "generate"}


def start_pane_job(pane: str, data: object, run_id: str | None) -> None:
    """A pane's long job (run a program, run or fix the examples, fix a preview error) runs
    in a run of the whole page, with its Stop drawn by the page outside any fragment: a click
    on a widget of a fragment never cuts a running script short (Streamlit lets it wait for
    the end), so a Stop inside the pane would not stop anything."""
    st.session_state.pane_job = (pane, data, run_id)
    st.rerun()


def waiting_dock(run_id: str | None) -> str | None:
    """The dock the page draws for a pane's job about to run in the run `run_id` shows (None:
    no job waiting). A job asked for in another run (one opened since) is dropped."""
    job = st.session_state.get("pane_job")
    if job is not None and job[2] != run_id:
        del st.session_state.pane_job
        return None
    return PANE_DOCKS[job[0]] if job else None


def take_pane_job(pane: str) -> object | None:
    """The job waiting for `pane` (taken: it runs once), or None."""
    job = st.session_state.get("pane_job")
    if job is None or job[0] != pane:
        return None
    del st.session_state.pane_job
    return job[1]
