"""The suite: small specs, each precise enough that its behaviour can be checked automatically.

Each spec names its files, functions, arguments, ports, DOM ids and output format exactly, and
stays at 2–3 files so a 1.5B model has a fair chance. Each checker takes the folder a flow
wrote the project into and returns a `Verdict` (pass/fail + one line of why); it never raises.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .run import (
    CheckFailed,
    Limits,
    Verdict,
    call_function,
    errors_hint,
    expect_output,
    extension_context,
    free_local_port,
    guarded,
    http_get,
    need_files,
    page_of,
    python_server,
    require,
    run_python,
    text_of,
)


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str  # cli | module | page | extension | server
    text: str
    check: Callable[[Path], Verdict]


# ------------------------------------------------------------------------------------ fizzbuzz
FIZZBUZZ = """\
A Python command-line program, standard library only, in two files: `fizzbuzz.py` and `README.md`.

`python fizzbuzz.py N` (N is a positive integer given as the first command-line argument) prints
the numbers from 1 to N, one per line, except that multiples of 3 print `Fizz`, multiples of 5
print `Buzz` and multiples of both 3 and 5 print `FizzBuzz`. It prints nothing else.
`README.md` explains how to run it.
"""


def _fizz(n: int) -> str:
    words = {0: "FizzBuzz", 3: "Fizz", 5: "Buzz", 6: "Fizz", 9: "Fizz", 10: "Buzz", 12: "Fizz"}
    return "\n".join(words.get(i % 15, str(i)) for i in range(1, n + 1))


@guarded
def check_fizzbuzz(folder: Path) -> Verdict:
    need_files(folder, "fizzbuzz.py")
    expect_output(run_python(folder, ["fizzbuzz.py", "15"]), _fizz(15), "fizzbuzz.py 15")
    expect_output(run_python(folder, ["fizzbuzz.py", "4"]), _fizz(4), "fizzbuzz.py 4")
    return Verdict.ok("prints 1..15 with Fizz/Buzz/FizzBuzz")


# ----------------------------------------------------------------------------------- wordcount
WORDCOUNT = """\
A Python command-line tool, standard library only, in two files.

- `counter.py` defines `count_words(text: str) -> int`: the number of words in `text`, where
  words are separated by any whitespace (spaces, tabs, newlines). `count_words("")` is 0.
- `wc.py` is the entry point: `python wc.py PATH` reads the UTF-8 text file at PATH, counts its
  words with `count_words` imported from `counter.py`, and prints only that number, for example
  `4`.
"""


@guarded
def check_wordcount(folder: Path) -> Verdict:
    need_files(folder, "counter.py", "wc.py")
    (folder / "_sample.txt").write_text("one two  three\n\tfour\n", encoding="utf-8")
    try:
        expect_output(run_python(folder, ["wc.py", "_sample.txt"]), "4", "wc.py on a 4-word file")
    finally:
        (folder / "_sample.txt").unlink()
    ran = call_function(folder, "counter", "[counter.count_words(t) for t in ('', 'a b\\nc')]")
    expect_output(ran, "[0, 3]", "count_words('') and count_words('a b\\nc')")
    return Verdict.ok("counts words from a file and as a function")


# ------------------------------------------------------------------------------------- slugify
SLUGIFY = """\
A Python module, standard library only, in two files: `textutils.py` and `README.md`.

`textutils.py` defines `slugify(text: str) -> str`: it lowercases the text, turns every run of
characters that are not `a`-`z` or `0`-`9` into a single `-`, and removes any `-` at the start
or the end. For example `slugify("Hello, World!")` returns `"hello-world"` and
`slugify("  Smol  Studio 2 ")` returns `"smol-studio-2"`. Importing the module prints nothing.
`README.md` shows how to use it.
"""

_SLUG_CASES = {
    "Hello, World!": "hello-world",
    "  Smol  Studio 2 ": "smol-studio-2",
    "--Already-Slugged--": "already-slugged",
    "C'est l'été": "c-est-l-t",
    "": "",
}


@guarded
def check_slugify(folder: Path) -> Verdict:
    need_files(folder, "textutils.py")
    ran = call_function(
        folder, "textutils", f"[textutils.slugify(t) for t in {list(_SLUG_CASES)!r}]"
    )
    require(ran.code == 0, f"import/call failed: {ran.tail()}")
    try:
        got = ast.literal_eval(ran.out.strip().splitlines()[-1])
    except (ValueError, SyntaxError, IndexError):
        raise CheckFailed(f"printed something while imported: {ran.out.strip()[:80]!r}") from None
    require(len(ran.out.strip().splitlines()) == 1, "importing the module prints something")
    for (given, want), have in zip(_SLUG_CASES.items(), got, strict=True):
        require(have == want, f"slugify({given!r}) returned {have!r}, expected {want!r}")
    return Verdict.ok(f"slugify right on {len(_SLUG_CASES)} cases")


# --------------------------------------------------------------------------------- temperature
TEMPERATURE = """\
A Python command-line temperature converter, standard library only, in two files.

