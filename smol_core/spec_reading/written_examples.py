"""Examples read off the spec itself, asked of no model: the commands it writes out with what
they print, the calls it writes out with what they return, a server it starts and the answers
it gives. Exact where the spec is exact; what can't be read this way is left to the model's
examples (model_examples.py)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping

from ..records import Command, Example
from ..running.programs import refusal
from .blocks import block_outputs, transcripts
from .inputs import fed_command, missing_input
from .model_examples import parse_examples
from .words import (
    ASKS,
    CHANGING,
    FED_COMMAND,
    LIKE,
    NO_ARGUMENTS,
    NOT_A_COMMAND,
    PLACEHOLDER,
    QUOTED_COMMAND,
    RANDOM,
    SAYS,
    SHOWS,
    command_item,
    fixed_parts,
    paragraph_of,
    paragraphs,
    quoted_commands,
    runnable,
    status,
    told,
)

# "`python convert.py 100 --to f` prints `212.0`": a command and its output, both quoted, with
# a verb between. Read straight from the spec, no model involved: exact by construction.
_SPEC_EXAMPLE = re.compile(
    FED_COMMAND  # the command
    + r"(?:"
    + NOT_A_COMMAND
    + r"[^\n]|\n(?![ \t]*\n)){0,200}?"  # same paragraph, no other command
    + rf"(?:\b(?:{SAYS})\b|→|->|=>)"
    # What it prints: the next quoted text of the same sentence ("prints them numbered.
    # `README.md` explains…" is not an example).
    r"(?:[^`\n.;!?]|[.;!?](?!\s)|\n(?![ \t]*\n)){0,40}?`([^`\n]*)`"
)


# More of what the same command prints, quoted right after the first: "`A`, `B` and then `C`".
_MORE = re.compile(
    r"\s*(,\s*(?:and\s+)?(?:then\s+)?|\s+and\s+(?:then\s+)?|\s+then\s+|"
    r"\s+followed\s+by\s+|,?\s+and\s+on\s+the\s+next\s+line\s+)`([^`\n]*)`"
)
_EITHER = re.compile(r"\s*,?\s+or\s+`")
_LINES = re.compile(r"\blines?\b|\bthen\b|\bnext\b|\bfollowed\b|\bone\s+per\b|\beach\b", re.I)


def _more_output(spec: str, at: int) -> Iterator[re.Match]:
    """The quoted outputs that follow the one ending at `at` in a list, up to any command."""
    while (m := _MORE.match(spec, at)) and not QUOTED_COMMAND.fullmatch(f"`{m.group(2)}`"):
        yield m
        at = m.end()


def spec_examples(spec: str, contents: Mapping[str, str]) -> list[Example]:
    """The command examples a spec writes out (command and output quoted), as checks."""
    items, exact = _exact_outputs(spec, contents)
    items += _contained_outputs(spec, contents, exact)
    items += block_outputs(spec, contents) + transcripts(spec, contents)
    items += missing_input(spec, items)
    # A command with nothing expected of it, that another example runs and checks, is that one.
    checked = {c["args"] for item in items for c in item["commands"] if _expects(c)}
    items = [
        i for i in items if _expects(i["commands"][0]) or i["commands"][0]["args"] not in checked
    ]
    found = parse_examples({"examples": _in_turn(items)}, spec, contents)
    return [e for e in found if not any(refusal(c.args, contents) for c in e.commands)]


def _exact_outputs(spec: str, contents: Mapping[str, str]) -> tuple[list[dict], set[int]]:
    """Each example written as "`python convert.py 100` prints `212.0`", and where each starts."""
    items, exact = [], set()
    for match in _SPEC_EXAMPLE.finditer(spec):
        output = match.group(2)
        if not _of_the_command(spec[match.end(1) : match.start(2)]):
            continue  # "… An invalid date prints `invalid date`": another case's output
        exact.add(match.start())
        if _NEGATED.search(spec[match.end(1) : match.start(2)]):
            continue  # "does not print `x`", "never prints `x` twice": not what it prints
        wrong = bool(_WRONG_NOW.match(spec, match.end()))
        fed = fed_command(match.group(1).strip(), spec, contents, told(spec, match))
        if fed is None or not runnable(fed):
            continue  # a pipe from another program, a file the spec gives nothing of, a usage line
        between = spec[match.end(1) : match.start(2)]
        answers = _answers(between)
        random = RANDOM.search(paragraph_of(spec, match.start()))
        if random and (answers or ASKS.search(told(spec, match))):
            continue  # a game of chance: what it answers to a guess is not known
        if wrong:
            # "prints `194.2` but 212°F is 100°C": a bug told, not what it must print. What is
            # known of the fix: it prints something else, and ends cleanly; and what it prints,
            # where the report goes on to quote it ("it should print `100.0`").
            right = _RIGHT_NEXT.match(spec, match.end())
            said = right and (right.group(1) or right.group(2))
            name = (
                f"`{match[1].strip()}` prints `{said}`, not `{output}`"
                if said
                else (f"`{match[1].strip()}` no longer prints `{output}`")
            )
            fixed = {"output": said} if said else {}
            items.append(command_item(name, fed, not_output=[output], **fixed))
            continue
        if answers and not fed[1]:
            # "asks for a name; entering `Ada` prints `Hello, Ada!`": read from its input, after
            # the question it prints.
            items.append(
                command_item(
                    f"`{match[1].strip()}` given {', '.join(answers)}",
                    (fed[0], "\n".join(answers) + "\n", fed[2]),
                    exit_code=status(spec, match),
                    contains=[output],
                )
            )
            continue
        if ASKS.search(told(spec, match)) and not fed[1]:
            continue  # it asks, and the spec gives no answer: it would end on an empty input
        if random or CHANGING.search(spec[match.end(1) : match.start(2)]):
            items.append(
                command_item(f"`{match[1].strip()}` runs", fed, exit_code=status(spec, match))
            )
            continue  # what a random pick, or today's date, prints is not known
        expect: dict = {"output": output}
        more = list(_more_output(spec, match.end()))
        if more:
            # "prints two lines: `Tip: 10.00` and then `Total: 60.00`": each line, in turn.
            # Listed with no word of lines ("prints `a`, `b` and `c`"), the layout is not known:
            # what it must contain.
            parts = [output, *(m.group(2) for m in more)]
            lines = _LINES.search(spec[match.start() : more[-1].end()])
            expect = {"output": "\n".join(parts)} if lines else {"contains": parts}
        elif _EITHER.match(spec, match.end()) or _partial(spec, match) or _ANY.search(between):
            # "prints `yes` or `no`": either; "prints the numbers 1 to 15, but prints `Fizz`
            # for multiples of 3": a part, under a condition; "prints a number, like `4`": one
            # of many. It must end cleanly.
            expect = {}
        elif _COMPARED.match(spec, match.end()):
            expect = {}  # "…, like `ls` does": another program compared, not an output
        elif LIKE.search(between):
            # "prints the total, like `5.75`": in its output; "like `total: 20`": its label.
            expect = _for_instance(output)
        # A status of None: it fails, with a status the spec doesn't give (any status).
        items.append(
            command_item(
                f"`{match[1].strip()}` prints `{output}`",
                fed,
                exit_code=status(spec, match),
                **expect,
            )
        )
    return items, exact


_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|nothing)\b|n't\b", re.I)
_COMPARED = re.compile(r"\s+(?:does|do|would|command|tool|program)\b")
# Words after an output that say it is what the program does now and should not: a bug report.
_WRONG_NOW = re.compile(
    r"\W{0,3}\s*(?:but|however|although|though|which\s+is\s+(?:wrong|incorrect|not\s+right)|"
    r"(?:and\s+)?that(?:'s|\s+is)\s+(?:wrong|incorrect|not\s+right))\b",
    re.I,
)


# After a bug told, the right output quoted close by: "it should print `8`", "expected `8`".
_RIGHT_NEXT = re.compile(
    r"[^`\n]{0,80}?\b(?:should|must|ought\s+to|is\s+supposed\s+to)\s+(?:(?:instead|really|"
    r"rather)\s+)?(?:print|output|show|say|give|return|read)s?\b\s*:?\s*`([^`\n]+)`|"
    r"[^`\n]{0,80}?\b(?:expected|want(?:ed)?)\s*:?\s*`([^`\n]+)`",
    re.I,
)


def _contained_outputs(spec: str, contents: Mapping[str, str], exact: set[int]) -> list[dict]:
    """A line of the output ("the last line of `…` is `FizzBuzz`"), or an output told in words
    and then for instance ("prints the weekday, e.g. `Friday`"): what the output contains."""
    items = []
    for match in (*_LINE_OF.finditer(spec), *_FOR_INSTANCE.finditer(spec)):
        if match.start() in exact or QUOTED_COMMAND.fullmatch(f"`{match[2]}`"):
            continue  # given exactly; or "e.g. `python c.py 1` prints `2`": that example
        if CHANGING.search(match[0]) or RANDOM.search(match[0]) or _ANY.search(match[0]):
            continue  # "today's date, e.g. `2024-03-01`", "a number, e.g. `4`": one of many
        fed = fed_command(match.group(1).strip(), spec, contents, told(spec, match))
        if fed is not None and runnable(fed):
            items.append(
                command_item(
                    f"`{match[1]}` prints `{match[2]}`",
                    fed,
                    exit_code=status(spec, match),
                    **_for_instance(match.group(2)),
                )
            )
    return items


def _for_instance(output: str) -> dict:
    """What an output given for instance asks of the real one: to contain it, or where it
    has a label and numbers (`total: 20`), the label: the numbers are one case of many."""
    parts = fixed_parts(output, sample_numbers=True)
    if parts is None:
        return {"contains": [output]}
    return {"contains": parts} if parts else {}


# "entering `Ada`", "type `2` and `3` when asked": what a person answers the program's questions.
_ANSWER = re.compile(
    r"\b(?:enter(?:s|ing)?|typ(?:e|es|ing)|answer(?:s|ing)?(?:\s+with)?|"
    r"input(?:s|ting)?|respond(?:s|ing)?\s+with|repl(?:y|ies|ying)\s+with)\s+"
    r"(?:in\s+)?`([^`\n]*)`((?:\s*(?:,|and|then|,\s*then|,\s*and)\s+`[^`\n]*`)*)",
    re.I,
)


def _answers(between: str) -> list[str]:
    """The answers the text between a command and its output types in, in turn."""
    found = _ANSWER.search(between)
    if not found:
        return []
    return [found.group(1), *re.findall(r"`([^`\n]*)`", found.group(2))]


_VERB = re.compile(rf"\b(?:{SAYS})\b|→|->|=>")
_ITS_OWN = re.compile(
    r"\b(?:it|this|that|the\s+(?:program|script|command|tool|output))\s+"
    r"(?:then\s+|also\s+|now\s+)?$",
    re.I,
)


def _of_the_command(between: str) -> bool:
    """Whether the output after this text (from the command to its quoted output) is the
    command's: said in its own sentence, or in a later one whose subject is it ("For a file
    containing "a b" it prints `2`"), not another case's ("An invalid date prints `bad`")."""
    ends = list(re.finditer(r"[.!?]\s", between))
    if not ends:
        return True
    sentence = between[ends[-1].end() :]
    verbs = list(_VERB.finditer(sentence))
    return bool(verbs) and bool(_ITS_OWN.search(sentence[: verbs[-1].start()]))


