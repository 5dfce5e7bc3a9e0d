"""The preview document of a project's page (smol_core.studio.preview), the plain words of the
findings (advice) and the time-left estimate (progress). The document is checked as text here;
tests/e2e/test_preview_e2e.py shows it in Chromium."""

from __future__ import annotations

import base64
import html as html_module
import json
import re

from smol_core.quality.checks import KINDS
from smol_core.records import Finding
from smol_core.studio.advice import PLAIN, REWRITE, advise
from smol_core.studio.preview import (
    CSP,
    FRAME_CSP,
    FRAME_SANDBOX,
    build_preview,
    frame_document,
    pages,
)
from smol_core.studio.progress import time_left

COUNTER = {
    "index.html": (
        "<!DOCTYPE html><html><head><title>Counter</title>"
        '<link rel="stylesheet" href="css/style.css"></head><body>'
        '<h1 id="count">0</h1><button id="plus">+</button><img src="img/logo.svg">'
        '<script type="module" src="js/app.js"></script>'
        '<script src="js/legacy.js" defer></script></body></html>'
    ),
    "css/style.css": "h1 { color: red; background: url('../img/logo.svg'); }",
    "img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"></svg>',
    "js/app.js": 'import { next } from "./counter.js";\nimport("./lazy").then(() => {});\n',
    "js/counter.js": "export function next(n) { return n + 1; }\n",
    "js/lazy.js": "export const lazy = 1;\n",
    "js/legacy.js": "window.legacy = true;\n",
}


def data_text(url: str) -> str:
    return base64.b64decode(url.split(",", 1)[1]).decode("utf-8")


def import_map(html: str) -> dict[str, str]:
    m = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
    assert m, html[:500]
    return json.loads(m.group(1).replace("<\\/", "</"))["imports"]


def test_the_policy_and_the_reporter_come_first_and_allow_no_network():
    html = build_preview("index.html", COUNTER).html
    assert html.startswith(
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{CSP}">'
    )
    assert html.index("Content-Security-Policy") < html.index("<script") < html.index("<head>")
    assert "connect-src 'none'" in CSP and "default-src 'none'" in CSP
    assert "form-action 'none'" in CSP
    assert not re.search(r"https?:|'self'|\*", CSP)  # nothing reachable over the network
    assert "postMessage" in html and "smol-preview" in html
    assert html.index("RTCPeerConnection") < html.index("<head>")  # taken before the page runs


def test_no_markup_of_the_page_can_come_before_the_policy():
    """Issue 31: the policy went after the first `<head` match, so `<!-- <head> -->` before the
    real head left the page's own head (an image, a script, a fetch) before the policy."""
    tricks = [
        '<!-- <head> --><html><head><img src="http://127.0.0.1:9/x"></head></html>',
        '<script>"<head>"</script><head><script src="http://127.0.0.1:9/x.js"></script></head>',
        '<!DOCTYPE html PUBLIC "a>b"><head><meta http-equiv="refresh" content="0"></head>',
        '<div title="<head>"></div><img src="http://127.0.0.1:9/x">',
        "<html><HEAD\n><img src=x></HEAD>",
    ]
    for page in tricks:
        html = build_preview("index.html", {"index.html": page}).html
        first = html.index('<meta http-equiv="Content-Security-Policy"')
        assert first == len("<!DOCTYPE html>"), page
        assert html.find(page[:12], 1) > html.index("</script>") > first, page
        assert html.count("Content-Security-Policy") == 1


def test_the_frame_around_the_page_keeps_it_from_navigating_and_lets_forms_run():
    page = build_preview("index.html", COUNTER).html
    frame = frame_document(page)
    assert frame.startswith(
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{FRAME_CSP}">'
    )
    assert "frame-src 'none'" in FRAME_CSP and FRAME_CSP.startswith(CSP)
    assert FRAME_SANDBOX == "allow-scripts allow-forms"  # no same-origin, popups, top navigation
    assert f'<iframe sandbox="{FRAME_SANDBOX}" csp="{CSP}"' in frame
    inner = re.search(r'srcdoc="([^"]*)"', frame)
    assert inner and html_module.unescape(inner.group(1)) == page  # the page, escaped whole
    assert frame.count("<script>") == 1  # ours: the page's scripts are inside its srcdoc only


