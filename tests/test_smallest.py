"""The smallest project, for any phrasing (issue 29 item 4, issue 33 "small pages stay small"):
a model's bloated file list is cut to what the description names and asks for, each file taken
off with its reason. The phrasings are written here for these tests (none is a benchmark's),
and the last test goes through the real file-list step against the scripted server."""

from __future__ import annotations

import asyncio

import pytest

from smol_core.records import FileSpec
from smol_core.steps.file_limits import spec_file_limits
from smol_core.steps.file_list import make_file_list
from smol_core.steps.smallest import named_files, smallest_project, with_named
from tests.conftest import fast_settings

JUNK = [
    "LICENSE",
    "setup.py",
    "config.py",
    "tests.py",
    "README.md",
    "pyproject.toml",
    ".gitignore",
    "Makefile",
    "utils.py",
    "args.py",
]


def planned(spec: str, *paths: str, purposes: dict[str, str] | None = None):
    """What the file-list step keeps of `paths` (named files put in, then the rules)."""
    files = [FileSpec(p, (purposes or {}).get(p, "")) for p in paths]
    kept, ruled = spec_file_limits(spec, with_named(spec, files, 40))
    kept, unasked = smallest_project(spec, kept)
    return [f.path for f in kept], {r.path: r.reason for r in [*ruled, *unasked]}


