"""The model's examples held to the spec sentence each stands for: an output given for
instance is never exact, the exit status is the sentence's, a file an example reads is written
by it (or the example is not run), through the real pipeline against the scripted server."""

from __future__ import annotations

import asyncio

import pytest

from smol_core.records import Command, FileSpec
from smol_core.running.execute import run_examples
from smol_core.running.sandbox import isolation
from smol_core.runs import propose_examples
from smol_core.spec_reading.grounding import _squash, illustration
from smol_core.spec_reading.model_examples import parse_examples
from smol_core.spec_reading.words import bare_runs
from smol_core.steps.example_list import written_examples
from tests.conftest import fast_settings

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)

SPEC = """# linecount

One script, `count.py`.

`python count.py PATH` shows how many lines PATH has and its name, e.g. `4 poem.txt`.
When PATH can't be opened, it says `count: cannot open` and exits with status 2.
With `--strict` and an empty file it exits with a non-zero status.
"""
# What a small model made of it: the instance as the exact output of a file nobody gave, and
# the exit statuses guessed.
MODEL = [
    {
        "kind": "command",
        "name": "counts",
        "commands": [{"args": ["python", "count.py", "poem.txt"], "output": "4 poem.txt"}],
    },
    {
        "kind": "command",
        "name": "cannot open",
        "commands": [
            {
                "args": ["python", "count.py", "gone.txt"],
                "output": "count: cannot open",
                "exit_code": 0,
            }
        ],
    },
    {
        "kind": "command",
        "name": "strict",
        "commands": [{"args": ["python", "count.py", "--strict", "empty.txt"], "exit_code": 0}],
        "input_files": [{"path": "empty.txt", "content": ""}],
    },
]


def propose(make_server, spec: str) -> list:
    server = make_server(files={"count.py": ""}, plan_text="`count.py`", examples=MODEL)
    settings = fast_settings(server.base_url)
    return asyncio.run(propose_examples(spec, "", [FileSpec("count.py")], settings))


def test_the_models_examples_are_held_to_their_sentences(make_server):
    cannot, strict = propose(make_server, SPEC)  # the count of poem.txt: nobody gave the file
    assert cannot.commands == (
        Command(("python", "count.py", "gone.txt"), output="count: cannot open", exit_code=2),
    )
    assert cannot.sentence.startswith("When PATH can't be opened") and cannot.source == "model"
    assert strict.commands[0].exit_code is None  # "a non-zero status": not 0, whatever it is
    assert strict.input_files == (("empty.txt", ""),)


def test_a_file_the_spec_gives_is_written_and_its_instance_is_not_exact(make_server):
    given = SPEC + "\nFor example `poem.txt` contains `roses\\nviolets`.\n"
    counts = propose(make_server, given)[0]
    assert counts.input_files == (("poem.txt", "roses\nviolets"),)
    assert counts.commands[0].output is None and counts.commands[0].exit_code == 0


def test_an_output_given_for_instance_is_never_exact_for_any_reader():
    grounded = _squash(SPEC)
    assert illustration("4 poem.txt", grounded)
    assert not illustration("count: cannot open", grounded)
    [read] = parse_examples({"examples": MODEL[:1]}, SPEC, {"count.py": ""})
    assert read.commands[0].output is None


def test_an_output_that_fills_the_placeholders_of_its_sentence_is_kept():
    spec = (
        "Run `python hello.py NAME` and it answers `Hi NAME, welcome`.\n"
        "`python hello.py NAME --short` answers something like `Hi NAME`.\n"
    )

    def expected(args: list[str], output: str) -> str | None:
        item = {"kind": "command", "name": "n", "commands": [{"args": args, "output": output}]}
        [example] = parse_examples({"examples": [item]}, spec, {"hello.py": ""})
        return example.commands[0].output

    assert expected(["python", "hello.py", "Grace"], "Hi Grace, welcome") == "Hi Grace, welcome"
    assert expected(["python", "hello.py", "Grace"], "Hi Bob, welcome") is None
    assert expected(["python", "hello.py", "Grace", "--short"], "Hi Grace") is None  # an instance


