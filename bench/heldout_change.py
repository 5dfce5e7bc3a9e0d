"""Measure: a held-out set of change tasks, each run as a person would run it, on the CLI.

Each task is a folder `NN_slug/` with `before/` (the starting files; may be absent: from
nothing), `request.md` (the change asked in words) and `check.py` (`python check.py
PROJECT_DIR` exits 0 when the result does what was asked). For each task the starting files
are copied to a temporary folder, `python -m smol_core --provider local --improve DIR --prompt
request.md` runs on it (a subprocess, time-limited), and `check.py` runs on the result in the
core's sandbox (the code it checks is generated: never trusted).

    python -m bench.heldout_change [SET] [--root WORKTREE[,WORKTREE]] [--timeout 300]
                                   [--tasks 01,07] [--spread 4] [--json out.json]

`--root` runs the CLI of another checkout (a start figure on older code); two roots run each
task one after the other, so both meet the same load on a shared machine. Per task: pass or
fail, the CLI's exit code, seconds, and whether a change was lost (the CLI wrote files as the
model answered, yet left the folder as it was: goal 0).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import ROOT
from smol_core.importing import import_folder
from smol_core.running.sandbox import Limits, Sandbox

CHECKED = "p"  # where the result sits beside check.py in the sandbox
# What the CLI prints when the model has written a file of the change (cli.Progress).
# A file written (a change made): one the model wrote back as it was is no change to lose.
_WROTE = re.compile(r"^\s+(?:\S+: written \((?!unchanged\))|wrote \S)", re.M)


@dataclass
class Outcome:
    task: str
    passed: bool
    exit_code: int | None  # None: stopped at the time limit
    seconds: float
    lost: bool  # the CLI ended with a change written by the model, and none in the folder
    check: str  # the last line check.py printed (or why it did not run)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links not followed), by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def run_cli(
    root: Path, folder: Path, request: Path, timeout: float, model: list[str]
) -> tuple[int | None, str]:
    """The CLI of checkout `root` on `folder`; (exit code or None at the limit, its stderr)."""
    argv = [
        sys.executable,
        "-m",
        "smol_core",
        *model,
        "--improve",
        str(folder),
        "--prompt",
        str(request),
    ]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            argv, cwd=root, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own group: the model server goes too
            proc.wait()
            code = None
        err.seek(0)
        return code, err.read().decode("utf-8", "replace")


def run_check(task: Path, folder: Path, seconds: float = 60.0) -> tuple[bool, str]:
    """`python check.py p` in the sandbox, over a copy of the task's files and the result."""
    got = import_folder(folder)
    files: dict[str, str | bytes] = {
        f"{CHECKED}/{p}": t for p, t in {**got.texts, **got.binary}.items()
    }
    for path in sorted(task.rglob("*")):
        rel = path.relative_to(task).as_posix()
        if path.is_file() and not path.is_symlink() and not rel.startswith("before/"):
            files[rel] = path.read_bytes()
    with Sandbox(files, Limits(seconds=seconds, cpu_seconds=int(seconds))) as box:
        result = box.run(("python", "check.py", CHECKED))
    lines = (result.stdout + result.stderr).strip().splitlines()
    said = lines[-1] if lines else result.reason
    return result.exit_code == 0 and "PASS" in result.stdout, said[:200]


def one(task: Path, root: Path, timeout: float, model: list[str]) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="heldout-") as tmp:
        folder = Path(tmp) / "project"
        if (task / "before").is_dir():
            # `.keep` only keeps an empty folder in git: not part of the project.
            shutil.copytree(
                task / "before", folder, symlinks=True, ignore=shutil.ignore_patterns(".keep")
            )
        else:
            folder.mkdir()
        before = snapshot(folder)
        started = time.monotonic()
        code, err = run_cli(root, folder, task / "request.md", timeout, model)
        seconds = time.monotonic() - started
        # Stopped at the limit is not the tool's own doing: counted apart (exit None).
        lost = code is not None and snapshot(folder) == before and bool(_WROTE.search(err))
        passed, said = run_check(task, folder)
        if os.environ.get("HELDOUT_KEEP_LOGS"):
            Path(os.environ["HELDOUT_KEEP_LOGS"], f"{task.name}.{root.name}.log").write_text(err)
    return Outcome(task.name, passed, code, round(seconds, 1), lost, said)


def run(argv: list[str] | None = None) -> list[Outcome]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("set", nargs="?", default=str(ROOT / "bench" / "heldout" / "change"))
    p.add_argument(
        "--root",
        default=str(ROOT),
        help="the checkout whose CLI runs the tasks; several, comma-separated: "
        "each task is run by each in turn (side by side, under the same load)",
    )
    p.add_argument(
        "--spread",
        type=int,
        default=1,
        help="take the tasks in a stride of N (1, 1+N, ...), so that a run cut short "
        "still covers every kind of task",
    )
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per task")
    p.add_argument("--tasks", default="", help="comma-separated name prefixes (default: all)")
    p.add_argument("--json", help="also write the outcomes here")
    p.add_argument(
        "--model-args",
        default="--provider local",
        help="the CLI's model options (default: the built-in model)",
    )
    args = p.parse_args(argv)
    wanted = [t for t in args.tasks.split(",") if t]
    tasks = sorted(
        d
        # Absolute: each checkout's CLI runs in its own folder, where a relative request path
        # names nothing (an older checkout without the set failed every task in 0.5 s).
        for d in Path(args.set).resolve().iterdir()
        if d.is_dir()
        and (d / "request.md").is_file()
        and (not wanted or any(d.name.startswith(w) for w in wanted))
    )
    tasks = [t for start in range(args.spread) for t in tasks[start :: args.spread]]
    roots = [Path(r) for r in args.root.split(",")]
    outcomes: list[Outcome] = []
    by_root: dict[str, list[Outcome]] = {str(r): [] for r in roots}
    for task in tasks:
        for root in roots:
            got = one(task, root, args.timeout, args.model_args.split())
            outcomes.append(got)
            by_root[str(root)].append(got)
            label = f" [{root.name}]" if len(roots) > 1 else ""
            print(
                f"{got.task:32}{label} {'PASS' if got.passed else 'fail'}  exit "
                f"{got.exit_code}  {got.seconds:6.1f} s{'  CHANGE LOST' if got.lost else ''}"
                f"  | {got.check}",
                flush=True,
            )
            if args.json:  # written as it goes: a long run stopped still leaves its figures
                Path(args.json).write_text(
                    json.dumps(
                        {r: [asdict(o) for o in got_r] for r, got_r in by_root.items()}, indent=1
                    )
                )
    for root, got_r in by_root.items():
        passed, lost = sum(o.passed for o in got_r), sum(o.lost for o in got_r)
        print(
            f"\n{root}: {passed}/{len(got_r)} pass; {lost} change(s) lost; "
            f"{sum(o.seconds for o in got_r):.0f} s in all"
        )
    return outcomes


if __name__ == "__main__":
    run()
