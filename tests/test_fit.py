"""Every request fits the model's context: trimmed in order (related files, the plan's end, the
whole plan), never the file being written; what can't fit is one clear error, not a 400."""

from __future__ import annotations

import asyncio

import pytest

from smol_core.errors import SmolError
from smol_core.prompts import file_messages
from smol_core.records import FileSpec, Finding
from smol_core.steps.code import write_file
from smol_core.steps.fit import CUT_NOTE, estimate_tokens, fitted
from smol_core.steps.repair import repair_instruction
from tests.conftest import fast_settings

FILES = [FileSpec("app.py", "entry"), FileSpec("util.py", "helpers")]
CURRENT = "def main():\n    return helper()\n"


def _build(plan: str, instruction: str | None):
    return file_messages("spec", plan, FILES, "app.py", instruction=instruction, current=CURRENT)


def _repair() -> str:
    finding = Finding("app.py", 2, "`helper` is not defined", "undefined-name")
    return repair_instruction([finding], None, {"util.py": "x = 1\n" * 900})


def test_related_files_go_first_then_the_plan_and_never_the_file_itself():
    plan = "# Plan\n" + "- a line of the plan that says what a file does\n" * 300
    settings = fast_settings("http://127.0.0.1:9", context_tokens=7000, max_tokens=500)
    whole = _build(plan, _repair())
    assert estimate_tokens(whole) > 7000
    trimmed = fitted(_build, plan, _repair(), settings, "app.py")
    last = trimmed[-1]["content"]
    assert "x = 1" not in last and "`helper` is not defined" in last and CURRENT in last
    assert CUT_NOTE not in trimmed[1]["content"]  # the related files were enough
    tight = fast_settings("http://127.0.0.1:9", context_tokens=2800, max_tokens=500)
    smaller = fitted(_build, plan, _repair(), tight, "app.py")
    assert CUT_NOTE in smaller[1]["content"] and CURRENT in smaller[-1]["content"]
    assert estimate_tokens(smaller) <= 2800 - 500


def test_what_cannot_fit_is_one_clear_error():
    huge = "y = 2\n" * 20_000
    settings = fast_settings("http://127.0.0.1:9", context_tokens=4000, max_tokens=500)

    def build(plan, instruction):
        return file_messages("s", plan, FILES, "app.py", instruction="change", current=huge)

    with pytest.raises(SmolError, match="too long for the model's context"):
        fitted(build, "plan", "change", settings, "app.py")


def test_a_request_is_sent_trimmed_to_the_server(make_server):
    server = make_server(files={"app.py": "print('hi')\n"})
    plan = "# Plan\n" + "- detail\n" * 2000
    settings = fast_settings(server.base_url, context_tokens=3000, max_tokens=500)
    done = asyncio.run(write_file("spec", plan, FILES, "app.py", settings))
    assert done.content == "print('hi')\n"
    [sent] = [r for r in server.requests if r.kind == "code"]
    assert CUT_NOTE in sent.body["messages"][1]["content"]
