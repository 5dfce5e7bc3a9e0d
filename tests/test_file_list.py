"""The file-list step: structured output, its fallback chain, memory, tolerant parsing."""

from __future__ import annotations

import asyncio

import pytest

from smol_core.errors import FileListError
from smol_core.model.client import open_client
from smol_core.records import FileSpec
from smol_core.steps.file_list import parse_file_list, remembered_mode, specify_files
from tests.conftest import PLAN, fast_settings
from tests.scripted_server import Fault


def _ask(server, **overrides):
    settings = fast_settings(server.base_url, **overrides)

    async def go():
        async with open_client(settings) as client:
            return await specify_files(client, settings, "a greeter", PLAN)

    return asyncio.run(go()), settings


def _modes_sent(server, since: int = 0) -> list[str]:
    out = []
    for r in server.requests[since:]:
        if "response_format" in r.body:
            out.append("json_schema")
        elif "tools" in r.body:
            out.append("tool")
        else:
            out.append("text")
    return out


def test_json_schema_first(server):
    result, settings = _ask(server)
    assert [f.path for f in result.files] == ["main.py", "util.py"]
    assert result.mode == "json_schema"
    assert _modes_sent(server) == ["json_schema"]
    schema = server.requests[0].body["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert remembered_mode(settings) == "json_schema"


def test_rejected_json_schema_falls_back_to_a_forced_tool_call(make_server):
    server = make_server(json_schema="reject")
    result, settings = _ask(server)
    assert result.mode == "tool"
    assert _modes_sent(server) == ["json_schema", "tool"]
    assert server.requests[1].body["tool_choice"]["function"]["name"] == "save_file_list"


def test_llamacpp_style_server_is_read_from_the_content_of_a_tool_request(make_server):
    # Rejects json_schema, writes its "tool call" as fenced JSON in content, like small local
    # models: the tool request's reply is parsed from its text, no third request needed.
    server = make_server(json_schema="reject", tools="ignore")
    result, settings = _ask(server)
    assert [f.path for f in result.files] == ["main.py", "util.py"]
    assert result.mode == "tool"
    assert _modes_sent(server) == ["json_schema", "tool"]


def test_a_server_with_no_structured_output_ends_in_text_parse(make_server):
    server = make_server(json_schema="reject", tools="reject")
    result, settings = _ask(server)
    assert [f.path for f in result.files] == ["main.py", "util.py"]
    assert result.mode == "text"
    assert _modes_sent(server) == ["json_schema", "tool", "text"]
    assert remembered_mode(settings) == "text"


def test_what_worked_is_remembered_per_endpoint_and_model(make_server):
    server = make_server(json_schema="reject")
    _ask(server)
    seen = len(server.requests)
    result, settings = _ask(server)
    assert result.mode == "tool"
    assert _modes_sent(server, seen) == ["tool"]  # straight there, no failed json_schema first
    other, _ = _ask(server, model="another-model")
    assert other.mode == "tool" and _modes_sent(server, seen + 1) == ["json_schema", "tool"]


def test_garbage_every_time_is_one_clear_error(server):
    server.add_fault(Fault.malformed(), kind="file_list", times=None)
    with pytest.raises(FileListError) as info:
        _ask(server)
    message = str(info.value)
    assert "did not give a usable file list" in message
    assert "json_schema" in message and "tool" in message and "text" in message


def test_garbage_once_then_a_good_list_via_the_next_mode(server):
    server.add_fault(Fault.malformed(), kind="file_list", times=1)
    result, _ = _ask(server)
    assert result.mode == "tool"


def test_unsafe_paths_from_the_model_are_rejected_with_reasons(server):
    hostile = '{"files": [{"path": "../../etc/passwd", "purpose": "x"}, {"path": "/abs.py", "purpose": ""}, {"path": "ok.py", "purpose": "fine"}, {"path": "OK.py", "purpose": "dup"}]}'
    server.add_fault(Fault.text(hostile), kind="file_list", times=1)
    result, _ = _ask(server)
    assert [f.path for f in result.files] == ["ok.py"]
    assert result.files[0].purpose == "fine"
    reasons = {r.path: r.reason for r in result.rejected}
    assert set(reasons) == {"../../etc/passwd", "/abs.py", "OK.py"}
    assert all(reasons.values())


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('{"files": [{"path": "a.py", "purpose": "x"}]}', ["a.py"]),
        ('["a.py", "b/c.js"]', ["a.py", "b/c.js"]),
        ('Sure! Here it is:\n```json\n{"files": ["a.py"]}\n```\nEnjoy.', ["a.py"]),
        ('{"file_paths": ["x.html", "y.css"]}', ["x.html", "y.css"]),
        (
            '{"name": "save_file_list", "arguments": {"files": [{"path": "m.py", "purpose": "p"}]}}',
            ["m.py"],
        ),
        (
            "- `index.html`: the page\n- `app.js` - logic\n- Makefile",
            ["index.html", "app.js", "Makefile"],
        ),
        ("1. src/main.py\n2. README.md", ["src/main.py", "README.md"]),
        ('["files", "a.py"]', ["a.py"]),  # a JSON key is not a file name
        ("", []),
        ("I cannot help with that.", []),
    ],
)
def test_parse_file_list_is_tolerant(raw, expected):
    assert [p for p, _ in parse_file_list(raw)] == expected


