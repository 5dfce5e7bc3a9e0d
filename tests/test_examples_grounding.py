"""The model's examples held to the spec sentence each stands for: an output given for
instance is never exact, the exit status is the sentence's, a file an example reads is written
by it (or the example is not run), through the real pipeline against the scripted server."""

from __future__ import annotations

import asyncio

import pytest

from smol_core.records import Command, FileSpec
from smol_core.runs import propose_examples
from smol_core.spec_reading.grounding import _squash, illustration
from smol_core.spec_reading.model_examples import parse_examples
from smol_core.spec_reading.words import bare_runs
from smol_core.steps.example_list import written_examples
from tests.conftest import fast_settings

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
