"""An output the spec lays out line by line as `label: what` ("prints these, one per line:"
then `orders: <number of rows>`, `units: <total units sold>`): what every right program prints
of it is each label. Tied to the program's one way of running, where the spec gives one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import Example
from .words import SHOWS, quoted_commands, runnable

# The sentence before the layout: it says the program puts something out, and ends with ":".
_LEAD = re.compile(rf"\b(?:{SHOWS}|print|output|show|display|report)\b[^\n]*:\s*$", re.I)
# One line of the layout: a short label, a colon, then what goes there.
_LINE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?`?([A-Za-z][\w /().%#-]{0,30}?):\s*\S")


def listed_labels(spec: str) -> list[str]:
    """The labels (each with its colon) of each output laid out as `label: what` lines right
    after a sentence saying the program prints it: at least two lines, every line a label."""
    lines = spec.splitlines()
    found: list[str] = []
    for at, line in enumerate(lines):
        if not _LEAD.search(line):
            continue
        block: list[str] = []
        for nxt in lines[at + 1 :]:
            text = nxt.strip()
            if text.startswith(("```", "~~~")):
                continue
            if not text:
                if block:
                    break
                continue
            block.append(nxt)
        labels = [m.group(1).strip() + ":" for m in map(_LINE.match, block) if m]
        if len(labels) >= 2 and len(labels) == len(block):
            found += [x for x in labels if x not in found]
    return found


def with_labels(examples: Sequence[Example], spec: str) -> list[Example]:
    """The examples, with the labels the spec lays out expected of its one command: only
    where the spec runs its program one way (a program of subcommands prints other things
    for each), and only of a run that is to end cleanly with nothing else expected."""
    labels = listed_labels(spec)
    ways = {tuple(args) for args in quoted_commands(spec) if args and runnable((args, "", []))}
    if not labels or len(ways) != 1:
        return list(examples)
    (only,) = ways
    out = []
    for e in examples:
        commands = tuple(
            replace(c, contains=tuple(labels))
            if c.args == only and not c.checks_output and c.exit_code == 0
            else c
            for c in e.commands
        )
        out.append(replace(e, commands=commands))
    return out