- `conversions.py` defines `c_to_f(c: float) -> float` (Celsius to Fahrenheit) and
  `f_to_c(f: float) -> float` (Fahrenheit to Celsius).
- `convert.py` is the entry point, using `argparse`: `python convert.py VALUE --to f` converts
  VALUE degrees Celsius to Fahrenheit and `python convert.py VALUE --to c` converts VALUE degrees
  Fahrenheit to Celsius. It prints only the result rounded to one decimal, e.g.
  `python convert.py 100 --to f` prints `212.0`.
"""


@guarded
def check_temperature(folder: Path) -> Verdict:
    need_files(folder, "conversions.py", "convert.py")
    for args, want in (
        (["100", "--to", "f"], "212.0"),
        (["212", "--to", "c"], "100.0"),
        (["37", "--to", "f"], "98.6"),
        (["-40", "--to", "c"], "-40.0"),
    ):
        expect_output(
            run_python(folder, ["convert.py", *args]), want, f"convert.py {' '.join(args)}"
        )
    ran = call_function(folder, "conversions", "round(conversions.f_to_c(50.0), 3)")
    expect_output(ran, "10.0", "f_to_c(50.0)")
    return Verdict.ok("converts both ways, CLI and functions")


# --------------------------------------------------------------------------------------- stats
STATS = """\
A Python command-line tool, standard library only, in two files.

- `mathstats.py` defines `summarize(numbers: list[int]) -> dict` returning a dict with the keys
  `"min"`, `"max"` and `"mean"` of a non-empty list of integers.
- `stats.py` is the entry point: `python stats.py 3 1 2` takes integers as command-line
  arguments, calls `summarize` from `mathstats.py` and prints exactly one line in this format:
  `min=1 max=3 mean=2.00` (the mean with two decimals).
"""


@guarded
def check_stats(folder: Path) -> Verdict:
    need_files(folder, "mathstats.py", "stats.py")
    expect_output(
        run_python(folder, ["stats.py", "3", "1", "2"]), "min=1 max=3 mean=2.00", "stats.py 3 1 2"
    )
    expect_output(
        run_python(folder, ["stats.py", "4", "7", "2", "10"]),
        "min=2 max=10 mean=5.75",
        "stats.py 4 7 2 10",
    )
    ran = call_function(folder, "mathstats", "sorted(mathstats.summarize([5, 1]).items())")
    expect_output(ran, "[('max', 5), ('mean', 3.0), ('min', 1)]", "summarize([5, 1])")
    return Verdict.ok("prints min/max/mean; summarize returns the dict")


# ------------------------------------------------------------------------------- counter page
COUNTER_PAGE = """\
A static web page, plain HTML and JavaScript with no libraries, in two files: `index.html` and
`app.js` (loaded by `index.html` with a `<script src="app.js">` tag).

