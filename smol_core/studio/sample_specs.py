"""Example specs a person can start from: Markdown files in smol_core/studio/example_specs/."""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).with_name("example_specs")


def list_examples() -> dict[str, str]:
    """Title (the file's first line, without '#') → spec text, in file-name order."""
    out: dict[str, str] = {}
    for path in sorted(EXAMPLES_DIR.glob("*.md")):
        text = path.read_text(encoding="utf-8").strip()
        first, _, rest = text.partition("\n")
        out[first.lstrip("# ").strip()] = rest.strip()
    return out