@pytest.mark.parametrize(
    "sentence",
    [
        "`greet.py` prints `Hello, world!` when you run it with no arguments.",
        "Run without any arguments, `greet.py` prints `Hello, world!`.",
        "When `greet.py` is run on its own it prints `Hello, world!`.",
        "`greet.py` shows `Hello, world!` when started without arguments.",
    ],
)
def test_a_program_the_spec_runs_with_no_arguments_is_run_with_none(sentence):
    """Issue 29: a script demanded an argument the spec never gives, and was reported clean."""
    spec = f"A greeter. {sentence} `python greet.py Ada` prints `Hello, Ada!`."
    found = written_examples(spec, {"greet.py": ""}, commands=True)
    bare = [c for e in found for c in e.commands if c.args == ("python", "greet.py")]
    assert [c.output for c in bare] == ["Hello, world!"], found


def test_a_file_named_in_another_sentence_or_under_another_condition_is_not_run_bare():
    spec = (
        "Write `greet.py`. `python greet.py Ada` prints `Hello, Ada!`. "
        "`python greet.py` prints `Hello, world!` when the file names.txt is empty."
    )
    found = written_examples(spec, {"greet.py": ""}, commands=True)
    bare = [c for e in found for c in e.commands if c.args == ("python", "greet.py")]
    assert all(c.output is None for c in bare)  # a case of its own: not its whole output
    assert bare_runs(spec) == spec  # no sentence runs it with no arguments


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("`python sums.py add 2 3` prints 5.", [(("add", "2", "3"), "5")]),
        (
            "Running `python sums.py avg 1 2` should print 1.5, rounded.",
            [(("avg", "1", "2"), "1.5")],
        ),
        (
            "`python sums.py mul 2 3` prints 6 (and `mul 4 -1` prints -4, as for the others).",
            [(("mul", "2", "3"), "6"), (("mul", "4", "-1"), "-4")],
        ),
        (
            "`python sums.py add 1 1` outputs `2`; `add 2 2` outputs 4 and exits with status 0.",
            [(("add", "1", "1"), "2"), (("add", "2", "2"), "4")],
        ),
    ],
)
def test_an_output_given_unquoted_is_the_commands_output(sentence, expected):
    """Issue 30: "`python calc.py div 7 2` prints 3.5 (and `div 8 2` prints 4)" became an
    example expecting `div 8 2`, a text of the request's own, which failed every right program."""
    found = written_examples(f"A calculator. {sentence}", {"sums.py": ""}, commands=True)
    got = [(c.args[2:], c.output) for e in found for c in e.commands]
    assert got == expected, found


@pytest.mark.parametrize(
    "sentence",
    [
        "`python wc.py notes.txt` prints 3 lines: one per count.",
        "`python sums.py add 2 3` prints the sum, like `5`.",
        "`python sums.py add 2 3` prints 2 numbers.",
        "`python sums.py add 2 3` prints `5`, and `sub 9 1` is the other command.",
        "`python sums.py list` prints 1. milk and 2. eggs.",
        "`python sums.py list` prints 1, 2 and 3.",
        "`python sums.py list` prints 1 and 2.",
    ],
)
def test_a_number_saying_how_much_or_a_text_without_a_verb_is_no_output(sentence):
    found = written_examples(
        f"A tool. {sentence}", {"sums.py": "", "wc.py": "", "notes.txt": "a"}, commands=True
    )
    outputs = [c.output for e in found for c in e.commands]
    assert all(o in (None, "5") for o in outputs), found
    assert all(c.args[2:3] != ("sub",) for e in found for c in e.commands), found


@pytest.mark.parametrize(
    "sentence",
    [
        "`python conv.py km 10` prints 16.2 but 10 km is 6.2 miles, please fix it.",
        "Right now `python conv.py km 10` prints `16.2`, which is wrong.",
        "`python conv.py km 10` outputs 16.2; however the answer is 6.2 miles.",
    ],
)
def test_an_output_a_bug_report_calls_wrong_is_never_expected(sentence):
    """A change request tells what the program prints now and why it is wrong: expecting that
    output would fail the fix and keep the bug."""
    found = written_examples(sentence, {"conv.py": ""}, commands=True)
    assert all(c.output != "16.2" and "16.2" not in c.contains for e in found for c in e.commands)


@pytest.mark.parametrize(
    ("sentence", "contains"),
    [
        ("`python inv.py total` prints `total: N`.", ("total:",)),
        ("`python inv.py total` prints `total: <count>`, the sum of all items.", ("total:",)),
        ("`python inv.py total` prints `{n} items in stock`.", ("items in stock",)),
        ("`python inv.py total` should print the sum on one line like `total: 20`.", ("total:",)),
        ("`python inv.py total` prints it, e.g. `total: 20 (3 kinds)`.", ("total:", "kinds)")),
        ("`python inv.py list` prints each item as `#N: NAME`.", ()),
    ],
)
def test_a_template_or_an_instance_expects_only_what_every_right_program_prints(sentence, contains):
    """A template (`total: N`) was expected word for word, so a right program printing
    `total: 35` failed and was "repaired" toward printing the placeholder; an instance with
    a label (`total: 20`) expected its sample number."""
    found = written_examples(f"An inventory. {sentence}", {"inv.py": ""}, commands=True)
    commands = [c for e in found for c in e.commands]
    assert [c.output for c in commands] == [None], found
    assert commands[0].contains == contains


