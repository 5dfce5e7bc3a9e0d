"""Examples held to what the spec says: the spec cut into sentences, a text kept only if the spec
says it (or gives it for instance only), a command's exit status and input files as its own
sentence gives them. `model_examples` reads the model's examples through these."""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from ..records import Command, Example
from .inputs import _NO_FILE, given_content
from .words import _FAILS, LIKE, PLACEHOLDER, QUOTED_COMMAND, said_status

_NUMBER = re.compile(r"-?\d{1,3}")
_DATA_FILE = re.compile(r"[\w./-]+\.(?:txt|csv|tsv|json|jsonl|md|log|dat|xml|ya?ml|ini|toml)", re.I)
_FOR_INSTANCE = re.compile(rf"(?:{LIKE.pattern})\W{{0,3}}$", re.I)


def _grounding(spec: str) -> str:
    return _squash(spec)


def _squash(text: str) -> str:
    return " ".join(text.replace("`", " ").replace('"', " ").replace("'", " ").split()).lower()


def _module_only(commands: Sequence[Command], spec: str, named: str) -> bool:
    """The description calls its code a module (or library, package) and never writes out
    running the file these commands run (`python X.py`, in the spec or the plan)."""
    if not re.search(r"\b(?:module|library|package)\b", spec, re.I):
        return False
    for command in commands:
        args = command.args
        if len(args) >= 2 and args[0].startswith("python") and args[1].endswith(".py"):
            if f"python {_squash(args[1])}" in named or f"python3 {_squash(args[1])}" in named:
                return False
        else:
            return False
    return True


def _expected(value: str, grounded: str, files: Collection[str]) -> bool:
    """Said by the spec, and not only the name of one of the project's own files: the spec
    names its files in backticks, and a small model took `README.md` for what `list` prints."""
    names = {f.lower() for f in files} | {f.rsplit("/", 1)[-1].lower() for f in files}
    lines = [line.strip().strip("`'\"").lower() for line in value.splitlines() if line.strip()]
    return _said(value, grounded) and not (lines and all(line in names for line in lines))


def filled_outputs(args: Sequence[str], spec: str) -> set[str]:
    """What the spec says a command prints once its placeholders are filled: `python greet.py
    NAME` prints `Hello, NAME!`, so `python greet.py Ada` prints "Hello, Ada!" (squashed). Only
    the outputs quoted after the command in its own sentence; none given for instance."""
    out: set[str] = set()
    if len(args) < 2 or not spec:
        return out
    for sentence in spec_sentences(spec):
        for m in QUOTED_COMMAND.finditer(sentence):
            try:
                words = shlex.split(m.group(1))
            except ValueError:
                continue
            if len(words) != len(args) or words[:2] != list(args[:2]):
                continue
            fills = {
                w: a for w, a in zip(words[2:], args[2:], strict=True) if PLACEHOLDER.fullmatch(w)
            }
            if not fills or any(
                w != a for w, a in zip(words[2:], args[2:], strict=True) if w not in fills
            ):
                continue
            rest = sentence[m.end() :]
            for said in re.finditer(r"`([^`\n]+)`", rest):
                if _FOR_INSTANCE.search(rest[max(0, said.start() - 30) : said.start()]):
                    continue
                text = said.group(1)
                for word, value in fills.items():
                    text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", value, text)
                if text != said.group(1):
                    out.add(_squash(text))
    return out


def illustration(value: str, grounded: str) -> bool:
    """Whether the spec gives `value` only for instance ("like `3 12 notes.txt`", "e.g.
    `Friday`"): one output among many, never the exact one. `grounded` is the squashed spec."""
    lines = [_squash(line) for line in value.splitlines() if line.strip()]
    if not lines:
        return False
    spots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(lines[0])}", grounded)]
    return bool(spots) and all(_FOR_INSTANCE.search(grounded[max(0, at - 40) : at]) for at in spots)


def _said(value: str, grounded: str) -> bool:
    """Whether the spec says `value` (each line of it), or it is a small number."""
    lines = [_squash(line) for line in value.splitlines() if line.strip()]
    if not lines:
        return False
    if all(_NUMBER.fullmatch(line) for line in lines) and len(lines) <= 3:
        return True
    return all(
        f" {line} " in f" {grounded} " or (len(line) > 3 and line in grounded) for line in lines
    )


