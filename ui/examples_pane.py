"""The examples pane: each example's result; run, fix, edit them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smol_core.errors import SmolError
from smol_core.events import ExamplesReady, ExampleStarted, FileStarted, Healing, Idle
from smol_core.project import Project
from smol_core.report import offers_new_example
from smol_core.report import summary as run_summary
from smol_core.settings import Settings
from smol_core.studio.actions import failing_files
from smol_core.studio.nochange import again_if_same
from smol_core.studio.session import Studio
from smol_core.studio.workspace import (
    default_command,
    example_details,
    example_rows,
    example_table,
    examples_from_table,
    fix_failing,
    run_examples_now,
    run_refusal,
)
from ui.jobs import Dock, ready, run_job, stopped_notice, tried_or_say
from ui.reruns import count_run, start_pane_job, take_pane_job
from ui.session import IDLE_SECONDS


@st.fragment
def examples_pane(project: Project, studio: Studio, settings: Settings, dock: Dock | None) -> None:
    """The examples, each with ✓ / ✗ and what it gave; run them, or fix the failing ones.
    A fragment: an edit of the table reruns this pane alone (running them: the page)."""
    count_run("examples")
    refusal = run_refusal(settings)
    said = run_summary(project)
    if said:
        st.caption(said)  # in red above the editor already when one fails
    # Opens the Examples tab anew (its key is outside this pane): the whole page again.
    if offers_new_example(project) and st.button("Add an example", key="btn_add_example_pane"):
        add_example_row(project)
        st.rerun()
    if project.examples:
        st.dataframe(pd.DataFrame(example_rows(project)), hide_index=True, width="stretch")
        if details := example_details(project):
            with st.expander("Details: what the examples that did not pass ran and printed"):
                for name, text in details:
                    st.caption(name)
                    st.code(text, language=None, wrap_lines=True)
    else:
        st.caption(
            "No examples yet: “Run examples” makes checks from the spec's examples, and "
            "checks that each program and page starts well."
        )
    edit_examples(project, studio, settings)
    if refusal:
        st.info(refusal)
    row = st.container(horizontal=True)
    run = row.button("Run examples", key="btn_run_examples", disabled=bool(refusal))
    fix = row.button(
        "Fix failing",
        key="btn_fix_failing",
        disabled=bool(refusal) or not project.failing_examples(),
    )
    stopped_notice("examples")
    if run or fix:
        start_pane_job("examples", "fix" if fix else "run", studio.run_id)
    job = take_pane_job("examples") if dock else None
    if dock is None or job is None:
        return
    run, fix = job == "run", job == "fix"
    line, clock = dock
    line.caption("Running the examples…" if run else "Running the examples to see what fails…")

    def show(event) -> None:
        if isinstance(event, Idle):  # an example that runs long: the clock moves on
            clock.caption(f"{event.seconds:.0f} s since it started")
        elif isinstance(event, ExampleStarted):
            line.caption(
                f"Running example {event.index + 1} of {len(project.examples)}: {event.name}…"
            )
        elif isinstance(event, Healing):
            line.caption(
                f"Repairing {', '.join(event.paths)}: "
                + (event.reasons[0] if event.reasons else "")
            )
        elif isinstance(event, FileStarted):
            line.caption(f"Rewriting {event.path}…")

    live = ready(settings) if fix else settings

    def work(emit):
        if not fix:
            return run_examples_now(project, live, emit)
        return again_if_same(project, live, lambda s, _second: fix_failing(project, s, emit))

    failing = failing_files(project)
    tried_or_say(
        studio,
        "failing" if fix else "",
        failing,
        lambda: run_job(
            studio, settings, work, show, cause="repaired" if fix else None, idle=IDLE_SECONDS
        ),
    )
    st.rerun()


def edit_examples(project: Project, studio: Studio, settings: Settings) -> None:
    """The examples as an editable table: add, change, remove; saved with one click."""
    state = st.session_state
    rev = state.setdefault("examples_rev", 0)
    draft = state.get("example_draft")
    # Drawn anew (a new key) when "Add an example" asks for it open, with its blank row.
    opened = state.get("examples_opened", 0)
    with st.expander("Edit the examples", expanded=draft is not None, key=f"exp_examples_{opened}"):
        rows = example_table(project) + ([draft] if draft else [])
        base = pd.DataFrame(rows, columns=["name", "command", "expected output"])
        if draft:
            st.caption(
                "Your new example is the last row: write what it must print under "
                "“Expected output” (empty checks nothing), then save."
            )
        edited = st.data_editor(
            base,
            key=f"ed_examples_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name"),
                "command": st.column_config.TextColumn("Command", help="e.g. python todo.py list"),
                "expected output": st.column_config.TextColumn(
                    "Expected output",
                    help="What it prints, exactly. Empty: it only has to end well.",
                ),
            },
        )
        if not st.button("Save the examples", key="btn_save_examples"):
            return
        examples, problems = examples_from_table(edited.fillna("").to_dict("records"), project)
        for problem in problems:
            st.error(problem)
        if problems:
            return
        try:
            studio.emitter(settings)(ExamplesReady(tuple(examples), ""))
        except SmolError as exc:
            st.error(str(exc))
            return
        state.examples_rev = rev + 1  # a fresh table: the saved rows are its rows now
        state.pop("example_draft", None)
        st.rerun()


def add_example_row(project: Project) -> None:
    """Callback of "Add an example": a blank row (the project's command filled in) at the end
    of the examples table, the table open, the Examples tab shown."""
    state = st.session_state
    state.example_draft = {
        "name": "my example",
        "command": default_command(project),
        "expected output": "",
    }
    state.examples_rev = state.get("examples_rev", 0) + 1
    state.examples_opened = state.get("examples_opened", 0) + 1
    state.tabs_rev = state.get("tabs_rev", 0) + 1
