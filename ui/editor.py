"""The editor column: the file open, its status, what the checks found, regenerate and fix."""

from __future__ import annotations

import streamlit as st
from streamlit_ace import st_ace

from smol_core.errors import SmolError
from smol_core.project import Project
from smol_core.report import example_line, files_line, offers_new_example
from smol_core.report import summary as run_summary
from smol_core.runs import add_missing_files, files_for_error, fix_from_error, referenced_missing
from smol_core.settings import Settings
from smol_core.studio.actions import (
    advice_actions,
    advice_fix,
    regenerate_job,
    save_edit,
    script_as_module,
)
from smol_core.studio.advice import AS_MODULE, advise
from smol_core.studio.asks import EMPTY, LIVE
from smol_core.studio.languages import ace_mode
from smol_core.studio.nochange import again_if_same
from smol_core.studio.session import Studio, path_label, repair_note
from smol_core.studio.versions import file_history, who_changed
from ui.examples_pane import add_example_row
from ui.jobs import fix_progress, generate, note_change, ready, run_job, tried_or_say
from ui.session import versions

EDITOR_FONT_PX = 15


def code_status(project: Project, studio: Studio, settings: Settings) -> dict[str, str]:
    """What was written, what failed or was cut off, what the checks say; each file's status."""
    done = len([p for p in project.paths if p in project.contents])
    st.progress(
        done / max(1, len(project.files)), text=f"{done}/{len(project.files)} files written"
    )
    for path, error in project.failed.items():
        st.error(f"`{path}` failed: {error}")
    for path in sorted(project.truncated):
        st.warning(
            f"`{path}` was cut off by the output limit even after continuing; check its end."
        )
    for path in sorted(project.looped):
        st.warning(
            f"`{path}`: the model started repeating itself, so its reply was stopped there; "
            "check its end or regenerate it."
        )

    checked = {p: project.check_status(p) for p in project.paths}
    if said := files_line(project):
        st.caption(said)
    for note in project.check_notes:
        st.caption(note)
    examples_status(project, settings)
    missing_refs = referenced_missing(project)
    if missing_refs and st.button(
        f"Add {len(missing_refs)} missing file(s): " + ", ".join(f.path for f in missing_refs),
        key="btn_add_missing",
    ):
        with st.spinner("Writing the missing files…"):
            run_job(
                studio, settings, lambda emit: add_missing_files(project, ready(settings), emit)
            )
        st.session_state.files_rev += 1
        st.rerun()
    return checked


def examples_status(project: Project, settings: Settings) -> None:
    """What running the project showed: one line per example, failures first in red."""
    if not settings.run_examples and not project.results:
        st.caption("The generated code is not run here (set SMOL_RUN_EXAMPLES=on to run it).")
    said = run_summary(project)
    if not said:
        return
    state = project.examples_state()
    show = st.error if state == "failing" else st.warning if state == "unchecked" else st.caption
    show(said)
    if offers_new_example(project):
        st.button(
            "Add an example",
            key="btn_add_example",
            on_click=add_example_row,
            args=(project,),
            help="A row in the Examples tab: a command and what it must "
            "print, so the next run checks what the program does.",
        )
    with st.expander(f"Examples ({len(project.examples)})"):
        for i, example in enumerate(project.examples):
            st.text(example_line(example, project.results.get(i)))


