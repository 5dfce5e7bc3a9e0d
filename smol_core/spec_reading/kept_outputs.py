"""What a change request says of the project as it is: commands that must go on printing what
they print now ("`python main.py` prints exactly what it prints now", "the output of `python
app.py list` stays the same"), checked against the project before the change, the one place
that output is written down; options it adds to a program (`--chars`), which that
program's own help lists once it has them; and files it says to leave as they are ("don't
change the test file", "do not edit `test_stack.py`")."""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Mapping

from ..records import is_test_file
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


_OUTPUT_WORDS = re.compile(r"\b(?:output|prints?|printed|reports?|results?|shows?)\b", re.I)
_MAIN = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.M)


def kept_runs(text: str, contents: Mapping[str, str]) -> list[tuple[str, ...]]:
    """A program run bare whose output a request keeps without quoting a command ("the
    printed report stays identical"): the program the sentence names, or the project's one
    program (its one module, or its one with a `__main__` block)."""
    modules = own_modules(contents)
    mains = [p for p in modules if _MAIN.search(contents[p])]
    programs = mains or modules
    found: list[tuple[str, ...]] = []
    for sentence in spec_sentences(text):
        if not (_AS_NOW.search(sentence) and _OUTPUT_WORDS.search(sentence)):
            continue
        if any(True for _ in quoted_commands(sentence)):
            continue  # the command is quoted: kept_commands
        named = [p for p in _PROGRAM.findall(sentence) if p in programs]
        for program in named or (programs if len(programs) == 1 else []):
            if ("python", program) not in found:
                found.append(("python", program))
    return found


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


# "don't change", "do not edit", "without touching", "must not modify", "never rewrite": what
# follows, up to the end of its clause, is what stays as it is.
_HANDS_OFF = re.compile(
    r"\b(?:do(?:n['’]?t|\s+not)|never|without|must\s*not|mustn['’]?t|should\s*not|"
    r"shouldn['’]?t|may\s+not|can['’]?t|cannot)\s+(?:\w+\s+)?"
    r"(?:chang|edit|touch|modif|alter|rewrit|updat)\w*\b([^,;:]*)",
    re.I,
)
_LEAVE = re.compile(
    r"\b(?:leave|keep)\s+([^,;:]*?)\s+(?:alone|as\s+(?:it\s+is|they\s+are)|unchanged|untouched)\b",
    re.I,
)
_TESTS = re.compile(r"(?:unit\s+)?tests?(?:\s+files?|\s+scripts?|\s+suite)?\b", re.I)
# Words before the file itself ("the existing `test_x.py` file", "anything in main.py"); a
# clause that starts otherwise is about something else ("the output of main.py").
_LEAD = re.compile(
    r"^(?:\s|`|(?:the|a|any|this|that|these|those|its|existing|given|provided|original|"
    r"file|files|module|script|anything|code|in|of)\b)*",
    re.I,
)


def left_alone(text: str, files: Collection[str]) -> set[str]:
    """The project's files a request says not to change: the object of "don't change ..."
    (or "leave ... alone"), by name, or its test files where that object is the tests."""
    tests = [p for p in files if is_test_file(p)]
    found: set[str] = set()
    for sentence in spec_sentences(text):
        for match in [*_HANDS_OFF.finditer(sentence), *_LEAVE.finditer(sentence)]:
            clause = match.group(1)
            rest = clause[_LEAD.match(clause).end() :]  # type: ignore[union-attr]
            named = {p for p in files if _names(rest, p)}
            if any(_starts_with(rest, p) for p in named):
                found |= named
            elif _TESTS.match(rest):
                found |= set(tests)
    return found


def _names(text: str, path: str) -> bool:
    return re.search(rf"(?<![\w/.-]){_file(path)}(?![\w-])", text) is not None


def _starts_with(text: str, path: str) -> bool:
    return re.match(rf"{_file(path)}(?![\w-]|['’]s\b)", text) is not None


def _file(path: str) -> str:
    """A file's name as a pattern, under any folder."""
    return rf"(?:[\w.-]+/)*{re.escape(path.rsplit('/', 1)[-1])}"


# A request that keeps what it does not name: it says so, or it only adds (a command, an
# option, a file) and reports no fault. A fix may rightly change what an unnamed command
# prints (the figure it got wrong): there, only what the request names is checked.
_KEEPS_REST = re.compile(
    r"\b(?:change|touch|modify|alter)\s+nothing\s+else\b|\bnothing\s+else\s+(?:changes?|"
    r"should\s+change|must\s+change)\b|\b(?:everything|all)\s+else\s+(?:stays?|remains?|"
    r"(?:should|must)\s+(?:stay|remain|keep|work))\b|\bkeep\s+(?:the\s+rest|everything\s+else)\b",
    re.I,
)
# Adding a thing beside what is there: "Add a `total` command", "a new `--chars` option".
_ADDS_THING = re.compile(
    r"\b(?:add|adds|adding|introduce|support|create|new)\b[^.;:!?]{0,40}?\b(?:sub)?(?:commands?|"
    r"options?|flags?|switch(?:es)?|arguments?|files?|modules?|scripts?|functions?|methods?|"
    r"endpoints?|routes?|pages?|tests?)\b",
    re.I,
)
_FAULT = re.compile(
    r"\b(?:fix\w*|bugs?|wrong\w*|broken|incorrect\w*|mistakes?|errors?\s+in)\b", re.I
)
_DOCUMENTED = re.compile(
    r"^[ \t]*(?:\$[ \t]*)?(python3?[ \t]+[\w./-]+\.py(?:[ \t]+[^\n`#]*)?)$", re.M
)


def untouched_commands(text: str, contents: Mapping[str, str]) -> list[tuple[str, ...]]:
    """The commands the project documents (a usage line of a docstring or the README, a
    command its README quotes) that a request keeping the rest (it says so, or it adds a
    command, an option, a file... and reports no fault) leaves alone: every argument
    written out (no `NAME` to fill in), none of them a word the request uses. A program run
    bare or asked for its help is left out: its usage lists what the change adds."""
    if not (_KEEPS_REST.search(text) or (_ADDS_THING.search(text) and not _FAULT.search(text))):
        return []
    words = {w.lower() for w in re.findall(r"[\w-]+(?:\.\w+)*", text)}
    found: list[tuple[str, ...]] = []
    for path, body in contents.items():
        if not path.lower().endswith((".py", ".md", ".txt", ".rst")):
            continue
        written = [m.group(1) for m in _DOCUMENTED.finditer(body)]
        if not path.endswith(".py"):
            written += [" ".join(a) for a in quoted_commands(body) if a]
        for line in written:
            try:
                args = tuple(shlex.split(line))
            except ValueError:
                continue
            rest = args[2:]
            if (
                not rest
                or args[1] not in contents
                or any(PLACEHOLDER.fullmatch(a) or a in ("-h", "--help") for a in rest)
                or any(a.lower() in words for a in rest)
                or args in found
            ):
                continue
            found.append(args)
    return found