# (spec, the model's list, what must be kept): twelve-odd ways people ask for small things.
CASES = [
    pytest.param(
        "Write a tool I can run as `python tally.py 3 4 5`; it prints the sum.",
        ["tally.py", *JUNK],
        ["tally.py"],
        id="command-in-backticks",
    ),
    pytest.param(
        "make a script called topwords.py. it reads text on stdin and prints the ten most "
        "frequent words with their counts",
        ["main.py", "topwords.py", "counter.py", "test_topwords.py", "requirements.txt"],
        ["topwords.py"],
        id="named-in-prose-lowercase",
    ),
    pytest.param(
        "A number guessing game played in the terminal. Save it as guess.py and add a README "
        "that explains how to play.",
        ["guess.py", "game.py", "utils.py", "README.md", "LICENSE"],
        ["guess.py", "README.md"],
        id="save-it-as-with-readme-asked",
    ),
    pytest.param(
        "`python report.py sales.csv` reads the CSV and writes summary.html, a table of the "
        "totals per month.",
        ["report.py", "summary.html", "template.html", "sales.csv", "helpers.py"],
        ["report.py", "sales.csv"],
        id="output-file-is-not-a-project-file",
    ),
    pytest.param(
        "A Node.js script, `vowels.js`, that counts the vowels in its arguments.",
        ["vowels.js", "package.json", "lib/count.js", "test/vowels.test.js", "node.js"],
        ["vowels.js"],
        id="library-name-is-not-a-file",
    ),
    pytest.param(
        "Two files: `store.py` keeps a shopping list in a JSON file and `cli.py` is the command "
        "line, e.g. `python cli.py add bread`.",
        ["cli.py", "store.py", "LICENSE", "setup.py", "tests/test_store.py", "config.py"],
        ["cli.py", "store.py"],
        id="two-named-files",
    ),
    pytest.param(
        "A `fizz.py` with a function fizz(n), with tests in test_fizz.py, under the MIT licence.",
        ["fizz.py", "test_fizz.py", "LICENSE", "setup.py"],
        ["fizz.py", "test_fizz.py", "LICENSE"],
        id="tests-and-licence-asked",
    ),
    pytest.param(
        "Print a multiplication table for the number given on the command line.",
        [
            "main.py",
            "table.py",
            "config.py",
            "tests.py",
            "LICENSE",
            "setup.py",
            "README.md",
            "pyproject.toml",
            ".gitignore",
            "Makefile",
        ],
        ["main.py", "table.py", "README.md"],
        id="cli-names-no-file-only-unasked-go",
    ),
    pytest.param(
        "An inventory package split into modules for the models, the storage and the command line.",
        [
            "inventory/__init__.py",
            "inventory/models.py",
            "inventory/storage.py",
            "inventory/cli.py",
            "LICENSE",
            "README.md",
        ],
        [
            "inventory/__init__.py",
            "inventory/models.py",
            "inventory/storage.py",
            "inventory/cli.py",
            "README.md",
        ],
        id="modules-asked-only-junk-goes",
    ),
    pytest.param(
        "A Flask server `app.py` with a page where you type your name and get a greeting.",
        [
            "app.py",
            "templates/index.html",
            "static/app.js",
            "static/style.css",
            "config.py",
            "requirements.txt",
            "models.py",
        ],
        ["app.py", "templates/index.html", "static/app.js", "static/style.css"],
        id="server-with-its-page",
    ),
    pytest.param(
        "Open index.html in your browser to see a stopwatch with start, stop and reset buttons.",
        ["index.html", "js/timer.js", "js/ui.js", "js/main.js", "css/style.css", "css/reset.css"],
        ["index.html", "js/main.js", "css/style.css"],
        id="open-the-page-named-in-prose",
    ),
    pytest.param(
        "A page with a big number and two buttons, plus and minus. The number should still be "
        "there after a reload.",
        [
            "index.html",
            "app.js",
            "config.js",
            "data.js",
            "main.js",
            "utils.js",
            "style.css",
            "app.py",
            "README.md",
        ],
        ["index.html", "app.js", "style.css"],
        id="vague-counter-page",
    ),
    pytest.param(
        "one file, share.html, that splits a bill between the number of friends you type in",
        ["share.html", "share.js", "calc.js", "styles.css", "README.md"],
        ["share.html"],
        id="one-file-page",
    ),
    pytest.param(
        "i want a little web thing where I can write todo items and tick them off, kept in "
        "localStorage",
        ["index.html", "todo.js", "storage.js", "render.js", "styles.css", "LICENSE"],
        ["index.html", "todo.js", "styles.css"],
        id="vague-todo-page",
    ),
    pytest.param(  # the built-in model's own list for this one (a vague page, one word "webpage")
        "little webpage: type a name, press add, it shows up in a list below. keep the list "
        "after reload",
        [
            "app.py",
            "index.html",
            "list.html",
            "name.html",
            "name.js",
            "list.js",
            "utils.js",
            "data.js",
            "storage.js",
            "config.js",
            "styles.css",
            "manifest.json",
            "package.json",
            "README.md",
        ],
        ["index.html", "name.js", "styles.css"],
        id="vague-webpage-one-word",
    ),
    pytest.param(
        "A Chrome extension whose popup shows the current time in three cities.",
        ["manifest.json", "popup.html", "popup.js", "background.js", "LICENSE", "README.md"],
        ["manifest.json", "popup.html", "popup.js", "background.js", "README.md"],
        id="extension-keeps-its-parts",
    ),
]


@pytest.mark.parametrize(("spec", "listed", "kept"), CASES)
def test_a_bloated_list_is_cut_to_what_the_description_asks_for(spec, listed, kept):
    got, reasons = planned(spec, *listed)
    assert got == kept, reasons
    assert set(reasons) == set(listed) - set(kept)  # each file taken off says why
    assert all(reasons.values())


def test_a_program_file_named_only_in_a_command_is_put_in_under_that_name():
    spec = (
        "Running python server.py starts an HTTP server on port 8000 that answers /ping with pong."
    )
    listed = ["app.py", "routes.py", "models.py", "config.py", "requirements.txt"]
    got, reasons = planned(spec, *listed, purposes={"app.py": "the HTTP server and its routes"})
    assert got == ["server.py"], reasons
    assert set(reasons) == set(listed)
    assert (
        reasons["app.py"] == "the description names one program file, server.py, and asks "
        "for no other"
    )
    files = with_named(spec, [FileSpec("app.py", "the HTTP server and its routes")], 40)
    assert files[-1] == FileSpec("server.py", "the HTTP server and its routes")  # its job


