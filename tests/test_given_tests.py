"""Tests the person gave, read as checks (issue 30): each assertion of a test file an example
of its own, with the value the code gave; and the files a request says to leave alone."""

from __future__ import annotations

import pytest

from smol_core.records import ExampleResult
from smol_core.running.execute import run_examples
from smol_core.running.sandbox import isolation
from smol_core.spec_reading.kept_outputs import left_alone, untouched_commands
from smol_core.spec_reading.test_asserts import assert_calls, given_tests
from smol_core.steps.heal import TOLD_CHECKS, heal_instruction, heal_targets
from tests.conftest import fast_settings

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)

WORDS = (
    "def slug(text):\n    return '-'.join(text.lower().split())\n\n\n"
    "def counts(text):\n    out = {}\n    for w in text.split():\n"
    "        out[w] = out.get(w, 0) + 1\n    return out\n\n\n"
    "def first(items):\n    if not items:\n        raise ValueError('no items')\n"
    "    return items[0]\n"
)
PLAIN = (
    "import pytest\n\nfrom words import counts, first, slug\n\nLIMIT = 3\n\n\n"
    "def shout(x):\n    return x.upper()\n\n\n"
    "def test_slug():\n    assert slug('A b') == 'a-b'\n    assert 'a-b' == slug(' a  b ')\n"
    "    assert len(slug('x y z')) == 5\n    assert slug(shout('q')).islower()\n\n\n"
    "def test_counts():\n    assert counts('b a b') == {'a': 1, 'b': 2}\n"  # another order
    "    assert not counts('')\n    seen = []\n    assert seen.append(slug('Q')) is None\n"
    "    assert seen == ['q']\n\n\n"
    "def test_first():\n    import pytest\n\n    with pytest.raises(ValueError) as info:\n"
    "        first([])\n    assert str(info.value) == 'no items'\n    assert first([LIMIT]) == 3\n\n\n"
    "def test_approx():\n    assert len(slug('a b')) == pytest.approx(3)\n\n\n"
    "def test_needs_a_fixture(tmp_path):\n    assert slug('x') == 'never read'\n\n\n"
    "@pytest.mark.parametrize('x', [1])\ndef test_decorated(x):\n    assert slug('x') == 'no'\n\n\n"
    'if __name__ == "__main__":\n    test_slug()\n'
)
STACK = (
    "class Stack:\n    def __init__(self):\n        self.items = []\n\n"
    "    def push(self, x):\n        self.items.append(x)\n\n"
    "    def pop(self):\n        if not self.items:\n"
    "            raise IndexError('pop from empty stack')\n        return self.items.pop()\n"
)
UNITTEST = (
    "import unittest\n\nfrom stack import Stack\n\n\nclass StackTests(unittest.TestCase):\n"
    "    def test_order(self):\n        s = Stack()\n        for x in (1, 2, 3):\n"
    "            s.push(x)\n        self.assertEqual([s.pop(), s.pop()], [3, 2])\n"
    "        self.assertEqual(s.pop(), 1)\n\n"
    "    def test_empty(self):\n        with self.assertRaises(IndexError) as ctx:\n"
    "            Stack().pop()\n        self.assertEqual(str(ctx.exception), 'pop from empty stack')\n"
    "        self.assertIsNone(None if Stack() else 1)\n\n"
    "    def test_uses_state(self):\n        self.assertEqual(self.helper(), 1)\n\n\n"
    "class WithSetUp(unittest.TestCase):\n    def setUp(self):\n        self.s = Stack()\n\n"
    "    def test_it(self):\n        self.assertTrue(self.s)\n"
)


@isolated
def test_each_assertion_of_plain_tests_is_a_check_with_the_value_the_code_gave():
    found = assert_calls("test_words.py", PLAIN)
    names = [e.name for e in found]
    assert len(found) == 11, names  # the fixture's and the decorated test's are left out
    assert not any("never read" in e.code or "'no'" in e.code or "approx" in e.code for e in found)
    assert not any("pytest" in e.code for e in found)  # it may not be installed where it runs
    assert all(e.kind == "call" and e.checks_behaviour for e in found)
    assert [r.status for r in run_examples({"words.py": WORDS}, found)] == ["pass"] * 11
    wrong = WORDS.replace("'-'.join", "'_'.join").replace("'no items'", "'empty'")
    results = run_examples({"words.py": wrong}, found)
    assert [r.status for r in results] == ["fail"] * 2 + ["pass"] * 7 + ["fail", "pass"]
    assert "'a_b'" in results[0].reason, results[0]  # the value it gave, not AssertionError
    assert "'empty'" in results[9].reason, results[9]


@isolated
def test_unittest_assertions_are_checks_state_carried_as_the_test_carries_it():
    found = assert_calls("test_stack.py", UNITTEST)
    assert [e.name.split(": ", 1)[1] for e in found] == [
        "`[s.pop(), s.pop()] == [3, 2]`",
        "`s.pop() == 1`",  # after the two pops before it
        "`Stack().pop() raises IndexError`",
        "`str(ctx.exception) == 'pop from empty stack'`",
        "`(None if Stack() else 1) == None`",
    ]
    assert [r.status for r in run_examples({"stack.py": STACK}, found)] == ["pass"] * 5
    wrong = STACK.replace("self.items.pop()", "self.items.pop(0)").replace(
        "raise IndexError('pop from empty stack')", "return None"
    )
    results = run_examples({"stack.py": wrong}, found)
    assert [r.status for r in results] == ["fail", "fail", "fail", "fail", "pass"], results
    assert "[1, 2]" in results[0].reason and "raises nothing" in results[2].reason


