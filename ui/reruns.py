"""Which part of the page a click reruns. The panes that change often (preview, run console,
examples pane, versions, what changed) are `st.fragment`s: a click inside one reruns that pane
alone. A click whose result shows outside its pane (a fix or a restore changes the file tree's
marks and the editor) reruns the whole page, with `st.rerun()` from the pane's body (a callback
of a widget in a fragment would rerun only the fragment)."""

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


def redraw_after_stop() -> None:
    """In a pane rerunning alone after a Stop whose notice and kept results show elsewhere
    (the tree's marks, the notice under Generate): the whole page, once."""
    if st.session_state.pop("stop_redraw", False):
        st.rerun()
