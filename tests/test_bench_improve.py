"""bench.improve runs to the end on the scripted model (a bench, not a test: no time asserted)."""

from __future__ import annotations

from bench import improve


def test_the_improve_bench_runs_on_the_scripted_model(capsys):
    figures = improve.run(["--scripted", "--latency", "0", "--tps", "20000",
                           "--tasks", "fix-bug,long-file", "--formats", "whole,blocks"])  # fmt: skip
    values = {f.name: f.value for f in figures}
    assert values["whole: pass rate"] == "2/2" and values["blocks: pass rate"] == "2/2"
    assert values["blocks: how files were written"] == "blocks 2"
    assert "edit formats side by side" in capsys.readouterr().out
