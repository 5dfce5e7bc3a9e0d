"""The one icon set for a file's state: its glyph and its words, defined here once.

Only glyphs the fonts every desktop browser ships have (DejaVu Sans on Linux, Segoe UI Symbol
on Windows, Apple Symbols on macOS): no emoji, which Chromium on a Linux without an emoji font
draws as an empty box (🔧 did). How a file's state is *computed* lives elsewhere
(workspace.file_status); this only says how each state is drawn.
"""

from __future__ import annotations

# state → (glyph, words)
# A ✓ says an example that checks something passed over the file; a file only written (or
# only run, by an example that checks nothing) gets no tick: nobody knows it works.
MARKS: dict[str, tuple[str, str]] = {
    "checked": ("✓", "behaviour checked"),
    "ran": ("▷", "ran, behaviour not checked"),
    "written": ("•", "written"),
    "repaired": ("↻", "repaired"),
    "failing": ("✗", "failing"),
    "edited": ("✎", "edited by you"),
    "missing": ("○", "not yet written"),
    "failed": ("⚠", "could not be written"),
}
FOLDER = "▸"  # before a folder's name in the tree


def mark(state: str) -> str:
    return MARKS[state][0]


def legend() -> str:
    return " · ".join(f"{glyph} {words}" for glyph, words in MARKS.values())
