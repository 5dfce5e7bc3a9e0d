"""The quality benchmark's checkers, trusted: each passes a hand-written correct project and
fails broken ones for the right reason. No model here; Chromium ones are marked e2e."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.quality import run
from bench.quality.__main__ import Outcome, markdown, rates, summary_lines, table
from bench.quality.original import file_system_prompt, first_fenced_block
from bench.quality.reference import BROKEN, CORRECT, broken_files, materialize
from bench.quality.specs import BY_NAME, SPECS

BROWSER_KINDS = {"page", "extension"}
# Broken extensions that fail on the static checks, before any browser starts.
STATIC_FAILURES = {"manifest version 2", "popup script missing", "inline script"}


def needs_browser(name: str, what: str | None = None) -> bool:
    return BY_NAME[name].kind in BROWSER_KINDS and what not in STATIC_FAILURES


def _param(name: str, what: str | None = None):
    marks = [pytest.mark.e2e] if needs_browser(name, what) else []
    return pytest.param(name, what, marks=marks, id=f"{name}-{what or 'correct'}")


@pytest.fixture(autouse=True)
def short_limits(monkeypatch):
    # The broken projects that hang or never listen are meant to fail: fail them fast.
    monkeypatch.setattr(run.Limits, "program_seconds", 2.0)
    monkeypatch.setattr(run.Limits, "server_start_seconds", 2.0)
    monkeypatch.setattr(run.Limits, "page_ms", 1000)


@pytest.fixture(scope="module")
def browser(request):
    """One Chromium for the module's page checks (only started if a browser test runs)."""
    if not Path(run.CHROMIUM).exists():
        pytest.skip("chromium not installed")
    with run.browser_session():
        yield


def test_every_spec_has_a_reference_and_a_broken_project():
    assert set(CORRECT) == {s.name for s in SPECS}
    assert {name for name, _, _ in BROKEN} == {s.name for s in SPECS}
    assert len(SPECS) >= 8
    assert {s.kind for s in SPECS} == {"cli", "module", "page", "extension", "server"}


@pytest.mark.parametrize("name,what", [_param(s.name) for s in SPECS])
def test_checker_passes_the_correct_project(name, what, tmp_path, request):
    if needs_browser(name):
        request.getfixturevalue("browser")
    folder = materialize(tmp_path / name, CORRECT[name])
    verdict = BY_NAME[name].check(folder)
    assert verdict.passed, verdict.reason
    assert sorted(p.name for p in folder.iterdir()) == sorted(CORRECT[name])  # no litter


@pytest.mark.parametrize("name,what", [_param(n, w) for n, w, _ in BROKEN])
def test_checker_fails_the_broken_project(name, what, tmp_path, request):
    if needs_browser(name, what):
        request.getfixturevalue("browser")
    changes = next(c for n, w, c in BROKEN if (n, w) == (name, what))
    verdict = BY_NAME[name].check(materialize(tmp_path / name, broken_files(name, changes)))
    assert not verdict.passed
    assert verdict.reason and "\n" not in verdict.reason


def test_checkers_fail_an_empty_folder_with_a_reason(tmp_path):
    for spec in SPECS:
        verdict = spec.check(tmp_path)
        assert not verdict.passed and "missing" in verdict.reason, (spec.name, verdict.reason)


def test_generated_python_has_no_network(tmp_path):
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('10.255.255.1', 80), timeout=2)\n"
        "except OSError as e:\n    print('blocked', e)\n"
    )
    ran = run.run_python(tmp_path, ["-c", code])
    assert ran.code == 0 and "network access is blocked" in ran.out


def test_a_hung_program_and_its_children_are_killed(tmp_path):
    code = "import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\ntime.sleep(60)\n"
    ran = run.run_python(tmp_path, ["-c", code], timeout=1.0)
    assert ran.code is None


def test_a_checker_that_crashes_still_gives_a_verdict(tmp_path):
    @run.guarded
    def boom(_folder):
        raise KeyError("x")

    verdict = boom(tmp_path)
    assert not verdict.passed and "KeyError" in verdict.reason


def test_original_flow_puts_the_file_name_first_and_strips_like_the_original():
    assert file_system_prompt("app.js").startswith("Write the file app.js.")
    assert first_fenced_block("Here:\n```js\nlet a = 1;\n```\nand\n```\nb\n```") == "let a = 1;\n"
    assert first_fenced_block("print(1)\n") == "print(1)\n"


def test_report_shows_rates_and_ratio():
    outcomes = [
        Outcome("a", "original", passed=False, reason="x", seconds=3, prompt_tokens=10),
        Outcome("a", "studio", passed=True, reason="ok", seconds=5, prompt_tokens=20),
        Outcome("b", "original", passed=True, reason="ok"),
        Outcome("b", "studio", passed=True, reason="ok"),
    ]
    summary = rates(outcomes, ["original", "studio"])
    assert summary["original"]["rate"] == 0.5 and summary["studio"]["rate"] == 1.0
    lines = summary_lines(summary)
    assert "2.00x" in lines[-1] and "MISSED" not in lines[-1]
    assert "fail" in table(outcomes) and "| a |" in markdown(outcomes, summary, {})


def test_report_counts_false_passes_false_fails_and_checked_specs():
    outcomes = [
        # every example it ran passed, the checker disagrees: a false pass
        Outcome("a", "run", passed=False, reason="x", checked=1, ran=2, failing=0),
        # an example failed where the checker found it right: a false fail
        Outcome("b", "run", passed=True, reason="ok", checked=0, ran=1, failing=1),
        # nothing ran: neither, whatever the checker says
        Outcome("c", "run", passed=False, reason="x", checked=0, ran=0, failing=0),
        Outcome("d", "run", passed=True, reason="ok", checked=2, ran=2, failing=0),
    ]
    summary = rates(outcomes, ["run"])["run"]
    assert (summary["false_passes"], summary["false_fails"], summary["checked_specs"]) == (1, 1, 2)
    assert (
        "false passes 1, false fails 1, specs with a checked behaviour 2/4"
        in (summary_lines({"run": summary})[0])
    )


@pytest.mark.e2e
def test_page_network_is_blocked(tmp_path, browser):
    (tmp_path / "index.html").write_text(
        "<p id='r'>wait</p><script>fetch('http://example.com/').then(() => "
        "{document.getElementById('r').textContent='reached'}).catch(() => "
        "{document.getElementById('r').textContent='blocked'})</script>"
    )
    with run.page_of(tmp_path) as (page, _errors):
        page.wait_for_function("document.getElementById('r').textContent !== 'wait'")
        assert run.text_of(page, "#r") == "blocked"


def test_reference_projects_can_be_copied_out(tmp_path):
    # materialize writes nested paths and skips deleted ones
    folder = materialize(tmp_path / "x", {"a/b.py": "x = 1\n", "gone.py": None})
    assert (folder / "a" / "b.py").read_text() == "x = 1\n" and not (folder / "gone.py").exists()
    shutil.rmtree(folder)