def test_a_filled_template_and_an_output_in_capitals_stay_exact():
    spec = (
        "`python greet.py NAME` prints `Hello, NAME!`. `python greet.py Ada` prints `Hello, Ada!`."
        " `python shout.py hi` prints `HI!!!`. `python tip.py 50` prints the tip, like `7.50`."
    )
    found = written_examples(spec, {"greet.py": "", "shout.py": "", "tip.py": ""}, commands=True)
    got = {c.args[1]: (c.output, c.contains) for e in found for c in e.commands}
    assert got == {
        "greet.py": ("Hello, Ada!", ()),
        "shout.py": ("HI!!!", ()),
        "tip.py": (None, ("7.50",)),
    }


@isolated
def test_a_bug_report_s_output_is_what_the_fix_must_no_longer_print():
    """A bug report gives the wrong output: the change is checked to print something else,
    and a program that still prints it fails (a right one passes)."""
    found = written_examples(
        "`python conv.py km 10` prints 16.2 but 10 km is 6.2 miles, please fix it.",
        {"conv.py": ""},
        commands=True,
    )
    commands = [c for e in found for c in e.commands]
    assert [(c.output, c.not_output) for c in commands] == [(None, ("16.2",))]
    assert commands[0].checks_output
    wrong = {"conv.py": "print(16.2)\n"}
    right = {"conv.py": "print(6.2)\n"}
    results = [run_examples(c, found)[0] for c in (wrong, right)]
    assert [r.status for r in results] == ["fail", "pass"], results
    assert "still prints" in results[0].reason


LAID_OUT = {
    "fenced": (
        "Write grades.py. It reads marks.txt and prints a summary:\n\n```\n"
        "students: <how many>\nbest: <name of the best>\nmean mark: <one decimal>\n```\n\n"
        "Run it as `python grades.py`."
    ),
    "bulleted": (
        "`python grades.py` reads marks.txt. It should output, one per line:\n"
        "- students: the number of students\n- best: the best student's name\n"
        "- mean mark: the mean, one decimal\n"
    ),
}


@pytest.mark.parametrize("spec", LAID_OUT.values(), ids=list(LAID_OUT))
def test_an_output_laid_out_as_labels_expects_each_label_of_its_one_command(spec):
    """A report laid out as `label: what` lines was run and checked for nothing: a program
    that left out a line of it was called clean."""
    found = written_examples(spec, {"grades.py": "", "marks.txt": "x"}, commands=True)
    commands = [c for e in found for c in e.commands]
    assert [(c.args, c.contains) for c in commands] == [
        (("python", "grades.py"), ("students:", "best:", "mean mark:"))
    ]


@pytest.mark.parametrize(
    "spec",
    [
        # Two ways of running it: which prints the layout is not known.
        LAID_OUT["fenced"] + " `python grades.py --top` prints the best only.",
        # A layout that is not an output.
        "`python grades.py` reads its settings from a file laid out as follows:\n\n"
        "    students: 10\n    best: yes\n",
        "The settings file is:\n\nstudents: 10\nbest: yes\n\nRun `python grades.py`.",
    ],
)
def test_labels_are_expected_only_of_a_program_s_one_run_and_of_an_output(spec):
    found = written_examples(spec, {"grades.py": "", "marks.txt": "x"}, commands=True)
    assert all(not c.contains for e in found for c in e.commands), found


def test_another_program_compared_is_no_output():
    spec = "Use `python files.py list` to show them, like `ls` does."
    found = written_examples(spec, {"files.py": ""}, commands=True)
    assert all(not c.contains and c.output is None for e in found for c in e.commands), found


