"""The Examples step's own cost on the built-in model (issue 29: "at most about 10 s").

For each small spec, the plan and the file list are made first (not timed), then the step
alone is timed: `propose_examples`, as the page and the CLI call it between the file list and
the code. Per spec: seconds, model requests it made, tokens it wrote, the examples it proposed
and how many of them check a behaviour.

    python -m bench.examples_step [--only 1,3]

Specs of their own (written 7 December for this measure, never tuned on): two that write
their examples out, three that leave them to the model.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from smol_core.events import Event, UsageReport
from smol_core.model.client import prepare, using_client
from smol_core.runs import propose_examples
from smol_core.settings import Settings
from smol_core.steps.file_list import make_file_list
from smol_core.steps.plan import make_plan

SPECS = (
    "A command-line tool `wc_lite.py` that prints how many lines, words and characters a text "
    "file has. `python wc_lite.py notes.txt` on a file holding `one two\\nthree` prints "
    "`2 3 13`.",
    "A Python module `shapes.py` with `area_circle(r)` and `area_square(side)`. "
    "`area_square(3)` returns 9.",
    "A little script that asks for your name and your birth year on standard input and then "
    "tells you how old you turn this year.",
    "A web page with a text box and a button; pressing the button shows the text reversed "
    "under it.",
    "A tool that reads a CSV of expenses (date, category, amount) and prints the total spent "
    "per category, biggest first.",
)


async def one(spec: str, settings: Settings) -> dict:
    events: list[Event] = []
    async with using_client(settings, None) as client:
        plan = await make_plan(spec, settings, client=client)
        files = (await make_file_list(spec, plan, settings, client=client)).files
        started = time.monotonic()
        found = await propose_examples(spec, plan, files, settings, events.append, client=client)
        seconds = time.monotonic() - started
    usage = [e.usage for e in events if isinstance(e, UsageReport)]
    return {
        "seconds": round(seconds, 1),
        "requests": len(usage),
        "tokens": sum(u.completion_tokens for u in usage),
        "examples": len(found),
        "checked": sum(e.checks_behaviour for e in found),
        "files": [f.path for f in files],
    }


async def main_async(only: set[int]) -> None:
    settings = await prepare(Settings.from_env(provider="local"))
    rows = []
    for i, spec in enumerate(SPECS, 1):
        if only and i not in only:
            continue
        row = await one(spec, settings)
        rows.append(row)
        print(f"spec {i}: {row}", flush=True)
    asked = [r for r in rows if r["requests"]]
    print(
        f"examples step: {len(rows)} specs; longest {max(r['seconds'] for r in rows):.1f} s; "
        f"with a model request {len(asked)} (longest "
        f"{max((r['seconds'] for r in asked), default=0):.1f} s); specs with a checked "
        f"behaviour {sum(r['checked'] > 0 for r in rows)}/{len(rows)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated spec numbers")
    args = parser.parse_args(argv)
    asyncio.run(main_async({int(n) for n in args.only.split(",") if n}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
