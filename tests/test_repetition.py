"""A reply stuck in a loop is stopped while it streams, and the loop is cut from the file."""

from __future__ import annotations

import asyncio
import time

from smol_core.model.chat import LOOPED, stream_chat
from smol_core.model.client import open_client
from smol_core.model.repetition import LoopGuard
from smol_core.prompts import file_messages
from smol_core.records import FileSpec
from tests.conftest import PLAN, fast_settings

HEAD = "# Fizzbuzz\n\nRun it:\n\n    python fizzbuzz.py 15\n\n"
LOOP_LINE = "| The program is designed to be run from the command line. |\n"


def fed(text: str, size: int = 7) -> LoopGuard:
    """A guard fed `text` in small deltas, as a stream would, stopped where it says loop."""
    guard = LoopGuard()
    for i in range(0, len(text), size):
        if guard.feed(text[i : i + size]):
            break
    return guard


def test_a_repeated_line_is_cut_to_one_copy() -> None:
    text = HEAD + LOOP_LINE * 40
    guard = fed(text)
    assert guard.looped
    assert guard.trimmed(text) == HEAD + LOOP_LINE


def test_a_counter_ticking_in_a_repeated_row_is_a_loop() -> None:
    rows = "".join(f"| {n} | The program is designed to be run. |\n" for n in range(1, 60))
    guard = fed(HEAD + rows)
    assert guard.looped
    assert guard.trimmed(HEAD + rows) == HEAD + "| 1 | The program is designed to be run. |\n"


def test_a_repeated_block_of_lines_is_a_loop() -> None:
    block = "def f():\n    return 1\n\n"
    text = "import os\n" + block * 12
    guard = fed(text)
    assert guard.looped
    assert guard.trimmed(text) == "import os\n" + block


def test_a_runaway_line_without_newline_is_a_loop() -> None:
    text = "print('a')\nx = 'la " + "la " * 400
    guard = fed(text)
    assert guard.looped
    assert guard.trimmed(text) == "print('a')\n"


def test_real_code_with_short_repeats_is_left_alone() -> None:
    # Repeats real files have: closing braces, a few identical lines, a table of similar rows
    # below the thresholds, blank lines, a data table whose rows differ in more than digits.
    code = (
        "function a() {\n  if (x) {\n    y();\n  }\n}\n" * 30
        + "    assert f(1) == 1\n" * 7
        + "\n" * 40
        + "".join(f"    ('{w}', {n}),\n" for n, w in enumerate("abcdefghijklmnopqrstuvwxyz"))
        + "".join(f"| {n} | {n * n} |\n" for n in range(12))
        + "    [0, 0, 0, 0, 0, 0, 0, 0, 0],\n" * 9  # an empty sudoku grid
        + "".join(
            f'  {{"path": "pkg/mod_{n:02d}.py", "purpose": "module {n}"}},\n' for n in range(30)
        )
        + "=" * 79
        + "\n"
    )
    guard = fed(code)
    assert not guard.looped
    assert guard.trimmed(code) == code


def test_a_looping_stream_is_closed_early_and_not_continued(make_server) -> None:
    looping = HEAD + LOOP_LINE * 400  # ~6,000 tokens at the server's 4 chars per token
    srv = make_server(files={"README.md": looping}, tokens_per_second=2000)
    settings = fast_settings(srv.base_url, max_tokens=4000, max_continuations=2)
    files = [FileSpec("README.md", "how to run")]

    async def go():
        async with open_client(settings) as client:
            messages = file_messages("spec", PLAN, files, "README.md")
            return await stream_chat(client, settings, messages, step="code", path="README.md")

    result = asyncio.run(go())
    assert result.text == HEAD + LOOP_LINE
    assert result.finish_reason == LOOPED and not result.truncated
    assert result.usage.completion_tokens > 0 and result.usage.requests == 1
    # One request, left by the client long before the 6,000 tokens (3 s at this pace) were out.
    [request] = srv.requests
    deadline = time.monotonic() + 5
    while srv.requests[0].outcome == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.requests[0].outcome == "disconnected", request


def test_a_stopped_loop_is_reported_by_the_pipeline_and_the_page(make_server, point_at):
    from smol_core.runs import run_all
    from tests.kit import new_app, ok
    from tests.test_app import generate, list_files, plan

    looping = "# Greeter\n\n" + LOOP_LINE * 60
    srv = make_server(files={"main.py": "print('hi')\n", "README.md": looping})
    project = asyncio.run(run_all("a greeter", fast_settings(srv.base_url)))
    assert project.looped == {"README.md"}
    assert project.contents["README.md"] == "# Greeter\n\n" + LOOP_LINE
    point_at(srv)
    at = generate(list_files(plan(ok(new_app().run()))))
    assert any("`README.md`: the model started repeating itself" in w.value for w in at.warning)


def test_a_plan_that_says_its_lines_again_is_stopped_at_the_first_repeat(make_server) -> None:
    from smol_core.steps.plan import make_plan

    block = (
        "- `conversions.py` — defines `c_to_f(c)` and `f_to_c(f)`.\n"
        "- `convert.py` — the entry point: `python convert.py VALUE --to f`.\n\n"
    )
    srv = make_server(
        plan_text=block * 4 + "- `never.py` — never reached.\n", tokens_per_second=2000
    )
    plan = asyncio.run(make_plan("a converter", fast_settings(srv.base_url, max_tokens=4000)))
    assert plan == block.strip()
    # Real prose with short lines said twice is not cut, and code keeps the old, lenient rule.
    guard = LoopGuard(distinct_lines=True)
    prose = "- `a.py` — reads.\n---\n- `b.py` — writes.\n---\n- none\n- none\n- `c.py` — runs.\n"
    assert not guard.feed(prose)
    code = "def f():\n    return 1\n\n\ndef g():\n    return 1\n"
    assert not fed(code).looped
