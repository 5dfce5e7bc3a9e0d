"""The fast benchmarks run (tiny sizes, no browser). Benchmarks are not tests: nothing here
asserts a time, only that each bench runs to the end and reports its figures."""

from __future__ import annotations

from bench import page_cost, pipeline_speed


def test_pipeline_speed_runs(capsys):
    figures = pipeline_speed.run(
        [
            "--files",
            "3",
            "--concurrency",
            "2",
            "--latency",
            "0",
            "--tps",
            "20000",
            "--plan-tokens",
            "50",
            "--file-tokens",
            "50",
            "--repeat",
            "1",
        ]
    )
    assert [f.name for f in figures if f.ok is not None] == [
        "1. pipeline wall time / ideal",
        "1. file phase: one-after-another / concurrent",
        "2. per-file prompt inside the one shared prefix",
    ]
    assert "pipeline speed" in capsys.readouterr().out


def test_page_cost_runs_without_a_browser(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no developer's .streamlit/secrets.toml reaches the page
    figures = page_cost.run(["--files", "3", "--kb", "2", "--reruns", "1", "--no-browser"])
    names = [f.name for f in figures]
    assert any(n.startswith("4. zip build") for n in names)
    assert any(n.startswith("4. AppTest rerun") for n in names)
    assert "page cost" in capsys.readouterr().out


def test_the_studio_of_2_december_runs_from_git_against_a_server(make_server):
    """bench.local_pipeline's baseline: the old code itself, out of git, in a child process."""
    import pytest

    from bench.then import BASELINE, available, run_then

    if not available():
        pytest.skip(f"commit {BASELINE} is not in this clone (a shallow one)")
    server = make_server(files={"notes.py": "print('notes')\n", "README.md": "# Notes\n"})
    result = run_then("A notes tool: `notes.py` and `README.md`.", server.base_url)
    assert result["files"] == 2 and result["failed"] == 0
    assert list(result["marks"])[:3] == ["plan", "file list", "files"]
    assert result["written"] > 0 and result["seconds"] > 0
    assert {r.kind for r in server.requests} >= {"plan", "code"}
