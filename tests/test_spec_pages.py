"""Page checks read off the spec (what its elements show, what its buttons do), run in Chromium,
and a page failing one repaired by a candidate written anew."""

from __future__ import annotations

import asyncio

import pytest

from smol_core.events import FileDone, Healing
from smol_core.records import PageStep
from smol_core.running.browser import unavailable
from smol_core.running.execute import run_examples
from smol_core.running.sandbox import isolation
from smol_core.runs import events_of, run_all
from smol_core.spec_reading.pages import spec_pages
from smol_core.steps.heal import WENT_BACK
from tests.conftest import fast_settings
from tests.scripted_server import Fault

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)
needs_browser = pytest.mark.skipif(bool(unavailable()), reason=unavailable() or "ok")

DOWN = """A page, `index.html` with `app.js`. It shows a number in `<p id="value">`, starting at
`10`. `<button id="down">` subtracts 1 from it and `<button id="zero">` resets it to `0`."""
TASKS = """A to-do page in `index.html` and `tasks.js`: a field `<input id="task">`, a button
`<button id="save">` and a list `<ol id="tasks">`. Clicking the save button adds an item with
the field's text to the list, then clears the input."""
KEPT = """A page, `index.html` and `app.js`. `<span id="n">` shows the number kept in
`localStorage`, or `0` before any is kept. `<button id="plus">` adds 1 to it."""


def _steps(spec: str, files: tuple[str, ...] = ("index.html", "app.js")) -> list[tuple]:
    found = spec_pages(spec, {f: "" for f in files})
    return [(s.action, s.target, s.value) for e in found for s in e.steps]


def test_what_a_spec_says_its_page_does_becomes_the_steps_of_a_page_check():
    assert _steps(DOWN) == [
        ("text", "value", "10"),
        ("click", "down", ""),
        ("text", "value", "9"),
        ("click", "down", ""),
        ("text", "value", "8"),
        ("click", "zero", ""),
        ("text", "value", "0"),
    ]
    assert _steps(TASKS, ("index.html", "tasks.js")) == [
        ("fill", "task", "  sample item "),
        ("click", "save", ""),
        ("text", "tasks", "sample item"),
        ("text", "task", ""),
    ]
    # Saved: shown again when the page is opened again.
    assert _steps(KEPT)[-2:] == [("reload", "page", ""), ("text", "n", "2")]
    assert _steps(KEPT)[:3] == [("text", "n", "0"), ("click", "plus", ""), ("text", "n", "1")]
    (example,) = spec_pages(DOWN, {"index.html": "", "app.js": ""})
    assert example.kind == "page" and example.page == "index.html" and example.source == "spec"


def test_a_spec_that_says_too_little_gives_no_page_check():
    assert _steps("`python fizz.py N` prints the numbers 1 to N.", ("fizz.py",)) == []
    # Ids, but nothing a button does: the smoke check stays.
    assert _steps('A page with `<span id="clock">` and `<button id="go">`.') == []
    # "adds 1 item" is not a number going up; two numbers: which one is not guessed.
    assert (
        _steps(DOWN.replace("subtracts 1 from it", "adds 1 item")).count(("click", "down", "")) == 0
    )
    two = DOWN + ' `<p id="other">` starts at `3`.'
    assert ("click", "down", "") not in _steps(two)
    assert _steps(DOWN, ("a.html", "b.html")) == []  # which page: not guessed either