def _expects(command: dict) -> bool:
    return "output" in command or "contains" in command


# "prints something like `4`": an output for instance; "prints a number, like `4`": one of many.
_ANY = re.compile(rf"\b(?:{SHOWS})\s+(?:out\s+)?(?:a|an|some|any|one|your)\b", re.I)


# "So the last line of `python fizz.py 15` is `FizzBuzz`": a line the output holds.
_LINE_OF = re.compile(
    r"\b(?:first|last|final|second|third)\s+line\s+(?:of|printed\s+by)\s+"
    + FED_COMMAND
    + r"\s+(?:is|reads|says|should\s+be)\s*:?\s*`([^`\n]+)`"
)
# "`python weekday.py 2024-03-01` prints the day of the week of the date, e.g. `Friday`".
_FOR_INSTANCE = re.compile(
    FED_COMMAND + r"(?:" + NOT_A_COMMAND + r"[^\n.!?`]|[.!?](?!\s)|\n(?![ \t]*\n)){0,200}?"
    r"\b(?:prints?|outputs?|shows?|displays?|writes?|returns?)\b[^`\n]{0,120}?"
    r"(?:\be\.g\.|\bfor\s+(?:example|instance)\b|\bsuch\s+as\b|\blike\b),?\s*`([^`\n]+)`"
    # "…, like `ls` does": another program compared, not an output.
    r"(?!" + _COMPARED.pattern + ")"
)
# Words saying the quoted output is printed only in some cases: "`Fizz` for multiples of 3",
# "prints the numbers 1 to 15, but prints `Fizz`…".
_CONDITION = re.compile(r"\s+(?:for|when|if|whenever|unless|instead|only|on)\b")
_EXCEPT = re.compile(r"\b(?:but|except|except\s+that|instead)\s+(?:it\s+)?\w+\W*$")