The page shows a number in `<span id="count">`, which starts at `0`. A button
`<button id="increment">` adds 1 to the number and a button `<button id="reset">` sets it back to
`0`. Opening `index.html` straight from the disk (file://) must work.
"""


@guarded
def check_counter_page(folder: Path) -> Verdict:
    need_files(folder, "index.html", "app.js")
    with page_of(folder) as (page, errors):
        require(
            text_of(page, "#count") == "0",
            f"#count starts at {text_of(page, '#count')!r}, not '0'" + errors_hint(errors),
        )
        for _ in range(3):
            page.click("#increment")
        got = text_of(page, "#count")
        require(
            got == "3", f"after 3 clicks on #increment, #count shows {got!r}" + errors_hint(errors)
        )
        page.click("#reset")
        got = text_of(page, "#count")
        require(got == "0", f"after #reset, #count shows {got!r}" + errors_hint(errors))
    return Verdict.ok("counts 3 clicks, resets to 0")


# ---------------------------------------------------------------------------------- todo page
TODO_PAGE = """\
A static to-do list page, plain HTML and JavaScript with no libraries, in two files:
`index.html` and `todo.js` (loaded by `index.html` with a `<script src="todo.js">` tag).

The page has a text input `<input id="new-item">`, a button `<button id="add">`, a list
`<ul id="items">` and a `<span id="total">` that shows how many items the list has (starting at
`0`). Clicking the add button appends an `<li>` whose text is the input's text (trimmed) to the
list, then clears the input. When the input is empty or only spaces, clicking adds nothing.
Opening `index.html` straight from the disk (file://) must work.
"""


@guarded
def check_todo_page(folder: Path) -> Verdict:
    need_files(folder, "index.html", "todo.js")
    with page_of(folder) as (page, errors):
        require(
            text_of(page, "#total") == "0",
            f"#total starts at {text_of(page, '#total')!r}" + errors_hint(errors),
        )
        for text in ("milk", "   ", " eggs "):
            page.fill("#new-item", text)
            page.click("#add")
        items = [" ".join(t.split()) for t in page.locator("#items li").all_text_contents()]
        require(
            items == ["milk", "eggs"],
            f"the list holds {items!r}, expected ['milk', 'eggs']" + errors_hint(errors),
        )
        require(page.input_value("#new-item") == "", "the input is not cleared after adding")
        total = text_of(page, "#total")
        require(total == "2", f"#total shows {total!r} after adding 2 items" + errors_hint(errors))
    return Verdict.ok("adds trimmed items, ignores blanks, counts them")


# ---------------------------------------------------------------------------------- extension
EXTENSION = """\
A Chrome extension (Manifest V3) in three files: `manifest.json`, `popup.html` and `popup.js`.

The manifest declares `"manifest_version": 3`, a name, a version, the `"storage"` permission,
and an `action` whose `default_popup` is `popup.html`. `popup.html` loads `popup.js` with a
`<script src="popup.js">` tag (no inline script). The popup has a button `<button id="count">`
and a `<span id="clicks">`. When the popup opens, the span shows the number saved in
`chrome.storage.local` under the key `clicks` (`0` if nothing is saved). Each click on the button
adds 1 to that number, saves it under the same key, and shows the new number in the span.
"""


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script":
            if a.get("src"):
                self.scripts.append(a["src"])
            else:
                self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


def static_extension_check(folder: Path) -> str:
    """Manifest parses, names files that exist, popup parses, its ids and script are there.
    Returns the popup's path. Raises CheckFailed with the first problem."""
    need_files(folder, "manifest.json")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CheckFailed(f"manifest.json is not valid JSON: {exc}") from None
    require(isinstance(manifest, dict), "manifest.json is not an object")
    require(
        manifest.get("manifest_version") == 3,
        f"manifest_version is {manifest.get('manifest_version')!r}, not 3",
    )
    for key in ("name", "version"):
        require(isinstance(manifest.get(key), str) and manifest[key], f"manifest has no {key}")
    require(
        "storage" in (manifest.get("permissions") or []), "manifest lacks the storage permission"
    )
    popup = (manifest.get("action") or {}).get("default_popup")
    require(isinstance(popup, str) and popup, "manifest has no action.default_popup")
    named = [popup]
    background = manifest.get("background") or {}
    if isinstance(background, dict) and isinstance(background.get("service_worker"), str):
        named.append(background["service_worker"])
    for icons in (manifest.get("icons"), (manifest.get("action") or {}).get("default_icon")):
        if isinstance(icons, dict):
            named += [v for v in icons.values() if isinstance(v, str)]
        elif isinstance(icons, str):
            named.append(icons)
    missing = [n for n in named if not (folder / n.lstrip("/")).is_file()]
    require(not missing, f"the manifest names missing file(s): {', '.join(missing)}")
    scan = _Scan()
    scan.feed((folder / popup.lstrip("/")).read_text(encoding="utf-8"))
    scan.close()
    require(not scan.inline_script, f"{popup} has an inline script (blocked in extensions)")
    require(scan.scripts, f"{popup} loads no script")
    missing = [s for s in scan.scripts if not (folder / s.lstrip("/")).is_file()]
    require(not missing, f"{popup} loads missing script(s): {', '.join(missing)}")
    lacking = {"count", "clicks"} - scan.ids
    require(not lacking, f"{popup} has no element with id {', '.join(sorted(lacking))}")
    return popup.lstrip("/")


@guarded
def check_extension(folder: Path) -> Verdict:
    popup = static_extension_check(folder)
    with extension_context(folder) as (context, ext_id):
        page = context.new_page()
        page.set_default_timeout(Limits.page_ms)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        url = f"chrome-extension://{ext_id}/{popup}"
        try:
            page.goto(url)
        except Exception as exc:  # noqa: BLE001 - Chromium refused to load the extension
            raise CheckFailed(
                f"Chromium did not load the extension: {str(exc).splitlines()[0]}"
            ) from None

        def shows(want: str, what: str) -> None:
            try:
                page.wait_for_function(
                    "w => (document.getElementById('clicks')||{}).textContent?.trim() === w",
                    arg=want,
                    timeout=Limits.page_ms,
                )
            except Exception:  # noqa: BLE001 - a timeout: say what it shows instead
                raise CheckFailed(
                    f"{what}: #clicks shows {text_of(page, '#clicks')!r}, expected "
                    f"{want!r}{errors_hint(errors)}"
                ) from None

        shows("0", "on first open")
        page.click("#count")
        shows("1", "after 1 click")
        page.click("#count")
        shows("2", "after 2 clicks")
        page.reload()
        shows("2", "reopened after 2 clicks")
        saved = page.evaluate("() => new Promise(r => chrome.storage.local.get('clicks', r))")
        require(
            str((saved or {}).get("clicks")) == "2",
            f"chrome.storage.local holds {saved!r}, expected clicks=2",
        )
    return Verdict.ok("loads in Chromium; counts clicks, keeps them in chrome.storage")


# ------------------------------------------------------------------------------------- server
SERVER = """\
A tiny web server, Python standard library only (`http.server`), in two files: `server.py` and
`README.md`.

`python server.py --port PORT` listens on 127.0.0.1 at the given port (parsed with `argparse`)
until it is stopped. It answers:
- `GET /health`: status 200, body `ok` (Content-Type `text/plain`);
- `GET /add?a=2&b=3`: status 200, the JSON `{"result": 5}` (Content-Type `application/json`),
  where `a` and `b` are integers taken from the query string;
- any other path: status 404.
`README.md` explains how to start it and the three routes.
"""


@guarded
def check_server(folder: Path) -> Verdict:
    need_files(folder, "server.py")
    port = free_local_port()
    with python_server(folder, ["server.py", "--port", str(port)], port) as base:
        r = http_get(base + "/health")
        require(
            r.status == 200 and r.body.strip() == "ok",
            f"/health answered {r.status} {r.body[:40]!r}",
        )
        r = http_get(base + "/add?a=2&b=3")
        require(r.status == 200, f"/add?a=2&b=3 answered status {r.status}")
        try:
            data = json.loads(r.body)
        except ValueError:
            raise CheckFailed(f"/add?a=2&b=3 answered non-JSON {r.body[:40]!r}") from None
        require(data == {"result": 5}, f"/add?a=2&b=3 answered {data!r}")
        r = http_get(base + "/add?a=-4&b=10")
        require(
            r.status == 200 and _json(r.body) == {"result": 6},
            f"/add?a=-4&b=10 answered {r.body[:40]!r}",
        )
        r = http_get(base + "/nope")
        require(r.status == 404, f"/nope answered status {r.status}, not 404")
    return Verdict.ok("serves /health, /add and 404")


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


SPECS: list[Spec] = [
    Spec("fizzbuzz", "cli", FIZZBUZZ, check_fizzbuzz),
    Spec("wordcount", "cli", WORDCOUNT, check_wordcount),
    Spec("temperature", "cli", TEMPERATURE, check_temperature),
    Spec("stats", "cli", STATS, check_stats),
    Spec("slugify", "module", SLUGIFY, check_slugify),
    Spec("counter_page", "page", COUNTER_PAGE, check_counter_page),
    Spec("todo_page", "page", TODO_PAGE, check_todo_page),
    Spec("extension", "extension", EXTENSION, check_extension),
    Spec("server", "server", SERVER, check_server),
]

BY_NAME = {s.name: s for s in SPECS}