def test_a_huge_spec_gives_a_bounded_check_or_none():
    """Hostile input: a 100,000-character spec naming 1,500 elements is not read as one page's
    controls (it took 11 minutes before the cap); one naming a few, repeated, gives at most
    MAX_STEPS steps."""
    from smol_core.spec_reading.pages import MAX_ELEMENTS, MAX_STEPS

    def page_of(others: int) -> str:
        return '`<span id="n">` starts at `0`. `<button id="b">` adds 1 to it. ' + " ".join(
            f'`<p id="p{i}">`' for i in range(others)
        )

    assert spec_pages(page_of(MAX_ELEMENTS - 2), {"index.html": ""})
    assert spec_pages(page_of(MAX_ELEMENTS - 1), {"index.html": ""}) == []
    assert spec_pages(page_of(1500)[:100_000], {"index.html": ""}) == []
    few = ('`<span id="n">` starts at `0`. ' + "Then the `b` button adds 1 to it. " * 3000)[
        :100_000
    ]
    few = '`<button id="b">` ' + few
    (example,) = spec_pages(few, {"index.html": ""})
    assert len(example.steps) == MAX_STEPS


PAGE = (
    "<!doctype html><html><body><span id='n'>0</span><button id='plus'>+</button>"
    "<script src='app.js'></script></body></html>\n"
)
# Shown a moment after load and after each click, as a storage callback would.
SAVED = """const n = document.getElementById('n');
let count = Number(localStorage.getItem('n') || 0);
setTimeout(() => { n.textContent = count; }, 300);
document.getElementById('plus').onclick = () => {
  count += 1;
  localStorage.setItem('n', count);
  setTimeout(() => { n.textContent = count; }, 300);
};
"""


@isolated
@needs_browser
def test_a_page_check_waits_for_what_is_shown_late_and_reopens_the_page():
    examples = spec_pages(KEPT, {"index.html": "", "app.js": ""})
    [ok] = run_examples({"index.html": PAGE, "app.js": SAVED}, examples)
    assert ok.status == "pass", ok.reason
    forgets = SAVED.replace("Number(localStorage.getItem('n') || 0)", "0")
    [lost] = run_examples({"index.html": PAGE, "app.js": forgets}, examples)
    assert lost.status == "fail" and lost.reason.startswith("step 7 (text n)"), lost.reason
    assert 'expected "2", got "0"' in lost.reason
    assert lost.reached == 6  # a repair that gets further than this one is the better one
    # What a repair is told: the steps done, in words, up to the one that failed.
    assert "6. opened the page again (reloaded)\n7. #n should show '2': expected" in lost.detail
    assert lost.detail.startswith(
        "Opened index.html, then:\n1. #n should show '0'\n2. clicked #plus"
    )
    # `if (saved)` is false for 0: the first click saves 0 again, the second shows it.
    falsy = SAVED.replace("count += 1;", "count = count ? count + 1 : 0;")
    [zero] = run_examples({"index.html": PAGE, "app.js": falsy}, examples)
    assert zero.status == "fail" and 'expected "1", got "0"' in zero.reason, zero.reason
    assert zero.reached == 2 and ok.reached == 7


TODO_SPEC = """A to-do page in two files, `index.html` and `todo.js`. It has `<input id="new-item">`,
`<button id="add">` and `<ul id="items">`. Clicking the add button appends an `<li>` with the
input's text to the list, then clears the input."""
TODO_PAGE = (
    "<!doctype html><html><body><input id='new-item'><button id='add'>Add</button>"
    "<ul id='items'></ul><script src='todo.js'></script></body></html>\n"
)
KEEPS_TEXT = """document.getElementById('add').addEventListener('click', () => {
  const input = document.getElementById('new-item');
  const li = document.createElement('li');
  li.textContent = input.value.trim();
  document.getElementById('items').appendChild(li);
});
"""
CLEARS = KEEPS_TEXT.replace("appendChild(li);", "appendChild(li);\n  input.value = '';")
BRIEF = "- `index.html` — the page.\n- `todo.js` — adds the items.\n"