def _partial(spec: str, match: re.Match) -> bool:
    """Whether the quoted output is printed only in some cases, not the command's whole output."""
    told = spec[match.end(1) : match.start(2) - 1]
    condition = _CONDITION.match(spec, match.end())
    if condition and len(match.group(1).split()) == 2:
        # "`greet.py` prints `Hi` when run with no arguments": the case of this very command.
        rest = re.split(r"[.;!?](?:\s|$)", spec[condition.end() :], maxsplit=1)[0]
        if NO_ARGUMENTS.search(rest[:80]):
            return bool(_EXCEPT.search(told))
    return bool(condition or _EXCEPT.search(told))


# Subcommands that make state, and those that take it away: a sequence of one program's
# subcommands runs the first kind first and the second last (`add`, then `list`, then `clear`).
_MAKES = re.compile(
    r"add|new|create|set|put|push|insert|save|store|record|append|write|"
    r"register|init|start|log|track|enter|post|deposit|import|load"
)
_TAKES = re.compile(r"clear|delete|remove|rm|del|reset|drop|clean|purge|wipe|pop|erase")


def _in_turn(items: list[dict]) -> list[dict]:
    """The examples of one program's subcommands (`shop.py add eggs` prints `added eggs`,
    `shop.py list` prints `1. eggs`) as one sequence in one folder: the spec tells of one
    session, and `list` run alone in a fresh folder prints nothing (a right program failed
    it, and its repair was taught to print an item it never had)."""
    groups: dict[tuple[str, ...], list[tuple[int, list[str]]]] = {}
    for index, item in enumerate(items):
        try:
            args = shlex.split(item["commands"][0]["args"])
        except ValueError:
            continue
        if len(item["commands"]) > 1 or item.get("session"):
            continue  # a session already: its commands stay in its order
        if len(args) > 2 and re.fullmatch(r"[a-z][a-z_-]*", args[2]):
            groups.setdefault(tuple(args[:2]), []).append((index, args))
    sessions: dict[int, dict] = {}
    folded: set[int] = set()
    for program, members in groups.items():
        if len({args[2] for _, args in members}) < 2:
            continue
        members.sort(key=lambda member: _rank(member[1][2]))  # stable: spec order within a kind
        told = ", then ".join(f"`{shlex.join(args[2:])}`" for _, args in members)
        first = min(index for index, _ in members)
        given = {f["path"]: f for index, _ in members for f in items[index].get("input_files", [])}
        sessions[first] = {
            "kind": "command",
            "name": f"{program[1]}: {told}"[:80],
            "commands": [items[index]["commands"][0] for index, _ in members],
            "input_files": list(given.values()),
        }
        folded.update(index for index, _ in members if index != first)
    return [sessions.get(i, item) for i, item in enumerate(items) if i not in folded]