def code_section(project: Project, studio: Studio, settings: Settings) -> None:
    """5 · Code: the file picker, the editor, and regenerate / fix from an error."""
    st.subheader("5 · Code")
    status = st.container()  # filled after the editor: its counts include an edit made now
    # One widget picks the file: the tree beside the editor (a second picker drew other marks).
    choice = open_file(project)
    st.markdown(f"**{path_label(choice)}**")
    edits = edited_texts(studio)
    if choice in project.contents:
        code = st_ace(
            value=project.contents[choice],
            language=ace_mode(choice),
            theme="chrome",
            key=studio.editor_key(choice),
            height=420,
            # 15 px, not 14: at 14 px Chromium's line box (16 px) clips DejaVu Sans Mono's "_"
            # (STORAGE_KEY read "STORAGE KEY" on Linux); at 15 px the line is 18 px.
            font_size=EDITOR_FONT_PX,
            auto_update=True,  # kept as typed: no Apply step
            wrap=False,
        )
        try:
            if isinstance(code, str) and save_edit(studio, versions(), choice, code):
                remember_edit(edits, studio, choice)
                st.toast(f"Saved your edit of {choice}")
        except SmolError as exc:  # too long to keep: said, not saved
            st.error(str(exc))
    else:
        st.info("This file has not been written yet.")
    if studio.run_id and (who := who_changed(file_history(versions(), studio.run_id, choice))):
        st.caption(who)
    # Below the editor: an edit made in it is checked again in this same run.
    with status:
        code_status(project, studio, settings)
    findings_list(project, studio, settings, choice)
    if note := repair_note(project, choice):
        st.caption(note)
    instruction = st.text_input(
        "Change to ask for (optional)",
        key="in_instruction",
        placeholder="e.g. add error handling for a missing file",
        live=LIVE,
        max_chars=studio.limits.instruction_chars,  # Streamlit cuts on the server too
    )
    if st.button("Regenerate this file", key="btn_regen"):
        generate(studio, settings, [choice], **regenerate_job(project, choice, instruction))
        st.rerun()

    with st.expander("Something doesn't work when you run it? Paste the error"):
        error_text = st.text_area(
            "The error or what goes wrong",
            key="in_error",
            height=150,
            max_chars=studio.limits.instruction_chars * 5,  # a traceback is longer
        )
        clicked = st.button("Fix it", key="btn_fix_error")
        if clicked and not error_text.strip():
            st.warning(EMPTY["btn_fix_error"])
        elif clicked:
            live = ready(settings)
            concerned = files_for_error(error_text, project.files)

            def fix(emit):
                def attempt(s: Settings, wider: bool):
                    paths = files_for_error(error_text, project.files, 10) if wider else None
                    return fix_from_error(project, error_text, s, emit, paths=paths)

                return again_if_same(project, live, attempt)

            show = fix_progress(project, concerned)
            tried_or_say(
                studio, "fix", concerned, lambda: run_job(studio, settings, fix, show, "fixed")
            )
            st.rerun()


def edited_texts(studio: Studio) -> dict[str, str]:
    """path → the text the person last saved (a plain dict of the session, fetched before the
    editor is drawn: a click that interrupts the run can't lose the mark)."""
    return st.session_state.setdefault("edited_texts", {}).setdefault(studio.run_id or "", {})


def remember_edit(edited: dict[str, str], studio: Studio, path: str) -> None:
    """The tree marks `path` "edited by you" while it holds the text saved now (no st.* call
    here: it runs right after the edit is saved, even in a run a click is interrupting)."""
    if studio.project is not None and path in studio.project.contents:
        edited[path] = studio.project.contents[path]


def open_file(project: Project) -> str:
    """The file the editor shows: the page's own note of the last one chosen, which both
    pickers are set to on every run. Not a picker's value: a browser sends back the *label*
    it drew, and once a file's mark changes (an edit: ✓ → ✎) that label is one Streamlit no
    longer knows, so it fell back to the first file on the next rerun."""
    chosen = st.session_state.get("open_file")
    return chosen if chosen in project.paths else project.paths[0]


def quick_fix_as_module(project: Project, studio: Studio, script: str) -> None:
    """The pages loading `script` as a plain script load it as a module (a new version, said
    under "What changed" with Undo)."""
    try:
        before = script_as_module(studio, versions(), script)
    except SmolError as exc:
        st.error(str(exc))
        return
    if before is None:
        st.info(f"No page of the project loads `{script}` with a plain `<script src>`.")
        return
    note_change(studio, before, "repaired")
    st.rerun()


def findings_list(project: Project, studio: Studio, settings: Settings, path: str) -> None:
    """What the checks found in this file, in plain words, with the action that fixes it."""
    found = project.findings.get(path, [])
    if not found:
        return
    advice = [advise(f) for f in found]
    for item in advice:
        st.warning(item.text)
    with st.expander("Details (for developers)"):
        for finding in found:
            st.caption(str(finding))
    if any(a.quick_fix for a in advice) and st.button(
        AS_MODULE,
        key="btn_as_module",
        type="primary",
        help='Made without the model: the page\'s <script> tag gets type="module".',
    ):
        quick_fix_as_module(project, studio, path)
    for i, action in enumerate(advice_actions(advice)):
        if not st.button(action, key=f"btn_advice_{i}"):
            continue
        chosen = advice_fix(advice, action, settings)
        if chosen.adds_files:
            with st.spinner("Writing the missing files…"):
                run_job(
                    studio, settings, lambda emit: add_missing_files(project, ready(settings), emit)
                )
            st.session_state.files_rev += 1
        else:
            told = {path: chosen.instruction}
            generate(
                studio,
                settings,
                [path],
                nochange="regenerate",
                instructions=told,
                current={path: project.contents[path]},
            )
        st.rerun()
