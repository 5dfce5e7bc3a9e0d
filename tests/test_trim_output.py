"""A program printing its expected value among words of its own is made to print the value only,
from what running it printed, without a model request; kept only if it does no worse."""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil

import pytest

from smol_core.events import FileDone
from smol_core.fixes.trim_output import ONE_PER_LINE, PRINTS_ONLY, trimmed_log, trimmed_print
from smol_core.project import Project
from smol_core.running.sandbox import isolation
from smol_core.runs import events_of, run_all
from smol_core.steps.heal import WENT_BACK
from tests.conftest import fast_settings

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)

CONVERT = """import sys
from conversions import c_to_f


def main():
    value = float(sys.argv[1])
    result = c_to_f(value)
    print(f"{value:.1f}°C = {result:.1f}°F")


if __name__ == "__main__":
    main()
"""


def test_the_value_expected_is_kept_and_the_words_around_it_dropped():
    fixed = trimmed_print(CONVERT, "212.0", "100.0°C = 212.0°F")
    assert fixed is not None
    assert fixed.before == 'print(f"{value:.1f}°C = {result:.1f}°F")'
    assert fixed.after == "print(f'{result:.1f}')"
    assert fixed.source == CONVERT.replace(fixed.before, fixed.after)  # only that call changes


def test_several_arguments_and_lines_printed_in_a_loop():
    total = 'total = 3\nprint("Total:", total)\n'
    assert trimmed_print(total, "3", "Total: 3").source == "total = 3\nprint(total)\n"
    loop = 'for i in range(3):\n    print(f"Line {i}: {i * 2}")\n'
    fixed = trimmed_print(loop, "0\n2\n4", "Line 0: 0\nLine 1: 2\nLine 2: 4")
    assert fixed is not None and fixed.after == "print(f'{i * 2}')"


def _prints(source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "t.py", "exec"), {})  # our own literal sources, not generated code
    return out.getvalue()


@pytest.mark.parametrize(
    ("source", "value", "after"),
    [
        ('t = 3\nprint("Total: " + str(t))\n', "3", "print(str(t))"),
        ('t = 3\nprint("Total: {}".format(t))\n', "3", "print(t)"),
        ('t = 3\nprint("Total: {0} items".format(t))\n', "3", "print(t)"),
        ('f = 212\nprint("{:.1f} F".format(f))\n', "212.0", "print('{:.1f}'.format(f))"),
        ('t = 3.0\nprint("Total: %d" % t)\n', "3", "print('%d' % t)"),
        ('t = 3\nprint("%s%% of %s" % (t, 9))\n', "3", "print(t)"),
    ],
)
def test_text_built_with_plus_format_and_percent_is_read_too(source, value, after):
    fixed = trimmed_print(source, value, _prints(source))
    assert fixed is not None and fixed.after == after and fixed.why == PRINTS_ONLY
    assert _prints(fixed.source) == value + "\n"


@pytest.mark.parametrize(
    ("source", "after"),
    [
        ("items = ['milk', 'eggs', 'tea']\nprint(items)\n", 'print(*items, sep="\\n")'),
        (
            "items = ('milk', 'eggs', 'tea')\nprint(sorted(items, key=len))\n",
            'print(*sorted(items, key=len), sep="\\n")',
        ),
        (
            'items = ["milk", "eggs", "tea"]\nprint(", ".join(items))\n',
            'print("\\n".join(items))',
        ),
    ],
)
def test_a_list_printed_on_one_line_is_printed_one_item_per_line(source, after):
    expected = "milk\neggs\ntea" if "sorted" not in source else "tea\nmilk\neggs"
    fixed = trimmed_print(source, expected, _prints(source))
    assert fixed is not None and fixed.after == after and fixed.why == ONE_PER_LINE
    assert _prints(fixed.source) == expected + "\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("items = ['a', 'b']\nprint(items)\nprint(len(items))\n", "a\nb"),  # which print? unsure
        ("items = ['a', 'b']\nprint(str(items))\n", "a\nb"),  # text: spread would print chars
        ("items = ['a', 'b']\nprint(items)\n", "a\nc"),  # the items are wrong, not the lines
        ('print(", ".join(["a", "b"]))\n', "a\nb\nc"),  # not as many
        ('d = {"n": 3}\nprint("%(n)s" % d)\n', "3"),  # named fields: not read
        ('print("Total: {t}".format(t=3))\n', "3"),  # keywords: not read
    ],
)
def test_no_spread_or_trim_where_the_print_is_not_known(source, expected):
    assert trimmed_print(source, expected, _prints(source)) is None


@pytest.mark.parametrize(
    ("source", "expected", "printed"),
    [
        ('print(f"{a} {b}")\n', "1", "1 2"),  # no words of its own: nothing to drop
        ('print("Result:", x)\nprint("Result:", x)\n', "3", "Result: 3"),  # which one? unsure
        ('print("Total:", t)\n', "4", "Total: 3"),  # the value is wrong, not the words
        ('print("Total:", t)\n', "3\n3", "Total: 3"),  # lines differ in number
        ('print("Total:", t, sep="")\n', "3", "Total:3"),  # keywords: not guessed
        ('print("Total:", t\n', "3", "Total: 3"),  # not Python
        ('print("3")\n', "3", "3"),  # already right
    ],
)
def test_no_fix_where_the_output_does_not_say_which_value_was_meant(source, expected, printed):
    assert trimmed_print(source, expected, printed) is None


