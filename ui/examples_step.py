"""4 · Examples: how the code will be judged, before any is written; Generate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smol_core.errors import SmolError
from smol_core.events import ExamplesReady
from smol_core.project import Project
from smol_core.runs import propose_examples
from smol_core.settings import Settings
from smol_core.steps.example_table import (
    COLUMNS,
    examples_from_rows,
    rows_of,
    tabled,
    to_json,
    to_markdown,
)
from smol_core.studio.session import Studio
from ui.jobs import generate, ready, run_job


def examples_section(project: Project, studio: Studio, settings: Settings, usable: bool) -> None:
    """4 · Examples: how the code will be judged, in plain words, before any is written; the
    person edits, adds or deletes lines, and "Generate" writes the code against them."""
    st.subheader("4 · Examples")
    st.caption(
        "What is run, typed or clicked, and what must come out: how the code will be "
        "judged. Change, add or delete lines before the code is written."
    )
    proposed = st.button(
        "Propose again" if project.examples_made else "Propose examples",
        key="btn_examples",
        disabled=not project.files,
    )
    if proposed:
        live = ready(settings)
        job = lambda emit: propose_examples(project.spec, project.plan, project.files, live, emit)  # noqa: E731
        with st.spinner("Proposing examples from the spec…", show_time=True):
            if run_job(studio, settings, job):
                st.rerun()
    state = st.session_state
    mine = [e for e in project.examples if tabled(e)]
    if state.get("step_known") != mine:
        # Proposed, reopened or changed elsewhere: a fresh table (and a fresh key, so no edit
        # state of the old one is applied to it); the person's own edits never rebuild it.
        state.step_from = state.step_known = mine
        state.step_rev = state.get("step_rev", 0) + 1
    rows = [r.as_dict() for r in rows_of(state.step_from)]
    problems: list[str] = []
    if project.examples_made or rows:
        edited = st.data_editor(
            pd.DataFrame(rows, columns=list(COLUMNS)),
            key=f"ed_step_{state.step_rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "does": st.column_config.TextColumn(
                    COLUMNS["does"],
                    width="medium",
                    help='e.g. python calc.py 2 + 3 · open index.html; type "Ada" into #name; '
                    "click #go · start python app.py on port 8000; GET /add?a=2&b=3",
                ),
                "expect": st.column_config.TextColumn(
                    COLUMNS["expect"],
                    width="medium",
                    help='e.g. prints exactly "5" · prints "5" · exit status 1 · '
                    '#greeting shows "Hello, Ada" · says "5" · empty: it only has to run',
                ),
                "sentence": st.column_config.TextColumn(COLUMNS["sentence"], width="small"),
                "by": st.column_config.TextColumn(COLUMNS["by"], disabled=True, width="small"),
            },
        )
        examples, problems = examples_from_rows(edited.to_dict("records"), state.step_from)
        for problem in problems:
            st.error(problem)
        if not problems and examples != mine:
            try:  # smoke checks and the project's tests are kept as they are
                studio.emitter(settings)(
                    ExamplesReady(tuple(examples + [e for e in project.examples if not tabled(e)]))
                )
                state.step_known = examples
            except SmolError as exc:
                st.error(str(exc))
        if rows:
            row = st.container(horizontal=True)
            shown = rows_of(project.examples)
            row.download_button(
                "Download as Markdown",
                to_markdown(shown),
                "examples.md",
                "text/markdown",
                key="dl_examples_md",
                on_click="ignore",
            )
            row.download_button(
                "Download as JSON",
                to_json(shown),
                "examples.json",
                "application/json",
                key="dl_examples_json",
                on_click="ignore",
            )
        else:
            st.caption(
                "No examples: the code will only be checked to run cleanly. Add a line "
                "to say what it must do."
            )
        yours = sum(e.source == "you" for e in state.step_known)
        if yours:  # the table's own column shows who wrote each line when it was drawn
            st.caption(f"{yours} line(s) yours (changed or added): used as you wrote them.")
    missing = project.missing()
    blocked = not usable or bool(problems)
    row = st.container(horizontal=True)  # labels never cut: each button as wide as its words
    gen_all = row.button(
        f"Generate all ({len(project.files)})",
        type="primary",
        key="btn_generate",
        disabled=blocked or not project.files,
    )
    gen_missing = row.button(
        f"Generate missing ({len(missing)})",
        key="btn_missing",
        disabled=blocked or not missing or len(missing) == len(project.files),
    )
    if gen_all or gen_missing:
        generate(studio, settings, project.paths if gen_all else missing)
        st.rerun()
