"""The automatic checks: each kind of finding, and no finding on sound projects."""

from __future__ import annotations

import json

import pytest

from smol_core.quality import checks
from smol_core.quality.checks import check_project


def kinds(report, path):
    return [f.kind for f in report.findings[path]]


def missing_files(report):
    """The files the project references but does not list, in first-seen order."""
    seen = [
        f.target for items in report.findings.values() for f in items if f.kind == "missing-file"
    ]
    return list(dict.fromkeys(seen))


def test_a_sound_python_project_has_no_findings():
    files = {
        "main.py": "from util import greet\n\nif __name__ == '__main__':\n    print(greet('x'))\n",
        "util.py": "def greet(name):\n    return 'hi ' + name\n",
    }
    report = check_project(files, plan="Run with `python main.py`.")
    assert report.clean, report.findings


def test_python_syntax_error_has_its_line():
    report = check_project({"a.py": "x = 1\ndef f(:\n    pass\n"})
    (f,) = report.findings["a.py"]
    assert f.kind == "syntax" and f.line == 2


def test_name_used_but_never_defined_or_imported():
    report = check_project({"a.py": "import os\nprint(os.getcwd(), json.dumps({}))\n"})
    (f,) = report.findings["a.py"]
    assert f.kind == "undefined-name" and "`json`" in f.message and f.line == 2


def test_local_import_of_a_file_not_in_the_list_is_a_missing_file():
    files = {"src/main.py": "from storage import load\nload()\n"}
    report = check_project(files, plan="`storage.py` holds load()")
    (f,) = report.findings["src/main.py"]
    assert f.kind == "missing-file" and f.target == "src/storage.py"


def test_import_of_a_name_the_other_file_does_not_define():
    files = {"main.py": "from util import greet, shout\n", "util.py": "def greet():\n    pass\n"}
    report = check_project(files)
    (f,) = report.findings["main.py"]
    assert f.kind == "missing-name" and "`shout`" in f.message


def test_third_party_imports_need_requirements():
    without = check_project({"app.py": "import flask\n"})
    assert missing_files(without) == ["requirements.txt"]
    listed = check_project(
        {"app.py": "import flask\nimport yaml\n", "requirements.txt": "Flask>=3\nPyYAML\n"}
    )
    assert listed.clean
    unlisted = check_project({"app.py": "import numpy\n", "requirements.txt": "flask\n"})
    assert kinds(unlisted, "app.py") == ["missing-module"]


def test_relative_imports_resolve_inside_the_package():
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from .b import thing\nfrom . import c\nfrom . import nope\n",
        "pkg/b.py": "thing = 1\n",
        "pkg/c.py": "",
    }
    report = check_project(files)
    assert [f.message for f in report.findings["pkg/a.py"]] == [
        "imports `.nope`, which is neither a file of the project, the standard library, nor "
        "listed in requirements.txt"
    ]


def test_a_script_the_plan_runs_must_do_something():
    files = {"cli.py": "def main():\n    print('x')\n"}
    assert kinds(check_project(files, plan="python cli.py add"), "cli.py") == ["entry-point"]
    assert check_project(files, plan="a library").clean
    # The commands the description writes out are named, so that a repair handles each.
    spec = (
        "`python cli.py add TEXT` adds a note, `python cli.py list` lists them; "
        "`python other.py` is another tool. Try `python cli.py list`."
    )
    (finding,) = check_project(files, spec=spec).findings["cli.py"]
    assert finding.message.endswith(
        "handles each command the description gives (`python cli.py add TEXT`, `python cli.py list`)"
    )


def test_json_and_toml_must_parse():
    report = check_project({"a.json": "{'single': 1}", "b.toml": "x = [1,", "c.json": "[1]"})
    assert kinds(report, "a.json") == ["syntax"] and kinds(report, "b.toml") == ["syntax"]
    assert report.findings["c.json"] == []


