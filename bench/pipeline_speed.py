"""Measures 1 and 2: pipeline wall time vs the ideal and vs one file after another; the
cacheable shared prefix and the prompt tokens per run.

Everything runs side by side in one process against the scripted server (a fixed latency before
the first byte of every request, then a fixed token rate), so the figures are ratios:

- ideal = plan + file list + ceil(N/C) x one file, each timed alone in this same run;
- the concurrent pipeline (concurrency C) against that ideal;
- the same pipeline with concurrency 1, one file after another, as the original smol developer
  did. Concurrency can only act on the file phase: the plan and the file list are one request
  each in both. So the >= 6x target is read on the file phase (its bound is N / ceil(N/C),
  6.67x for 20 files at 8), and the whole pipeline is shown beside its own bound, which depends
  on how long the plan and list take relative to a file.

Default sizes are those of a realistic 20-file project: a plan of ~600 tokens, files of ~600
tokens (~70 lines), the scripted server's JSON file list (~30 tokens a file).

    python -m bench.pipeline_speed [--files 20] [--concurrency 8] [--latency 0.3] [--tps 400]
                                   [--plan-tokens 600] [--file-tokens 600]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import time

from bench.common import Figure, median, report, scripted_settings
from smol_core.events import FileStarted, RunDone, UsageReport
from smol_core.model.client import open_client
from smol_core.records import FileSpec
from smol_core.runs import run_all
from smol_core.steps.code import generate_files
from smol_core.steps.file_list import make_file_list
from smol_core.steps.plan import make_plan
from tests.scripted_server import ScriptedServer

SPEC = (
    "A Python package of numbered modules. Each module exports one function returning its "
    "number; main.py imports them all, adds the values up and prints the sum. Standard library "
    "only, type hints, a docstring per module."
)


def plan_text(n_files: int, tokens: int) -> str:
    lines = ["# Plan", "", "A package of numbered modules whose values main adds up.", ""]
    for i in range(n_files):
        lines.append(
            f"- `pkg/mod_{i:02d}.py`: exports `value_{i}() -> int` (returns {i}); imported by "
            f"`main.py` as `from pkg.mod_{i:02d} import value_{i}`."
        )
    text = "\n".join(lines) + "\n\n## Shared names\n\n"
    filler = "- every module has a docstring and type hints; no third-party imports.\n"
    while len(text) < tokens * 4:
        text += filler
    return text[: tokens * 4]


def file_text(i: int, tokens: int) -> str:
    head = f'"""Module {i}."""\n\n\ndef value_{i}() -> int:\n    """The number {i}."""\n    return {i}\n'
    line = f"# module {i}: a comment line standing in for the body of a real file.\n"
    body = head + "\n"
    while len(body) + len(line) <= tokens * 4:
        body += line
    return body


def files_for(n: int, tokens: int) -> dict[str, str]:
    return {f"pkg/mod_{i:02d}.py": file_text(i, tokens) for i in range(n)}


# The original smol developer's per-file request (smol_dev/prompts.py, generate_code), by shape:
# the same sections with the same lengths in characters, the file name where it had it (inside
# the system prompt, and again in the last message). Only the order and sizes matter here.
ORIGINAL_SHAPE = {
    "system_before_path": 760,
    "system_after_path": 190,
    "plan_lead": 33,
    "spec_lead": 21,
    "last_before_path": 190,
    "last_after_path": 480,
}


def original_layout_messages(spec: str, plan: str, path: str) -> list[dict]:
    s = ORIGINAL_SHAPE

    def fixed(n: int) -> str:
        return ("fixed instructions " * (n // 19 + 1))[:n]

    return [
        {
            "role": "system",
            "content": fixed(s["system_before_path"]) + path + fixed(s["system_after_path"]),
        },
        {"role": "user", "content": fixed(s["plan_lead"]) + plan},
        {"role": "user", "content": fixed(s["spec_lead"]) + spec},
        {
            "role": "user",
            "content": fixed(s["last_before_path"]) + path + fixed(s["last_after_path"]),
        },
    ]


def shared_prefix_share(requests: list[list[dict]]) -> tuple[float, int]:
    """Share of prompt characters inside the one prefix common to every request; total chars."""
    texts = [serialized(msgs) for msgs in requests]
    common = os.path.commonprefix(texts)
    total = sum(len(t) for t in texts)
    return (len(common) * len(texts)) / total, total


def serialized(messages: list[dict]) -> str:
    return "".join(f"<{m['role']}>{m['content']}" for m in messages)


def warm_cache_share(requests, latency: float) -> float:
    """Share of per-file prompt characters a prefix cache could serve if a prompt is only
    reusable once it has been processed (its first byte sent, `latency` after it arrived), so
    requests that arrive together don't help each other: stricter than the scripted server's
    own count, which credits any prompt that arrived earlier."""
    seen: list[tuple[float, str]] = []
    hit = total = 0
    for r in sorted(requests, key=lambda r: r.started_at):
        text = serialized(r.body["messages"])
        if r.kind == "code":
            ready = [t for done, t in seen if done <= r.started_at]
            hit += max((len(os.path.commonprefix([text, t])) for t in ready), default=0)
            total += len(text)
        seen.append((r.started_at + latency, text))
    return hit / max(1, total)


class Clock:
    """An emit callback that timestamps the file phase and sums usage by step."""

    def __init__(self) -> None:
        self.files_started: float | None = None
        self.run_done: float | None = None
        self.usage: dict[str, list] = {}

    def __call__(self, event) -> None:
        now = time.perf_counter()
        if isinstance(event, FileStarted) and self.files_started is None:
            self.files_started = now
        elif isinstance(event, RunDone):
            self.run_done = now
        elif isinstance(event, UsageReport):
            self.usage.setdefault(event.step, []).append(event.usage)

    @property
    def file_phase(self) -> float:
        assert self.files_started is not None and self.run_done is not None
        return self.run_done - self.files_started


async def timed(coro) -> float:
    start = time.perf_counter()
    await coro
    return time.perf_counter() - start


async def measure(args: argparse.Namespace) -> list[Figure]:
    files = files_for(args.files, args.file_tokens)
    plan = plan_text(args.files, args.plan_tokens)
    srv = ScriptedServer(
        plan_text=plan, files=files, latency=args.latency, tokens_per_second=args.tps
    ).start()
    try:
        conc = scripted_settings(srv.base_url, args.concurrency)
        seq = scripted_settings(srv.base_url, 1)
        specs = [FileSpec(p, "module") for p in files]
        one = list(files)[:1]
        # The ideal, from single requests timed here (median of a few each).
        t_plan, t_list, t_file = [], [], []
        async with open_client(conc) as c:
            await make_plan(SPEC, conc, client=c)  # warm-up: first-use imports, connection
            for _ in range(args.repeat):
                t_plan.append(await timed(make_plan(SPEC, conc, client=c)))
                t_list.append(await timed(make_file_list(SPEC, plan, conc, client=c)))
                t_file.append(
                    await timed(generate_files(SPEC, plan, specs, conc, paths=one, client=c))
                )
        p, lst, f = median(t_plan), median(t_list), median(t_file)
        waves = math.ceil(args.files / args.concurrency)
        ideal = p + lst + waves * f
        ideal_seq = p + lst + args.files * f

        seen = len(srv.requests)
        clock_c = Clock()
        t_conc = await timed(run_all(SPEC, conc, clock_c))
        run_requests = srv.requests[seen:]
        code_requests = [r for r in run_requests if r.kind == "code"]
        clock_s = Clock()
        t_seq = await timed(run_all(SPEC, seq, clock_s))
    finally:
        srv.stop()

    ours, _chars = shared_prefix_share([r.body["messages"] for r in code_requests])
    theirs, _ = shared_prefix_share([original_layout_messages(SPEC, plan, p) for p in files])
    warm = warm_cache_share(run_requests, args.latency)
    everything = [u for step in clock_c.usage.values() for u in step]
    sent = sum(u.prompt_tokens for u in everything)
    cached = sum(u.cached_tokens for u in everything)
    per_file = clock_c.usage.get("code", [])
    per_file_sent = sum(u.prompt_tokens for u in per_file)
    per_file_cached = sum(u.cached_tokens for u in per_file)

    file_bound = args.files / waves
    whole_bound = ideal_seq / ideal
    print(
        f"files={args.files} concurrency={args.concurrency} latency={args.latency}s "
        f"tokens/s={args.tps} plan~{args.plan_tokens} tok, file~{args.file_tokens} tok"
    )
    print(
        f"alone (median of {args.repeat}): plan {p:.2f}s, file list {lst:.2f}s, one file {f:.2f}s"
        f" -> ideal {ideal:.2f}s; run took {t_conc:.2f}s ({len(run_requests)} requests); "
        f"one after another {t_seq:.2f}s"
    )
    print(
        f"file phase: {clock_c.file_phase:.2f}s at concurrency {args.concurrency}, "
        f"{clock_s.file_phase:.2f}s one after another (ideal {waves * f:.2f}s / "
        f"{args.files * f:.2f}s)"
    )
    return [
        Figure(
            "1. pipeline wall time / ideal",
            f"{t_conc / ideal:.3f}x",
            "<= 1.10",
            t_conc / ideal <= 1.10,
        ),
        Figure(
            "1. file phase: one-after-another / concurrent",
            f"{clock_s.file_phase / clock_c.file_phase:.2f}x",
            ">= 6",
            clock_s.file_phase / clock_c.file_phase >= 6,
        ),
        Figure(
            f"   (bound: {args.files}/ceil({args.files}/{args.concurrency}))",
            f"{file_bound:.2f}x",
            "",
            None,
        ),
        Figure(
            "   whole pipeline: one-after-another / concurrent", f"{t_seq / t_conc:.2f}x", "", None
        ),
        Figure(
            "   (bound for these sizes: ideal sequential / ideal)", f"{whole_bound:.2f}x", "", None
        ),
        Figure(
            "2. per-file prompt inside the one shared prefix", f"{ours:.1%}", ">= 90%", ours >= 0.90
        ),
        Figure("   same, original smol developer layout (by shape)", f"{theirs:.1%}", "", None),
        Figure("2. prompt tokens per run (plan + list + files)", f"{sent:,}", "", None),
        Figure(
            "   of which from the prefix cache (server-reported)",
            f"{cached:,} ({cached / max(1, sent):.0%})",
            "",
            None,
        ),
        Figure(
            f"   per-file requests: sent / cached ({len(per_file)} files)",
            f"{per_file_sent:,} / {per_file_cached:,}",
            "",
            None,
        ),
        Figure("   per-file, cacheable from prompts already processed", f"{warm:.1%}", "", None),
    ]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=20)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--latency", type=float, default=0.3, help="seconds before the first byte")
    p.add_argument("--tps", type=float, default=400.0, help="tokens per second of each stream")
    p.add_argument("--plan-tokens", type=int, default=600)
    p.add_argument("--file-tokens", type=int, default=600)
    p.add_argument("--repeat", type=int, default=3, help="single requests timed for the ideal")
    return p


def run(argv: list[str] | None = None) -> list[Figure]:
    args = parser().parse_args(argv)
    figures = asyncio.run(measure(args))
    report("pipeline speed and shared prefix (python -m bench.pipeline_speed)", figures)
    return figures


if __name__ == "__main__":
    run()