SPEC = (
    "`conversions.py` defines `c_to_f(c)`; `python convert.py 100` prints only the result "
    "with one decimal, e.g. `python convert.py 100` prints `212.0`."
)
BRIEF = "- `conversions.py` — c_to_f.\n- `convert.py` — the command.\n"
CONVERSIONS = "def c_to_f(c):\n    return c * 9 / 5 + 32\n"


def _run(server, spec: str, **overrides) -> tuple[list, Project]:
    settings = fast_settings(server.base_url, plan_style="brief", **overrides)

    async def go():
        return [e async for e in events_of(lambda emit: run_all(spec, settings, emit))]

    events = asyncio.run(go())
    project = Project(spec=spec)
    for event in events:
        project.apply(event)
    return events, project


@isolated
def test_a_decorated_output_is_trimmed_without_a_request_and_passes(make_server):
    server = make_server(
        plan_text=BRIEF, files={"conversions.py": CONVERSIONS, "convert.py": CONVERT}
    )
    events, project = _run(server, SPEC)
    assert project.examples_state() == "passing"
    assert "print(f'{result:.1f}')" in project.contents["convert.py"]
    fixes = [e for e in events if isinstance(e, FileDone) and e.fixed]
    assert any(PRINTS_ONLY in note for e in fixes for note in e.fixed)
    # one request per file, none to repair it
    assert [r.path for r in server.requests if r.kind == "code"] == ["conversions.py", "convert.py"]


TWO = SPEC + " And `python convert.py 0` prints `0.0°C = 32.0°F`."


@isolated
def test_a_trim_that_fails_another_example_is_gone_back_from(make_server):
    server = make_server(
        plan_text=BRIEF, files={"conversions.py": CONVERSIONS, "convert.py": CONVERT}
    )
    events, project = _run(server, TWO, run_rounds=1)
    notes = [
        n for e in events if isinstance(e, FileDone) and e.path == "convert.py" for n in e.fixed
    ]
    assert notes[0].startswith(PRINTS_ONLY) and WENT_BACK in notes[1:]
    assert project.contents["convert.py"] == CONVERT
    assert [e.commands[0].output for e in project.examples[:2]] == ["212.0", "0.0°C = 32.0°F"]


@pytest.mark.parametrize(
    ("source", "printed", "after"),
    [
        (
            "const n = 3;\nconsole.log(`The count of vowels is ${n}.`);\n",
            "The count of vowels is 3.",
            "console.log(n)",
        ),
        ("const n = 3;\nconsole.log('Vowels:', n);\n", "Vowels: 3", "console.log(n)"),
        ("const n = 3;\nconsole.log('Vowels: ' + n + '!');\n", "Vowels: 3!", "console.log(n)"),
        ('console.log("Total: " + (n * 3));\n', "Total: 3", "console.log((n * 3))"),
    ],
)
def test_a_node_programs_console_log_is_trimmed_the_same_way(source, printed, after):
    fixed = trimmed_log(source, "3", printed)
    assert fixed is not None and fixed.after == after
    assert fixed.source == source.replace(fixed.before, after)
    loop = "for (const w of ws) console.log(`- ${w.toUpperCase()}`);\n"
    assert trimmed_log(loop, "A\nB", "- A\n- B").after == "console.log(w.toUpperCase())"


@pytest.mark.parametrize(
    ("source", "value", "printed"),
    [
        ("console.log(n);\n", "3", "4"),  # no words of its own
        ("console.log('%s items', n);\n", "3", "3 items"),  # a format string: not guessed
        ("console.log('Total:', t);\nconsole.log('Total:', u);\n", "3", "Total: 3"),  # which?
        ("console.log('Total:', t);\n", "3", "Total: 4"),  # the value is wrong, not the words
    ],
)
def test_no_console_log_trim_where_the_output_does_not_say_which_value(source, value, printed):
    assert trimmed_log(source, value, printed) is None


VOWELS = """const words = process.argv.slice(2).join(' ');
const count = (words.match(/[aeiou]/gi) || []).length;
console.log(`The count of vowels is ${count}.`);
"""


@isolated
@pytest.mark.skipif(shutil.which("node") is None, reason="no Node.js on this machine")
def test_a_node_program_printing_words_around_its_value_is_trimmed_and_passes(make_server):
    server = make_server(plan_text="- `vowels.js` — the script.\n", files={"vowels.js": VOWELS})
    spec = "A Node.js script `vowels.js`: `node vowels.js Hello World` prints `3`."
    events, project = _run(server, spec)
    assert project.examples_state() == "passing"
    assert "console.log(count);" in project.contents["vowels.js"]
    assert [r.path for r in server.requests if r.kind == "code"] == ["vowels.js"]  # no repair
