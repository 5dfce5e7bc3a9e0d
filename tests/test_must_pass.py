"""The examples a file will be run against are told to the request that writes it (and to every
later rewrite): only to the files they run."""

from __future__ import annotations

import asyncio

from smol_core.records import Command, Example, PageStep, Request
from smol_core.runs import events_of, run_all
from smol_core.steps.must_pass import MAX_CHARS, checks_by_path, must_pass
from tests.conftest import fast_settings

CLI = Example(
    "three numbers",
    "command",
    (Command(("python", "stats.py", "3", "1", "2"), output="min=1 max=3 mean=2.00"),),
)
SEQUENCE = Example(
    "add then list",
    "command",
    (
        Command(("python", "todo.py", "add", "milk")),
        Command(("python", "todo.py", "list"), output="1. milk\n2. eggs"),
    ),
    input_files=(("todo.json", "[]"),),
)
CALL = Example(
    "slug",
    "call",
    (Command((), output="'hello-world'"),),
    code="from textutils import slugify\nprint(repr(slugify('Hello, World!')))",
)
PAGE = Example(
    "counts",
    "page",
    page="popup.html",
    steps=(
        PageStep("text", "clicks", "0"),
        PageStep("click", "count"),
        PageStep("text", "clicks", "1"),
        PageStep("fill", "item", "milk"),
        PageStep("text", "item", ""),
        PageStep("reload", ""),
    ),
)
SERVER = Example(
    "adds",
    "server",
    (Command(("python", "server.py", "--port", "8765")),),
    port=8765,
    requests=(Request("/add?a=2&b=3", 200, ("5",)),),
)
SMOKE = Example("starts", "smoke", (Command(("python", "stats.py")),), source="smoke")


def test_each_file_is_told_the_examples_that_run_it_and_no_other():
    paths = [
        "stats.py",
        "mathstats.py",
        "todo.py",
        "textutils.py",
        "popup.html",
        "popup.js",
        "background.js",
        "server.py",
        "manifest.json",
    ]
    told = checks_by_path([CLI, SEQUENCE, CALL, PAGE, SERVER, SMOKE], paths)
    assert sorted(told) == [
        "popup.html",
        "popup.js",
        "server.py",
        "stats.py",
        "textutils.py",
        "todo.py",
    ]
    assert told["stats.py"] == "- `python stats.py 3 1 2` prints exactly `min=1 max=3 mean=2.00`"
    assert "with the file `todo.json` holding:\n  ```\n  []\n  ```" in told["todo.py"]
    assert (
        "in one folder, in turn: `python todo.py add milk` runs without an error; then "
        "`python todo.py list` prints exactly:\n  ```\n  1. milk\n  2. eggs\n  ```"
    ) in told["todo.py"]
    assert "from textutils import slugify" in told["textutils.py"]
    assert "it prints exactly `'hello-world'`" in told["textutils.py"]
    assert (
        told["popup.js"]
        == told["popup.html"]
        == (
            "- open `popup.html`, then: `#clicks` shows `0`; click `#count`; `#clicks` shows `1`; "
            "type `milk` into `#item`; `#item` is empty; open the page again (as it opens, it shows "
            "what was saved)"
        )
    )
    assert told["server.py"] == (
        "- `python server.py --port 8765` serves on port 8765: "
        "`GET /add?a=2&b=3` answers 200, with `5` in the body"
    )


def test_a_page_without_a_script_named_like_it_tells_every_script_beside_it_but_background():
    page = Example("p", "page", page="web/index.html", steps=(PageStep("click", "go"),))
    paths = ["web/index.html", "web/app.js", "web/background.js", "other/app.js"]
    assert sorted(checks_by_path([page], paths)) == ["web/app.js", "web/index.html"]


def test_what_a_file_is_told_is_bounded():
    many = [
        Example(f"e{n}", "command", (Command(("python", "a.py", str(n)), output="x" * 400),))
        for n in range(20)
    ]
    told = must_pass("a.py", many, ["a.py"])
    assert 0 < len(told) <= MAX_CHARS and told.count("\n- ") < 5


SPEC = (
    "A tool in two files. `mathstats.py` defines `summarize(numbers)`. `python stats.py 3 1 2`"
    " prints `min=1 max=3 mean=2.00`."
)
BRIEF = "- `mathstats.py` — summarize(numbers).\n- `stats.py` — prints min, max and mean.\n"
STATS = (
    "import sys\nfrom mathstats import summarize\n\n\nif __name__ == '__main__':\n"
    "    s = summarize([int(a) for a in sys.argv[1:]])\n"
    "    print(f\"min={s['min']} max={s['max']} mean={s['mean']:.2f}\")\n"
)
MATH = (
    "def summarize(numbers):\n    return {'min': min(numbers), 'max': max(numbers),"
    " 'mean': sum(numbers) / len(numbers)}\n"
)


def test_the_request_writing_a_file_says_the_spec_example_it_must_pass(make_server):
    server = make_server(plan_text=BRIEF, files={"stats.py": STATS, "mathstats.py": MATH})
    settings = fast_settings(server.base_url, plan_style="brief")

    async def go():
        return [e async for e in events_of(lambda emit: run_all(SPEC, settings, emit))]

    asyncio.run(go())
    asks = {r.path: r.body["messages"][-1]["content"] for r in server.requests if r.kind == "code"}
    assert "these checks must pass" in asks["stats.py"]
    assert "- `python stats.py 3 1 2` prints exactly `min=1 max=3 mean=2.00`" in asks["stats.py"]
    assert "these checks must pass" not in asks["mathstats.py"]
    # the shared prefix is the same for both: the block comes after it
    firsts = [r.body["messages"][:-1] for r in server.requests if r.kind == "code"]
    assert firsts[0] == firsts[1]
