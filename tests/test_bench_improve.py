"""bench.improve runs to the end on the scripted model (a bench, not a test: no time asserted)."""

from __future__ import annotations

from bench import improve


def test_the_improve_bench_runs_on_the_scripted_model(capsys):
    figures = improve.run(
        [
            "--scripted",
            "--latency",
            "0",
            "--tps",
            "20000",
            "--tasks",
            "fix-bug,long-file",
            "--formats",
            "whole,blocks",
        ]
    )
    values = {f.name: f.value for f in figures}
    assert values["whole: pass rate"] == "2/2" and values["blocks: pass rate"] == "2/2"
    assert values["blocks: how files were written"] == "blocks 2"
    assert "edit formats side by side" in capsys.readouterr().out


def test_the_held_out_bench_runs_a_task_through_the_cli(make_server, tmp_path, monkeypatch):
    from bench import heldout_change
    from tests.change_kit import change_classify

    srv = make_server(
        files={"mean.py": "def mean(xs):\n    return sum(xs) / len(xs)\n"}, classify=change_classify
    )
    task = tmp_path / "set" / "01_mean"
    (task / "before").mkdir(parents=True)
    (task / "before" / "mean.py").write_text("def mean(xs):\n    return sum(xs) / 2\n")
    (task / "request.md").write_text("mean() is wrong for three numbers: fix it.\n")
    (task / "check.py").write_text(
        "import sys\nsys.path.insert(0, sys.argv[1])\nfrom mean import mean\n"
        "ok = mean([1, 2, 6]) == 3\nprint('PASS' if ok else 'FAIL')\nsys.exit(0 if ok else 1)\n"
    )
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("SMOL_RUN_EXAMPLES", "0")
    (got,) = heldout_change.run(
        [
            str(tmp_path / "set"),
            "--timeout",
            "60",
            "--model-args",
            f"--provider compatible --base-url {srv.base_url} "
            "--model scripted-model --edit-format whole",
        ]
    )
    assert got.passed and got.exit_code == 0 and not got.lost, got
