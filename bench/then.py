"""The studio as it was at a past commit, run on one spec against a server of today's code.

A "before" made of today's code with yesterday's settings drifts: every fix to shared code (a
plan stopped when it repeats itself, say) makes it faster too, and the ratio then measures
less than what changed. The faithful baseline is the old code itself: its `smol_core/` and
`prompts/` are taken out of git (`git archive`) into a temporary folder and run there, in a
child process, with its own defaults, against the server the caller started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO

from bench.common import ROOT

# The end of 2 December, when issue 15 was filed: 190 s for the 3-file spec.
BASELINE = "9f1985d"

# Run inside the old tree: its run_all with its defaults, timed by its own events.
_DRIVER = r"""
import asyncio, json, sys, time
from smol_core.events import ChecksDone, FileListDone, PlanDone, UsageReport
from smol_core.runs import run_all
from smol_core.settings import Settings

spec, url = sys.argv[1], sys.argv[2]
settings = Settings.from_env({}, provider="local", base_url=url, model="local")
marks, written, plan_tokens = {}, 0, 0
t0 = time.perf_counter()

def emit(event):
    global written, plan_tokens
    now = time.perf_counter() - t0
    if isinstance(event, PlanDone):
        marks.setdefault("plan", now)
    elif isinstance(event, FileListDone):
        marks.setdefault("file list", now)
    elif isinstance(event, ChecksDone):
        marks.setdefault("files", now)
        marks["checks+repair"] = now
    elif isinstance(event, UsageReport):
        written += event.usage.completion_tokens
        plan_tokens += event.usage.completion_tokens if event.step == "plan" else 0

project = asyncio.run(run_all(spec, settings, emit))
print(json.dumps({"seconds": time.perf_counter() - t0, "marks": marks, "written": written,
                  "plan_tokens": plan_tokens, "files": len(project.contents),
                  "failed": len(project.failed)}))
"""


def available(commit: str = BASELINE) -> bool:
    """This clone has `commit` (a shallow one may not, and git may be missing)."""
    try:
        probe = subprocess.run(
            ["git", "cat-file", "-e", f"{commit}^{{commit}}"],
            cwd=ROOT,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


def run_then(spec: str, base_url: str, commit: str = BASELINE, timeout: float = 1800) -> dict:
    """One run of the old studio on `spec`: seconds, step marks, tokens written. Raises
    RuntimeError when the commit is not in this clone (a shallow one) or the run fails."""
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "smol_core", "prompts"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"commit {commit} is not available here: {exc}") from exc
    with tempfile.TemporaryDirectory(prefix="smol-then-") as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SMOL_", "OPENAI_"))}
        env["PYTHONPATH"] = tmp
        done = subprocess.run(
            [sys.executable, "-c", _DRIVER, spec, base_url],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the studio of {commit} failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":  # a quick look: python -m bench.then URL
    from bench.local_pipeline import SPEC

    print(run_then(SPEC, sys.argv[1]))
