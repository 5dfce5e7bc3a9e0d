"""The workspace: tree, editor and the Preview / Run / Examples tabs."""

from __future__ import annotations

import streamlit as st

from smol_core.project import Project
from smol_core.settings import Settings
from smol_core.studio.session import Studio
from ui.changed import what_changed_section
from ui.console import run_pane
from ui.editor import code_section, open_file
from ui.examples_pane import examples_pane
from ui.jobs import progress_dock
from ui.preview import preview_pane
from ui.reruns import waiting_dock
from ui.tree import file_tree


def workspace_section(project: Project, studio: Studio, settings: Settings) -> None:
    """5 · Code as a workspace: the file tree, the editor, and Preview / Run / Examples."""
    state = st.session_state
    if state.get("tree_last") != open_file(project):
        state.tree_last = open_file(project)
        state.in_instruction = ""  # the regenerate instruction was for the file left
    # A pane's job runs now: its progress and Stop are drawn here, by the page, outside the
    # panes (reruns.start_pane_job); a fixed box, so where it is drawn doesn't show.
    waiting = waiting_dock(studio.run_id)
    dock = progress_dock(waiting) if waiting else None
    what_changed_section(project, studio)
    tree_col, code_col, pane_col = st.container(key="workspace").columns([1, 3, 3])
    with code_col:  # first: an edit made in the editor shows in the tree and the preview
        code_section(project, studio, settings)
    with tree_col:
        file_tree(project, studio)
    with pane_col:
        # A key keeps the open tab when elements above it come and go (the progress dock).
        # "Add an example" opens the Examples tab: tabs that keep no state open a tab only
        # when first drawn, so a new key draws them anew with that tab open.
        rev = state.get("tabs_rev", 0)
        preview_tab, run_tab, examples_tab = st.tabs(
            ["Preview", "Run", "Examples"],
            key=f"workspace_tabs_{rev}" if rev else "workspace_tabs",
            default="Examples" if rev else None,
        )
        with preview_tab:
            preview_pane(project, studio, settings, dock)
        with run_tab:
            run_pane(project, studio, settings, dock)
        with examples_tab:
            examples_pane(project, studio, settings, dock)
