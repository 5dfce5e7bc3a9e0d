"""Examples a spec writes in fenced blocks, asked of no model: a command's whole output after
"prints:", and a terminal session (`$ python todo.py add milk` and the lines it printed), run in
turn in one folder."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from .inputs import FENCE, fed_command
from .words import (
    ASKS,
    CHANGING,
    FED_COMMAND,
    LIKE,
    NOT_A_COMMAND,
    PLACEHOLDER,
    RANDOM,
    command_item,
    paragraph_of,
    runnable,
    status,
    told,
)

_BLOCK_OUTPUT = re.compile(
    FED_COMMAND + r"(?:" + NOT_A_COMMAND + r"[^\n.!?`]|[.!?](?!\s)){0,120}?"
    r"\b(?:prints|outputs|should\s+print|shows|displays|writes)\b[^`\n.]{0,40}:\s*\n\s*"
    r"```[^\n`]*\n(.*?)\n?```",
    re.S,
)
# A terminal session in a fenced block: "$ python todo.py add milk", then what it printed.
_PROMPT = re.compile(r"^\s*[$%>]\s+(.+)$")
# What an error prints: a session that shows it doesn't show the status it ends with.
_ERROR_WORDS = re.compile(
    r"\b(?:error|usage|not\s+found|invalid|unknown|no\s+such|missing|"
    r"cannot|can't)\b",
    re.I,
)


# A block no output can be expected of: what a random pick or today's date prints, a program that
# asks (a line with its question and the answer typed after it), a server that runs on.
_ANSWERED = re.compile(
    r"\?\s+\S|^\s*(?:enter|type|input|choose|pick|guess|your)\b[^:]*:\s+\S", re.I
)
_SERVES = re.compile(r"\b(?:serving|listening|running\s+on|started\s+on)\b|https?://", re.I)


def _unknowable(context: str, printed: str) -> bool:
    """Whether what a block shows can't be expected: the words around it say it changes or
    waits for a person, or the block is a server's, or a question answered at its prompt."""
    if RANDOM.search(context) or CHANGING.search(context) or ASKS.search(context):
        return True
    return any(_SERVES.search(line) or _ANSWERED.search(line) for line in printed.splitlines())


_INDENTED = re.compile(r"(?:(?<=\n\n)|\A)((?:(?: {4}|\t)[^\n]*\n?(?:[ \t]*\n(?= {4}|\t))*)+)")


def indented_as_fenced(spec: str) -> str:
    """The spec with each block of code written indented (four spaces or a tab, after a blank
    line: Markdown's other way of writing one) fenced instead, so that every reader of fenced
    blocks reads it too; fenced blocks and everything else are left as they are."""
    out, at = [], 0
    for fence in [*FENCE.finditer(spec), None]:
        end = fence.start() if fence else len(spec)
        out.append(_INDENTED.sub(_fence, spec[at:end]))
        if fence:
            out.append(fence.group(0))
            at = fence.end()
    return "".join(out)


def _fence(m: re.Match) -> str:
    lines = m.group(1).rstrip("\n").split("\n")
    body = "\n".join(line[4:] if line.startswith("    ") else line[1:] for line in lines)
    return f"```\n{body}\n```\n"


def transcripts(spec: str, contents: Mapping[str, str]) -> list[dict]:
    """Each fenced block written as a terminal session of the project's own commands, as one
    session: the commands in turn in one folder, each printing exactly the lines under it.
    A block with any other command (`cd`, `cat`, `ls`) is not read: it sets up what can't be."""
    out = []
    for block in FENCE.finditer(spec):
        commands: list[dict] = []
        given: dict[str, dict] = {}
        for line in block.group(1).splitlines():
            prompt = _PROMPT.match(line)
            if prompt is None:
                if commands:
                    commands[-1]["lines"].append(line.rstrip())
                continue
            fed = fed_command(prompt.group(1).strip(), spec, contents)
            if fed is None or not re.match(r"(?:python3?|node)$", fed[0][0]):
                commands = []
                break
            given.update((f["path"], f) for f in fed[2])
            commands.append({"args": shlex.join(fed[0]), "stdin": fed[1], "lines": []})
        if not commands or any(
            PLACEHOLDER.fullmatch(w) for c in commands for w in shlex.split(c["args"])[2:]
        ):
            continue
        context = paragraph_of(spec, max(block.start() - 2, 0))
        if RANDOM.search(spec):
            context = spec  # a session of a program of chance shows one draw of many
        if any(_unknowable(context, "\n".join(c["lines"])) for c in commands):
            continue
        for command in commands:
            lines = command.pop("lines")
            printed = "\n".join(lines).strip("\n")
            command["exit_code"] = None if _ERROR_WORDS.search(printed) else 0
            if any(line.strip() in ("...", "…") for line in lines):  # "…": more lines, not shown
                command["contains"] = [
                    line for line in lines if line.strip() not in ("", "...", "…")
                ]
            else:
                command["output"] = printed
        told = ", then ".join(f"`{c['args']}`" for c in commands)
        out.append(
            {
                "kind": "command",
                "name": f"the session: {told}"[:80],
                "commands": commands,
                "input_files": list(given.values()),
                "session": True,
            }
        )
    return out


def block_outputs(spec: str, contents: Mapping[str, str]) -> list[dict]:
    """A command written as "`python greet.py Ada` prints:" and a fenced block, the block its
    whole output."""
    items = []
    for match in _BLOCK_OUTPUT.finditer(spec):
        fed = fed_command(match.group(1).strip(), spec, contents, told(spec, match))
        lead = spec[match.end(1) : match.start(2)]
        if LIKE.search(lead) or _unknowable(paragraph_of(spec, match.start()), match[2]):
            continue  # "prints something like:"; a random pick, a question, a server
        if fed is not None and runnable(fed):
            items.append(
                command_item(
                    f"`{match[1]}` prints its block",
                    fed,
                    exit_code=status(spec, match),
                    output=match.group(2),
                )
            )
    return items
