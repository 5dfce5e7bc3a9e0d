"""Fixes without the model, the page-script checks they fix, and the context a repair sees."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys

import pytest

from smol_core.events import ChecksDone, FileDone
from smol_core.fixes.autofix import autofix
from smol_core.quality.checks import check_project
from smol_core.runs import run_all
from smol_core.steps.repair import related_files, repair_instruction
from tests.conftest import fast_settings
from tests.scripted_server import Fault

STATS = "def summarize(numbers):\n    return {'min': min(numbers), 'max': max(numbers)}\n"


def fixed(files: dict[str, str], plan: str = "") -> tuple[dict[str, str], dict]:
    """The files after one round of autofix of their findings, and the fixes made."""
    report = check_project(files, plan)
    fixes = autofix(files, report.findings)
    return {**files, **{p: f.content for p, f in fixes.items()}}, fixes


def run(folder, script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, script, *args], cwd=folder, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# ------------------------------------------------------------------------------------ Python
def test_a_name_from_another_file_gets_its_import_and_the_program_runs(tmp_path):
    files = {
        "mathstats.py": STATS,
        "stats.py": '"""Entry."""\nimport sys\n\nprint(summarize([int(a) for a in sys.argv[1:]]))\n',
    }
    after, fixes = fixed(files, plan="Run `python stats.py 3 1 2`.")
    assert fixes["stats.py"].changes == ("added `from mathstats import summarize`",)
    assert after["stats.py"].startswith(
        '"""Entry."""\nimport sys\nfrom mathstats import summarize\n'
    )
    assert check_project(after, "Run `python stats.py 3 1 2`.").clean
    for path, text in after.items():
        (tmp_path / path).write_text(text)
    assert run(tmp_path, "stats.py", "3", "1", "2").strip() == "{'min': 1, 'max': 3}"


def test_a_forgotten_standard_module_is_imported_after_a_shebang():
    after, fixes = fixed({"tool.py": "#!/usr/bin/env python3\nprint(len(sys.argv))\n"})
    assert after["tool.py"] == "#!/usr/bin/env python3\nimport sys\nprint(len(sys.argv))\n"
    assert check_project(after).clean


def test_a_main_that_is_never_called_gets_called(tmp_path):
    plan = "Run it with `python hello.py`."
    after, fixes = fixed({"hello.py": "def main():\n    print('hi')\n"}, plan)
    assert fixes["hello.py"].changes == ('added `if __name__ == "__main__": main()`',)
    assert check_project(after, plan).clean
    (tmp_path / "hello.py").write_text(after["hello.py"])
    assert run(tmp_path, "hello.py") == "hi\n"


def test_uncertain_cases_are_left_to_the_model():
    files = {
        # `main` needs an argument: what to pass is not mechanical.
        "a.py": "def main(numbers):\n    print(numbers)\n",
        # `helper` is defined in two files: which one is meant is not mechanical.
        "b.py": "print(helper())\n",
        "c.py": "def helper():\n    return 1\n",
        "d.py": "def helper():\n    return 2\n",
        # `path` is no standard module used as a module here.
        "e.py": "print(path)\n",
    }
    report = check_project(files, "Run `python a.py` or `python b.py`.")
    assert report.findings["a.py"] and report.findings["b.py"] and report.findings["e.py"]
    assert autofix(files, report.findings) == {}


def test_an_import_that_would_make_a_cycle_is_not_added():
    files = {"a.py": "import b\n\nx = 1\nprint(y)\n", "b.py": "import a\n\ny = a.x\n"}
    assert autofix(files, check_project(files).findings) == {}


# -------------------------------------------------------------------------------------- pages
def test_a_script_the_page_never_loads_is_found_and_added():
    files = {
        "index.html": "<html><body><button id='go'>Go</button></body></html>",
        "app.js": "document.getElementById('go').addEventListener('click', () => {});\n",
    }
    report = check_project(files)
    [finding] = report.findings["index.html"]
    assert finding.kind == "script-unloaded" and finding.target == "app.js"
    after, fixes = fixed(files)
    assert '<script src="app.js"></script>\n</body>' in after["index.html"]
    assert check_project(after).clean


def test_a_script_loaded_before_its_elements_exist_gets_defer():
    page = (
        '<html><head><script src="app.js"></script></head>'
        '<body><button id="go">Go</button></body></html>'
    )
    files = {"index.html": page, "app.js": "document.getElementById('go').onclick = () => {};\n"}
    [finding] = check_project(files).findings["index.html"]
    assert finding.kind == "script-early" and "`#go`" in finding.message
    after, _ = fixed(files)
    assert '<script defer src="app.js">' in after["index.html"]
    assert check_project(after).clean


def test_scripts_that_wait_for_the_page_or_belong_elsewhere_are_fine():
    early = '<html><head><script src="app.js"></script></head><body><b id="x"></b></body></html>'
    waits = "document.addEventListener('DOMContentLoaded', () => document.getElementById('x'));"
    assert check_project({"index.html": early, "app.js": waits}).clean
    # A node script, and a content script named by a manifest, are not the page's to load.
    files = {
        "index.html": "<html><body><b id='x'></b></body></html>",
        "server.js": "const fs = require('fs');\nconsole.log(document.title);\n",
    }
    assert check_project(files).clean
    ext = {
        "manifest.json": '{"manifest_version": 3, "name": "n", "version": "1", '
        '"content_scripts": [{"matches": ["<all_urls>"], "js": ["content.js"]}], '
        '"action": {"default_popup": "popup.html"}}',
        "popup.html": "<html><body><b id='x'></b><script src='popup.js'></script></body></html>",
        "popup.js": "document.getElementById('x').textContent = '1';\n",
        "content.js": "document.body.style.border = '1px solid red';\n",
    }
    assert check_project(ext).clean


# ------------------------------------------------------------------------- in the pipeline
def test_the_run_fixes_mechanical_findings_without_asking_the_model(make_server):
    broken = "def main():\n    print(greet('world'))\n"  # no import, and main never called
    srv = make_server(
        plan_text="# Plan\n\nRun `python main.py`; `util.py` defines `greet`.\n",
        files={"main.py": broken, "util.py": "def greet(name):\n    return 'hi ' + name\n"},
    )
    events: list = []
    project = asyncio.run(run_all("a greeter", fast_settings(srv.base_url), events.append))
    assert project.contents["main.py"] == (
        "from util import greet\ndef main():\n    print(greet('world'))\n\n\n"
        'if __name__ == "__main__":\n    main()\n'
    )
    assert project.check_status("main.py") == "repaired"
    [fix] = [e for e in events if isinstance(e, FileDone) and e.fixed]
    assert fix.path == "main.py" and len(fix.fixed) == 2
    # Each file asked for once (in either order: they are written concurrently), no repair.
    assert sorted(r.path for r in srv.requests if r.kind == "code") == ["main.py", "util.py"]
    assert [e.round for e in events if isinstance(e, ChecksDone)] == [0, 1]


def test_a_model_repair_sees_the_files_the_broken_one_works_with(make_server):
    srv = make_server(
        plan_text="# Plan\n\nRun `python main.py`.\n",
        files={
            "main.py": "from util import greet\nprint(greet('x'))\n",
            "util.py": "def greet(name):\n    return 'hi ' + name\n",
        },
    )
    srv.add_fault(
        Fault.text("from util import great\nprint(great('x'))\n"),
        kind="code",
        path="main.py",
        times=1,
    )
    project = asyncio.run(run_all("a greeter", fast_settings(srv.base_url)))
    assert project.check_status("main.py") == "repaired"
    [_, repair] = [r for r in srv.requests if r.path == "main.py"]
    ask = repair.body["messages"][-1]["content"]
    assert "`great`" in ask and "`util.py`:\n\ndef greet(name):" in ask


def test_related_files_both_ways_and_the_size_cap():
    from smol_core.project import Project
    from smol_core.records import FileSpec

    files = {
        "index.html": "<script src='app.js'></script>",
        "app.js": "let a;\n",
        "style.css": "b {}\n",
        "notes.md": "app.js",
    }
    project = Project("spec", files=[FileSpec(p) for p in files], contents=dict(files))
    assert related_files(project, "index.html") == {"app.js": "let a;\n"}
    assert related_files(project, "app.js") == {"index.html": files["index.html"]}
    huge = {"big.py": "x = 1\n" * 5000}
    text = repair_instruction([], related=huge)
    assert "big.py" not in text


def test_import_or_export_in_a_plain_page_script_is_found():
    js = "export function up() { return 1; }\ndocument.getElementById('go').onclick = up;\n"
    body = "<html><body><button id='go'></button><script {}src='app.js'></script></body></html>"
    [f] = check_project({"index.html": body.format(""), "app.js": js}).findings["app.js"]
    assert f.kind == "script-module" and f.line == 1 and "`export`" in f.message
    # Loaded as a module, or only calling dynamic import(): no finding.
    assert check_project({"index.html": body.format("type='module' "), "app.js": js}).clean
    dynamic = "import('./x.js');\ndocument.getElementById('go');\n"
    assert check_project({"index.html": body.format(""), "app.js": dynamic}).clean


def test_functions_left_empty_are_found_in_python_and_javascript():
    py = (
        'def f():\n    """Do it."""\n    pass\n\ndef g(): ...\n\n'
        "class Base:\n    def hook(self):\n        pass\n\ndef h():\n    return 1\n"
    )
    found = check_project({"a.py": py}).findings["a.py"]
    assert [(f.kind, f.target, f.line) for f in found] == [("stub", "f", 1), ("stub", "g", 5)]
    js = "function add() {\n  // adds an item\n}\nfunction ok(a) { return a; }\nfunction b() {/* x */}\n"
    found = check_project({"a.js": js}).findings["a.js"]
    assert [(f.kind, f.target, f.line) for f in found] == [("stub", "add", 1), ("stub", "b", 5)]


def test_extension_inline_code_and_redeclared_browser_globals_are_found():
    manifest = '{"manifest_version": 3, "name": "n", "version": "1", "action": {"default_popup": "popup.html"}}'
    page = (
        "<html><body><button id='b' onclick='go()'>x</button>"
        "<script src='popup.js'></script></body></html>"
    )
    js = "const document = window.document;\ndocument.getElementById('b');\n"
    report = check_project({"manifest.json": manifest, "popup.html": page, "popup.js": js})
    assert [f.kind for f in report.findings["popup.html"]] == ["inline-script"]
    assert [(f.kind, f.line) for f in report.findings["popup.js"]] == [("js-global", 1)]
    # The same inline handler on an ordinary web page is allowed.
    assert check_project({"index.html": page, "popup.js": "document.title = 'x';\n"}).clean


def test_a_script_function_or_class_nothing_uses_is_found():
    server = (
        "import http.server\n\nclass Health(http.server.BaseHTTPRequestHandler):\n    pass\n\n"
        "class Add(http.server.BaseHTTPRequestHandler):\n    pass\n\n"
        "def run():\n    http.server.HTTPServer(('', 8000), Health).serve_forever()\n\n"
        "if __name__ == '__main__':\n    run()\n"
    )
    found = check_project({"server.py": server}, "Start it with `python server.py`.").findings
    assert [(f.kind, f.target, f.line) for f in found["server.py"]] == [("unused", "Add", 6)]
    # A module's functions are its API (not a run target), and a name another file uses counts.
    lib = {
        "lib.py": "def slugify(t):\n    return t\n",
        "tool.py": "import lib\nprint(lib.slugify('x'))\n",
    }
    assert check_project(lib, "Run `python tool.py`; `lib.py` is also a library.").clean
    page = (
        "<html><body><button id='b' onclick='later()'></button>"
        "<script src='app.js'></script></body></html>"
    )
    js = (
        "function add() { return 1; }\nfunction later() { return 2; }\n"
        "function used() { return 3; }\ndocument.getElementById('b').onclick = used;\n"
    )
    found = check_project({"index.html": page, "app.js": js}).findings
    assert [(f.kind, f.target) for f in found["app.js"]] == [("unused", "add")]


def test_an_extension_using_storage_without_the_permission_gets_it():
    manifest = (
        '{"manifest_version": 3, "name": "n", "version": "1", "permissions": ["tabs"],\n'
        ' "action": {"default_popup": "popup.html"}}'
    )
    files = {
        "manifest.json": manifest,
        "popup.html": "<html><body><b id='n'></b><script src='popup.js'></script></body></html>",
        "popup.js": "chrome.storage.local.get('clicks', r => {\n"
        "  document.getElementById('n').textContent = r.clicks || 0;\n});\n",
    }
    [f] = check_project(files).findings["manifest.json"]
    assert f.kind == "permission" and f.target == "storage"
    after, fixes = fixed(files)
    assert json.loads(after["manifest.json"])["permissions"] == ["tabs", "storage"]
    assert fixes["manifest.json"].changes == ('added the `"storage"` permission',)
    assert check_project(after).clean


def test_a_file_added_as_missing_is_checked_with_the_page_that_loads_it(make_server):
    from smol_core.runs import add_missing_files

    # An extension whose file list forgot the popup's script: once the script is written, the
    # page loads it too early and the manifest lacks the permission the script needs.
    page = (
        '<html><head><script src="app.js"></script></head>'
        '<body><button id="go">Go</button></body></html>'
    )
    manifest = (
        '{"manifest_version": 3, "name": "n", "version": "1", '
        '"action": {"default_popup": "index.html"}}'
    )
    script = (
        "chrome.storage.local.get('n', () => {});\n"
        "document.getElementById('go').onclick = () => chrome.storage.local.set({n: 1});\n"
    )
    srv = make_server(
        plan_text="# Plan\n\n`index.html` and `app.js`.\n",
        files={"manifest.json": manifest, "index.html": page, "app.js": script},
    )
    listed = [{"path": "manifest.json", "purpose": "m"}, {"path": "index.html", "purpose": "p"}]
    srv.add_fault(Fault.text(json.dumps({"files": listed})), kind="file_list", times=1)
    settings = fast_settings(srv.base_url)

    async def go():
        project = await run_all("an extension with a popup page", settings)  # not a bare page
        assert [f.kind for f in project.findings["index.html"]] == ["missing-file"]
        return project, await add_missing_files(project, settings)

    project, added = asyncio.run(go())
    assert added == ["app.js"] and project.paths == ["manifest.json", "index.html", "app.js"]
    assert '<script defer src="app.js">' in project.contents["index.html"]
    assert json.loads(project.contents["manifest.json"])["permissions"] == ["storage"]
    assert not any(project.findings.values()), project.findings
    assert project.check_status("index.html") == project.check_status("manifest.json") == "repaired"
    code = [r.path for r in srv.requests if r.kind == "code"]  # the first two run at once
    assert sorted(code[:2]) == ["index.html", "manifest.json"] and code[2:] == ["app.js"]


def test_a_page_reference_to_a_file_the_list_took_off_is_removed():
    page = (
        '<html><head>\n  <link rel="stylesheet" href="./styles.css">\n'
        '  <link rel="icon" href="favicon.png">\n</head>\n<body>\n  <ul id="items"></ul>\n'
        "  <script src=\"todo.js\"></script>\n  <script src='helpers.js'></script>\n"
        "</body></html>\n"
    )
    files = {"index.html": page, "todo.js": "document.getElementById('items');\n"}
    report = check_project(files)
    missing = {f.target for f in report.findings["index.html"] if f.kind == "missing-file"}
    assert missing == {"styles.css", "helpers.js"}
    # Only what the list ruled out goes; a missing file nobody ruled out is still offered.
    fixes = autofix(files, report.findings, ruled_out={"styles.css"})
    text = fixes["index.html"].content
    assert "styles.css" not in text and "helpers.js" in text and 'src="todo.js"' in text
    assert "favicon.png" in text and text.count("\n") == page.count("\n") - 1
    assert "removed the reference to `styles.css`" in fixes["index.html"].changes[0]
    assert autofix(files, report.findings) == {}
    both = autofix(files, report.findings, ruled_out={"styles.css", "helpers.js"})
    again = check_project({**files, "index.html": both["index.html"].content})
    assert not again.findings.get("index.html")


def test_the_run_removes_a_link_to_a_file_the_description_left_out(make_server):
    page = (
        '<html><head><link rel="stylesheet" href="styles.css"></head>\n<body>\n'
        '<span id="total">0</span>\n<script src="todo.js"></script>\n</body></html>\n'
    )
    srv = make_server(
        plan_text="# Plan\n\n`index.html` loads `styles.css` and `todo.js`.\n",
        files={
            "index.html": page,
            "todo.js": "document.getElementById('total');\n",
            "styles.css": "body { margin: 0; }\n",
        },
    )
    spec = "A to-do page in two files: `index.html` and `todo.js`."
    settings = fast_settings(srv.base_url, run_examples=False)
    project = asyncio.run(run_all(spec, settings))
    assert [r.path for r in project.rejected] == ["styles.css"]
    assert "styles.css" not in project.contents["index.html"]
    assert not project.findings.get("index.html")
    assert "removed the reference to `styles.css`" in project.fixed["index.html"][0]
    # Fixed without the model: each file asked for once.
    assert sorted(r.path for r in srv.requests if r.kind == "code") == ["index.html", "todo.js"]


def test_a_const_assigned_again_is_found_and_declared_with_let(tmp_path):
    script = (
        "const items = [];\nconst count = 0;\n"
        "function add(text) {\n  const item = text;\n  item = item.trim();\n  items.push(item);\n"
        "  count += 1;\n  return count;\n}\n"
        "const same = (a, b) => a === b;\nfor (const x of items) { x.length; }\n"
        "console.log(add(' milk '), items[0], same(1, 1));\n"
    )
    files = {"app.js": script}
    report = check_project(files)
    found = {(f.target, f.line) for f in report.findings["app.js"] if f.kind == "const-assigned"}
    assert found == {("item", 5), ("count", 7)}  # not `items` (pushed to), not `same` or `x`
    after, fixes = fixed(files)
    assert "let item = text;" in after["app.js"] and "let count = 0;" in after["app.js"]
    assert "const items = [];" in after["app.js"] and "const same" in after["app.js"]
    assert len(fixes["app.js"].changes) == 2
    assert not check_project(after).findings["app.js"]
    if shutil.which("node"):
        (tmp_path / "app.js").write_text(after["app.js"], encoding="utf-8")
        ran = subprocess.run(
            ["node", "app.js"], cwd=tmp_path, capture_output=True, text=True, timeout=30
        )
        assert ran.stdout.strip() == "1 milk true", ran.stderr


SERVER = """\
import json
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self._send(200, "ok")
        elif self.path in ("/add", "/sum"):
            q = parse_qs(urlparse(self.path).query)
            self._send(200, json.dumps({"result": int(q["a"][0]) + int(q["b"][0])}))
        elif self.path != "/x?y" and self.path.startswith("/other"):
            self._send(200, "other")
        else:
            self._send(404, "no")

    def _send(self, status, body):
        self.send_response(status)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass
"""
ASK = """\
import threading, urllib.error, urllib.request
from http.server import HTTPServer
from server import Handler
httpd = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
for path in ("/health", "/health?x=1", "/add?a=2&b=3", "/sum?a=1&b=1", "/nope"):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{httpd.server_port}{path}") as r:
            print(path, r.status, r.read().decode())
    except urllib.error.HTTPError as e:
        print(path, e.code)
httpd.shutdown()
"""


def test_a_route_compared_with_the_whole_path_is_found_and_compared_without_the_query(tmp_path):
    files = {"server.py": SERVER}
    report = check_project(files)
    found = [(f.kind, f.line, f.target) for f in report.findings["server.py"]]
    # Not the comparison with a route that has a query, nor `startswith`.
    assert found == [("route-query", 8, "/health"), ("route-query", 10, "/add")]
    after, fixes = fixed(files)
    assert 'if self.path.split("?")[0] == "/health":' in after["server.py"]
    assert 'elif self.path.split("?")[0] in ("/add", "/sum"):' in after["server.py"]
    assert 'elif self.path != "/x?y"' in after["server.py"]
    assert len(fixes["server.py"].changes) == 2
    assert not check_project(after).findings["server.py"]
    # A plain module that happens to compare `self.path` is not a request handler.
    other = {"paths.py": "class P:\n    def f(self):\n        return self.path == '/a'\n"}
    assert not check_project(other).findings["paths.py"]

    (tmp_path / "ask.py").write_text(ASK, encoding="utf-8")
    (tmp_path / "server.py").write_text(SERVER, encoding="utf-8")
    assert "/add?a=2&b=3 404" in run(tmp_path, "ask.py")
    (tmp_path / "server.py").write_text(after["server.py"], encoding="utf-8")
    assert run(tmp_path, "ask.py").splitlines() == [
        "/health 200 ok",
        "/health?x=1 200 ok",
        '/add?a=2&b=3 200 {"result": 5}',
        '/sum?a=1&b=1 200 {"result": 2}',
        "/nope 404",
    ]


def test_the_dom_unpacked_from_window_is_removed_and_require_in_a_page_is_found():
    page = "<html><body><span id='n'>0</span><script src='app.js'></script></body></html>"
    js = (
        "// app.js\nconst { document } = window; // the DOM\n"
        "const { localStorage } = window;\n"
        "document.getElementById('n').textContent = '1';\n"
    )
    files = {"index.html": page, "app.js": js}
    report = check_project(files)
    assert [(f.kind, f.line, f.target) for f in report.findings["app.js"]] == [
        ("js-global", 2, "document")
    ]  # `localStorage` can be declared again: not one of the page's fixed names
    after, fixes = fixed(files)
    assert after["app.js"] == (
        "// app.js\nconst { localStorage } = window;\ndocument.getElementById('n').textContent = '1';\n"
    )
    assert fixes["app.js"].changes == (
        "removed `const { … } = window`: the page already has those names",
    )
    assert check_project(after).clean

    required = {"index.html": page, "app.js": "const utils = require('./utils');\nutils.go();\n"}
    found = check_project(required).findings["app.js"]
    assert [(f.kind, f.line) for f in found] == [("script-module", 1)]
    assert "`require`" in found[0].message
    # A function of the script's own called `require…` is not Node's.
    own = {"index.html": page, "app.js": "function requireAll(x) { return x; }\nrequireAll('a');\n"}
    assert check_project(own).clean


STORAGE = """\
import json

