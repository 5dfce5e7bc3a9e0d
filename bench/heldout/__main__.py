"""Held-out measure: the studio on specs nobody tuned it for, judged by checks it never saw.

    python -m bench.heldout [--code DIR] [--out DIR] [--only 01,07] [--timeout 900]
    python -m bench.heldout --report-only --out DIR        # the report of a past run again

`bench/heldout/new/NN_slug/` holds `spec.md` and `check.py` (frozen: see its README). For each
spec the studio's CLI, run from `--code` (a checkout: this one, or a worktree of an older commit
for a "before" figure), writes a project with the built-in model; then `check.py PROJECT` (a
behaviour check written apart from the studio) judges it, in a copy, with the benchmarks' guard
(no network but loopback, a time limit on the whole process group).

For each spec the report compares what the studio said with what the check found:
- pass: the check passed;
- false pass: every example the studio ran passed (it reported the project working), but the
  check failed;
- false fail: the studio reported an example failing, but the check passed;
- checked: at least one example checked a behaviour (an output, a file, an element, a value),
  as `Example.checks_behaviour` defines it, not merely ran.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import ROOT
from bench.quality.run import run_python
from smol_core.bundle import MANIFEST_NAME
from smol_core.records import example_from_dict, result_from_dict

SETS = ROOT / "bench" / "heldout"
DEFAULT_OUT = ROOT / "test-artifacts" / "heldout"
CHECK_SECONDS = 120.0


@dataclass
class Outcome:
    name: str
    exit_code: int | None  # the studio's CLI; None: killed after --timeout
    seconds: float
    check_passed: bool
    check_reason: str
    examples: int = 0  # run or not
    checked: int = 0  # examples that check a behaviour and ran (pass or fail)
    ran: int = 0  # examples that ran (pass or fail)
    failed: int = 0
    files: tuple[str, ...] = ()
    checked_passed: int = 0  # examples that check a behaviour and passed

    @property
    def claimed_working(self) -> bool:
        """The studio said so: a behaviour it checked passed and nothing it ran failed. A run
        that checked nothing is said as "ran without errors: behaviour not checked", which
        claims nothing (the issue's own rule: an example that asserts nothing is no pass)."""
        return self.exit_code == 0 and self.checked_passed > 0 and self.failed == 0

    @property
    def ran_clean_unchecked(self) -> bool:
        """Every example it ran passed, none checked a behaviour: said as not checked."""
        return self.exit_code == 0 and self.ran > 0 and self.failed == 0 and not self.checked

    @property
    def false_pass(self) -> bool:
        return self.claimed_working and not self.check_passed

    @property
    def false_fail(self) -> bool:
        return self.failed > 0 and self.check_passed


def _studio_env() -> dict[str, str]:
    # The built-in model: no key, no endpoint of the person's reaches the run.
    return {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SMOL_"))}


def generate(spec: Path, code: Path, project: Path, timeout: float) -> tuple[int | None, float]:
    """The studio's CLI on one spec; its output kept beside the project."""
    project.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.executable,
        "-m",
        "smol_core",
        "--prompt",
        str(spec),
        "--generate_folder_path",
        str(project),
        "--provider",
        "local",
    ]
    started = time.monotonic()
    with open(project.parent / "cli.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            argv,
            cwd=code,
            env=_studio_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code_ = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Ctrl+C first, as a person out of patience would: the CLI keeps what it wrote.
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            code_ = None
    return code_, round(time.monotonic() - started, 1)


def judge(check: Path, project: Path) -> tuple[bool, str]:
    """`check.py` on a copy of the project: generated code never runs in the output folder."""
    with tempfile.TemporaryDirectory(prefix="smol-heldout-") as tmp:
        copy = Path(tmp, "project")
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(MANIFEST_NAME))
        ran = run_python(Path(tmp), [str(check), str(copy)], timeout=CHECK_SECONDS)
    lines = [ln.strip() for ln in ran.out.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else (ran.tail() or "the check printed nothing")
    if ran.code is None:
        return False, "the check ran out of time"
    return ran.code == 0 and last.startswith("PASS"), last[:200]


def read_examples(project: Path) -> dict[str, int]:
    """How many examples the studio made, checked a behaviour, ran, and saw fail."""
    path = project / MANIFEST_NAME
    if not path.is_file():
        return {}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    examples = []
    for item in manifest.get("examples") or []:
        try:
            examples.append(example_from_dict(item))
        except ValueError:
            continue
    raw = manifest.get("example_results") or []
    results = [result_from_dict(r) for r in raw]
    by_index = {int(r.get("index", i)): res for i, (r, res) in enumerate(zip(raw, results))}
    checked = [by_index.get(i) for i, e in enumerate(examples) if e.checks_behaviour]
    return {
        "examples": len(examples),
        "checked": sum(r is not None and r.status in ("pass", "fail") for r in checked),
        "checked_passed": sum(r is not None and r.status == "pass" for r in checked),
        "ran": sum(r.status in ("pass", "fail") for r in results),
        "failed": sum(r.status == "fail" for r in results),
    }


def measure(name: str, folder: Path, code: Path, out: Path, timeout: float) -> Outcome:
    project = out / name / "project"
    if project.exists():
        shutil.rmtree(project)
    exit_code, seconds = generate(folder / "spec.md", code, project, timeout)
    passed, reason = judge(folder / "check.py", project)
    files = tuple(
        sorted(
            str(p.relative_to(project))
            for p in project.rglob("*")
            if p.is_file() and p.name != MANIFEST_NAME
        )
    )
    outcome = Outcome(name, exit_code, seconds, passed, reason, files=files)
    (out / name / "outcome.json").write_text(json.dumps(asdict(outcome), indent=2) + "\n")
    return outcome


def load(out: Path, name: str) -> Outcome | None:
    path = out / name / "outcome.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    data["files"] = tuple(data.get("files") or ())
    outcome = Outcome(**{k: v for k, v in data.items() if k in Outcome.__dataclass_fields__})
    # Counted afresh from the manifest, with today's definition of a checked behaviour.
    for key, value in read_examples(out / name / "project").items():
        setattr(outcome, key, value)
    return outcome


def report(outcomes: list[Outcome]) -> str:
    rows = [
        "| spec | check | studio | checked/examples | ran | failed | exit | s | files |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        said = "working" if o.claimed_working else ("failing" if o.failed else "not judged")
        mark = "FALSE PASS" if o.false_pass else ("FALSE FAIL" if o.false_fail else "")
        rows.append(
            f"| {o.name} | {'pass' if o.check_passed else 'fail'}: {o.check_reason[:70]} "
            f"| {said} {mark} | {o.checked}/{o.examples} | {o.ran} | {o.failed} "
            f"| {o.exit_code} | {o.seconds:.0f} | {len(o.files)} |"
        )
    n = len(outcomes) or 1
    passes = sum(o.check_passed for o in outcomes)
    rows += [
        "",
        f"passes {passes}/{len(outcomes)}; false passes {sum(o.false_pass for o in outcomes)} "
        f"(ran clean with no behaviour checked, said so: "
        f"{sum(o.ran_clean_unchecked and not o.check_passed for o in outcomes)}); "
        f"false fails {sum(o.false_fail for o in outcomes)}; specs with a checked behaviour "
        f"{sum(o.checked > 0 for o in outcomes)}/{len(outcomes)} "
        f"({100 * sum(o.checked > 0 for o in outcomes) / n:.0f} %); "
        f"seconds {sum(o.seconds for o in outcomes):.0f}",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.heldout", description=__doc__.split("\n")[0])
    p.add_argument("--set", default="new", help="the folder of bench/heldout to run (new)")
    p.add_argument("--code", default=str(ROOT), help="the checkout whose studio writes the code")
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p.add_argument("--only", default="", help="comma-separated name prefixes (01,07_x)")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per spec")
    p.add_argument("--report-only", action="store_true")
    args = p.parse_args(argv)
    folders = sorted(f for f in (SETS / args.set).iterdir() if (f / "spec.md").is_file())
    if args.only:
        wanted = tuple(args.only.split(","))
        folders = [f for f in folders if f.name.startswith(wanted)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for folder in folders if not args.report_only else ():
        done = measure(folder.name, folder, Path(args.code), out, args.timeout)
        verdict = "pass" if done.check_passed else "fail"
        print(
            f"{folder.name}: exit {done.exit_code}, {done.seconds:.0f} s, "
            f"check {verdict}: {done.check_reason}",
            flush=True,
        )
    # Counted once all are written: the outcomes on disk stay the record of the run.
    outcomes = [o for f in folders if (o := load(out, f.name)) is not None]
    text = report(outcomes)
    (out / "report.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