def test_the_tests_a_request_is_about():
    files = {
        "words.py": WORDS,
        "test_words.py": PLAIN,
        "stack.py": STACK,
        "test_stack.py": UNITTEST,
    }
    about = lambda request: {e.name.split(":")[0] for e in given_tests(request, files)}  # noqa: E731
    assert about("Make `python test_stack.py` pass.") == {"test_stack.py"}
    assert about("Fix words.py so that test_words.py passes") == {"test_words.py"}
    assert about("Make the tests pass.") == {"test_stack.py", "test_words.py"}
    assert about("Add a --verbose flag to words.py") == set()
    assert given_tests("make the tests pass", {"test_x.py": "def test_(:\n"}) == []


@pytest.mark.parametrize(
    ("request_text", "kept"),
    [
        ("Fix stack.py. Don't change the test file.", {"test_stack.py"}),
        ("Make the tests pass; do not edit test_stack.py.", {"test_stack.py"}),
        ("Fix it without touching `main.py`, only stack.py.", {"main.py"}),
        ("Leave main.py alone and fix stack.py.", {"main.py"}),
        ("You must not modify the existing tests.", {"test_stack.py"}),
        ("Do not change the output of main.py.", set()),  # its output, not the file
        ("Don't change how the tests are run.", set()),
        ("Rewrite stack.py and main.py.", set()),
    ],
)
def test_the_files_a_request_says_to_leave_alone(request_text, kept):
    assert left_alone(request_text, ["stack.py", "main.py", "test_stack.py"]) == kept


def test_a_failure_many_checks_share_is_told_once_and_the_rest_counted():
    trace = "Traceback ...\nImportError: cannot import name 'initials'"
    failures = [
        ExampleResult(f"check {i}", "fail", "exit status 1: ImportError", detail=trace)
        for i in range(TOLD_CHECKS + 4)
    ]
    told = heal_instruction(failures, fast_settings("http://127.0.0.1:9/v1"), {})
    assert told.count("cannot import name") == 1
    assert told.count('Check "check') == TOLD_CHECKS
    assert "(4 more checks failed.)" in told


def test_the_documented_commands_a_request_leaves_alone():
    files = {
        "app.py": '"""usage:\n    python app.py list\n    python app.py add NAME\n'
        '    python app.py stats --top 3\n    python app.py --help\n    python app.py\n"""\n',
        "README.md": "Try `python app.py report weekly` or\n\n    $ python app.py list\n",
        "notes.txt": "python other.py list\n",  # not a program of the project
    }
    adds = "Add a `clear` command to app.py."
    assert untouched_commands(adds, files) == [
        ("python", "app.py", "list"),
        ("python", "app.py", "stats", "--top", "3"),
        ("python", "app.py", "report", "weekly"),
    ]
    assert ("python", "app.py", "list") not in untouched_commands(adds + " list prints it", files)
    assert untouched_commands("Fix the wrong total in stats.", files) == []
    assert untouched_commands("Make stats print the mean. Change nothing else.", files) == [
        ("python", "app.py", "list"),
        ("python", "app.py", "report", "weekly"),
    ]


def test_only_a_request_that_adds_a_thing_or_keeps_the_rest_holds_them():
    files = {"app.py": '"""usage:\n    python app.py list\n"""\n'}
    assert untouched_commands("Add a `--json` flag.", files) == [("python", "app.py", "list")]
    assert untouched_commands("Add colour to the output.", files) == []  # all output changes
    assert untouched_commands("Add tests for list.", files) == []  # it names `list`


def test_a_change_s_failure_is_repaired_in_the_file_the_change_wrote():
    """A bug report quotes `python temps.py ...`; the change fixed `convert.py`, which temps.py
    imports. A failure concerns the program first: its repair went nowhere (temps.py is not
    the change's to rewrite), now it goes to the first concerned file the change wrote."""
    failed = ExampleResult("f2c", "fail", "still prints 194.2", files=("temps.py", "convert.py"))
    files = {"temps.py": "import convert\n", "convert.py": "def f(x):\n    return x\n"}
    assert list(heal_targets([failed], files, ["convert.py"])) == ["convert.py"]
    assert list(heal_targets([failed], files, None)) == ["temps.py"]


def test_a_program_whose_output_a_request_keeps_with_no_command_quoted():
    from smol_core.spec_reading.kept_outputs import kept_runs

    one = {"report.py": "if __name__ == '__main__':\n    print(1)\n", "util.py": "X = 1\n"}
    two = {"a.py": "print(1)\n", "b.py": "print(2)\n"}
    keeps = "Load the data from a file instead. The printed report stays exactly the same."
    assert kept_runs(keeps, one) == [("python", "report.py")]
    assert kept_runs(keeps, two) == []  # which program is not known
    assert kept_runs("Tidy b.py up; its output stays identical.", two) == [("python", "b.py")]
    assert kept_runs("Load the data from a file instead.", one) == []
    assert kept_runs("`python report.py --all` prints the same as now.", one) == []  # quoted
