"""The examples as a table in plain words: what a person reads, edits and confirms before code.

One row per example: what is run, typed or clicked (`does`), what must come out (`expect`), the
spec sentence it stands for, and who wrote it (spec | model | you). A row is a few clauses
joined by `;`, each clause an action and, after `→`, what it must give (joined by `,`); the
last clause's expectations sit in their own column. Literal texts are written as JSON strings
("a\\nb"), so a row says exactly what is checked and reads back to the same `Example`:

    python calc.py 2 + 3                              | prints exactly "5"
    write in.txt "a b"; python wc.py in.txt           | prints "2 words", exit status 0
    python game.py < "5\\n3"                           | prints "Too low"
    open index.html; type "Ada" into #name; click #go | #greeting shows "Hello, Ada"
    start python server.py on port 8000; GET /add?a=2 | status 200, says "5"
    call "from calc import add\\nprint(add(2, 3))"     | prints exactly "5"

`not "…"`: an output it must no longer print. Read and written as Markdown and JSON too (the
CLI's `--examples FILE`, the page's download).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..records import Command, Example, PageStep, Request, example_from_dict

ARROW = "→"
# The columns, in order, with the words a person reads above them.
COLUMNS = {
    "does": "What is run, typed or clicked",
    "expect": "What must come out",
    "sentence": "Spec sentence",
    "by": "Written by",
}
WRITERS = ("spec", "model", "you")
_ACTIONS = ("click", "fill", "reload")  # page steps that do something (the rest check)


@dataclass(frozen=True)
class Row:
    """One example in plain words."""

    does: str
    expect: str = ""
    sentence: str = ""
    by: str = "you"

    def as_dict(self) -> dict[str, str]:
        return {"does": self.does, "expect": self.expect, "sentence": self.sentence, "by": self.by}


def tabled(example: Example) -> bool:
    """Whether an example belongs in the table: the smoke checks and the project's own tests
    are added when the code is run, not proposed."""
    return example.source not in ("smoke", "tests") and example.kind not in ("smoke", "test")


# ------------------------------------------------------------------------------ Example → row


def row_of(example: Example) -> Row:
    """An example in plain words."""
    clauses: list[tuple[str, list[str]]] = [
        (f"write {_word(path)} {_lit(text)}", []) for path, text in example.input_files
    ]
    if example.kind == "page":
        clauses.append((f"open {_word(example.page)}", []))
        for step in example.steps:
            if step.action in _ACTIONS:
                clauses.append((_action_words(step), []))
            else:
                clauses[-1][1].append(_check_words(step))
    elif example.kind == "server":
        start = example.commands[0] if example.commands else Command(())
        clauses.append((f"start {shlex.join(start.args)} on port {example.port}", []))
        for r in example.requests:
            said = ([f"status {r.status}"] if r.status != 200 else []) + [
                f"says {_lit(c)}" for c in r.contains
            ]
            clauses.append((f"GET {r.path}", said))
    elif example.kind == "call":
        checked = example.commands[0] if example.commands else Command(())
        clauses.append((f"call {_lit(example.code)}", _command_expects(checked)))
    else:
        for c in example.commands:
            head = shlex.join(c.args) + (f" < {_lit(c.stdin)}" if c.stdin else "")
            clauses.append((head, _command_expects(c)))
    *first, (last, expected) = clauses
    does = "; ".join([*(f"{h} {ARROW} {', '.join(e)}" if e else h for h, e in first), last])
    writer = example.source if example.source in WRITERS else "spec"
    return Row(does, ", ".join(expected), example.sentence, writer)


def rows_of(examples: Iterable[Example]) -> list[Row]:
    return [row_of(e) for e in examples if tabled(e)]


def _command_expects(c: Command) -> list[str]:
    out = [f"prints exactly {_lit(c.output)}"] if c.output is not None else []
    out += [f"prints {_lit(t)}" for t in c.contains]
    out += [f"leaves {_word(f)}" for f in c.files]
    out += [f"not {_lit(t)}" for t in c.not_output]
    if c.exit_code is None:
        out.append("any exit status")
    elif c.exit_code != 0:
        out.append(f"exit status {c.exit_code}")
    return out


def _action_words(step: PageStep) -> str:
    if step.action == "fill":
        return f"type {_lit(step.value)} into {_word(step.target)}"
    if step.action == "click":
        return f"click {_word(step.target)}"
    return "reload"


def _check_words(step: PageStep) -> str:
    if step.action == "text":
        return f"{_word(step.target)} shows {_lit(step.value)}"
    if step.action == "count":
        return f"{_word(step.target)} appears {step.value} times"
    return f"{_word(step.target)} holds {_lit(step.value)}"  # stored


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _word(text: str) -> str:
    """A path or target: bare when it reads back as one word, quoted otherwise."""
    plain = text and not re.search(r'[\s,;"\'→<]', text) and text not in ("reload",)
    return text if plain else _lit(text)


# ------------------------------------------------------------------------------ row → Example


def example_of(row: Row | Mapping[str, Any], name: str = "") -> Example:
    """The example a row says (raises ValueError, in words, when it can't be read)."""
    row = row if isinstance(row, Row) else row_from_dict(row)
    clauses = [_split(c, ARROW) for c in _split(row.does, ";") if c]
    if not clauses:
        raise ValueError("it says nothing to run, type or click")
    if row.expect.strip():
        clauses[-1] = [clauses[-1][0], ", ".join(p for p in (*clauses[-1][1:], row.expect) if p)]
    inputs: list[tuple[str, str]] = []
    while clauses and re.match(r"write\s", clauses[0][0]):
        inputs.append(_input_file(clauses.pop(0)))
    if not clauses:
        raise ValueError("it writes a file but runs nothing")
    head = clauses[0][0]
    sentence, by = row.sentence.strip(), row.by.strip().lower() or "you"
    fields: dict[str, Any] = dict(
        input_files=tuple(inputs), sentence=sentence, source=by if by in WRITERS else "you"
    )
    title = name or row.does.strip()[:80]
    if re.match(r"open\s", head):
        return Example(title, "page", page=_unword(head[5:]), steps=_page_steps(clauses), **fields)
    if re.match(r"start\s", head):
        started = re.fullmatch(r"start\s+(.+?)\s+on\s+port\s+(\d+)", head)
        if not started:
            raise ValueError("a server is started as `start python server.py on port 8000`")
        requests = tuple(_request(c) for c in clauses[1:])
        return Example(
            title,
            "server",
            (Command(_args(started.group(1)), exit_code=None),),
            port=int(started.group(2)),
            requests=requests,
            **fields,
        )
    if re.match(r"call\s", head):
        if len(clauses) > 1:
            raise ValueError('a call is one clause: call "code" → what it prints')
        expect = _command(Command(()), clauses[0][1:])
        return Example(title, "call", (expect,), code=_unlit(head[5:]), **fields)
    commands = tuple(_command_clause(c) for c in clauses)
    return Example(title, "command", commands, **fields)


def _input_file(clause: list[str]) -> tuple[str, str]:
    words = clause[0][6:].strip()
    path, _, text = _first_word(words)
    if not path or not text:
        raise ValueError('a file is written as: write data.txt "its text"')
    return path, _unlit(text)


def _command_clause(clause: list[str]) -> Command:
    head, stdin = clause[0], ""
    parts = _split(head, "<")
    if len(parts) == 2:
        head, stdin = parts[0], _unlit(parts[1])
    elif len(parts) > 2:
        raise ValueError("one `<` per command: what is typed into it")
    return _command(Command(_args(head), stdin=stdin), clause[1:])


def _command(base: Command, said: Sequence[str]) -> Command:
    c = base
    for item in (x for part in said for x in _split(part, ",") if x):
        if m := re.fullmatch(r"prints\s+exactly\s+(.+)", item, re.S):
            c = replace(c, output=_unlit(m.group(1)))
        elif m := re.fullmatch(r"(?:prints|contains|says)\s+(.+)", item, re.S):
            c = replace(c, contains=(*c.contains, _unlit(m.group(1))))
        elif m := re.fullmatch(r"not\s+(.+)", item, re.S):
            c = replace(c, not_output=(*c.not_output, _unlit(m.group(1))))
        elif m := re.fullmatch(r"leaves\s+(.+)", item):
            c = replace(c, files=(*c.files, _unword(m.group(1))))
        elif m := re.fullmatch(r"exit\s+status\s+(\d{1,3})", item):
            c = replace(c, exit_code=int(m.group(1)))
        elif re.fullmatch(r"any\s+exit\s+status", item):
            c = replace(c, exit_code=None)
        else:
            raise ValueError(
                f'can\'t read {item!r}: write prints "…", prints exactly "…", '
                'not "…", exit status N, any exit status or leaves FILE'
            )
    return c


def _page_steps(clauses: list[list[str]]) -> tuple[PageStep, ...]:
    steps: list[PageStep] = []
    for number, clause in enumerate(clauses):
        head = clause[0]
        if number > 0:
            if m := re.fullmatch(r"type\s+(.+?)\s+into\s+(.+)", head, re.S):
                steps.append(PageStep("fill", _unword(m.group(2)), _unlit(m.group(1))))
            elif m := re.fullmatch(r"click\s+(.+)", head):
                steps.append(PageStep("click", _unword(m.group(1))))
            elif head.strip().lower() in ("reload", "reload the page"):
                steps.append(PageStep("reload", "page"))
            else:
                raise ValueError(
                    f'can\'t read {head!r}: a page is typed into (type "Ada" '
                    "into #name), clicked (click #go) or reloaded (reload)"
                )
        for item in (x for part in clause[1:] for x in _split(part, ",") if x):
            steps.append(_page_check(item))
    return tuple(steps)


def _page_check(item: str) -> PageStep:
    target, _, rest = _first_word(item)
    if m := re.fullmatch(r"shows\s+(.+)", rest, re.S):
        return PageStep("text", target, _unlit(m.group(1)))
    if m := re.fullmatch(r"appears\s+(\d+)\s+times?", rest):
        return PageStep("count", target, m.group(1))
    if m := re.fullmatch(r"holds\s+(.+)", rest, re.S):
        return PageStep("stored", target, _unlit(m.group(1)))
    raise ValueError(
        f'can\'t read {item!r}: write #id shows "…", .item appears 3 times or '
        'localStorage:key holds "…"'
    )


def _request(clause: list[str]) -> Request:
    m = re.fullmatch(r"GET\s+(/\S*)", clause[0].strip())
    if not m:
        raise ValueError(f"can't read {clause[0]!r}: a request is GET /path")
    status, contains = 200, []
    for item in (x for part in clause[1:] for x in _split(part, ",") if x):
        if s := re.fullmatch(r"status\s+(\d{3})", item):
            status = int(s.group(1))
        elif s := re.fullmatch(r"(?:says|contains|prints)\s+(.+)", item, re.S):
            contains.append(_unlit(s.group(1)))
        else:
            raise ValueError(f'can\'t read {item!r}: write status 404 or says "…"')
    return Request(m.group(1), status, tuple(contains))


def _args(text: str) -> tuple[str, ...]:
    try:
        args = tuple(shlex.split(text))
    except ValueError as exc:
        raise ValueError(f"the command {text.strip()!r} can't be read ({exc})") from None
    if not args:
        raise ValueError("a clause has no command")
    return args


def _unlit(text: str) -> str:
    """A literal as written: a JSON string, a 'single-quoted' text, or the words as they are."""
    text = text.strip()
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueError(f"can't read the quoted text {text}") from None
        if isinstance(value, str):
            return value
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    return text


def _unword(text: str) -> str:
    return _unlit(text.strip())


def _first_word(text: str) -> tuple[str, str, str]:
    """The first word (maybe quoted) of `text`, a space, and the rest."""
    text = text.strip()
    if text.startswith('"'):
        value, end = json.JSONDecoder().raw_decode(text)
        return str(value), " ", text[end:].strip()
    word, _, rest = text.partition(" ")
    return word, " ", rest.strip()


def _split(text: str, sep: str) -> list[str]:
    """`text` cut at each `sep` outside quotes, each part stripped."""
    parts, current, quote, escaped = [], [], "", False
    for ch in text:
        if quote:
            current.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'" and (not current or current[-1] in " \t=<→;,(" or ch == '"'):
            quote = ch
            current.append(ch)
        elif ch == sep or (sep == ARROW and ch == ">" and current and current[-1] == "-"):
            if ch == ">":
                current.pop()  # "->" typed for the arrow
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return parts


# --------------------------------------------------------------------------- whole tables


def examples_from_rows(
    rows: Sequence[Row | Mapping[str, Any]], before: Sequence[Example] = ()
) -> tuple[list[Example], list[str]]:
    """The examples a table says; a row left as it was keeps its example (and who wrote it),
    a changed or new row is the person's ("you"). Also what can't be read, row by row (then
    nothing should be used)."""
    kept = {row_of(e): e for e in before if tabled(e)}
    made: list[Example] = []
    problems: list[str] = []
    for number, raw in enumerate(rows, 1):
        row = raw if isinstance(raw, Row) else row_from_dict(raw)
        if not (row.does.strip() or row.expect.strip()):
            continue  # a blank row
        if row in kept:
            made.append(kept[row])
            continue
        try:
            example = example_of(replace(row, by="you") if before else row)
        except ValueError as exc:
            problems.append(f"Row {number}: {exc}")
            continue
        made.append(example)
    return made, problems


def row_from_dict(data: Mapping[str, Any]) -> Row:
    """A row from a dict keyed by the short names or by the column titles (a table's rows)."""
    titles = {v: k for k, v in COLUMNS.items()}
    got = {titles.get(str(k), str(k)): v for k, v in data.items()}

    def text(key: str) -> str:
        value = got.get(key)
        return "" if value is None or value != value else str(value)  # NaN: an empty cell

    return Row(text("does"), text("expect"), text("sentence"), text("by") or "you")


def to_markdown(rows: Iterable[Row]) -> str:
    """The table as Markdown (what the CLI prints and the page offers as a download)."""
    lines = ["| " + " | ".join(COLUMNS.values()) + " |", "|" + " --- |" * len(COLUMNS)]
    for row in rows:
        cells = [_cell(v) for v in (row.does, row.expect, row.sentence, row.by)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split("\n")).replace("|", "\\|")


def to_json(rows: Iterable[Row]) -> str:
    return json.dumps({"examples": [r.as_dict() for r in rows]}, indent=2, ensure_ascii=False)


def read_table(text: str) -> list[Row | Example]:
    """The rows of a table written as Markdown or JSON (raises ValueError when it is neither).
    JSON may also hold full examples as the manifest stores them (with a "kind")."""
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except ValueError as exc:
            raise ValueError(f"the examples file is not valid JSON ({exc})") from None
        items = data.get("examples") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError('the examples file holds no list of rows ({"examples": [...]})')
        return [example_from_dict(i) if "kind" in i else row_from_dict(i) for i in items]
    table = [line.strip() for line in stripped.splitlines() if line.strip().startswith("|")]
    if len(table) < 2:
        raise ValueError("the examples file is neither a Markdown table nor JSON")
    header = [_uncell(c) for c in _cells(table[0])]
    rows: list[Row | Example] = []
    for line in table[1:]:
        cells = _cells(line)
        if all(re.fullmatch(r":?-{3,}:?", c.strip()) for c in cells):
            continue  # the line under the header
        rows.append(row_from_dict(dict(zip(header, (_uncell(c) for c in cells), strict=False))))
    return rows


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return re.split(r"(?<!\\)\|", inner)


def _uncell(text: str) -> str:
    return text.strip().replace("\\|", "|")


def examples_from_table(text: str) -> list[Example]:
    """The examples a Markdown or JSON table says, as written (raises ValueError, with every
    row that can't be read)."""
    rows = read_table(text)
    made: list[Example] = []
    problems: list[str] = []
    for number, row in enumerate(rows, 1):
        if isinstance(row, Example):
            made.append(row)
            continue
        got, said = examples_from_rows([row])
        made += got
        problems += [p.replace("Row 1:", f"Row {number}:", 1) for p in said]
    if problems:
        raise ValueError("; ".join(problems))
    return made
