"""6 · Download."""

from __future__ import annotations

import streamlit as st

from smol_core.settings import Settings
from smol_core.studio.session import Studio


def download_section(studio: Studio, settings: Settings) -> None:
    st.subheader("6 · Download")
    zip_problem = studio.zip_problem()
    if zip_problem:
        st.error(zip_problem)
    else:
        st.download_button(
            "Download .zip",
            data=studio.bundler(settings),  # built on click, not on every rerun
            file_name=studio.zip_name(),
            mime="application/zip",
            key="dl_zip",
            on_click="ignore",
            type="primary",
        )
    st.caption(
        "The zip holds the files as they are now, your edits included, and smol-manifest.json."
    )
