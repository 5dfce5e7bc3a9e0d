"""Ask for a change to the whole project; what it did as a diff."""

from __future__ import annotations

import streamlit as st

from smol_core.diffs import unified_diff
from smol_core.errors import SmolError
from smol_core.events import ChangeDone, ChangePlanned, FileEdited
from smol_core.project import Project
from smol_core.settings import Settings
from smol_core.steps.change import plan_from_code
from smol_core.studio.actions import change_note
from smol_core.studio.asks import EMPTY
from smol_core.studio.session import Studio
from smol_core.studio.versions import change_job
from ui.jobs import ready, run_job
from ui.session import versions
from ui.versions import restore_version


def change_section(project: Project, studio: Studio, settings: Settings) -> None:
    """Ask for a change to the whole project; what it did is shown as a diff."""
    state = st.session_state
    st.subheader("Ask for a change")
    if not project.plan and st.button(
        "Write the plan from the code",
        key="btn_plan_code",
        help="A plan later changes follow: useful after an import",
    ):
        live = ready(settings)
        if run_job(studio, settings, lambda emit: plan_from_code(project, live, emit)):
            state.plan_rev += 1
            st.rerun()
    request = st.text_area(
        "The change, in words",
        key="in_change",
        height=90,
        max_chars=studio.limits.instruction_chars,
        placeholder="e.g. add a dark mode; store the todos in SQLite",
    )
    clicked = st.button("Change the project", key="btn_change")
    if clicked and not request.strip():
        st.warning(EMPTY["btn_change"])
    elif clicked:
        live = ready(settings)
        before = dict(project.contents)
        kept = versions().list(studio.run_id) if studio.run_id else []
        log, lines = st.empty(), list[str]()
        outcome: list[ChangeDone] = []

        def show(event) -> None:
            if isinstance(event, ChangePlanned):
                lines.extend(f"- {a} `{p}`" + (f": {w}" if w else "") for p, a, w in event.changes)
            elif isinstance(event, FileEdited):
                lines.append(f"- `{event.path}` written ({event.method})")
            elif isinstance(event, ChangeDone):
                outcome.append(event)
            log.markdown("\n".join(lines))

        try:
            job = change_job(studio, request, live)
        except SmolError as exc:
            st.error(str(exc))
            return
        if run_job(studio, settings, job, show, cause="changed") and outcome:
            done = outcome[0]
            state.change_note = change_note(done)
            if done.applied:
                state.change_diff = unified_diff(before, project.contents)
                state.change_undo = kept[0].number if kept else None
            else:
                state.change_diff = ""
            state.files_rev += 1
            st.rerun()
    kind, text = state.get("change_note", (None, ""))
    if kind == "error":
        st.error(f"The change was not made: {text}. The project is as it was.")
    elif kind:
        (st.warning if kind == "warn" else st.success)(text)
        with st.expander("What changed (diff)", expanded=True):
            st.code(state.get("change_diff", "")[:200_000] or "(no difference)", language="diff")
        if state.get("change_undo") and studio.run_id:
            st.button(
                "Undo this change",
                key="btn_change_undo",
                on_click=restore_version,
                args=(studio, state.change_undo),
                help="Restores the version before the change (kept as a new version)",
            )
