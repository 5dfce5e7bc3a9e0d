"""Measure: change requests on existing code, edit formats side by side (whole file, search/
replace blocks, auto): pass rate, tokens and time per change.

Each task is starting files, a request in words and a behaviour check run on the result (a
command and the output it must print, run in the sandbox of running/): write a new file next
to given data, fix a bug, change a behaviour across two files, fix one line of a long file.

    python -m bench.improve                      # the built-in model (takes a while: CPU)
    python -m bench.improve --scripted           # a scripted "large model" that answers right
    python -m bench.improve --base-url URL --model NAME   # any OpenAI-compatible endpoint
    [--formats whole,blocks,auto] [--tasks data-report,fix-bug] [--rounds 1]

With --scripted the answers are right by construction: what it shows is the plumbing and the
cost of each format (tokens written, time at a fixed token rate), not a model's skill.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.common import Figure, report
from bench.speculation import inventory
from smol_core.changes import change_project
from smol_core.events import Event, UsageReport
from smol_core.project import Project
from smol_core.records import Command, Example, FileSpec
from smol_core.running.execute import run_examples
from smol_core.settings import Settings
from smol_core.steps.change import ChangeError
from smol_core.usage import TokenUsage
from tests.change_kit import blocks, change_classify, plan_reply
from tests.scripted_server import Fault, ScriptedServer

FORMATS = ("whole", "blocks", "auto")


@dataclass(frozen=True)
class Task:
    name: str
    files: dict[str, str]
    request: str
    checks: tuple[Command, ...]
    # The scripted model's right answers: the decision, each file whole, each file as blocks.
    decision: tuple[tuple[str, str, str], ...] = ()
    whole: dict[str, str] = field(default_factory=dict)
    edits: dict[str, str] = field(default_factory=dict)


def _inventory(fixed: bool) -> str:
    # A long file (130 lines): a one-line fix is where edit blocks and functions pay off.
    return inventory(24, fixed)


GREET = 'def greet(name):\n    return f"Hello, {name}!"\n'
GREET_MAIN = "import sys\n\nfrom greet import greet\n\nif __name__ == '__main__':\n    print(greet(sys.argv[1]))\n"
TASKS = (
    Task(
        "data-report",
        {
            "sales.csv": "day,amount\n1,10\n2,25\n3,7\n",
            "README.md": "# Sales\n\nDaily sales are in sales.csv.\n",
        },
        "Write report.py that reads sales.csv and prints the total of the amount column as "
        "`total: <number>` (an integer).",
        (Command(("python", "report.py"), output="total: 42"),),
        (("report.py", "add", "sum the amount column of sales.csv"),),
        {
            "report.py": "import csv\n\nwith open('sales.csv', newline='') as fh:\n"
            "    rows = list(csv.DictReader(fh))\n"
            "print(f\"total: {sum(int(r['amount']) for r in rows)}\")\n"
        },
    ),
    Task(
        "fix-bug",
        {
            "stats.py": "def mean(xs):\n    return sum(xs) / (len(xs) - 1)\n",
            "main.py": "import sys\n\nfrom stats import mean\n\nif __name__ == '__main__':"
            "\n    print(mean([float(x) for x in sys.argv[1:]]))\n",
        },
        "`python main.py 2 4` prints 6.0, but the mean of 2 and 4 is 3.0: fix it.",
        (Command(("python", "main.py", "2", "4"), output="3.0"),),
        (("stats.py", "change", "divide by len(xs)"),),
        {"stats.py": "def mean(xs):\n    return sum(xs) / len(xs)\n"},
        {
            "stats.py": blocks(
                ("    return sum(xs) / (len(xs) - 1)\n", "    return sum(xs) / len(xs)\n")
            )
        },
    ),
    Task(
        "two-files",
        {"greet.py": GREET, "main.py": GREET_MAIN},
        "Add a --shout option: `python main.py Bob --shout` prints HELLO, BOB! (greet() gets a "
        "`shout` argument); without it, it prints Hello, Bob! as now.",
        (
            Command(("python", "main.py", "Bob", "--shout"), output="HELLO, BOB!"),
            Command(("python", "main.py", "Bob"), output="Hello, Bob!"),
        ),
        (("greet.py", "change", "a shout argument"), ("main.py", "change", "the --shout flag")),
        {
            "greet.py": 'def greet(name, shout=False):\n    text = f"Hello, {name}!"\n'
            "    return text.upper() if shout else text\n",
            "main.py": GREET_MAIN.replace(
                "print(greet(sys.argv[1]))", "print(greet(sys.argv[1], '--shout' in sys.argv))"
            ),
        },
        {
            "greet.py": blocks(
                (
                    '    return f"Hello, {name}!"\n',
                    '    text = f"Hello, {name}!"\n    return text.upper() if shout else text\n',
                ),
                ("def greet(name):\n", "def greet(name, shout=False):\n"),
            ),
            "main.py": blocks(
                (
                    "    print(greet(sys.argv[1]))\n",
                    "    print(greet(sys.argv[1], '--shout' in sys.argv))\n",
                )
            ),
        },
    ),
    Task(
        "long-file",
        {"inventory.py": _inventory(False)},
        "total_value ignores the quantity: `python inventory.py` must print `total value: 70`.",
        (Command(("python", "inventory.py"), output="total value: 70"),),
        (("inventory.py", "change", "price times qty in total_value"),),
        {"inventory.py": _inventory(True)},
        {
            "inventory.py": blocks(
                (
                    "    return sum(item['price'] for item in items)\n",
                    "    return sum(item['price'] * item['qty'] for item in items)\n",
                )
            )
        },
    ),
)


@dataclass
class Outcome:
    passed: bool
    seconds: float
    usage: TokenUsage
    methods: tuple[str, ...]
    note: str = ""


async def one_change(task: Task, settings: Settings, allow_unisolated: bool) -> Outcome:
    project = Project(spec="", files=[FileSpec(p) for p in task.files], contents=dict(task.files))
    usage = TokenUsage()

    def emit(event: Event) -> None:
        nonlocal usage
        project.apply(event)
        if isinstance(event, UsageReport):
            usage = usage + event.usage

    started = time.perf_counter()
    try:
        result = await change_project(project, task.request, settings, emit)
    except ChangeError as exc:
        return Outcome(False, time.perf_counter() - started, usage, (), str(exc))
    seconds = time.perf_counter() - started
    methods = tuple(result.methods.values())
    if not result.applied:
        return Outcome(False, seconds, usage, methods, result.reason)
    check = Example(name=task.name, kind="command", commands=task.checks)
    (got,) = run_examples(project.contents, [check], allow_unisolated=allow_unisolated)
    return Outcome(got.passed, seconds, usage, methods, "" if got.passed else got.reason)


def scripted_server(task: Task, fmt: str, latency: float, tps: float | None) -> ScriptedServer:
    """A model that answers this task right in the asked format (whole: `files`)."""
    srv = ScriptedServer(
        files=dict(task.whole), classify=change_classify, latency=latency, tokens_per_second=tps
    )
    srv.add_fault(plan_reply(*task.decision), kind="change")
    for path, text in task.edits.items():
        srv.add_fault(Fault.text(text), kind="edit", path=path)
    return srv.start()


def run(argv: list[str] | None = None) -> list[Figure]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scripted", action="store_true", help="a scripted model, not a real one")
    p.add_argument("--base-url", help="an OpenAI-compatible endpoint (else the built-in model)")
    p.add_argument("--model")
    p.add_argument("--formats", default=",".join(FORMATS))
    p.add_argument("--tasks", default=",".join(t.name for t in TASKS))
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--latency", type=float, default=0.2, help="scripted: before the first byte")
    p.add_argument("--tps", type=float, default=200.0, help="scripted: output tokens a second")
    p.add_argument(
        "--allow-unisolated",
        action="store_true",
        help="run the checks even where the OS can't isolate them",
    )
    args = p.parse_args(argv)
    tasks = [t for t in TASKS if t.name in args.tasks.split(",")]
    figures: list[Figure] = []
    for fmt in args.formats.split(","):
        outcomes: list[Outcome] = []
        for task in tasks * args.rounds:
            if args.scripted:
                srv = scripted_server(task, fmt, args.latency, args.tps)
                settings = Settings(
                    provider="compatible",
                    model="scripted-model",
                    base_url=srv.base_url,
                    api_key="sk-bench",
                )
            else:
                srv = None
                settings = Settings.from_env(
                    provider="compatible" if args.base_url else "local",
                    base_url=args.base_url,
                    model=args.model,
                )
            settings = settings.with_(edit_format=fmt, run_examples=False)
            try:
                outcome = asyncio.run(one_change(task, settings, args.allow_unisolated))
            finally:
                if srv is not None:
                    srv.stop()
            outcomes.append(outcome)
            print(
                f"  {fmt:<6} {task.name:<12} {'pass' if outcome.passed else 'FAIL'} "
                f"{outcome.seconds:6.1f}s {','.join(outcome.methods)} {outcome.note[:90]}"
            )
        n = max(1, len(outcomes))
        u = sum((o.usage for o in outcomes), TokenUsage())
        how = Counter(m for o in outcomes for m in o.methods)
        figures += [
            Figure(
                f"{fmt}: pass rate", f"{sum(o.passed for o in outcomes)}/{len(outcomes)}", "", None
            ),
            Figure(
                f"{fmt}: tokens per change (prompt / output)",
                f"{u.prompt_tokens // n} / {u.completion_tokens // n}",
                "",
                None,
            ),
            Figure(
                f"{fmt}: seconds per change",
                f"{sum(o.seconds for o in outcomes) / n:.1f}",
                "",
                None,
            ),
            Figure(
                f"{fmt}: how files were written",
                ", ".join(f"{k} {v}" for k, v in sorted(how.items())) or "-",
                "",
                None,
            ),
        ]
    report("improve: change requests, edit formats side by side", figures)
    return figures


if __name__ == "__main__":
    run()