def test_styles_images_and_scripts_are_inlined_from_the_current_contents():
    preview = build_preview("index.html", COUNTER)
    html = preview.html
    assert 'href="css/style.css"' not in html and "color: red" in html
    assert 'src="img/logo.svg"' not in html and "data:image/svg+xml" in html
    assert 'url("data:image/svg+xml' in html  # the stylesheet's own url() too
    legacy = re.search(r'<script src="(data:text/javascript;base64,[^"]+)" defer>', html)
    assert legacy and "window.legacy = true" in data_text(legacy.group(1))
    assert preview.missing == ()
    edited = build_preview("index.html", {**COUNTER, "css/style.css": "h1 { color: blue; }"})
    assert "color: blue" in edited.html and edited.digest != preview.digest


def test_modules_importing_each_other_resolve_to_the_projects_own_files():
    html = build_preview("index.html", COUNTER).html
    imports = import_map(html)
    assert set(imports) == {
        "smol:/js/app.js",
        "smol:/js/counter.js",
        "smol:/js/lazy.js",
        "smol:/js/legacy.js",
    }
    app = data_text(imports["smol:/js/app.js"])
    assert 'from "smol:/js/counter.js"' in app
    assert 'import("smol:/js/lazy.js")' in app  # a dynamic import, written without ".js"
    assert '<script type="module">import "smol:/js/app.js";</script>' in html
    assert html.index('type="importmap"') < html.index('import "smol:/js/app.js"')


def test_what_the_page_loads_but_the_project_lacks_is_named():
    files = {
        "index.html": '<link rel="stylesheet" href="gone.css"><script src="app.js"></script>'
        '<script type="module">import { x } from "./nowhere.js";</script>'
    }
    preview = build_preview("index.html", files)
    assert preview.missing == ("gone.css", "app.js", "nowhere.js")
    assert "<!-- app.js: not in the project -->" in preview.html


def test_a_page_can_not_loosen_the_policy_or_navigate_away_by_itself():
    files = {
        "index.html": '<html><head><meta http-equiv="refresh" content="0;url=/">'
        '<meta http-equiv="Content-Security-Policy" content="default-src *"></head>'
        "<body>hi</body></html>"
    }
    html = build_preview("index.html", files).html
    assert "refresh" not in html and "default-src *" not in html
    assert html.count("Content-Security-Policy") == 1


def test_a_page_without_head_or_doctype_still_gets_the_policy_first():
    html = build_preview("p.html", {"p.html": "<h1>hi</h1><script>boom()</script>"}).html
    assert html.startswith('<!DOCTYPE html><meta http-equiv="Content-Security-Policy"')
    assert "<script>boom()</script>" in html


def test_pages_lists_index_first():
    assert pages(["b.html", "docs/index.html", "index.html", "x.js", "a.htm"]) == [
        "index.html",
        "docs/index.html",
        "a.htm",
        "b.html",
    ]


def test_every_kind_of_finding_is_said_in_plain_words_with_an_action():
    assert set(PLAIN) == set(KINDS)
    for kind in KINDS:
        advice = advise(Finding("a.js", 3, "jargon `x`", kind, target="b.js"))
        assert advice.action and "jargon" not in advice.text and "{" not in advice.text
        assert advice.text.startswith("Line 3: ")
    missing = advise(
        Finding(
            "index.html",
            None,
            "loads a script `app.js`, which is not in the file list",
            "missing-file",
            target="app.js",
        )
    )
    assert missing.action == "Add app.js" and missing.adds_file
    module = advise(
        Finding(
            "app.js",
            1,
            "uses `import`, but the page loads it as a plain `<script src>`",
            "script-module",
        )
    )
    assert "<script" not in module.text and "nothing on the page works" in module.text
    assert module.action == REWRITE
    assert advise(Finding("a.py", None, "own words", "new-kind")).text == "own words"


def test_time_left_is_said_only_when_there_is_something_to_go_on():
    assert time_left(0, 5, 10) == "" and time_left(5, 5, 10) == ""
    assert time_left(1, 5, 20) == "about 80 s left"
    assert time_left(1, 3, 120) == "about 4 min left"
    assert time_left(9, 10, 9) == "a few seconds left"


def test_load_as_module_rewrites_only_the_plain_tags_that_load_the_script():
    from smol_core.studio.advice import load_as_module

    files = {
        "index.html": '<SCRIPT src="js/app.js" defer></SCRIPT><script src="js/other.js"></script>',
        "docs/page.html": "<script type='text/javascript' src='../js/app.js'></script>",
        "mod.html": '<script type="module" src="js/app.js"></script>',
        "js/app.js": 'import { x } from "./other.js";\n',
    }
    changed = load_as_module("js/app.js", files)
    assert changed == {
        "index.html": '<SCRIPT type="module" src="js/app.js" defer></SCRIPT>'
        '<script src="js/other.js"></script>',
        "docs/page.html": "<script type=\"module\" src='../js/app.js'></script>",
    }
    assert load_as_module("js/none.js", files) == {}