BRIEF_PLAN = """- `notes.py` — the entry point: `python notes.py add TEXT` adds a note.
- `storage.py`: load_notes() and save_notes(notes), in notes.json.
- `../evil.py` — outside the project.
- Shared names: notes are strings; `python notes.py list` prints them numbered.
- Run: `python notes.py list`."""


def test_a_brief_plan_lists_its_files_without_a_request(server):
    from smol_core.events import FileListDone
    from smol_core.steps.file_list import files_in_plan, make_file_list

    assert files_in_plan(BRIEF_PLAN)[:2] == [
        ("notes.py", "the entry point: `python notes.py add TEXT` adds a note."),
        ("storage.py", "load_notes() and save_notes(notes), in notes.json."),
    ]
    settings = fast_settings(server.base_url, plan_style="brief")
    events: list = []
    listed = asyncio.run(make_file_list("notes", BRIEF_PLAN, settings, events.append))
    assert [f.path for f in listed.files] == ["notes.py", "storage.py"]
    assert [r.path for r in listed.rejected] == ["../evil.py"]  # checked like any list
    assert listed.mode == "plan" and server.requests == []
    assert [type(e) for e in events] == [FileListDone]

    # A line that names no file (a function in backticks) means the plan is not in that
    # shape: the list is asked for, as with a full plan.
    odd = BRIEF_PLAN + "\n- `load_notes()` — reads the file."
    assert files_in_plan(odd) == []
    listed = asyncio.run(make_file_list("notes", odd, settings))
    assert [f.path for f in listed.files] == ["main.py", "util.py"]
    full = asyncio.run(make_file_list("notes", BRIEF_PLAN, fast_settings(server.base_url)))
    assert full.mode != "plan" and len(server.requests) == 2


def test_files_the_description_rules_out_are_taken_off_with_the_reason(make_server):
    from smol_core.steps.file_limits import spec_file_limits
    from smol_core.steps.file_list import make_file_list

    def paths(files):
        return [f.path for f in files]

    listed = [FileSpec(p, "") for p in ("counter.py", "wc.py", "index.html", "app.js")]
    two = "A tool in two files. `counter.py` counts; `wc.py` is run as `python wc.py PATH`."
    kept, rejected = spec_file_limits(two, listed)
    assert paths(kept) == ["counter.py", "wc.py"]
    assert [r.reason for r in rejected] == [
        "the description asks for exactly these 2 files: counter.py, wc.py"
    ] * 2
    # No count said: the named files are not all there is; but no page was asked for.
    kept, rejected = spec_file_limits(two.replace(" in two files", ""), listed)
    assert paths(kept) == ["counter.py", "wc.py"]
    assert {r.reason for r in rejected} == {"the description asks for no web page"}
    # A page asked for, or a count that is not the files named: nothing is taken off.
    assert spec_file_limits("A web page with a counter.", listed) == (listed, [])
    assert spec_file_limits("In three files: `a.py` and `b.py`.", listed[:2]) == (listed[:2], [])
    only_web = [FileSpec("index.html", ""), FileSpec("app.js", "")]
    assert spec_file_limits("A counter that counts.", only_web) == (only_web, [])

    server = make_server(files={"counter.py": "", "wc.py": "", "index.html": ""})
    result = asyncio.run(make_file_list(two, "the plan", fast_settings(server.base_url)))
    assert paths(result.files) == ["counter.py", "wc.py"]
    assert [r.path for r in result.rejected] == ["index.html"]


