"""What the isolation adds to each run: `python -c pass` started bare, through the sandbox of an
earlier commit (its `smol_core/running/sandbox.py`, loaded from git), and through today's, in
one process, interleaved round by round so the machine's load falls on all three alike.

    python -m bench.isolation_cost [--before 20c2363] [--runs 20] [--rounds 3]

Prints the median of each (seconds) and what each sandbox adds over the bare start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

import smol_core.running.sandbox as today

ROOT = Path(__file__).resolve().parents[1]


def _load_before(revision: str) -> types.ModuleType:
    text = subprocess.run(
        ["git", "show", f"{revision}:smol_core/running/sandbox.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = text.replace("from ..paths import", "from smol_core.paths import")
    module = types.ModuleType("sandbox_before")
    sys.modules[module.__name__] = module
    exec(compile(text, f"{revision}:sandbox.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _sandboxed(module: types.ModuleType, runs: int) -> list[float]:
    took = []
    with module.Sandbox({"prog.py": "pass\n"}) as box:
        for _ in range(runs):
            started = time.monotonic()
            result = box.run(["python", "-c", "pass"])
            took.append(time.monotonic() - started)
            assert result.ok, (result.reason, result.stderr[-500:])
    return took


def _bare(runs: int) -> list[float]:
    took = []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        took.append(time.monotonic() - started)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="20c2363", help="the commit whose sandbox to compare")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    before = _load_before(args.before)
    print(f"isolation here: {today.isolation()} (lock: {today.lock()})")
    times: dict[str, list[float]] = {"bare": [], "before": [], "today": []}
    for _ in range(args.rounds):
        times["bare"] += _bare(args.runs)
        times["before"] += _sandboxed(before, args.runs)
        times["today"] += _sandboxed(today, args.runs)
    bare = statistics.median(times["bare"])
    for name, values in times.items():
        median = statistics.median(values)
        extra = f", adds {median - bare:.3f} s" if name != "bare" else ""
        print(f"{name:>6}: median {median:.3f} s over {len(values)} runs{extra}")


if __name__ == "__main__":
    main()
