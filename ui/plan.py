"""2 · Plan: the plan, its edit, and List files."""

from __future__ import annotations

import streamlit as st

from smol_core.errors import SmolError
from smol_core.project import Project
from smol_core.settings import Settings
from smol_core.steps.file_list import make_file_list
from smol_core.studio.session import Studio, path_label
from ui.jobs import ready, run_job


def save_plan_edit(studio: Studio) -> None:
    state = st.session_state
    try:
        studio.set_plan(state.get(f"ed_plan_{state.plan_rev}", ""))
    except SmolError as exc:  # too long: said at the top of the page, the edit not kept
        state.notice = str(exc)
    state.plan_rev += 1


def plan_section(project: Project, spec: str, studio: Studio, settings: Settings) -> bool:
    """2 · Plan; False when there is no plan yet (the page ends here)."""
    state = st.session_state
    st.subheader("2 · Plan")
    if project.spec != spec.strip() and spec.strip():
        st.caption("The spec changed since this plan: press Plan again to use the new one.")
    if not project.plan:
        st.info("No plan yet: press Plan.")
        return False
    with st.container(border=True):
        st.markdown(project.plan)
    with st.expander("Edit the plan"):
        st.text_area(
            "Plan (Markdown)", value=project.plan, key=f"ed_plan_{state.plan_rev}", height=300
        )
        st.button("Save plan", key="btn_save_plan", on_click=save_plan_edit, args=(studio,))
    if st.button("List files", type="primary", key="btn_files"):
        live = ready(settings)
        job = lambda emit: make_file_list(project.spec, project.plan, live, emit)  # noqa: E731
        # Said while it runs (the model-ready box above reads as finished).
        with st.spinner("Listing the files to write: the model is deciding…", show_time=True):
            listed = run_job(studio, settings, job)
        if listed:
            state.files_rev += 1
            st.rerun()  # from the top, so the sidebar's usage and history include this step
    for r in project.rejected:
        st.warning(f"Left out {path_label(r.path)}: {r.reason}")
    return True
