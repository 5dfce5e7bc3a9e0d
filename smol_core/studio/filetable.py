"""The file table ("3 · Files") as a person reads it: each purpose without the Markdown code
marks the model writes (`util.py` reads util.py there), and given back as it was written when
the person left it alone, so the model is still told the purpose with its marks."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import FileSpec

ROW_HEIGHT = 72  # px: Streamlit wraps a cell's text over more than 4rem (64 px), so 3 lines


def readable(purpose: str) -> str:
    """A purpose as the table shows it: no backticks (inline code reads as plain words)."""
    return purpose.replace("`", "")


def table_rows(files: Sequence[FileSpec]) -> list[dict[str, str]]:
    """The table's rows: path and readable purpose (one empty row when there is no file)."""
    rows = [{"path": f.path, "purpose": readable(f.purpose)} for f in files]
    return rows or [{"path": "", "purpose": ""}]


def purposes_kept(files: Sequence[FileSpec], before: Sequence[FileSpec]) -> list[FileSpec]:
    """The table's files, each purpose the person did not change given back as it was (with
    its marks); a purpose they changed is theirs as typed."""
    was = {f.path: f.purpose for f in before}
    return [
        FileSpec(f.path, was[f.path]) if f.path in was and readable(was[f.path]) == f.purpose else f
        for f in files
    ]