def spec_sentences(spec: str) -> list[str]:
    """The spec cut into what an example can stand for: its prose sentences (a line wrapped
    in a paragraph continues its sentence; an item of a list or a heading is one), and each
    code block whole."""
    units: list[str] = []
    block: list[str] | None = None
    prose: list[str] = []

    def flush() -> None:
        text = " ".join(prose)
        units.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z`\"'(])", text) if s.strip())
        prose.clear()

    for line in spec.splitlines():
        if line.strip().startswith(("```", "~~~")):
            flush()
            if block is not None and any(b.strip() for b in block):
                units.append("\n".join(block).strip())
            block = None if block is not None else []
            continue
        if block is not None:
            block.append(line)
            continue
        item = re.match(r"\s*(?:[-*+>#]+|\d+[.)])\s+", line)
        if item or not line.strip():
            flush()
        if line.strip():
            prose.append(line[item.end() :].strip() if item else line.strip())
    flush()
    return units


def with_sentence(example: Example, spec: str) -> Example:
    """`example`, naming the spec sentence that says most of what it runs and expects (as it
    is, when it names one already or none says any of it)."""
    if example.sentence:
        return example
    said = _literals(example)
    best, score = "", 0
    for unit in spec_sentences(spec):
        plain = f" {_squash(unit)} "
        got = sum(len(x) for x in said if f" {x} " in plain or (len(x) > 3 and x in plain))
        if got > score:
            best, score = unit, got
    return replace(example, sentence=" ".join(best.split())[:300]) if best else example


def held_to_sentences(example: Example, spec: str, files: Collection[str]) -> Example | None:
    """A model's command example held to the spec sentence each command stands for, as a
    reader would read it: the exit status is the one that sentence gives (any, when it says
    only that the command fails); a text the spec gives for instance is not expected; a file
    it reads that nobody gives is written with the content the spec gives it, or the command
    is dropped (a file the sentence says is missing stays missing). None: nothing is left."""
    if example.kind != "command":
        return example
    grounded = _squash(spec)
    inputs = dict(example.input_files)
    kept: list[Command] = []
    for c in example.commands:
        sentence = with_sentence(Example("", "command", (c,)), spec).sentence
        told = re.sub(r"`[^`\n]*`", "``", sentence)
        code = said_status(told)
        if code is not None:
            exit_code: int | None = code if code < 256 else None
        else:
            exit_code = None if _FAILS.search(told) or c.exit_code != 0 else 0
        needed = [
            a for a in c.args[1:] if _DATA_FILE.fullmatch(a) and a not in files and a not in inputs
        ]
        # An example of a failure needs no file (it may be the one missing).
        if needed and exit_code == 0 and not _NO_FILE.search(sentence):
            given = {n: given_content(spec, n, sentence) for n in needed}
            if any(text is None for text in given.values()):
                continue  # what it would read is nobody's: what it prints is not known
            inputs.update({n: t for n, t in given.items() if t is not None})
        contains = tuple(t for t in c.contains if not illustration(t, grounded))
        kept.append(replace(c, exit_code=exit_code, contains=contains))
    if not kept:
        return None
    return replace(example, commands=tuple(kept), input_files=tuple(inputs.items()))


def with_sentences(examples: Iterable[Example], spec: str) -> list[Example]:
    return [with_sentence(e, spec) for e in examples]


def _literals(example: Example) -> list[str]:
    texts = []
    for c in example.commands:
        own = c.args[1:] if c.args[:1] and c.args[0].startswith(("python", "node")) else c.args
        texts += [" ".join(own), *own[1:]]  # the whole line; each argument after the program
    for c in example.commands:
        texts += [c.output or "", *c.contains, c.stdin]
    texts += [s.value for s in example.steps] + [s.target.lstrip("#.") for s in example.steps]
    for r in example.requests:
        texts += [r.path, *r.contains]
    texts += [example.code, example.page]
    lines = (_squash(line) for t in texts for line in t.splitlines())
    return list(dict.fromkeys(x for x in lines if x))
