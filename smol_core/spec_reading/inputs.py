"""What a spec feeds the commands it writes out, asked of no model: the text piped in
(`echo "hello world" | python shout.py`), a file read through `<`, and the input files it gives
the content of ("with `sales.csv` containing" and a fenced block, "a file containing "a b""),
which are written into the example's copy before it runs."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from .words import SHOWS, command_item, said_status

# What a piped command reads: `echo "a b" | …` prints it and a newline, `printf 'a\nb' | …`
# prints it as written, its \n as line ends.
_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\\\": "\\"}


def _unescaped(text: str) -> str:
    return re.sub(r"\\[nt\\]", lambda m: _ESCAPES[m.group(0)], text)


def fed_command(
    command: str, spec: str, contents: Mapping[str, str], example: str = ""
) -> tuple[list[str], str, list[dict]] | None:
    """The command's own arguments, what it reads on standard input, and the input files the
    spec gives for it (path and content); None when the spec's command can't be run so: a pipe
    from another program, a file read that the spec gives no content for."""
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars="|<>;&")
        lexer.whitespace_split = True  # `a|b` quoted is one word; unquoted, a pipe
        words = list(lexer)
    except ValueError:
        return None
    feeder, args = (
        (words[: words.index("|")], words[words.index("|") + 1 :]) if "|" in words else ([], words)
    )
    if feeder and feeder[0] not in ("echo", "printf"):
        return None  # fed by another program: what it prints is not known here
    if feeder and feeder[0] == "printf" and "%" in " ".join(feeder[1:]).replace("%%", ""):
        return None  # a format with its arguments: not read here
    stdin = ""
    if feeder:
        escapes = feeder[0] == "printf" or "-e" in feeder[1:]
        newline = feeder[0] == "echo" and "-n" not in feeder[1:]
        text = " ".join(w for w in feeder[1:] if w not in ("-n", "-e"))
        stdin = (_unescaped(text) if escapes else text) + ("\n" if newline else "")
    given = []
    for arg in args[2:]:
        if re.fullmatch(r"[\w.-]+\.[A-Za-z]\w{0,4}", arg) and arg not in contents:
            content = given_content(spec, arg, example)
            if content is not None:
                given.append({"path": arg, "content": content})
    if "<" in args:
        at = args.index("<")
        read = args[at + 1] if at + 1 < len(args) else ""
        source = next((g["content"] for g in given if g["path"] == read), None)
        if source is None:
            return None
        args, stdin = args[:at] + args[at + 2 :], source
    if len(args) < 2 or any(set(a) <= set("|<>;&") for a in args):
        return None  # another pipe, a redirect of its output, a second command
    return args, stdin, given


# Where a spec gives a file's content: "with `sales.csv` containing" or "`sales.csv`:" and a
# fenced block, "`notes.txt` contains `a b`", or, in the sentence of the command, "a file
# containing "…"". Only its name quoted, right before: "prints:" and a block is an output, a
# block of `$ python …` a session, "lines of notes.txt containing `TODO`" no content.
FENCE = re.compile(r"```[^\n`]*\n(.*?)\n?```", re.S)
_CONTAINING = r"\b(?:contains|containing|holds|holding|with\s+the\s+(?:text|lines?|content))\b"
_LEAD = re.compile(rf"\s*:\s*|[^`.]{{0,40}}?{_CONTAINING}\s*:?\s*")  # from the name to its block
# One quoted text, not the first of several ("the lines `buy milk` and `TODO call`").
_QUOTED_TEXT = (
    r"\s*:?\s*(?:\"([^\"\n]*)\"|`([^`\n]+)`)"
    r"(?!\s*(?:,\s*|and\s+|then\s+)(?:\"|`(?!(?:python3?|node)\s)))"
)
_CONTAINS_QUOTED = re.compile(rf"\s+{_CONTAINING}{_QUOTED_TEXT}")  # "`notes.txt` contains `a b`"
_TOLD_OUTPUT = re.compile(rf"\b(?:{SHOWS})\b")


def given_content(spec: str, name: str, example: str = "") -> str | None:
    """The content the spec gives for the file `name`, or None when it gives none; a file
    given with no name ("for a file containing "a b"") is the one the example's text (from its
    command's sentence to its output) speaks of."""
    # Quoted, or bare right before its colon ("e.g. expenses.csv:" and a block).
    for m in re.finditer(rf"`{re.escape(name)}`|(?<![\w./`-]){re.escape(name)}(?=:)", spec):
        lead = _LEAD.match(spec, m.end())
        block = FENCE.match(spec, lead.end()) if lead and not _TOLD_OUTPUT.search(lead[0]) else None
        if block and not re.match(r"\s*[$%>]\s", block.group(1)):
            return block.group(1) + "\n"
        if quoted := _CONTAINS_QUOTED.match(spec, m.end()):
            return _unescaped(_text(quoted))
    said = list(re.finditer(rf"\bfile\s+{_CONTAINING}{_QUOTED_TEXT}", example))
    return _unescaped(_text(said[0])) if len(said) == 1 else None


def _text(quoted: re.Match) -> str:
    return quoted.group(1) if quoted.group(1) is not None else quoted.group(2)


# "If the file does not exist it prints `error: no such file` and exits with status 1".
_NO_FILE = re.compile(
    r"\b(?:if|when)\s+(?:the\s+)?(?:input\s+|given\s+)?file\s+(?:does\s+not|doesn't|"
    r"is\s+not|isn't|cannot\s+be)\s+(?:exist|there|found)|\b(?:if|when|for)\s+(?:the|a)"
    r"\s+(?:input\s+)?file\s+(?:is\s+)?missing\b|\b(?:a|the)\s+missing\s+file\b",
    re.I,
)


def missing_input(spec: str, items: list[dict]) -> list[dict]:
    """What the spec says a command does with a file that is not there: the first example that
    reads an input file it gives by name, run with that file not given."""
    base = next((i for i in items if len(i["commands"]) == 1 and i.get("input_files")), None)
    args = shlex.split(base["commands"][0]["args"]) if base else []
    if base is None or base["input_files"][0]["path"] not in args:
        return []  # none, or it reads the file through `<`: nothing names it
    for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", spec):
        said = re.search(r"\b(?:prints|outputs|shows|says|writes)\s+`([^`\n]+)`", sentence)
        status = said_status(re.sub(r"`[^`\n]*`", "``", sentence))
        if _NO_FILE.search(sentence) and (said or status is not None):
            return [
                command_item(
                    f"`{shlex.join(args)}` (the file not there)",
                    (args, "", []),
                    exit_code=status,
                    **({"contains": [said.group(1)]} if said else {}),
                )
            ]
    return []
