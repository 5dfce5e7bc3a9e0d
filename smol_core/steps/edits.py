"""Search/replace edit blocks: read them out of a reply, apply them strictly.

A block names text that is in the file now and the text to put in its place:

    <<<<<<< SEARCH
    old lines, exactly as they are
    =======
    new lines
    >>>>>>> REPLACE

"Strictly" means an edit is applied only where its SEARCH text occurs exactly once, starting
at the beginning of a line. A block whose text is not there, or is there several times, is not
applied at all (never to the nearest match: a guess would silently change the wrong lines); it
is reported, so the caller can ask again or ask for the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_START = re.compile(r"^\s*<{5,9} ?SEARCH\b.*$")
_MIDDLE = re.compile(r"^\s*={5,9}\s*$")
_END = re.compile(r"^\s*>{5,9} ?REPLACE\b.*$")


@dataclass(frozen=True)
class EditBlock:
    """One edit: replace `search` (exact text of the file) by `replace`."""

    search: str
    replace: str


@dataclass(frozen=True)
class EditFailure:
    """An edit that was not applied, and why, in plain words."""

    block: EditBlock | None  # None: the reply itself could not be read
    reason: str


@dataclass
class EditOutcome:
    """The text after the edits that applied, and those that did not."""

    text: str
    applied: int = 0
    failures: list[EditFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and self.applied > 0


def parse_edit_blocks(reply: str) -> tuple[list[EditBlock], list[EditFailure]]:
    """The blocks of a reply, in order, and what could not be read (an unclosed block).

    Anything outside the markers (prose, fences, the file's name) is ignored.
    """
    blocks: list[EditBlock] = []
    problems: list[EditFailure] = []
    lines = reply.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if not _START.match(lines[i].rstrip("\r\n")):
            i += 1
            continue
        search: list[str] = []
        replace: list[str] = []
        j = i + 1
        while j < len(lines) and not _MIDDLE.match(lines[j].rstrip("\r\n")):
            search.append(lines[j])
            j += 1
        k = j + 1
        while k < len(lines) and not _END.match(lines[k].rstrip("\r\n")):
            replace.append(lines[k])
            k += 1
        if j >= len(lines) or k >= len(lines):
            problems.append(
                EditFailure(
                    None,
                    "an edit block is not closed (no ======= or "
                    ">>>>>>> REPLACE line); the reply was cut off?",
                )
            )
            break
        if any(_MIDDLE.match(line.rstrip("\r\n")) for line in replace):
            # Two dividers (a Markdown "=====" underline?): where SEARCH ends is a guess.
            problems.append(
                EditFailure(
                    None,
                    "an edit block has two ======= lines, so where its SEARCH part ends is unclear",
                )
            )
        else:
            blocks.append(EditBlock(_ending(search), _ending(replace)))
        i = k + 1
    return blocks, problems


def _ending(lines: list[str]) -> str:
    text = "".join(lines)
    return text if not text or text.endswith("\n") else text + "\n"


def _line_starts(text: str, needle: str) -> list[int]:
    """Where `needle` occurs in `text` starting at a line start (overlaps counted)."""
    found: list[int] = []
    start = 0
    while (pos := text.find(needle, start)) >= 0:
        if pos == 0 or text[pos - 1] == "\n":
            found.append(pos)
        start = pos + 1
    return found


def apply_edit(text: str, block: EditBlock) -> tuple[str, str | None]:
    """`text` with one edit made, or `text` unchanged and the reason it could not be made."""
    if not block.search.strip():
        if text.strip():
            return text, "its SEARCH part is empty, but the file is not"
        return block.replace, None  # an empty (or new) file: the block is its whole text
    # A file without a final newline still matches a SEARCH that ends its last line.
    padded = text if text.endswith("\n") else text + "\n"
    spots = _line_starts(padded, block.search)
    if not spots:
        return (
            text,
            "its SEARCH text is not in the file exactly (every character, space and line counts)",
        )
    if len(spots) > 1:
        return text, (
            f"its SEARCH text is in the file {len(spots)} times; "
            "it must name one place (add lines around it)"
        )
    pos = spots[0]
    result = padded[:pos] + block.replace + padded[pos + len(block.search) :]
    if not text.endswith("\n") and result.endswith("\n") and pos + len(block.search) == len(padded):
        result = result[:-1]  # keep the file's own missing final newline
    return result, None


def apply_edits(text: str, blocks: Sequence[EditBlock]) -> EditOutcome:
    """Apply each block in turn to the text left by the previous ones; failures are skipped
    and reported (the caller decides whether what applied may be kept)."""
    outcome = EditOutcome(text)
    for block in blocks:
        new, reason = apply_edit(outcome.text, block)
        if reason:
            outcome.failures.append(EditFailure(block, reason))
        else:
            outcome.text = new
            outcome.applied += 1
    return outcome


def describe_failures(failures: Sequence[EditFailure], limit: int = 5) -> str:
    """The failed edits as a short list for the model (or a person) to act on."""
    out: list[str] = []
    for n, f in enumerate(failures[:limit], 1):
        if f.block is None:
            out.append(f"{n}. {f.reason}")
            continue
        shown = f.block.search if len(f.block.search) <= 1200 else f.block.search[:1200] + "…\n"
        out.append(f"{n}. This edit was not made: {f.reason}.\n<<<<<<< SEARCH\n{shown}=======")
    if len(failures) > limit:
        out.append(f"…and {len(failures) - limit} more.")
    return "\n\n".join(out)
