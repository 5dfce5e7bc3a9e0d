"""Measure 5: the built-in model at its speed limit, "before" vs "after" side by side in one run.

- A whole 3-file spec end to end (plan, file list, files, checks and repair, the examples run
  and repaired): "2 Dec" is the studio of 2 December itself, its code taken out of git
  (bench/then.py), with its own defaults, on a server without speculation; "before" is today's
  code with the settings of 2 December (no speculation, the full plan at its 700-token cap,
  whole-file rewrites), which drifts as shared code improves; "after" is today's defaults
  (n-gram speculation, the brief plan, changed functions only for Python rewrites).
- A one-line change to a ~90-line file (`--improve`): `SMOL_SPECULATION=off
  SMOL_EDIT_FORMAT=whole` vs the defaults; the result must behave the same (it is run).

Each configuration gets its own server (speculation is a server setting); the time to start it
is not counted. Prints tokens written, tokens a second, steps and the server's RSS.

    python -m bench.local_pipeline [--rounds 1] [--only spec|change]

Needs `pip install -r requirements-local.txt`. Takes ~10 minutes: run it on a quiet machine,
not beside other benches.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench.common import Figure, report
from bench.local_model import rss_mib
from bench.speculation import REQUEST, inventory
from bench.then import run_then
from smol_core.changes import change_project
from smol_core.events import (
    ChecksDone,
    ExamplesReady,
    ExampleStarted,
    FileListDone,
    PlanDone,
    UsageReport,
)
from smol_core.model.local_server import (
    LocalServerConfig,
    local_server_pid,
    start_local_server,
    stop_local_server,
    wait_until_warm,
)
from smol_core.project import Project
from smol_core.records import Command, Example, FileSpec
from smol_core.running.execute import run_examples
from smol_core.runs import run_all
from smol_core.settings import Settings

SPEC = (
    "A Python command-line tool, standard library only, in exactly three files. "
    "`storage.py` loads and saves a list of notes (strings) in notes.json with `load_notes()` "
    "and `save_notes(notes)`. `notes.py` is the entry point: `python notes.py add TEXT` adds a "
    "note, `python notes.py list` prints them numbered. `README.md` explains the two commands."
)
TARGET_SECONDS = 90.0
# Each configuration: the server's speculation, and the settings of the run.
CONFIGS = {
    "before": ("off", {"plan_style": "full", "max_plan_tokens": 700, "edit_format": "whole"}),
    "after": (None, {}),
}


class Watch:
    """Timestamps of the steps, and usage by step: code after the first checks is repair, the
    model's part of "examples" is the examples request, the rest of it is running them."""

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
        elif isinstance(event, ChecksDone):
            self.marks.setdefault("files", now)  # the checks take milliseconds
            if "ran" not in self.marks:  # later checks belong to the heal rounds
                self.marks["checks+repair"] = now
        elif isinstance(event, ExamplesReady):
            self.marks.setdefault("examples asked", now)  # asked right after the file list
        elif isinstance(event, ExampleStarted):
            self.marks.setdefault("ran", now)
        elif isinstance(event, UsageReport):
            step = "repair" if event.step == "code" and "files" in self.marks else event.step
            self.usage.setdefault(step, []).append(event.usage)


def server(speculation: str | None) -> str:
    stop_local_server()
    config = (
        LocalServerConfig() if speculation is None else LocalServerConfig(speculation=speculation)
    )
    url = start_local_server(config)
    wait_until_warm()  # started when the page opens: warm before the person's spec arrives
    return url


def step_seconds(marks: dict[str, float], seconds: float) -> dict[str, float]:
    """Seconds of each step, from the time each ended; what is left after the last is the run
    and heal."""
    steps, last = {}, 0.0
    for step in ("plan", "file list", "examples asked", "files", "checks+repair"):
        if step in marks:
            steps[step] = marks[step] - last
            last = marks[step]
    steps["run+heal"] = seconds - last
    return steps


def then_spec() -> dict:
    """The studio of 2 December itself (bench/then.py), on a server without speculation."""
    r = run_then(SPEC, server("off"))
    steps = step_seconds(r["marks"], r["seconds"])
    return {
        "name": "2 Dec",
        "seconds": r["seconds"],
        "steps": steps,
        "written": r["written"],
        "files": r["files"],
        "failed": r["failed"],
        "examples": "not run (no such step)",
        "plan_tokens": r["plan_tokens"],
        "rss": rss_mib(local_server_pid() or 0) or 0.0,
    }


