"""What changed: the files the last job rewrote, their diffs, Undo."""

from __future__ import annotations

import streamlit as st

from smol_core.errors import SmolError
from smol_core.project import Project
from smol_core.studio.actions import put_back
from smol_core.studio.session import Studio
from smol_core.studio.workspace import changed_files_line
from ui.reruns import count_run
from ui.session import versions


def undo_file(studio: Studio, path: str, text: str) -> None:
    """Put one file back as it was before the last job rewrote it (a new version)."""
    try:
        if not put_back(studio, versions(), path, text):
            return
    except SmolError as exc:
        st.session_state.notice = str(exc)
        return
    st.session_state.undo_note = f"Put back the earlier `{path}`."


@st.fragment
def what_changed_section(project: Project, studio: Studio) -> None:
    """After a repair, a regeneration or a fix: the files it rewrote, each with its diff
    against what it was, and Undo back to that."""
    count_run("changed")
    if note := st.session_state.pop("undo_note", ""):
        st.success(note)
    said = st.session_state.pop("nochange_note", None)
    if said and said[0] == studio.run_id:
        st.warning(said[1])
    change = st.session_state.get("last_change")
    if change is None or change.run_id != studio.run_id:
        return
    st.info(changed_files_line(change))
    for path in change.before:
        diff = change.diff(path, project.contents)
        with st.expander(f"What changed in {path}", expanded=False):
            st.code(diff[:100_000] or "(it is as it was before)", language="diff")
            # Put back: the editor and the tree show it too, so the whole page again.
            if st.button(
                f"Undo: put back the earlier {path}",
                key=f"btn_undo_{path}",
                disabled=not diff or path not in project.paths,
            ):
                undo_file(studio, path, change.before[path])
                st.rerun()