SESSION_SPEC = """# shapes.py

A module for areas, in `shapes.py`.

```pycon
>>> from shapes import area
>>> area("square", 3)
9
>>> area("circle", 0)
0.0
>>> round(area("circle", 1), 2)
3.14
>>> [area("square", n) for n in range(30)]
[0, 1, 4, ...]
>>> area("hexagon", 1)
Traceback (most recent call last):
  ...
ValueError: unknown shape: hexagon
>>> shapes_seen = [area("square", n) for n in (1, 2)]
>>> print(shapes_seen)
[1, 4]
```
"""
SHAPES = (
    "import math\n\n\ndef area(kind, n):\n    if kind == 'square':\n        return n * n\n"
    "    if kind == 'circle':\n        return math.pi * n * n\n"
    "    raise ValueError(f'unknown shape: {kind}')\n"
)


@isolated
def test_a_python_session_in_the_spec_is_a_check_of_each_call():
    """A module's spec written as a `>>>` session (Python's own way) was read as nothing:
    the module was never checked."""
    found = written_examples(SESSION_SPEC, {"shapes.py": SHAPES})
    assert [e.kind for e in found] == ["call"] * 5, found
    assert all(e.checks_behaviour for e in found)
    right = run_examples({"shapes.py": SHAPES}, found)
    assert [r.status for r in right] == ["pass"] * 5, right
    wrong = SHAPES.replace("return n * n", "return n + n").replace("raise ValueError", "return 0#")
    results = run_examples({"shapes.py": wrong}, found)
    assert [r.status for r in results] == ["fail", "pass", "pass", "fail", "fail"], results


INDENTED_SPEC = """Write `tally.py`, which counts the words of a file.

Say words.txt:

    one two
    three

Then:

    $ python tally.py words.txt
    3 words
"""


@isolated
def test_code_indented_is_read_like_code_fenced():
    """Markdown's indented code blocks (a session, a file's content) were not read at all."""
    right = {"tally.py": "import sys\nprint(len(open(sys.argv[1]).read().split()), 'words')\n"}
    found = written_examples(INDENTED_SPEC, right)
    assert [(c.args, c.output) for e in found for c in e.commands] == [
        (("python", "tally.py", "words.txt"), "3 words")
    ]
    assert found[0].input_files == (("words.txt", "one two\nthree\n"),)
    assert [r.status for r in run_examples(right, found)] == ["pass"]


def test_a_session_of_a_program_of_chance_expects_no_output():
    """A generator's session shows one draw of many; the spec says it is random anywhere."""
    session = "Example:\n\n    $ python roll.py 2d6\n    3 5\n"
    told = [
        [c.output for e in written_examples(spec, {"roll.py": ""}) for c in e.commands]
        for spec in (
            f"Write `roll.py`. It rolls dice using the `secrets` module.\n\n{session}",
            f"Write `roll.py`. Rolls are unpredictable.\n\n{session}",
            f"Write `roll.py`. It adds the dice up.\n\n{session}",
        )
    ]
    assert told == [[], [], ["3 5"]]


@pytest.mark.parametrize(
    ("sentence", "output"),
    [
        ("Also make `python d.py 2024-01-01 2024-03-01` print `60`.", "60"),
        ("`python d.py 2024-01-01 2024-03-01` must print `60`.", "60"),
        ("Running `python d.py 2024-01-01 2024-03-01` will output `60`.", "60"),
        ("`python d.py 2024-01-01 2024-03-01` does not print `60`.", None),
        ("`python d.py 2024-01-01 2024-03-01` never prints `60` twice.", None),
    ],
)
def test_the_plain_verb_after_a_word_that_asks_for_it_says_the_output(sentence, output):
    """A change request's "make `python d.py …` print `60`" was read as nothing."""
    found = written_examples(sentence, {"d.py": ""}, commands=True)
    assert [c.output for e in found for c in e.commands] == [output], found


@pytest.mark.parametrize(
    ("sentence", "right"),
    [
        ("`python conv.py km 10` prints `16.2`, which is wrong: it should print `6.2`.", "6.2"),
        ("`python conv.py km 10` prints `16.2` but expected `6.2`.", "6.2"),
        ("`python conv.py km 10` prints `16.2` but 10 km is 6.2 miles.", None),
        (
            "`python conv.py km 10` prints `16.2`, which is wrong. `python conv.py mi 1` prints `1.6`.",
            None,
        ),
    ],
)
def test_a_bug_report_that_quotes_the_right_output_expects_it(sentence, right):
    """ "prints `16.2`, which is wrong: it should print `6.2`": the fix's output is told; only
    the one quoted in the same breath, never the next command's."""
    found = written_examples(sentence, {"conv.py": ""}, commands=True)
    first = next(c for e in found for c in e.commands if c.args[2:3] == ("km",))
    assert (first.output, first.not_output) == (right, ("16.2",))
