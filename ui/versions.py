"""Versions: every version of the project, its diff, restore and zip."""

from __future__ import annotations

import streamlit as st

from smol_core.errors import LimitError
from smol_core.project import Project
from smol_core.settings import Settings
from smol_core.studio.session import Studio
from smol_core.studio.versions import diff_text, restore, version_zip, versions_line
from ui.reruns import count_run
from ui.session import versions


def restore_version(studio: Studio, number: int) -> None:
    """Restore a version (a new version); every editor shows its text on the next run."""
    try:
        made = restore(studio, versions(), number)
    except LimitError as exc:
        st.session_state.version_note = str(exc)
        return
    st.session_state.version_note = f"Restored v{number} (now v{made})." if made else ""
    st.session_state.files_rev += 1


@st.fragment
def versions_section(project: Project, studio: Studio, settings: Settings) -> None:
    """Every version of the project: its diff against the one before or now; restore; zip.
    A fragment: choosing a version or what to compare it with reruns this pane alone."""
    count_run("versions")
    if studio.run_id is None:
        return
    listed = versions().list(studio.run_id)
    st.subheader("Versions")
    if note := st.session_state.pop("version_note", ""):
        st.success(note)
    if not listed:
        st.caption("No versions yet: one is kept each time the project changes.")
        return
    labels = {v.number: v.label for v in listed}
    n_files = {v.number: v.n_files for v in listed}
    st.caption(versions_line(listed))
    # Keyed by the newest version: a new one (an edit, a fix) is the one shown, not the old.
    number = st.selectbox(
        "Version",
        [v.number for v in listed],
        key=f"sel_version_{listed[0].number}",
        format_func=lambda n: labels.get(n, f"v{n}"),
    )
    if number is None:
        return
    against = st.radio(
        "Compare with",
        ["previous", "now"],
        horizontal=True,
        key="in_against",
        format_func={"previous": "the version before", "now": "the project now"}.get,
    )
    diff = diff_text(versions(), studio.run_id, number, against, project)
    if diff is None:
        st.caption(
            f"v{number} is the first version ({n_files[number]} files): compare it "
            "with the project as it is now to see what changed since."
        )
    elif diff:
        st.code(diff[:200_000], language="diff")
    else:
        st.caption("No difference.")
    left, right = st.columns(2)
    # A restore changes every file shown outside this pane: the whole page again.
    if left.button("Restore this version", key="btn_restore"):
        restore_version(studio, number)
        st.rerun()
    run_id = studio.run_id

    def zipped() -> bytes:  # read and zipped on click, not on every rerun
        version = versions().get(run_id, number)
        return version_zip(version, manifest=project.manifest(settings)) if version else b""

    right.download_button(
        f"Download v{number} (.zip)",
        key="dl_version",
        on_click="ignore",
        mime="application/zip",
        data=zipped,
        file_name=studio.zip_name().replace(".zip", f"-v{number}.zip"),
    )
