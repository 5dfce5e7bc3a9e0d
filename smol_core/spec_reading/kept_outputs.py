"""What a change request says of the project as it is: commands that must go on printing what
they print now ("`python main.py` prints exactly what it prints now", "the output of `python
app.py list` stays the same"), checked against the project before the change, the one place
that output is written down; and options it adds to a program (`--chars`), which that
program's own help lists once it has them."""

from __future__ import annotations

import re
from collections.abc import Collection

from .grounding import spec_sentences
from .words import PLACEHOLDER, bare_runs, quoted_commands
from .written_calls import own_modules

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


# "Add a `--chars` option to count.py", "support a new flag --dry-run in sync.py".
_ADDS = re.compile(r"\b(?:add|adds|adding|new|support|accept|introduce)\b", re.I)
_OPTION = re.compile(r"(?<![\w-])`?(--[a-z][a-z0-9-]*)`?(?![\w-])")
_PROGRAM = re.compile(r"(?<![\w/.-])`?([\w/-]+\.py)`?")


def added_options(text: str, files: Collection[str]) -> list[tuple[str, str]]:
    """(program, option) for each option a sentence of the request adds to a program of the
    project: the program it names, or the project's only one."""
    programs = own_modules(files)
    found: list[tuple[str, str]] = []
    for sentence in spec_sentences(text):
        if not _ADDS.search(sentence):
            continue
        named = [p for p in _PROGRAM.findall(sentence) if p in programs]
        program = named[0] if named else programs[0] if len(programs) == 1 else None
        if program is None:
            continue
        for option in _OPTION.findall(sentence):
            if (program, option) not in found and option not in ("--help", "--version"):
                found.append((program, option))
    return found
