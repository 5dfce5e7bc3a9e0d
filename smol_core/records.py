"""The small records every layer passes along: a listed file, and what a check found in one.

They sit below everything else (no imports of the package), so that the events, the project and
every step can name them without depending on the step that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    """One file of the project: where it goes and what it is for."""

    path: str
    purpose: str = ""


@dataclass(frozen=True)
class Finding:
    """One thing a check found in one file."""

    path: str
    line: int | None
    message: str
    kind: str
    # missing-file: the path referenced but not listed; undefined-name: the name;
    # script-unloaded / script-early: the script's path
    target: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
