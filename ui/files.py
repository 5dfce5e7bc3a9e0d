"""3 · Files: the editable file table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smol_core.project import Project
from smol_core.settings import Settings
from smol_core.studio.filetable import ROW_HEIGHT, purposes_kept, table_rows
from smol_core.studio.session import Studio, check_table, path_label


def files_section(project: Project, studio: Studio, settings: Settings) -> bool:
    """3 · Files: the editable file table; False when a row can't be used."""
    st.subheader("3 · Files")
    # Purposes read as words (no `code` marks), their whole text wrapped over the row.
    base = pd.DataFrame(table_rows(project.files))
    edited = st.data_editor(
        base,
        key=f"ed_files_{st.session_state.files_rev}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        row_height=ROW_HEIGHT,
        column_config={
            "path": st.column_config.TextColumn("Path", required=True, width="medium"),
            "purpose": st.column_config.TextColumn(
                "Purpose",
                width="large",
                help="What the file is for; double-click a cell to read or change all of it.",
            ),
        },
    )
    table = check_table(edited.to_dict("records"), settings.max_files)
    for r in table.rejected:
        st.error(f"{path_label(r.path)} can't be used: {r.reason}")
    files = purposes_kept(table.files, project.files)  # a purpose left alone keeps its marks
    if not table.rejected and files != project.files:
        studio.set_files(files)  # saved to the history at once

    return not table.rejected
