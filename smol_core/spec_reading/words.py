"""What a spec's words say of a command it writes out, shared by the readers of its examples
(written_examples, blocks, inputs): how its commands are quoted, a usage line's
placeholders, the status it ends with, and the words that make an output unknowable (a random
pick, today's date) or a program wait for a person (it asks)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

Fed = tuple[list[str], str, list[dict]]  # a command's own arguments, its input, the files given

RUN = r"(?:python3?|node)\s[^`\n]+"
COMMAND = rf"`({RUN})`"  # a command of the project's, quoted
QUOTED_COMMAND = re.compile(COMMAND)
NOT_A_COMMAND = r"(?!`(?:python3?|node)\s)"  # a place where no other quoted command starts
# An output given for instance: "like `4`", "e.g. `Friday`", "prints something like:".
LIKE = re.compile(r"\b(?:like|similar\s+to|e\.g\.?|for\s+(?:example|instance)|such\s+as)\b", re.I)
# The same, with what it reads piped in: "`echo "hello world" | python shout.py`".
FED_COMMAND = rf"`((?:(?:echo|printf)\s[^`|\n]*\|\s*)?{RUN})`"
# The verbs that say what a command puts out, one alternation for a regular expression: SAYS
# before a quoted output ("prints `4`", "should print", "answers"), SHOWS before words about it.
# "make `python a.py 2` print `4`", "must print": the plain verb only after a word that asks
# for it, or right after the command (never "does not print").
SAYS = (
    r"prints|outputs|(?:should|must|will|shall|would|to)\s+(?:print|output|show|display|return)|"
    r"(?<=`\s)(?:print|output|show|display|return)|shows|displays|writes|gives|returns|answers"
)
SHOWS = r"prints|outputs|shows|displays|writes|returns|gives"


PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_]+|<[^>]*>|\[[^\]]*\]|\.\.\.|…")


# A placeholder in an output the spec writes as a template: `total: N`, `<count> items`,
# `{name}`, `Hello, NAME!`, `1. milk ...`. Only the usual names of a value: an output in
# capitals (`HELLO THERE!!!`, `OK`) is literal.
OUTPUT_SLOT = re.compile(
    r"<[^<>\n]+>|\{[^{}\n]*\}|\.\.\.|…|(?<![\w-])(?:N|M|NUM|NUMBER|COUNT|TOTAL|AMOUNT|VALUE|"
    r"ID|INDEX|NAME|TEXT|WORD|ITEM|TITLE|DATE|PATH|FILE|FILENAME|MESSAGE|MSG|TASK|STRING|QUERY|"
    r"KEY|PRICE|SUM|RESULT|AVERAGE)(?![\w-])"
)
_SAMPLE_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:[.,]\d+)*(?![\w.])")


def fixed_parts(template: str, *, sample_numbers: bool = False) -> list[str] | None:
    """The parts of an output every right program prints, when `template` is one (a slot in
    it, or with `sample_numbers` a number of an output given for instance, `total: 20`): the
    text between the slots that has a letter in it (`total:`). None when it is no template."""
    slot = OUTPUT_SLOT
    if sample_numbers and _SAMPLE_NUMBER.search(template) and re.search(r"[A-Za-z]", template):
        slot = re.compile(f"{OUTPUT_SLOT.pattern}|{_SAMPLE_NUMBER.pattern}")
    if not slot.search(template):
        return None
    parts = (p.strip() for line in template.splitlines() for p in slot.split(line))
    return [p for p in dict.fromkeys(parts) if re.search(r"[A-Za-z]{2}", p)]


def command_item(name: str, fed: Fed, **expect: object) -> dict:
    """One command example as `parse_examples` reads it, with what the spec feeds it."""
    args, stdin, given = fed
    return {
        "kind": "command",
        "name": name[:80],
        "input_files": given,
        "commands": [{"args": shlex.join(args), "stdin": stdin, **expect}],
    }


def runnable(fed: Fed | None) -> bool:
    """Fed as the spec writes it, and no usage line (`python wc.py PATH`)."""
    return fed is not None and not any(PLACEHOLDER.fullmatch(w) for w in fed[0][2:])


ASKS = re.compile(
    r"\b(?:asks?|prompts?|waits?\s+for|reads?\s+(?:a|the)\s+\w+\s+from\s+the\s+"
    r"(?:keyboard|user))\b",
    re.I,
)
RANDOM = re.compile(r"\brandom\w*|\bshuffl\w*|\bsecrets\b|\bunpredictabl\w*", re.I)
# Outputs that change from one run to the next: "prints today's date, like `2024-03-01`".
CHANGING = re.compile(
    r"\b(?:today\w*|now|current(?:ly)?|clock|time\s+of\s+day|uuid|timestamp)\b", re.I
)


def paragraph_of(spec: str, at: int) -> str:
    start = max(spec.rfind("\n\n", 0, at), 0)
    end = spec.find("\n\n", at)
    return spec[start : end if end >= 0 else len(spec)]


def told(spec: str, match: re.Match) -> str:
    """An example's text: from the start of its command's sentence to its output."""
    at = match.start()
    start = max((spec.rfind(end, 0, at) + len(end) for end in _ENDS if end in spec[:at]), default=0)
    return spec[start : match.end()]


_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n\n")  # where a sentence ends


# "… prints `not found` and exits with status 1": the status, in the command's sentence.
STATUS = (
    re.compile(  # "exits with status 1", "fails with exit code 2", "exits 1"; not "ends 3 s later"
        r"\b(?:exits?|exiting|ends?|quits?|returns?|fails?)\s+(?:with\s+)?(?:an?\s+|the\s+)?"
        r"(?:exit\s+)?(?:status|code)\s+`?(\d{1,3})`?|\bexit(?:s|ing)?\s+(?:with\s+)?`?(\d{1,3})`?"
        r"(?!\s*(?:[a-z]*seconds?|s\b|ms\b|minutes?|times?|items?|lines?|dots?|results?|%))"
    )
)


def said_status(text: str) -> int | None:
    """The exit status `text` gives ("exits with status 1"), or None."""
    found = STATUS.search(text)
    return int(found.group(1) or found.group(2)) if found else None


_FAILS = re.compile(r"\bnon-?zero\b|\b(?:exits?|ends?|fails?)\s+with\s+an?\s+error\b")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n|`(?:python3?|node)\s")


def status(spec: str, match: re.Match) -> int | None:
    """The exit status the command's sentence gives (0 when it gives none), None when it says
    only that the command fails."""
    end = _SENTENCE_END.search(spec, match.end())
    sentence = spec[match.end(1) : end.start() if end else len(spec)]
    told = re.sub(r"`[^`\n]*`", "``", sentence)
    if (code := said_status(told)) is not None:
        return code if code < 256 else None
    return None if _FAILS.search(told) else 0


# A program a sentence runs with nothing after it ("`greet.py` prints `Hi` when run with no
# arguments"): its file, quoted alone, stands for the command that runs it.
NO_ARGUMENTS = re.compile(
    r"\b(?:with\s+no\s+(?:arguments?|args|options|parameters)|without\s+(?:any\s+)?"
    r"(?:arguments?|args|options|parameters)|(?:run|called|started|invoked)\s+"
    r"(?:as\s+it\s+is|on\s+its\s+own|by\s+itself|alone|plain))\b",
    re.I,
)
_BARE_FILE = re.compile(r"(?<!python )(?<!python3 )`([\w./-]+\.py)`")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?](?!\s)[^.!?\n]*)*(?:[.!?]|\n|$)")


def bare_runs(spec: str) -> str:
    """The spec with each program file that a sentence runs with no arguments quoted as the
    command that runs it (`greet.py` → `python greet.py`), so that the readers of quoted
    commands read that run too; nothing else changes."""

    def sentence(m: re.Match) -> str:
        text = m.group(0)
        if not NO_ARGUMENTS.search(text):
            return text
        return _BARE_FILE.sub(lambda f: f"`python {f.group(1)}`", text)

    return _SENTENCE.sub(sentence, spec)


# "`python calc.py add 2 3` prints 5": an output given as a bare number. Only one that ends its
# clause: "prints 3 lines" says how much, not what.
_BARE_NUMBER = re.compile(
    rf"(?P<head>{FED_COMMAND}[^`\n!?]{{0,60}}?\b(?:{SAYS})\s+)(?P<n>-?\d+(?:\.\d+)?)"
    # What may follow it: the clause's end, never more of a list ("prints 1, 2 and 3", "1. milk").
    r"(?=\s*$|\s*[;)(]|,(?!\s*-?\d)|\.(?=\s+[A-Z(`\"]|\s*$)|\s(?:and|or)\s(?!\s*-?\d)|"
    r"\s(?:but|when|if|for|instead|because|as|while|then)\b)"
)
# "(and `div 8 2` prints 4)": a program's arguments quoted alone, right after the command that
# runs it, with what they print.
_SHORT = re.compile(rf"`(?P<args>[a-z][\w-]*\s[^`\n]+)`(?=[^`\n.!?]{{0,30}}?\b(?:{SAYS})\b)")


def bare_outputs(spec: str) -> str:
    """The spec with the outputs it gives unquoted, quoted as its readers expect: a bare number
    after a command and its verb (`prints 5` → prints `5`), and a command's arguments quoted
    alone after a full command of the same program and subcommand (`div 8 2` → `python calc.py
    div 8 2`). Nothing else changes."""
    out = []
    for paragraph in re.split(r"(\n\s*\n)", spec):
        out.append(_BARE_NUMBER.sub(_quote_number, _full_commands(paragraph)))
    return "".join(out)


def _quote_number(m: re.Match) -> str:
    return f"{m['head']}`{m['n']}`"


def _full_commands(paragraph: str) -> str:
    def full(m: re.Match) -> str:
        before = [a for a in quoted_commands(paragraph[: m.start()]) if a and len(a) > 2]
        try:
            words = shlex.split(m["args"])
        except ValueError:
            return m.group(0)
        for args in reversed(before):
            if args[2] == words[0] and args[0] in ("python", "python3", "node"):
                return f"`{shlex.join([*args[:2], *words])}`"
        return m.group(0)

    return _SHORT.sub(full, paragraph)


def paragraphs(spec: str) -> list[str]:
    """The spec's paragraphs; each item of a list is one."""
    return re.split(r"\n\s*\n|\n(?=\s*[-*] )", spec)


def quoted_commands(text: str) -> Iterator[list[str] | None]:
    """The arguments of each command quoted in `text`, None for one that can't be split."""
    for m in QUOTED_COMMAND.finditer(text):
        try:
            yield shlex.split(m.group(1))
        except ValueError:
            yield None