def _rank(subcommand: str) -> int:
    return 0 if _MAKES.fullmatch(subcommand) else 2 if _TAKES.fullmatch(subcommand) else 1


# Sample values for the placeholders of a usage line: a word for a text, 1 for a number (an id
# given after an `add` is then the first item). A file, a port or anything else: not filled.
_SAMPLE = {
    "1": re.compile(r"N|NUM|NUMBER|COUNT|AMOUNT|ID|INDEX|VALUE|X|Y|[A-Z]?_?(?:ID|NUM)"),
    "hello": re.compile(r"TEXT|WORD|NAME|MESSAGE|MSG|TITLE|ITEM|NOTE|TASK|STRING|QUERY"),
}
# A paragraph that speaks of failing is not run with an exit status of 0 expected, nor one of a
# program that asks for input (it would end on an empty stdin).
_FAILING_WORDS = re.compile(
    r"\b(?:exit|exits|status|error|errors|fail|fails|invalid|usage|asks?|"
    r"prompts?|interactive|enters?|types?|stdin|input)\b",
    re.I,
)


def spec_commands(spec: str, contents: Mapping[str, str]) -> list[Example]:
    """The project's commands a spec writes out without their output (`python notes.py add
    TEXT`, `python notes.py list`), run in the spec's order in one folder, each expected to end
    cleanly: the checks a model would make of such a spec, asked of none. [] unless every
    command quoted can be run as written or with a sample for its placeholders."""
    commands: list[tuple[str, ...]] = []
    for paragraph in paragraphs(spec):
        for args in quoted_commands(paragraph):
            if args is None:
                return []
            filled = tuple(_sample(a) for a in args)
            if "" in filled or refusal(filled, contents) or _FAILING_WORDS.search(paragraph):
                return []
            if filled not in commands:
                commands.append(filled)
    if not commands or len(commands) > 6:
        return []
    return [
        Example(
            "the description's commands, in order",
            "command",
            tuple(Command(c, exit_code=0) for c in commands),
        )
    ]


def _sample(arg: str) -> str:
    """The argument as given, a sample for a placeholder, or "" for one with no safe sample."""
    if not PLACEHOLDER.fullmatch(arg) and not re.fullmatch(r"[A-Z]", arg):
        return arg
    return next((value for value, word in _SAMPLE.items() if word.fullmatch(arg)), "")
