"""Pipeline wall time vs the ideal, vs a one-file-after-another loop, and the cacheable prefix.

Everything is measured side by side in one run against the scripted server (fixed latency per
request, fixed token rate), so the figures are ratios, not absolute seconds.

    python -m bench.pipeline_speed [--files 20] [--concurrency 8] [--latency 0.3] [--tps 200]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from smol_core.client import open_client  # noqa: E402
from smol_core.pipeline import generate_files, make_file_list, make_plan, run_all  # noqa: E402
from smol_core.prompts import FileSpec  # noqa: E402
from smol_core.settings import Settings  # noqa: E402
from tests.scripted_server import ScriptedServer  # noqa: E402

PLAN = "# Plan\n\n" + "\n".join(
    f"- `pkg/mod_{i:02d}.py`: module {i}, exports `value_{i}()` used by main" for i in range(40)
)


def files_for(n: int) -> dict[str, str]:
    body = "def value_{i}() -> int:\n    return {i}\n\n\n" + "# padding line for size\n" * 14
    return {f"pkg/mod_{i:02d}.py": body.format(i=i) for i in range(n)}


def settings_for(srv: ScriptedServer, concurrency: int) -> Settings:
    return Settings(
        provider="compatible",
        model="scripted-model",
        base_url=srv.base_url,
        api_key="sk-bench",
        concurrency=concurrency,
        timeout=30,
    )


async def timed(coro) -> float:
    start = time.perf_counter()
    await coro
    return time.perf_counter() - start


def original_layout_messages(spec: str, plan: str, path: str) -> list[dict]:
    """The original smol developer's layout (file name first, in the system prompt), for the
    prefix measurement only. Its wording is paraphrased; only the *order* matters here."""
    return [
        {"role": "system", "content": f"(fixed instructions) Now write only the code for {path}."},
        {"role": "user", "content": f"the plan: {plan}"},
        {"role": "user", "content": f"the app prompt: {spec}"},
        {"role": "user", "content": "(fixed rules about code fences)"},
    ]


def shared_prefix_share(requests: list[list[dict]]) -> tuple[float, int]:
    """Share of prompt characters inside the prefix common to every request, and total chars."""
    texts = ["".join(f"<{m['role']}>{m['content']}" for m in msgs) for msgs in requests]
    common = os.path.commonprefix(texts)
    total = sum(len(t) for t in texts)
    return (len(common) * len(texts)) / total, total


async def main_async(args: argparse.Namespace) -> None:
    files = files_for(args.files)
    spec = "A package of numbered modules whose values main adds up."
    srv = ScriptedServer(
        plan_text=PLAN, files=files, latency=args.latency, tokens_per_second=args.tps
    ).start()
    try:
        s8 = settings_for(srv, args.concurrency)
        s1 = settings_for(srv, 1)
        specs = [FileSpec(p, "module") for p in files]
        # The ideal, from single requests measured here: plan + list + ceil(N/C) × one file.
        async with open_client(s8) as c:
            t_plan = await timed(make_plan(spec, s8, client=c))
            t_list = await timed(make_file_list(spec, PLAN, s8, client=c))
            one = [p for p in files][:1]
            t_file = await timed(generate_files(spec, PLAN, specs, s8, paths=one, client=c))
        ideal = t_plan + t_list + math.ceil(args.files / args.concurrency) * t_file

        seen = len(srv.requests)
        t_conc = await timed(run_all(spec, s8))
        code_requests = [r for r in srv.requests[seen:] if r.kind == "code"]

        # How the original worked: one file after another (same prompts, concurrency 1).
        t_seq = await timed(run_all(spec, s1))
        # The file phase alone, where concurrency acts.
        f_conc = await timed(generate_files(spec, PLAN, specs, s8))
        f_seq = await timed(generate_files(spec, PLAN, specs, s1))
    finally:
        srv.stop()

    ours, prompt_chars = shared_prefix_share([r.body["messages"] for r in code_requests])
    theirs, _ = shared_prefix_share([original_layout_messages(spec, PLAN, p) for p in files])
    prompt_tokens = sum(
        math.ceil(sum(len(m["content"]) for m in r.body["messages"]) / 4) for r in code_requests
    )
    print(
        f"files={args.files} concurrency={args.concurrency} latency={args.latency}s "
        f"tokens/s={args.tps}"
    )
    print(f"one plan {t_plan:.2f}s, one file list {t_list:.2f}s, one file {t_file:.2f}s")
    print(f"ideal                      {ideal:6.2f}s")
    print(
        f"pipeline, concurrency {args.concurrency:<3}  {t_conc:6.2f}s  = {t_conc / ideal:.3f} x ideal"
        "   (target <= 1.10)"
    )
    print(
        f"one file after another    {t_seq:6.2f}s  -> concurrent is {t_seq / t_conc:.2f}x faster"
        "   (target >= 6)"
    )
    print(
        f"file phase alone: {f_conc:.2f}s vs {f_seq:.2f}s one after another -> "
        f"{f_seq / f_conc:.2f}x (bound: {args.files}/ceil({args.files}/{args.concurrency}) = "
        f"{args.files / math.ceil(args.files / args.concurrency):.2f}x)"
    )
    print(
        f"cacheable shared prefix: {ours:.1%} of per-file prompt text (original layout: "
        f"{theirs:.1%})   (target >= 90%)"
    )
    print(f"per-file prompt tokens in the run: {prompt_tokens:,} (~{prompt_chars:,} chars)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--files", type=int, default=20)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--latency", type=float, default=0.3)
    p.add_argument("--tps", type=float, default=200.0)
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