async def one_spec(name: str) -> dict:
    speculation, choices = CONFIGS[name]
    settings = Settings.from_env({}, provider="local", base_url=server(speculation), **choices)
    watch = Watch()
    project = await run_all(SPEC, settings, watch)
    seconds = time.perf_counter() - watch.t0
    steps = step_seconds(watch.marks, seconds)
    written = project.usage.completion_tokens
    passed = sum(1 for r in project.results.values() if r.passed)
    return {
        "name": name,
        "seconds": seconds,
        "steps": steps,
        "written": written,
        "files": len(project.contents),
        "failed": len(project.failed),
        "examples": f"{passed}/{len(project.results)}",
        "plan_tokens": sum(u.completion_tokens for u in watch.usage.get("plan", [])),
        "rss": rss_mib(local_server_pid() or 0) or 0.0,
    }


# A file the project never saw (not its own bench file): a dozen similar conversions, ~90
# lines; the request concerns one of them, in words rather than by its name.
_UNITS = [
    ("meters", 1),
    ("feet", 3.28084),
    ("inches", 39.3701),
    ("yards", 1.09361),
    ("miles", 0.000621371),
    ("km", 0.001),
    ("cm", 100),
    ("mm", 1000),
    ("leagues", 0.000207),
    ("chains", 0.0497),
    ("rods", 0.198839),
    ("furlongs", 0.00497),
]
UNITS_REQUEST = (
    "The miles conversion should round its result to 2 decimals, so that "
    "`python units.py miles 1000` prints 0.62."
)


def units(fixed: bool = False) -> str:
    """`units.py`: meters to a dozen units; `fixed`, to miles rounds to 2 decimals."""
    lines = [
        '"""Convert a length in meters: python units.py UNIT METERS."""',
        "",
        "import sys",
        "",
        "",
    ]
    for unit, factor in _UNITS:
        value = (
            f"round(meters * {factor}, 2)" if fixed and unit == "miles" else f"meters * {factor}"
        )
        lines += [
            f"def to_{unit}(meters):",
            f'    """Meters to {unit}."""',
            "    if meters < 0:",
            '        raise ValueError("a length is never negative")',
            f"    return {value}",
            "",
            "",
        ]
    lines += [
        'if __name__ == "__main__":',
        "    unit, meters = sys.argv[1], float(sys.argv[2])",
        '    print(globals()["to_" + unit](meters))',
        "",
    ]
    return "\n".join(lines)


CHANGE_FILES = {  # name: (path, text, request, the command and what it must print, fixed)
    "own": ("inventory.py", inventory, REQUEST, ("python", "inventory.py"), "total value: 70"),
    "foreign": ("units.py", units, UNITS_REQUEST, ("python", "units.py", "miles", "1000"), "0.62"),
}


def functions_touched(before: str, after: str) -> list[str]:
    """The top-level definitions whose text differs (or that appeared or went)."""
    import ast

    def defs(text: str) -> dict[str, str]:
        try:
            return {n.name: ast.dump(n) for n in ast.parse(text).body if hasattr(n, "name")}
        except SyntaxError:
            return {}

    a, b = defs(before), defs(after)
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


async def one_change(name: str, which: str = "own") -> dict:
    speculation, choices = CONFIGS[name]
    path, make, request, command, printed = CHANGE_FILES[which]
    edit = {"edit_format": "whole"} if name == "before" else {}
    settings = Settings.from_env({}, provider="local", base_url=server(speculation), **edit)
    settings = settings.with_(run_examples=False)
    project = Project(spec="", files=[FileSpec(path)], contents={path: make()})
    watch = Watch()
    t0 = time.perf_counter()

    def emit(event) -> None:  # the change is applied through its events, as on the page
        project.apply(event)
        watch(event)

    result = await change_project(project, request, settings, emit)
    seconds = time.perf_counter() - t0
    check = Example(name="the change", kind="command", commands=(Command(command, output=printed),))
    (got,) = run_examples(project.contents, [check])
    written = sum(u.completion_tokens for us in watch.usage.values() for u in us)
    return {
        "name": name,
        "seconds": seconds,
        "written": written,
        "passed": got.passed,
        "methods": ",".join(result.methods.values()),
        "same": project.contents[path] == make(fixed=True),
        "touched": functions_touched(make(), project.contents[path]),
        "rss": rss_mib(local_server_pid() or 0) or 0.0,
    }


