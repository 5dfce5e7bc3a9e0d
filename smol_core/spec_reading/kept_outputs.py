"""Commands a change request says must go on printing what they print now ("`python main.py`
prints exactly what it prints now", "the output of `python app.py list` stays the same"): a
refactor, a rename or a split is checked against the project as it was before the change,
the one place that output is written down."""

from __future__ import annotations

import re

from .grounding import spec_sentences
from .words import PLACEHOLDER, bare_runs, quoted_commands

# "what it prints now", "as they are now", "as before", "stays the same", "unchanged", "keeps
# its output". Words of any request that keeps behaviour, not of one phrasing.
_AS_NOW = re.compile(
    r"\b(?:(?:what|as)\s+(?:it|they|this|these)\s+(?:do(?:es)?|prints?|outputs?|shows?|gives?|"
    r"returns?)\s+(?:now|today|currently|before|at\s+the\s+moment)|"
    r"as\s+(?:it\s+is|they\s+are|it\s+does|they\s+do)\s+(?:now|today|currently)|as\s+before|"
    r"(?:stays?|remains?|keeps?|kept)\s+(?:exactly\s+)?(?:the\s+same|unchanged|identical)|"
    r"unchanged|the\s+same\s+(?:output|as\s+(?:now|before))|"
    r"(?:still|keeps?\s+on)\s+(?:prints?|prints\s+out|outputs?)\s+(?:exactly\s+)?the\s+same)\b",
    re.I,
)


def kept_commands(text: str) -> list[tuple[str, ...]]:
    """The commands quoted in a sentence that says their output stays as it is now, as
    written (a usage line with placeholders has no one output: left out)."""
    found: list[tuple[str, ...]] = []
    for sentence in spec_sentences(bare_runs(text)):
        if not _AS_NOW.search(sentence):
            continue
        for args in quoted_commands(sentence):
            if not args or any(PLACEHOLDER.fullmatch(a) for a in args[2:]):
                continue
            if tuple(args) not in found:
                found.append(tuple(args))
    return found