@isolated
@needs_browser
def test_a_page_written_back_unchanged_is_written_anew_from_the_failure_and_passes(make_server):
    """The 1.5B model, shown its script and told the input is not cleared, writes it back as it
    was. The next candidate is asked without the current version, sampled, and kept: it passes."""
    server = make_server(plan_text=BRIEF, files={"index.html": TODO_PAGE, "todo.js": CLEARS})
    server.add_fault(Fault.text(KEEPS_TEXT), kind="code", path="todo.js", times=2)
    settings = fast_settings(server.base_url, plan_style="brief", temperature=0.0)

    async def go():
        return [e async for e in events_of(lambda emit: run_all(TODO_SPEC, settings, emit))]

    events = asyncio.run(go())
    assert "examples" not in [r.kind for r in server.requests]  # read off the spec, no request
    heals = [e for e in events if isinstance(e, Healing)]
    assert [h.round for h in heals] == [1, 1]  # a round that changed nothing is tried anew
    assert 'step 4 (text new-item): expected "", got "sample item"' in heals[0].reasons[0]
    asks = [r for r in server.requests if r.kind == "code" and r.path == "todo.js"]
    assert [r.body.get("temperature") for r in asks] == [0.0, 0.0, 0.8]
    shown, fresh = (r.body["messages"][-1]["content"] for r in asks[1:])
    assert KEEPS_TEXT in shown and "This is the current version" in shown
    assert KEEPS_TEXT not in fresh and "An earlier version of this file was run" in fresh
    assert 'expected "", got "sample item"' in fresh
    from smol_core.project import Project

    project = Project(spec=TODO_SPEC)
    for event in events:
        project.apply(event)
    assert project.contents["todo.js"] == CLEARS
    assert project.examples_state() == "passing"
    assert [s for e in project.examples for s in e.steps][-1] == PageStep("text", "new-item", "")


@isolated
@needs_browser
def test_candidates_written_anew_are_tried_from_the_best_version_until_one_passes(make_server):
    """The first candidate written anew fails too (it throws): the project goes back to the best
    version and another is written, which passes; no more are asked for after it."""
    throws = KEEPS_TEXT.replace("const li", "undefinedThing();\n  const li")
    server = make_server(plan_text=BRIEF, files={"index.html": TODO_PAGE, "todo.js": CLEARS})
    server.add_fault(Fault.text(KEEPS_TEXT), kind="code", path="todo.js", times=2)
    server.add_fault(Fault.text(throws), kind="code", path="todo.js", times=1)
    settings = fast_settings(server.base_url, plan_style="brief", temperature=0.0)

    async def go():
        return [e async for e in events_of(lambda emit: run_all(TODO_SPEC, settings, emit))]

    events = asyncio.run(go())
    asks = [r for r in server.requests if r.kind == "code" and r.path == "todo.js"]
    assert [r.body.get("temperature") for r in asks] == [0.0, 0.0, 0.8, 0.8]
    assert all(KEEPS_TEXT not in r.body["messages"][-1]["content"] for r in asks[2:])
    went_back = [e for e in events if isinstance(e, FileDone) and e.fixed == (WENT_BACK,)]
    assert [e.content for e in went_back if e.path == "todo.js"] == [KEEPS_TEXT]
    from smol_core.project import Project

    project = Project(spec=TODO_SPEC)
    for event in events:
        project.apply(event)
    assert project.contents["todo.js"] == CLEARS and project.examples_state() == "passing"


@isolated
@needs_browser
def test_candidates_written_anew_that_do_no_better_leave_the_version_that_was_there(make_server):
    """Six candidates, three in each round, fail just as the first version does (a tie): none
    replaces it."""
    server = make_server(plan_text=BRIEF, files={"index.html": TODO_PAGE, "todo.js": CLEARS})
    server.add_fault(Fault.text(KEEPS_TEXT), kind="code", path="todo.js", times=2)
    for n in range(6):
        server.add_fault(
            Fault.text(f"// candidate {n}\n{KEEPS_TEXT}"), kind="code", path="todo.js", times=1
        )
    settings = fast_settings(server.base_url, plan_style="brief", temperature=0.0)

    async def go():
        return [e async for e in events_of(lambda emit: run_all(TODO_SPEC, settings, emit))]

    events = asyncio.run(go())
    asks = [r for r in server.requests if r.kind == "code" and r.path == "todo.js"]
    assert [r.body.get("temperature") for r in asks] == [0.0, 0.0] + [0.8] * 6
    from smol_core.project import Project

    project = Project(spec=TODO_SPEC)
    for event in events:
        project.apply(event)
    assert project.contents["todo.js"] == KEEPS_TEXT
    assert project.examples_state() == "failing"
    assert 'expected "", got "sample item"' in project.results[0].reason


