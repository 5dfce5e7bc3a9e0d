"""Measure 5: the built-in model on a whole 3-file spec, end to end on this machine: one slot
(files one after another, the default) vs 3 parallel slots, side by side in one run, with the
prompt tokens the server really had to prefill beside the tokens sent (llama.cpp reports the
part it reused from its slot's cache as usage.prompt_tokens_details.cached_tokens).

The model is assembled beforehand (its one-off assembly is `bench.local_model`'s figure); the
server start is timed apart. The pipeline runs with the default settings of the built-in
model, so the automatic checks (and a repair, if they find something) are part of it.

    python -m bench.local_pipeline [--rounds 1]

Needs `pip install -r requirements-local.txt`. Takes ~3-4 minutes: run it on a quiet machine,
not beside other benches.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench.common import Figure, report
from smol_core.events import ChecksDone, FileListDone, PlanDone, RunDone, UsageReport
from smol_core.model.local_server import LocalServerConfig, start_local_server, stop_local_server
from smol_core.runs import run_all
from smol_core.settings import Settings

SPEC = (
    "A Python command-line tool, standard library only, in exactly three files. "
    "`storage.py` loads and saves a list of notes (strings) in notes.json with `load_notes()` "
    "and `save_notes(notes)`. `notes.py` is the entry point: `python notes.py add TEXT` adds a "
    "note, `python notes.py list` prints them numbered. `README.md` explains the two commands."
)
TARGET_SECONDS = 90.0


class Watch:
    """Timestamps of the steps, and usage by step (code after the first RunDone is repair)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.marks: dict[str, float] = {}
        self.usage: dict[str, list] = {}

    def __call__(self, event) -> None:
        now = time.perf_counter() - self.t0
        if isinstance(event, PlanDone):
            self.marks.setdefault("plan", now)
        elif isinstance(event, FileListDone):
            self.marks.setdefault("file list", now)
        elif isinstance(event, RunDone):
            self.marks.setdefault("files", now)
        elif isinstance(event, ChecksDone):
            self.marks["checks"] = now
        elif isinstance(event, UsageReport):
            step = "repair" if event.step == "code" and "files" in self.marks else event.step
            self.usage.setdefault(step, []).append(event.usage)


async def one_run(slots: int, caps: dict) -> dict:
    stop_local_server()
    t0 = time.perf_counter()
    base_url = start_local_server(LocalServerConfig(n_parallel=slots, n_ctx=8192 * slots))
    start_s = time.perf_counter() - t0
    settings = Settings.from_env({}, provider="local", base_url=base_url, concurrency=slots, **caps)
    watch = Watch()
    project = await run_all(SPEC, settings, watch)
    seconds = time.perf_counter() - watch.t0
    steps = {}
    last = 0.0
    for name in ("plan", "file list", "files", "checks"):
        if name in watch.marks:
            steps[name] = watch.marks[name] - last
            last = watch.marks[name]
    tokens = {
        step: (sum(u.prompt_tokens for u in us), sum(u.prompt_tokens - u.cached_tokens for u in us))
        for step, us in watch.usage.items()
    }
    code = watch.usage.get("code", [])
    return {
        "slots": slots,
        "start": start_s,
        "seconds": seconds,
        "steps": steps,
        "files": len(project.contents),
        "failed": len(project.failed),
        "tokens": tokens,
        "per_file": [(u.prompt_tokens, u.prompt_tokens - u.cached_tokens) for u in code],
        "completion": project.usage.completion_tokens,
        "repairs": len(watch.usage.get("repair", [])),
    }


def describe(r: dict) -> str:
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in r["steps"].items())
    tokens = "; ".join(f"{k} {sent}/{pre}" for k, (sent, pre) in r["tokens"].items())
    return (
        f"slots={r['slots']}: {r['files']} files ({r['failed']} failed, {r['repairs']} repair "
        f"requests) in {r['seconds']:.1f}s [{steps}]; server start {r['start']:.1f}s\n"
        f"    prompt tokens sent/prefilled by step: {tokens}; per file {r['per_file']}; "
        f"{r['completion']} completion tokens"
    )


def main(argv: list[str] | None = None) -> list[Figure]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=1, help="alternate runs of each, to even noise")
    p.add_argument("--max-tokens", type=int, default=None, help="default: the built-in's")
    p.add_argument("--max-plan-tokens", type=int, default=None, help="default: the built-in's")
    args = p.parse_args(argv)
    caps = {
        k: v
        for k, v in (("max_tokens", args.max_tokens), ("max_plan_tokens", args.max_plan_tokens))
        if v is not None
    }
    results = []
    try:
        for _ in range(args.rounds):
            for slots in (1, 3):
                results.append(asyncio.run(one_run(slots, caps)))
    finally:
        stop_local_server()
    for r in results:
        print(describe(r))
    one = [r for r in results if r["slots"] == 1]
    three = [r for r in results if r["slots"] == 3]
    t1 = sum(r["seconds"] for r in one) / len(one)
    t3 = sum(r["seconds"] for r in three) / len(three)

    def prefill(rs: list[dict], step: str) -> tuple[int, int]:
        pairs = [r["tokens"].get(step, (0, 0)) for r in rs]
        return sum(s for s, _ in pairs), sum(q for _, q in pairs)

    sent1, pre1 = prefill(one, "code")
    sent3, pre3 = prefill(three, "code")
    all_sent = sum(s for r in one for s, _ in r["tokens"].values())
    all_pre = sum(q for r in one for _, q in r["tokens"].values())
    figures = [
        Figure(
            "5. 3-file spec end to end, default (one slot)",
            f"{t1:.1f} s",
            f"<= {TARGET_SECONDS:.0f} s",
            t1 <= TARGET_SECONDS,
        ),
        Figure("   same with 3 parallel slots", f"{t3:.1f} s", "", None),
        Figure("5. 3 slots / 1 slot (time)", f"{t3 / t1:.2f}x", "> 1: one slot wins", t3 / t1 > 1),
        Figure(
            "5. per-file prompt tokens prefilled / sent, one slot",
            f"{pre1:,} / {sent1:,}",
            "",
            None,
        ),
        Figure("   same, 3 slots", f"{pre3:,} / {sent3:,}", "", None),
        Figure("   whole run prefilled / sent, one slot", f"{all_pre:,} / {all_sent:,}", "", None),
    ]
    report("built-in model, 3-file spec (python -m bench.local_pipeline)", figures)
    return figures


if __name__ == "__main__":
    main()