PATH = 'notes.json'


def load_notes():
    try:
        with open(PATH) as f:
            return json.load(f)
    except FileNotFoundError:
        return []


def save_notes(notes):
    with open(PATH, 'w') as f:
        json.dump(notes, f)
"""
NOTES = (
    "import sys\n"
    + STORAGE.replace("import json\n", "import json\n", 1)
    + "\n\nif __name__ == '__main__':\n    notes = load_notes()\n"
    "    if sys.argv[1] == 'add':\n        save_notes(notes + [sys.argv[2]])\n"
    "    else:\n        for i, n in enumerate(notes, 1):\n            print(f'{i}. {n}')\n"
)
NOTES_SPEC = "`python notes.py add TEXT` adds a note; `python notes.py list` lists them."


def test_a_script_that_copied_a_modules_functions_imports_them_instead(tmp_path):
    files = {"storage.py": STORAGE, "notes.py": NOTES}
    report = check_project(files, spec=NOTES_SPEC)
    found = [(f.kind, f.line, f.target) for f in report.findings["notes.py"]]
    assert found == [("copied", 7, "load_notes"), ("copied", 15, "save_notes")]
    fixes = autofix(files, report.findings)
    after = fixes["notes.py"].content
    assert "def load_notes" not in after and "def save_notes" not in after
    assert "from storage import load_notes, save_notes\n" in after
    assert fixes["notes.py"].changes == (
        "imported `load_notes, save_notes` from `storage.py` instead of keeping a copy",
    )
    assert not check_project({**files, "notes.py": after}, spec=NOTES_SPEC).findings["notes.py"]
    for name, text in {**files, "notes.py": after}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run(tmp_path, "notes.py", "add", "milk")
    assert run(tmp_path, "notes.py", "list") == "1. milk\n"


def test_a_copy_is_left_alone_where_importing_it_would_change_what_runs():
    spec = NOTES_SPEC

    def found(storage: str, notes: str = NOTES, run_spec: str = spec) -> list[str]:
        report = check_project({"storage.py": storage, "notes.py": notes}, spec=run_spec)
        return [f.target for f in report.findings["notes.py"] if f.kind == "copied"]

    assert found(STORAGE) == ["load_notes", "save_notes"]
    # The same code reading another file: the copy does not mean the same.
    assert found(STORAGE.replace("'notes.json'", "'data.json'")) == []
    # Importing the module would run something, or import the script back.
    assert found(STORAGE + "\nprint('loaded')\n") == []
    assert found("import notes\n" + STORAGE) == []
    # One of the two differs; the module is itself a script the spec runs; no script at all.
    assert found(STORAGE.replace("return []", "return None")) == ["save_notes"]
    assert found(STORAGE, run_spec=spec + " `python storage.py` checks the file.") == []
    assert found(STORAGE, run_spec="Notes kept in two files.") == []


POPUP = """const span = document.getElementById('clicks');
chrome.storage.local.get('clicks', (data) => {
  let clicks = data.clicks || 0;
  document.getElementById('count').addEventListener('click', () => {
    clicks++;
    chrome.storage.local.set('clicks', clicks, () => { span.textContent = clicks; });
    chrome.storage.sync.set("last-seen", Math.max(clicks, f(1, [2, 3])));
  });
});
"""


def test_chrome_storage_set_with_a_key_and_a_value_gets_one_object():
    """Seen from the 1.5B model: `set('clicks', n, callback)`, localStorage's shape. Chrome
    throws "No matching signature"; the object form saves the same thing."""
    files = {
        "popup.js": POPUP,
        "popup.html": "<button id='count'></button><span id='clicks'>"
        "</span><script src='popup.js'></script>",
    }
    report = check_project(files)
    found = [(f.kind, f.line, f.target) for f in report.findings["popup.js"]]
    assert found == [("storage-call", 6, "clicks"), ("storage-call", 7, "last-seen")]
    fixed = autofix(files, report.findings)["popup.js"].content
    assert "chrome.storage.local.set({ 'clicks': clicks }, () => {" in fixed
    assert 'chrome.storage.sync.set({ "last-seen": Math.max(clicks, f(1, [2, 3])) });' in fixed
    assert not check_project({**files, "popup.js": fixed}).findings["popup.js"]
    if shutil.which("node"):
        node = subprocess.run(["node", "--check", "-"], input=fixed, text=True, capture_output=True)
        assert node.returncode == 0, node.stderr
    plain = POPUP.replace("set('clicks', clicks,", "set({ clicks },")
    assert [
        f.target
        for f in check_project({**files, "popup.js": plain}).findings["popup.js"]
        if f.kind == "storage-call"
    ] == ["last-seen"]


def test_a_script_that_saves_what_no_script_reads_back_is_found():
    """Seen from the 1.5B model: a popup that saved its count on every click and never read it,
    so it showed 0 each time it opened."""
    html = "<button id='count'></button><span id='clicks'></span><script src='popup.js'></script>"
    saves = (
        "let n = 0;\ndocument.getElementById('count').onclick = () => {\n  n++;\n"
        "  chrome.storage.local.set({ clicks: n });\n};\n"
    )
    [found] = check_project({"popup.html": html, "popup.js": saves}).findings["popup.js"]
    assert (found.kind, found.line) == ("storage-unread", 4)
    assert "chrome.storage.local.get" in found.message
    reads = "chrome.storage.local.get('clicks', (d) => { n = d.clicks || 0; });\n" + saves
    assert not check_project({"popup.html": html, "popup.js": reads}).findings["popup.js"]
    # Read by another script of the project, or kept in localStorage and read as a property.
    shows = {
        "popup.html": html,
        "popup.js": saves,
        "show.js": "chrome.storage.local.get('clicks');",
    }
    assert not check_project(shows).findings["popup.js"]
    page = {"index.html": html.replace("popup", "app"), "app.js": "localStorage.n = 1;\n"}
    assert [f.kind for f in check_project(page).findings["app.js"]] == ["storage-unread"]
    kept = {**page, "app.js": "let n = +(localStorage.n || 0);\nlocalStorage.n = n + 1;\n"}
    assert not check_project(kept).findings["app.js"]
    compared = 'if (localStorage.getItem("t") === "dark") {}\nlocalStorage.setItem("t", "dark");\n'
    assert not check_project({**page, "app.js": compared}).findings["app.js"]


PAGE = "<p id='n'>0</p><button id='up'>up</button><script src='app.js'></script>"
COUNTS = "let n = 0;\ndocument.getElementById('up').onclick = () => {\n  n++;\n  show(n);\n};\n"


@pytest.mark.parametrize(
    "spec",
    [
        "A page with a score and a button that adds a point; the score survives a reload.",
        "Keep my streak: the number must still be there when I refresh the browser.",
        "A habit tracker page that remembers which days I ticked.",
        "Shopping list web page. The items persist between visits.",
        "When I come back tomorrow the page shows the same total.",
        "The number must not go back to zero when the page is opened again.",
        "Counter page: it should not lose the number if I close the tab.",
        "The next time I open it my items are still there.",
    ],
)
def test_a_page_asked_to_keep_what_it_shows_but_storing_nothing_is_found(spec):
    """Seen on the built-in model: a counter page asked to keep its number across a reload
    that kept it in a variable only, so a reload showed 0 (and its smoke check passed)."""
    files = {"index.html": PAGE, "app.js": COUNTS}
    found = [f for f in check_project(files, "", spec).findings["app.js"]]
    assert [f.kind for f in found] == ["storage-missing"]
    assert "localStorage" in found[0].message


@pytest.mark.parametrize(
    ("spec", "files"),
    [
        # nothing asked to be kept
        ("A page with a button that adds one to a number.", {"index.html": PAGE, "app.js": COUNTS}),
        # kept, in any store a browser has
        ("The count survives a reload.", {"index.html": PAGE, "app.js": "sessionStorage.n = 1;"}),
        ("The count survives a reload.", {"index.html": PAGE, "app.js": "indexedDB.open('n');"}),
        # inline in the page
        (
            "The count survives a reload.",
            {"index.html": PAGE + "<script>localStorage.n=1</script>"},
        ),
        # a server keeps its own state
        ("A server whose count survives a restart.", {"index.html": PAGE, "server.py": "x = 1\n"}),
    ],
)
def test_a_page_that_stores_or_was_not_asked_to_is_not_found(spec, files):
    found = [f for items in check_project(files, "", spec).findings.values() for f in items]
    assert "storage-missing" not in [f.kind for f in found]
