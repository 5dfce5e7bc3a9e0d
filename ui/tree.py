"""The file tree beside the editor."""

from __future__ import annotations

import streamlit as st

from smol_core.project import Project
from smol_core.studio.session import Studio
from smol_core.studio.workspace import legend, tree
from ui.editor import edited_texts, open_file


def pick_file(widget: str, paths: list[str]) -> None:
    """Callback of the file picker and of the tree: open the file chosen (an old label, which
    names no file, is no choice)."""
    value = st.session_state.get(widget)
    if value in paths:
        st.session_state.open_file = value


def file_tree(project: Project, studio: Studio) -> None:
    """Every file in its folder, with its status mark; choosing one opens it in the editor."""
    rows = tree(project, edited_texts(studio))
    st.session_state.tree_file = open_file(project)  # drawn with its label of now
    st.radio(
        "Files",
        [p for p, _ in rows],
        key="tree_file",
        format_func=dict(rows).get,
        on_change=pick_file,
        args=("tree_file", project.paths),
    )
    st.caption(legend())
