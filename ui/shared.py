"""A run opened from a share link: read and download only, or copy it."""

from __future__ import annotations

import streamlit as st

from smol_core.settings import Settings
from smol_core.studio.languages import code_language
from smol_core.studio.session import Studio
from smol_core.studio.sharing import copy_run, shared_run
from ui.session import history, open_run


def copy_shared(studio: Studio, scope: str | None, token: str) -> None:
    record = shared_run(history(), token)
    if record is not None:
        new_id = copy_run(history(), record, studio.owner)
        del st.query_params["share"]
        open_run(studio, scope, new_id)


def shared_view(studio: Studio, scope: str | None, settings: Settings) -> bool:
    """A run opened from a share link, to read and download only; False without a link."""
    token = st.query_params.get("share")
    if not token:
        return False
    view = Studio(history(), studio.owner, read_only=True)
    record = shared_run(history(), token)
    if record is None or not view.load(record) or view.project is None:
        st.warning("That share link does not open any run here.")
        return True
    project = view.project
    st.subheader(f"Shared run: {record.title}")
    st.caption("Read-only: nothing here can be changed. Copy it to work on your own copy.")
    st.button(
        "Copy into my projects",
        type="primary",
        key="btn_copy_shared",
        on_click=copy_shared,
        args=(studio, scope, token),
    )
    with st.expander("Spec"):
        st.text(project.spec)
    if project.plan:
        with st.container(border=True):
            st.markdown(project.plan)
    written = [p for p in project.paths if p in project.contents]
    if written:
        choice = st.selectbox("File", written, key="sel_shared_file")
        st.code(project.contents[choice], language=code_language(choice))
        st.download_button(
            "Download .zip",
            data=view.bundler(settings),
            file_name=view.zip_name(),
            mime="application/zip",
            key="dl_shared_zip",
            on_click="ignore",
        )
    return True
