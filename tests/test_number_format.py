"""A number shown with more decimals than its example asks for is shown with that many, from
what running it showed, without a model request; kept only if it does better."""

from __future__ import annotations

import pytest

from smol_core.events import FileDone
from smol_core.fixes.number_format import DECIMALS, differing_number, fewer_decimals
from smol_core.running.browser import unavailable
from tests.test_trim_output import _run, isolated

needs_browser = pytest.mark.skipif(bool(unavailable()), reason=unavailable() or "ok")


@pytest.mark.parametrize(
    ("path", "source", "expected", "got", "after"),
    [
        (
            "app.js",
            "out.textContent = (c * 9 / 5 + 32).toFixed(2);",
            "212",
            "212.00",
            "out.textContent = (c * 9 / 5 + 32).toFixed(0);",
        ),
        ("c.py", 'print(f"{r:.2f}")', "212.0", "212.00", 'print(f"{r:.1f}")'),
        ("c.py", 'print("{:>8.3f}".format(r))', "5.75", "5.750", 'print("{:>8.2f}".format(r))'),
        ("c.py", 'print(f"Total: {r:.2f}")', "5.8", "5.75", 'print(f"Total: {r:.1f}")'),
    ],
)
def test_the_one_format_that_gave_more_decimals_gives_the_expected_count(
    path, source, expected, got, after
):
    fixed = fewer_decimals(path, source, expected, got)
    assert fixed is not None and fixed.source == after and fixed.why == DECIMALS


@pytest.mark.parametrize(
    ("source", "expected", "got"),
    [
        ('print(f"{r:.2f}")', "213", "212.00"),  # another number
        ('print(f"{r:.2f} {s:.2f}")', "212", "212.00"),  # two formats: which one is not known
        ('print(f"{r:.1f}")', "212.00", "212.0"),  # fewer decimals than asked: not this
        ("print(r)", "212", "212.0"),  # no format to change
        ('print(f"{r:.2f}")', "abc", "212.00"),
    ],
)
def test_anything_else_is_left_alone(source, expected, got):
    assert fewer_decimals("c.py", source, expected, got) is None


def test_only_lines_that_are_the_same_number_otherwise_written_count():
    assert differing_number("1\n212\n3", "1\n212.00\n3") == ("212", "212.00")
    assert differing_number("212", "212.00 F") is None
    assert differing_number("1\n2", "1") is None
    assert differing_number("1", "1") is None


CONVERT = "import sys\nc = float(sys.argv[1])\nprint(f'{c * 9 / 5 + 32:.2f}')\n"
SPEC = "`convert.py`: `python convert.py 100` prints `212.0`."


@isolated
def test_a_command_printing_more_decimals_passes_without_a_request(make_server):
    server = make_server(plan_text="- `convert.py` — converts.\n", files={"convert.py": CONVERT})
    events, project = _run(server, SPEC)
    assert project.examples_state() == "passing"
    assert ":.1f}" in project.contents["convert.py"]
    assert any(n.startswith(DECIMALS) for e in events if isinstance(e, FileDone) for n in e.fixed)
    assert [r.path for r in server.requests if r.kind == "code"] == ["convert.py"]


PAGE = (
    "<input id='celsius'><button id='convert'>Go</button><span id='result'></span>"
    "<script src='app.js'></script>"
)
APP = """document.getElementById('convert').addEventListener('click', () => {
  const c = Number(document.getElementById('celsius').value);
  document.getElementById('result').textContent = (c * 9 / 5 + 32).toFixed(2);
});
"""
PAGE_SPEC = """A page `index.html` with `app.js`: `<input id="celsius">`, `<button id="convert">` and
`<span id="result">`. Typing `100` and clicking the convert button shows `212` in the span."""


@isolated
@needs_browser
def test_a_page_showing_more_decimals_passes_without_a_request(make_server):
    server = make_server(
        plan_text="- `index.html` — the page.\n- `app.js` — its script.\n",
        files={"index.html": PAGE, "app.js": APP},
    )
    events, project = _run(server, PAGE_SPEC)
    assert project.examples_state() == "passing"
    assert ".toFixed(0)" in project.contents["app.js"]
    assert sorted(r.path for r in server.requests if r.kind == "code") == ["app.js", "index.html"]