def test_code_files_named_by_the_description_are_all_of_their_kind():
    from smol_core.steps.file_limits import spec_file_limits

    def limited(spec, *paths):
        kept, rejected = spec_file_limits(spec, [FileSpec(p, "") for p in paths])
        return [f.path for f in kept], {r.path: r.reason for r in rejected}

    roman = "A command-line program `roman.py`: `python roman.py 4` prints `IV`."
    assert limited(roman, "roman.py", "convert.py", "is_valid.py", "README.md") == (
        ["roman.py", "README.md"],
        dict.fromkeys(
            ("convert.py", "is_valid.py"),
            "the description names its Python files (roman.py), no others",
        ),
    )
    page = "A page `index.html` with a script `greet.js`: a button shows a greeting."
    assert limited(page, "index.html", "greet.js", "utils.js", "style.css")[0] == [
        "index.html",
        "greet.js",
        "style.css",
    ]
    # Parts it does not name, or a named file the list lacks: nothing is taken off.
    assert limited(roman + " Its helpers go in modules.", "roman.py", "convert.py")[1] == {}
    assert limited(roman, "main.py", "convert.py")[1] == {}
    # Words about what it may import are not about its files.
    stats = "A Python module `stats.py` (no third-party packages) with `mean` and `median`."
    assert limited(stats, "stats.py", "mean.py", "__all__.py")[0] == ["stats.py"]
    assert limited(stats.replace("no third-party", "standard-library"), "stats.py", "mean.py")[
        0
    ] == ["stats.py"]
    assert limited(stats + " Helpers go in `util` files.", "stats.py", "mean.py")[1] == {}
    # A file the description runs is one it names.
    runs = "`conversions.py` defines `c_to_f`; `python convert.py 100` prints `212.0`."
    assert limited(runs, "conversions.py", "convert.py", "util.py")[0] == [
        "conversions.py",
        "convert.py",
    ]
    # A Node program's JavaScript is no page's: the page goes, the script stays.
    node = "A Node.js script `vowels.js`: `node vowels.js Hello World` prints `3`."
    assert limited(node, "vowels.js", "index.html") == (
        ["vowels.js"],
        {"index.html": "the description asks for no web page"},
    )


def test_plan_items_about_a_code_file_the_list_lacks_are_not_shown_to_the_model(make_server):
    from smol_core.prompts import plan_for_files
    from smol_core.runs import run_all
    from tests.scripted_server import message_text

    plan = (
        "- `index.html` — the page; loads `todo.js`.\n"
        "- `todo.js` — the script; uses `trimText` from `utils.js`.\n"
        "- `utils.js` — helpers.\n"
        "- `styles.css` — looks.\n"
        "Items are saved in `items.json`; `todo.js` keeps them.\n"
        "- `todo.js` writes `items.json`."
    )
    listed = [FileSpec("index.html", ""), FileSpec("todo.js", "")]
    assert plan_for_files(plan, listed) == (
        "- `index.html` — the page; loads `todo.js`.\n"
        "- `todo.js` — the script.\n"
        "Items are saved in `items.json`; `todo.js` keeps them.\n"
        "- `todo.js` writes `items.json`."
    )  # prose and data files stay; the plan itself is the person's and is not changed
    assert plan_for_files(plan, [*listed, FileSpec("utils.js"), FileSpec("styles.css")]) == plan

    spec = (
        "A to-do page in two files: `index.html` and `todo.js`, loaded with "
        '`<script src="todo.js">`. A button `#add` adds an item.'
    )
    page = '<html><body><button id="add">+</button><script src="todo.js"></script></body></html>'
    srv = make_server(
        plan_text=plan,
        files={"index.html": page, "todo.js": "let n = 0;\n", "utils.js": "", "styles.css": ""},
    )
    settings = fast_settings(srv.base_url, plan_style="brief", run_examples=False)
    project = asyncio.run(run_all(spec, settings))
    assert project.plan == plan and sorted(project.contents) == ["index.html", "todo.js"]
    assert {r.path for r in project.rejected} == {"utils.js", "styles.css"}
    asked = [r for r in srv.requests if r.kind == "code"]
    assert sorted(r.path for r in asked) == ["index.html", "todo.js"]
    for request in asked:
        text = "\n".join(message_text(m.get("content")) for m in request.body["messages"])
        assert "utils.js" not in text and "styles.css" not in text, request.path
        assert "- `todo.js` — the script.\n" in text and "| `todo.js` | the script. |" in text
        assert "- `index.html` — the page; loads `todo.js`." in text


def test_a_kind_of_file_listed_as_a_file_is_taken_off_with_the_reason():
    from smol_core.steps.file_list import _checked

    files, rejected = _checked(
        [
            ("textstats.py", ""),
            ("html", ""),
            ("css", ""),
            ("js", ""),
            ("Makefile", ""),
            ("web/static", ""),
        ],
        20,
    )
    assert [f.path for f in files] == ["textstats.py", "Makefile"]
    assert {r.path: r.reason for r in rejected} == dict.fromkeys(
        ("html", "css", "js", "web/static"), "names a kind of file or a folder, not a file"
    )
