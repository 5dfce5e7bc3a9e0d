"""The fast benchmarks in one go (a few minutes): pipeline speed and shared prefix, the page's
time to first token, the page's cost with a big project. The built-in model's benches
(`bench.local_pipeline`, `bench.local_model`) take longer and want a quiet machine: run them
on their own.

    python -m bench [--no-browser]
"""

from __future__ import annotations

import argparse

from bench import page_cost, page_ttft, pipeline_speed
from bench.common import report


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-browser", action="store_true", help="skip what needs Chromium")
    args = p.parse_args()
    figures = pipeline_speed.run([])
    if not args.no_browser:
        figures += page_ttft.run([])
    figures += page_cost.run(["--no-browser"] if args.no_browser else [])
    report("all figures with a target", [f for f in figures if f.ok is not None])


if __name__ == "__main__":
    main()