KEYED = """A page, `index.html` and `app.js`. `<span id="n">` shows the number kept under the key `n`
in `localStorage`, or `0` before any is kept. `<button id="plus">` adds 1 to it."""


def test_the_storage_and_key_a_spec_names_are_checked_after_the_reload():
    assert _steps(KEYED)[-3:] == [
        ("reload", "page", ""),
        ("text", "n", "2"),
        ("stored", "localStorage:n", "2"),
    ]
    chrome = KEYED.replace(
        "under the key `n`\nin `localStorage`", "in `chrome.storage.local` under the key `clicks`"
    )
    assert _steps(chrome)[-1] == ("stored", "chrome.storage.local:clicks", "2")
    assert ("stored", "localStorage:n", "2") not in _steps(KEPT)  # no key named: not guessed


@isolated
@needs_browser
def test_a_number_shown_again_from_another_key_fails_the_stored_step():
    examples = spec_pages(KEYED, {"index.html": "", "app.js": ""})
    [ok] = run_examples({"index.html": PAGE, "app.js": SAVED}, examples)
    assert ok.status == "pass", ok.reason
    elsewhere = SAVED.replace("Item('n'", "Item('count'")
    [wrong] = run_examples({"index.html": PAGE, "app.js": elsewhere}, examples)
    assert wrong.status == "fail" and wrong.reached == 7, wrong.reason
    assert 'localStorage holds nothing under the key "n", expected "2"' in wrong.reason
    assert "8. localStorage should hold '2' under the key 'n'" in wrong.detail
    chrome = spec_pages(
        KEYED.replace("in `localStorage`", "in `chrome.storage.local`"),
        {"index.html": "", "app.js": ""},
    )
    [page] = run_examples({"index.html": PAGE, "app.js": SAVED}, chrome)
    assert "chrome.storage.local is not available on this page" in page.reason
    # A storage whose get never calls back fails the step, not the whole run.
    silent = "window.chrome = {storage: {local: {get() {}, set() {}}}};\n" + SAVED
    [late] = run_examples({"index.html": PAGE, "app.js": silent}, chrome)
    assert "chrome.storage.local did not answer when read (2 s)" in late.reason, late.reason


def test_a_page_past_its_first_steps_has_its_script_rewritten_not_the_page():
    from smol_core.records import ExampleResult
    from smol_core.steps.heal import heal_targets

    files = {"index.html": TODO_PAGE, "todo.js": KEEPS_TEXT}
    late = ExampleResult(
        "p",
        "fail",
        'step 4 (text new-item): expected "", got "sample item"',
        files=("index.html",),
        reached=3,
    )
    assert list(heal_targets([late], files, None)) == ["todo.js"]
    early = ExampleResult(
        "p",
        "fail",
        "step 1 (fill new-item): the page has no element",
        files=("index.html",),
        reached=0,
    )
    assert list(heal_targets([early], files, None)) == ["todo.js", "index.html"]
    missing = ExampleResult(
        "p",
        "fail",
        "step 3 (click #go): the page has no element #go",
        files=("index.html",),
        reached=2,
    )
    assert list(heal_targets([missing], files, None)) == ["todo.js", "index.html"]


COUNT = """A page, `index.html`, with a `<textarea id="text">` and a `<span id="count">`. As the
person types, the span shows how many characters are in the textarea. It starts at `0`.
Typing `hello` makes it show `5`."""
SHOUT = """A page `index.html`: `<input id="word">`, `<button id="go">` and `<p id="out">`.
Typing `hi` and clicking the go button shows `HI!` in `#out`."""


