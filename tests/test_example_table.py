"""The examples as a table in plain words: every kind reads back to the same example, through
rows, Markdown and JSON; a changed row is the person's; the spec sentence is found."""

from __future__ import annotations

import json

import pytest

from smol_core.records import (
    Command,
    Example,
    PageStep,
    Request,
    example_from_dict,
    example_to_dict,
)
from smol_core.spec_reading.grounding import with_sentence
from smol_core.steps.example_table import (
    Row,
    example_of,
    examples_from_rows,
    examples_from_table,
    read_table,
    row_of,
    rows_of,
    to_json,
    to_markdown,
)

EXAMPLES = [
    Example(
        "sum",
        "command",
        (Command(("python", "adder.py", "4", "+", "9"), output="13"),),
        source="spec",
        sentence="`python adder.py 4 + 9` prints `13`.",
    ),
    Example(
        "words",
        "command",
        (
            Command(("python", "tally.py", "notes.txt"), contains=("3 words", 'a "b" | c')),
            Command(("python", "tally.py", "gone.txt"), exit_code=2, contains=("no such file",)),
            Command(("python", "tally.py", "--save"), exit_code=None, files=("out file.txt",)),
        ),
        input_files=(("notes.txt", "one two\nthree; → four"),),
        source="model",
    ),
    Example(
        "guess",
        "command",
        (Command(("python", "guess.py"), stdin="50\n25\n", contains=("Too high",)),),
        source="you",
    ),
    Example(
        "page",
        "page",
        page="site/index.html",
        steps=(
            PageStep("text", "#total", "0"),
            PageStep("fill", "who", "Grace, Hopper"),
            PageStep("click", "#add"),
            PageStep("count", ".row", "1"),
            PageStep("reload", "page"),
            PageStep("text", "div.card p", "Hi; you"),
            PageStep("stored", "localStorage:names", "Grace"),
        ),
        source="spec",
    ),
    Example(
        "server",
        "server",
        (Command(("python", "serve.py", "--port", "8123"), exit_code=None),),
        port=8123,
        requests=(Request("/sum?a=1&b=2", 200, ("3",)), Request("/nope", 404, ())),
    ),
    Example(
        "call",
        "call",
        (Command((), output="x-y"),),
        code="from slug import slug\nprint(slug('X Y'))",
        source="model",
    ),
    Example(
        "fixed",
        "command",
        (Command(("python", "conv.py", "km", "10"), not_output=("16.2", "a, b")),),
        source="spec",
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_kind_reads_back_to_the_same_example(example):
    row = row_of(example)
    again = example_of(row, name=example.name)
    assert again == example, (row, again)


def test_rows_read_as_plain_words():
    rows = rows_of(EXAMPLES)
    assert rows[0] == Row(
        "python adder.py 4 + 9",
        'prints exactly "13"',
        "`python adder.py 4 + 9` prints `13`.",
        "spec",
    )
    assert rows[2].does == 'python guess.py < "50\\n25\\n"'
    assert rows[3].does.startswith(
        'open site/index.html → #total shows "0"; type "Grace, Hopper" '
        "into who; click #add → .row appears 1 times; reload"
    )
    assert rows[3].expect == ('"div.card p" shows "Hi; you", localStorage:names holds "Grace"')
    assert (
        rows[4].does == "start python serve.py --port 8123 on port 8123; GET /sum?a=1&b=2 "
        '→ says "3"; GET /nope'
    )
    assert rows[4].expect == "status 404"
    assert rows[6].expect == 'not "16.2", not "a, b"'


def test_markdown_and_json_read_back_to_the_same_examples():
    rows = rows_of(EXAMPLES)
    for text in (to_markdown(rows), to_json(rows)):
        assert read_table(text) == rows
        made = examples_from_table(text)
        assert [
            (e.kind, e.commands, e.steps, e.requests, e.input_files, e.code, e.source, e.sentence)
            for e in made
        ] == [
            (e.kind, e.commands, e.steps, e.requests, e.input_files, e.code, e.source, e.sentence)
            for e in EXAMPLES
        ]


def test_a_table_may_hold_the_manifests_examples_and_a_person_may_type_loosely():
    text = json.dumps(
        [
            example_to_dict(EXAMPLES[0]),
            {
                "What is run, typed or clicked": "python adder.py 1 + 1 -> prints '2'",
                "What must come out": "exit status 0",
            },
        ]
    )
    first, second = examples_from_table(text)
    assert first == EXAMPLES[0]
    assert second.commands == (Command(("python", "adder.py", "1", "+", "1"), contains=("2",)),)
    assert second.source == "you"


def test_a_row_that_cant_be_read_says_which_and_why():
    with pytest.raises(ValueError, match=r"Row 2: can't read 'glows green'"):
        examples_from_table(to_markdown([Row("python a.py"), Row("python a.py", "glows green")]))
    with pytest.raises(ValueError, match="neither a Markdown table nor JSON"):
        read_table("just words")


def test_an_unchanged_row_keeps_its_example_and_a_changed_one_is_the_persons():
    rows = rows_of(EXAMPLES[:2])
    changed = Row(rows[0].does, 'prints exactly "14"', rows[0].sentence, rows[0].by)
    made, problems = examples_from_rows([changed, rows[1], Row("python tally.py -h")], EXAMPLES)
    assert not problems
    assert made[0].commands[0].output == "14" and made[0].source == "you"
    assert made[1] is EXAMPLES[1]  # kept as it was, with its name and who wrote it
    assert made[2].source == "you" and made[2].commands[0].args == ("python", "tally.py", "-h")


def test_the_sentence_an_example_stands_for_is_found_in_the_spec():
    spec = (
        "# Adder\n\nA tiny adder. Run `python adder.py 4 + 9` and it prints `13`.\n"
        "- It refuses words: `python adder.py x` exits with status 2.\n"
    )
    plain = Example(
        "sum", "command", (Command(("python", "adder.py", "4", "+", "9"), output="13"),)
    )
    assert with_sentence(plain, spec).sentence == "Run `python adder.py 4 + 9` and it prints `13`."
    refused = Example("x", "command", (Command(("python", "adder.py", "x"), exit_code=2),))
    assert with_sentence(refused, spec).sentence.startswith("It refuses words")
    wrapped = "Running `python adder.py 1 + 1`\nprints `2` on one line.\n\nNothing else."
    one = Example("one", "command", (Command(("python", "adder.py", "1", "+", "1"), output="2"),))
    assert (
        with_sentence(one, wrapped).sentence
        == "Running `python adder.py 1 + 1` prints `2` on one line."
    )


def test_the_sentence_is_stored_and_old_records_read_without_it():
    example = EXAMPLES[0]
    assert example_from_dict(example_to_dict(example)) == example
    old = {k: v for k, v in example_to_dict(example).items() if k != "sentence"}
    assert example_from_dict(old).sentence == ""