def main(argv: list[str] | None = None) -> list[Figure]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=1, help="alternate runs of each, to even noise")
    p.add_argument("--only", choices=("spec", "change"), default=None)
    p.add_argument(
        "--change-file",
        choices=tuple(CHANGE_FILES),
        default="own",
        help="the one-line change: to the bench's own file, or to one it never saw",
    )
    args = p.parse_args(argv)
    specs: list[dict] = []
    changes: list[dict] = []
    try:
        for _ in range(args.rounds):
            if args.only != "change":
                try:
                    specs.append(then_spec())
                    print(f"  spec   {specs[-1]}", flush=True)
                except RuntimeError as exc:
                    print(f"  spec   2 Dec: not run: {exc}", flush=True)
            for name in CONFIGS:
                if args.only != "change":
                    specs.append(asyncio.run(one_spec(name)))
                    print(f"  spec   {specs[-1]}", flush=True)
                if args.only != "spec":
                    changes.append(asyncio.run(one_change(name, args.change_file)))
                    print(f"  change {changes[-1]}", flush=True)
    finally:
        stop_local_server()
    figures: list[Figure] = []

    def mean(rs: list[dict], name: str, key: str) -> float:
        values = [r[key] for r in rs if r["name"] == name]
        return sum(values) / len(values)

    if specs:
        b, a = mean(specs, "before", "seconds"), mean(specs, "after", "seconds")
        for name in dict.fromkeys(x["name"] for x in specs):
            r = [x for x in specs if x["name"] == name][-1]
            steps = ", ".join(f"{k} {v:.0f} s" for k, v in r["steps"].items())
            figures.append(
                Figure(
                    f"5. 3-file spec end to end, {name}",
                    f"{mean(specs, name, 'seconds'):.1f} s; {r['written']:,} tokens written "
                    f"({r['written'] / r['seconds']:.1f} tokens/s over the run; plan "
                    f"{r['plan_tokens']}); examples {r['examples']}; [{steps}]; server RSS "
                    f"{r['rss']:.0f} MiB",
                    "",
                    None,
                )
            )
        if any(x["name"] == "2 Dec" for x in specs):
            then = mean(specs, "2 Dec", "seconds")
            figures.append(
                Figure(
                    "5. 3-file spec: the studio of 2 Dec / after",
                    f"{then / a:.2f}x",
                    ">= 2x",
                    then / a >= 2,
                )
            )
        figures.append(
            Figure(
                "5. 3-file spec: before (today's code, 2 Dec settings) / after",
                f"{b / a:.2f}x",
                "",
                None,
            )
        )
        figures.append(
            Figure(
                "5. 3-file spec, after",
                f"{a:.1f} s",
                f"<= {TARGET_SECONDS:.0f} s",
                a <= TARGET_SECONDS,
            )
        )
    if changes:
        b, a = mean(changes, "before", "seconds"), mean(changes, "after", "seconds")
        for name in CONFIGS:
            r = [x for x in changes if x["name"] == name][-1]
            figures.append(
                Figure(
                    f"5. one-line change to a ~90-line file ({args.change_file}), {name}",
                    f"{mean(changes, name, 'seconds'):.1f} s; {r['written']} tokens written "
                    f"({r['written'] / r['seconds']:.1f} tokens/s); {r['methods']}; behaves: "
                    f"{'yes' if r['passed'] else 'NO'}; same text as the right fix: {r['same']}; "
                    f"functions touched: {', '.join(r['touched']) or 'none'}; "
                    f"server RSS {r['rss']:.0f} MiB",
                    "",
                    None,
                )
            )
        ok = all(r["passed"] for r in changes)
        figures.append(
            Figure(
                "5. one-line change: before / after",
                f"{b / a:.2f}x",
                ">= 3x, same behaviour",
                b / a >= 3 and ok,
            )
        )
    report("built-in model at its speed limit (python -m bench.local_pipeline)", figures)
    return figures


if __name__ == "__main__":
    main()
