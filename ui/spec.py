"""The page's head and 1 · Spec: examples, upload, the Plan button; importing a zip."""

from __future__ import annotations

import streamlit as st

from smol_core.errors import LimitError, SmolError, describe
from smol_core.events import PlanDelta
from smol_core.importing import ImportRefused, import_zip
from smol_core.model.client import require_key
from smol_core.settings import Settings
from smol_core.steps.plan import make_plan
from smol_core.studio.session import Studio, read_upload
from smol_core.studio.versions import start_imported
from ui.jobs import ready, run_job
from ui.session import FAILURES, versions


def use_example(examples: dict[str, str]) -> None:
    state = st.session_state
    name = state.get("in_example")
    if name and name in examples:
        state.in_spec = examples[name]


def use_upload() -> None:
    state = st.session_state
    upload = state.get("in_upload")
    if upload is None:
        return
    try:
        state.in_spec = read_upload(upload.name, upload.getvalue())
    except SmolError as exc:
        state.notice = str(exc)


def header() -> None:
    st.title("smol studio")
    st.caption(
        "Describe a program and get a whole codebase. You check the plan and the file list "
        "before any code is written, then edit or regenerate any file."
    )
    if st.session_state.get("notice"):
        st.error(st.session_state.pop("notice"))
    st.html(PAGE_CSS)  # before any job: its progress box is styled from its first draw


def spec_section(examples: dict[str, str], studio: Studio, settings: Settings) -> str:
    """1 · Spec, and the Plan button (the plan streams in under it)."""
    st.subheader("1 · Spec")
    left, right = st.columns([3, 1])
    with right:
        st.selectbox(
            "Start from an example",
            [None, *examples],
            key="in_example",
            on_change=use_example,
            args=(examples,),
            format_func=lambda x: "—" if x is None else x,
        )
        st.file_uploader(
            "…or upload a .md file",
            type=["md", "markdown", "txt"],
            key="in_upload",
            on_change=use_upload,
        )
    with left:
        spec = st.text_area(
            "Spec",
            key="in_spec",
            height=220,
            placeholder="A Chrome extension that summarises the page…",
        )
    # Never disabled: a click made while the text box still has the focus must not be lost.
    if st.button("Plan", type="primary", key="btn_plan"):
        if spec.strip():
            plan(spec, studio, settings)
        else:
            st.warning("Write what the program should do first, then press Plan.")
    return spec


def plan(spec: str, studio: Studio, settings: Settings) -> None:
    try:
        require_key(settings)  # before a run is created: a refused click leaves no empty run
        live = ready(settings)
        studio.start(spec, live)
        if studio.run_id:
            st.query_params["run"] = studio.run_id
        st.session_state.plan_rev += 1
        box = st.empty()
        streamed = []

        def show_plan(event) -> None:
            if isinstance(event, PlanDelta):
                streamed.append(event.text)
                box.markdown("".join(streamed) + " ▌")

        if run_job(studio, settings, lambda emit: make_plan(spec, live, emit), show_plan):
            st.rerun()  # from the top, so the sidebar's usage and history include this step
    except FAILURES as exc:
        st.error(describe(exc, settings))


def import_upload(studio: Studio, settings: Settings) -> None:
    """Callback: the uploaded zip becomes a new run, its files the first version."""
    state = st.session_state
    upload = state.get("in_import")
    if upload is None:
        return
    try:
        imported = import_zip(upload.getvalue())
        if not imported.texts and not imported.binary:
            raise ImportRefused("The archive holds no files to import.")
        start_imported(studio, versions(), imported, settings, upload.name)
    except (ImportRefused, LimitError) as exc:
        state.import_note = (studio.run_id, "error", str(exc))
        return
    st.query_params["run"] = studio.run_id or ""
    state.in_spec = ""
    state.files_rev += 1
    state.plan_rev += 1
    left_out = "; ".join(f"{r.path}: {r.reason}" for r in imported.skipped[:6])
    state.import_note = (
        studio.run_id,
        "ok",
        f"Imported {len(imported.texts)} text and "
        f"{len(imported.binary)} other file(s)." + (f" Left out: {left_out}." if left_out else ""),
    )


def import_section(studio: Studio, settings: Settings) -> None:
    """Start from code you have: upload a zip of a project."""
    with st.expander("…or start from code you have: upload a .zip of a project"):
        st.file_uploader("Project (.zip)", type=["zip"], key="in_import")
        st.button(
            "Import",
            key="btn_import",
            on_click=import_upload,
            args=(studio, settings),
            disabled=st.session_state.get("in_import") is None,
        )
        st.caption(
            "Links, special files and names outside the project are refused; .git, "
            "node_modules, virtual environments and caches are left out; binary files "
            "are kept as they are and never sent to the model."
        )
    # Kept (not popped): a rerun that follows at once must not hide it; a new import replaces it.
    run, kind, text = st.session_state.get("import_note", (None, None, ""))
    if kind == "error" and run == studio.run_id:
        st.error(text)
    elif kind and run == studio.run_id:
        st.success(text)


# Narrow windows (800 px): the columns wrap instead of shrinking to slivers; below 1100 px
# each takes the whole width (the editor shows whole lines, the tree sits above it).
# A running job's progress and Stop stay in the window's bottom-left corner while the page
# scrolls: over the sidebar and the tree's foot, not over the preview and run panes.
PAGE_CSS = """<style>
.st-key-workspace [data-testid="stColumn"] { min-width: min(100%, 22rem); }
.st-key-workspace [data-testid="stColumn"]:has(.st-key-tree_file) { min-width: 9rem; }
@media (max-width: 1100px) {
  .st-key-workspace [data-testid="stColumn"],
  .st-key-workspace [data-testid="stColumn"]:has(.st-key-tree_file) { min-width: 100%; } }
.st-key-progress_dock { position: fixed; left: 1rem; bottom: 1rem; z-index: 1000100;
  width: min(22rem, calc(100vw - 2rem)); padding: 0.75rem 1rem; background: #fff;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  box-shadow: 0 4px 18px rgba(0, 0, 0, 0.15); }
</style>"""