def test_what_typing_makes_the_page_show_is_a_step_and_it_refers_back():
    assert _steps(COUNT, ("index.html",)) == [
        ("text", "count", "0"),
        ("fill", "text", "hello"),
        ("text", "count", "5"),
    ]
    assert _steps(SHOUT, ("index.html",)) == [
        ("fill", "word", "hi"),
        ("click", "go", ""),
        ("text", "out", "HI!"),
    ]
    # "clicking it": the button spoken of last; none spoken of and two on the page: not guessed.
    stop = SHOUT.replace('`<button id="go">`', '`<button id="go">`, `<button id="stop">`')
    again = stop + " Typing `yo` and clicking it shows `YO!`."
    assert _steps(again, ("index.html",))[3:] == [
        ("fill", "word", "yo"),
        ("click", "go", ""),
        ("text", "out", "YO!"),
    ]
    assert _steps(stop.replace(" the go button", " it"), ("index.html",)) == []
    # The element named right before "show"; a click said anywhere in the sentence.
    two = (
        'A page: `<textarea id="t">`, `<span id="chars">`, `<span id="words">`. Typing '
        '`hello world` makes the `<span id="chars">` show `11` and `<span id="words">` `2`.'
    )
    assert _steps(two, ("index.html",)) == [("fill", "t", "hello world"), ("text", "chars", "11")]
    after = SHOUT.replace(
        "Typing `hi` and clicking the go button shows `HI!` in `#out`.",
        "Type `hi` and `#out` says `HI!` after clicking.",
    )
    assert _steps(after, ("index.html",)) == [
        ("fill", "word", "hi"),
        ("click", "go", ""),
        ("text", "out", "HI!"),
    ]
    # Two inputs and no word of which: not guessed.
    two = SHOUT.replace('`<input id="word">`', '`<input id="word">`, `<input id="more">`')
    assert _steps(two, ("index.html",)) == []


KEYUP = """<textarea id="text"></textarea><span id="count">0</span><script>
const t = document.getElementById('text');
t.addEventListener('keyup', () => { document.getElementById('count').textContent = t.value.length; });
</script>"""


@isolated
@needs_browser
def test_a_page_that_reads_its_field_on_a_key_passes_what_typing_shows():
    found = spec_pages(COUNT, {"index.html": KEYUP})
    [result] = run_examples({"index.html": KEYUP}, found)
    assert result.status == "pass", result.reason
    change = KEYUP.replace("'keyup'", "'change'")  # shown when the field is left
    assert run_examples({"index.html": change}, found)[0].status == "pass"
    dead = KEYUP.replace("t.value.length", "0")
    assert run_examples({"index.html": dead}, found)[0].status == "fail"


NOTE = """A Chrome extension: `manifest.json`, `popup.html`, `popup.js`. The popup has a
`<textarea id="note">` and a `<button id="save">`. Clicking the save button stores the
textarea's text in `chrome.storage.local` under the key `note`. When the popup opens again, the
textarea shows the saved note."""


def test_text_a_spec_says_is_saved_is_typed_saved_and_there_again_after_a_reload():
    assert _steps(NOTE, ("popup.html", "popup.js")) == [
        ("fill", "note", "sample item"),
        ("click", "save", ""),
        ("reload", "page", ""),
        ("text", "note", "sample item"),
        ("stored", "chrome.storage.local:note", "sample item"),
    ]
    # Said to be empty when the page opens again: not what was saved.
    for told in (
        "the textarea is empty and the saved notes are listed",
        "the textarea shows nothing (it is empty) and the saved notes are listed",
    ):
        emptied = NOTE.replace("the\ntextarea shows the saved note", told)
        assert _steps(emptied, ("popup.html", "popup.js")) == [], told
    # Saved but never said to show again: nothing to check after a reload.
    assert _steps(NOTE.split(" When")[0], ("popup.html", "popup.js")) == []
