"""The real pipeline against the real built-in model (llama.cpp + Qwen2.5-Coder 1.5B), no network.

Marked `local_model`: `pytest -m local_model` runs just this; it is skipped, with the reason, on
a machine without `requirements-local.txt` installed.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from smol_core.events import FileDone, Retry
from smol_core.model.local_server import local_model_problem
from smol_core.runs import run_all
from smol_core.settings import Settings

pytestmark = [pytest.mark.local_model, pytest.mark.slow]

SPEC = (
    "Two small Python files, standard library only. `mathutil.py` defines `add(a, b)` that "
    "returns a + b. `main.py` imports add from mathutil and prints add(2, 3)."
)


@pytest.fixture(scope="module")
def local_settings() -> Settings:
    problem = local_model_problem()
    if problem:
        pytest.skip(f"built-in model unavailable: {problem}")
    # Small caps keep this test to about a minute on 2 cores.
    return Settings.from_env({}, provider="local", max_tokens=400, max_plan_tokens=300)


# About 45 s alone on 2 cores; far longer when something else loads the CPU.
@pytest.mark.timeout(900)
def test_tiny_spec_end_to_end_on_the_built_in_model(local_settings, capsys):
    events: list = []
    started = time.monotonic()
    project = asyncio.run(run_all(SPEC, local_settings, events.append))
    seconds = time.monotonic() - started

    assert project.plan.strip(), "the plan is empty"
    assert any(
        line.lstrip().startswith(("#", "-", "*", "|", "1.")) for line in project.plan.splitlines()
    ), "the plan is not Markdown"
    assert project.files, "no file list"
    # The brief plan's file lines are the list; else asked, as json_schema (llama.cpp gives
    # small models no tool_calls).
    assert project.file_list_mode in ("plan", "json_schema")
    assert project.failed == {}, project.failed
    for path in project.paths:
        content = project.contents[path]
        assert content.strip(), f"{path} is empty"
        if path.endswith(".py"):
            compile(content, path, "exec")  # raises SyntaxError with the line if it doesn't
    done = [e for e in events if isinstance(e, FileDone)]
    retries = [e for e in events if isinstance(e, Retry)]
    u = project.usage
    with capsys.disabled():
        print(
            f"\n[local model] {len(done)} files in {seconds:.1f}s, {u.prompt_tokens} prompt "
            f"tokens ({u.cached_tokens} cached), {u.completion_tokens} completion, "
            f"{len(retries)} retries; files: {', '.join(project.paths)}"
        )