def test_html_links_must_point_at_project_files():
    html = (
        '<html><head><link rel="stylesheet" href="css/style.css">'
        '<script src="https://cdn.example/x.js"></script></head>'
        '<body><img src="logo.png"><script src="./app.js"></script></body></html>'
    )
    report = check_project({"web/index.html": html, "web/app.js": "", "web/css/style.css": ""})
    assert missing_files(report) == ["web/logo.png"]


def test_ids_used_by_scripts_and_named_by_the_plan_must_exist():
    files = {
        "index.html": '<button id="start">Go</button><span id="time"></span><script src="app.js"></script>',
        "app.js": "document.getElementById('start');\ndocument.querySelector('#laps');\n",
    }
    report = check_project(files, plan="DOM ids: `#start`, `#time`, `#count`", use_node=False)
    assert [f.message for f in report.findings["app.js"]] == [
        "looks up the element `#laps`, which no HTML file of the project has"
    ]
    assert "`count`" in report.findings["index.html"][0].message


@pytest.mark.skipif(checks.NODE is None, reason="node is not installed")
def test_javascript_syntax_via_node():
    report = check_project({"a.js": "function ( {\n", "b.js": "export const x = 1;\n"})
    assert kinds(report, "a.js") == ["syntax"] and report.findings["b.js"] == []


@pytest.mark.skipif(checks.NODE is None, reason="node is not installed")
def test_node_checks_each_script_version_once(monkeypatch):
    from smol_core.quality import web

    calls = []
    real = web._run_node_check
    monkeypatch.setattr(web, "_NODE_SEEN", {})
    monkeypatch.setattr(web, "_run_node_check", lambda p, c: calls.append(p) or real(p, c))
    files = {"a.js": "function ( {\n", "b.js": "const x = 1;  // once\n"}
    first = check_project(files)
    again = check_project(files)  # an edit elsewhere re-checks the project: no node run here
    assert sorted(calls) == ["a.js", "b.js"]
    assert kinds(again, "a.js") == kinds(first, "a.js") == ["syntax"]
    check_project({**files, "b.js": "const x = 2;  // once\n"})
    assert sorted(calls) == ["a.js", "b.js", "b.js"]  # a changed text is checked again


def test_without_node_it_says_so(monkeypatch):
    monkeypatch.setattr(checks, "NODE", None)
    report = check_project({"a.js": "function ( {\n"})
    assert report.findings["a.js"] == []
    assert any("node is not installed" in n for n in report.notes)


def test_chrome_extension_manifest_names_existing_files():
    manifest = {
        "manifest_version": 3,
        "action": {"default_popup": "popup.html", "default_icon": {"16": "icons/16.png"}},
        "background": {"service_worker": "background.js"},
        "content_scripts": [{"matches": ["<all_urls>"], "js": ["content.js"]}],
        "options_page": "options.html",
    }
    files = {
        "manifest.json": json.dumps(manifest),
        "popup.html": '<div id="out"></div><script src="popup.js"></script>',
        "popup.js": "document.getElementById('out')",
        "content.js": "document.getElementById('anything-on-the-visited-page')",
        "background.js": "",
    }
    report = check_project(files, use_node=False)
    assert missing_files(report) == ["icons/16.png", "options.html"]
    assert report.findings["content.js"] == []  # a content script's DOM is the visited site's


def test_a_file_that_copies_the_instructions_is_found_and_a_readme_is_not():
    copied = "# What the person wants\n\nA tool.\n\n# The plan\n\n- `a.py`: it\n"
    report = check_project({"README.md": copied, "a.py": "x = 1\n"})
    (finding,) = report.findings["README.md"]
    assert (finding.kind, finding.line) == ("echo", 1)
    readme = "# A tool\n\n## The plan\n\nRun `python a.py`.\n\n# What the person wants\n\nIt.\n"
    assert check_project({"README.md": readme, "a.py": "x = 1\n"}).clean