def test_names_are_read_from_commands_backticks_and_prose_but_not_outputs_or_libraries():
    spec = (
        "Use Node.js or Vue.js if you like. Run `node count.js notes.txt` or open page.html; "
        "the script writes out.json and saves it as backup.css. Put it in helper.py."
    )
    assert named_files(spec) == ["count.js", "notes.txt", "page.html", "helper.py"]


def test_nothing_is_taken_off_a_description_that_asks_for_what_the_model_listed():
    spec = (
        "A command-line budget tool with a README, tests, a setup.py for packaging, a "
        "config file and an open-source licence; put the parsing in helper modules."
    )
    listed = ["budget.py", "parse.py", "README.md", "tests.py", "setup.py", "config.py", "LICENSE"]
    assert planned(spec, *listed) == (listed, {})


def test_the_greeter_of_two_files_stays_two_files():
    assert planned("a greeter program", "main.py", "util.py") == (["main.py", "util.py"], {})


def test_the_file_list_step_keeps_the_named_file_and_shows_each_file_taken_off(make_server):
    """Through the real step: the scripted model lists a bloated project; what is kept and the
    reasons for the rest are what the page and the CLI show."""
    listed = {
        p: ""
        for p in [
            "args.py",
            "table.py",
            "config.py",
            "LICENSE",
            "setup.py",
            "tests.py",
            "README.md",
        ]
    }
    server = make_server(files=listed)
    spec = "Build me grid.py, which prints a multiplication table: python grid.py 5"
    result = asyncio.run(make_file_list(spec, "the plan", fast_settings(server.base_url)))
    assert [f.path for f in result.files] == ["grid.py"]
    reasons = {r.path: r.reason for r in result.rejected}
    assert set(reasons) == set(listed)
    assert reasons["LICENSE"] == "the description asks for no licence files"


@pytest.mark.parametrize(
    "spec",
    [
        # a module named by what it holds: `words.pick` names words.py
        "A quiz game: quiz.py asks the questions that words.pick chooses.",
        # the count of files said with a word between ("two Python files")
        "A little dice game in two Python files, quiz.py the entry point.",
        "Split it across 2 small JavaScript files; quiz.py runs it.",
    ],
)
def test_a_module_named_by_its_attribute_or_a_count_of_files_keeps_the_second_file(spec):
    listed = [FileSpec("quiz.py"), FileSpec("words.py")]
    kept, rejected = smallest_project(spec, listed)
    assert [f.path for f in kept] == ["quiz.py", "words.py"], rejected


def test_a_file_extension_is_no_module_attribute():
    # "index.html" names no module `index`: index.js stays the page's one script, no more
    kept, _ = smallest_project(
        "A page: index.html shows the time.", [FileSpec("index.html"), FileSpec("index.js")]
    )
    assert [f.path for f in kept] == ["index.html", "index.js"]
    kept, _ = smallest_project(
        "A clock: clock.py prints the time.", [FileSpec("clock.py"), FileSpec("html.py")]
    )
    assert [f.path for f in kept] == ["clock.py"]


VAGUE_PAGES = [pytest.param(*c.values[:2], id=c.id) for c in CASES if str(c.id).startswith("vague")]


@pytest.mark.parametrize(("spec", "listed"), VAGUE_PAGES)
def test_the_built_in_model_writes_a_vague_page_as_one_html_file(spec, listed):
    """Its script and style inline: across files the 1.5B model's ids drifted apart."""
    files = [FileSpec(p) for p in listed]
    kept, rejected = smallest_project(spec, files, one_page_file=True)
    assert [f.path for f in kept] == ["index.html"]
    assert {r.path for r in rejected} == set(listed) - {"index.html"}


def test_a_page_whose_files_are_named_keeps_them_on_the_built_in_model_too():
    spec = "A page: `index.html` loads `app.js`, which counts clicks on a button."
    files = [FileSpec("index.html"), FileSpec("app.js"), FileSpec("style.css")]
    kept, _ = smallest_project(spec, files, one_page_file=True)
    assert {f.path for f in kept} >= {"index.html", "app.js"}
