"""What changed between two versions of a project's files, as one unified diff."""

from __future__ import annotations

import difflib
from collections.abc import Mapping


def unified_diff(
    before: Mapping[str, str], after: Mapping[str, str], *, old: str = "a", new: str = "b"
) -> str:
    """One unified diff of every file added, changed or deleted, in path order."""
    out: list[str] = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if a == b:
            continue
        out += difflib.unified_diff(
            (a or "").splitlines(keepends=True),
            (b or "").splitlines(keepends=True),
            "/dev/null" if a is None else f"{old}/{path}",
            "/dev/null" if b is None else f"{new}/{path}",
        )
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)


def changed_paths(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """path → added | changed | deleted, for every path that differs."""
    out: dict[str, str] = {}
    for path in sorted(set(before) | set(after)):
        if path not in before:
            out[path] = "added"
        elif path not in after:
            out[path] = "deleted"
        elif before[path] != after[path]:
            out[path] = "changed"
    return out
