"""Checks of HTML pages and JavaScript: files they load exist, ids they look up exist, scripts load
the way they are written."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..records import Finding
from .common import NODE, _ext, _line_of, _local, _missing_file, _resolve, _stub, _unused
from .html_scan import _HtmlScan, _plan_dom_ids
from .project_view import _Project

_WAITS_FOR_PAGE = re.compile(
    r"DOMContentLoaded|\bonload\b|addEventListener\(\s*['\"]load['\"]|readyState|\$\(\s*(document|function)"
)


def _check_html(path: str, content: str, project: _Project) -> list[Finding]:
    scan = _HtmlScan.of(content)
    out: list[Finding] = []
    for line, what, ref in scan.refs:
        if _local(ref):
            target = _resolve(path, ref)
            if not project.has(target):
                out.append(_missing_file(path, line, f"loads {what}", target))
    out += _script_findings(path, scan, project)
    if scan.inline and project.is_extension():
        out.append(
            Finding(
                path,
                scan.inline[0],
                "has inline JavaScript (a <script> with code, or "
                "an on...= attribute), which Chrome blocks in extension pages: move it "
                "into the page's .js file",
                "inline-script",
            )
        )
    htmls = [p for p in project.files if _ext(p) in (".html", ".htm")]
    if len(htmls) == 1:
        # With one page, every id the plan names for the DOM must be in it.
        for missing in sorted(_plan_dom_ids(project.plan) - project.html_ids()):
            out.append(
                Finding(
                    path,
                    None,
                    f"has no element with id `{missing}`, which the plan names",
                    "dom-id",
                )
            )
    return out


def _script_findings(path: str, scan: _HtmlScan, project: _Project) -> list[Finding]:
    """The page's own script never loaded, or loaded before the elements it looks up."""
    out: list[Finding] = []
    loaded = {_resolve(path, src) for _, src, _, _ in scan.scripts if _local(src)}
    for js in project.page_scripts_of(path):
        if js not in loaded and not project.loaded_elsewhere(js):
            out.append(
                Finding(
                    path,
                    None,
                    f'never loads `{js}`, the script written for it (add `<script src="...">`)',
                    "script-unloaded",
                    js,
                )
            )
    for line, src, order, waits in scan.scripts:
        target = _resolve(path, src) if _local(src) else None
        content = project.files.get(project.lower.get((target or "").lower(), ""))
        if waits or content is None or _WAITS_FOR_PAGE.search(content):
            continue
        later = [
            name
            for m in _ID_USES.finditer(content)
            if scan.id_order.get(name := m.group(1) or m.group(2), 0) > order
        ]
        if later:
            out.append(
                Finding(
                    path,
                    line,
                    f"loads `{src}` before the element `#{later[0]}` it "
                    "looks up exists (move the tag to the end of the body, or add "
                    "`defer`)",
                    "script-early",
                    target,
                )
            )
    return out


# ---------------------------------------------------------------------------------- JavaScript
_ID_USES = re.compile(
    r"""getElementById\(\s*['"]([\w-]+)['"]\s*\)|querySelector(?:All)?\(\s*['"]#([\w-]+)['"]\s*\)"""
)


_JS_FUNCTION = re.compile(r"^function\s+([\w$]+)\s*\(", re.M)  # top-level declarations


# `function name(args) { }` with nothing but comments inside.
_JS_STUB = re.compile(r"\bfunction\s+([\w$]+)\s*\([^)]*\)\s*\{(?:\s|//[^\n]*|/\*.*?\*/)*\}", re.S)


# Top-level declarations of globals a page can't redeclare ([LegacyUnforgeable] properties).
_GLOBAL_REDECLARED = re.compile(r"^(const|let|class)\s+(document|window|location|top)\b", re.M)
# `const { document } = window;`: the same error, written as if importing the DOM from a module.
GLOBAL_UNPACKED = re.compile(
    r"^(?:const|let)\s*\{\s*((?:document|window|location|top)(?:\s*,\s*(?:document|window|"
    r"location|top))*)\s*,?\s*\}\s*=\s*(?:window|globalThis|self)\s*;?[ \t]*(?://[^\n]*)?\n?",
    re.M,
)
# Node's `require(...)`: no such function in a page.
_REQUIRE = re.compile(r"""(?<![\w$.])require\s*\(\s*['"]""")


_MODULE_SYNTAX = re.compile(r"^[ \t]*(export|import)\b(?!\s*\()", re.M)


def _page_script_findings(path: str, content: str, project: _Project) -> list[Finding]:
    """What a script a page loads with a plain `<script src>` must not do."""
    out: list[Finding] = []
    if m := _MODULE_SYNTAX.search(content):
        out.append(
            Finding(
                path,
                _line_of(content, m.start()),
                f"uses `{m.group(1)}`, but the "
                "page loads it as a plain `<script src>`, where import/export is an "
                "error: write it without them",
                "script-module",
            )
        )
    if m := _REQUIRE.search(content):
        out.append(
            Finding(
                path,
                _line_of(content, m.start()),
                "uses `require`, which only Node "
                "has: in a page it is not defined and the script stops there; use "
                "what the page loads with its own `<script src>` tags instead",
                "script-module",
            )
        )
    redeclared = [(m.start(), m.group(2)) for m in _GLOBAL_REDECLARED.finditer(content)]
    redeclared += [
        (m.start(), re.split(r"\s*,\s*", m.group(1))[0]) for m in GLOBAL_UNPACKED.finditer(content)
    ]
    for start, name in sorted(redeclared):
        out.append(
            Finding(
                path,
                _line_of(content, start),
                f"declares `{name}`, which the "
                'browser already defines: the page stops with "Identifier has '
                "already been declared\"; use the browser's own",
                "js-global",
                name,
            )
        )
    for m in _JS_FUNCTION.finditer(content):
        name = m.group(1)
        uses = len(re.findall(rf"(?<![\w$]){re.escape(name)}(?![\w$])", content))
        if uses == 1 and not project.mentioned_elsewhere(path, name):
            out.append(_unused(path, _line_of(content, m.start()), name))
    return out


_CONST = re.compile(r"\bconst\s+([A-Za-z_$][\w$]*)\s*=")


def const_assigned(content: str) -> dict[str, int]:
    """Names declared `const` that the script assigns to again (`x = …`, `x += …`, `x++`): a
    TypeError when that line runs. Name → the line of the first assignment. A name declared
    `const` in one scope and assigned in another is found too: `let` is right for both."""
    found: dict[str, int] = {}
    for name in dict.fromkeys(m.group(1) for m in _CONST.finditer(content)):
        n = re.escape(name)
        pattern = rf"(?<![\w$.]){n}\s*(?:[-+*/%&|^]|\*\*|<<|>>)?=(?![=>])|(?<![\w$.]){n}\s*(?:\+\+|--)|(?:\+\+|--)\s*{n}(?![\w$])"
        for m in re.finditer(pattern, content):
            before = content[max(0, m.start() - 40) : m.start()]
            if re.search(r"\b(?:const|let|var)\s+$", before):
                continue  # a declaration, not an assignment
            found[name] = _line_of(content, m.start())
            break
    return found


# `chrome.storage.local.set('clicks', n, …)`: localStorage's shape; Chrome's takes one object.
_STORAGE_SET = re.compile(
    r"""\bchrome\.storage\.(?:local|sync|session)\.set\(\s*(['"])([\w$-]+)\1\s*,"""
)


def storage_pairs(content: str) -> list[tuple[int, int, int, str]]:
    """Each `chrome.storage.*.set('key', value…)`: (start of the key, start and end of the
    value, the key). Chrome throws "No matching signature" there; `set({key: value})` is it."""
    out = []
    for m in _STORAGE_SET.finditer(content):
        end = argument_end(content, m.end())
        if end is not None:
            out.append((m.start(1), m.end(), end, m.group(2)))
    return out


# Saving and reading back, in either storage a page or extension keeps a number in.
_SAVES = re.compile(
    r"\bchrome\.storage\.(local|sync|session)\.set\s*\(|\blocalStorage\s*"
    r"(?:\.\s*setItem\s*\(|\[[^\]]+\]\s*=(?!=)|\.\s*(?!getItem\b|setItem\b|"
    r"removeItem\b|clear\b|key\b|length\b)\w+\s*=(?!=))"
)
# A read: `.get(`, `getItem(`, or a property of localStorage that is not assigned right there
# (`localStorage.n === "1"` and `+=` read it; `localStorage.n = 1` does not).
_READS = re.compile(
    r"\.\s*get\s*\(|\bonChanged\b|\blocalStorage\s*(?:\.\s*(?!setItem\b)\w+|"
    r"\[[^\]]*\])(?!\s*=(?![=>]))|\bObject\.\w+\(\s*localStorage\b"
)


def unread_storage(path: str, content: str, project: _Project) -> Finding | None:
    """A script that saves to storage when no script of the project ever reads storage back:
    what was saved never shows when the page opens again (a popup that saved its count on
    every click and started at 0 each time it opened)."""
    saved = _SAVES.search(content)
    if saved is None:
        return None
    scripts = [c for p, c in project.files.items() if _ext(p) in (".js", ".mjs", ".cjs", ".html")]
    if any(_READS.search(c) for c in scripts):
        return None
    area = f"chrome.storage.{saved.group(1)}" if saved.group(1) else "localStorage"
    read = f"`{area}.get`" if saved.group(1) else "`localStorage.getItem`"
    return Finding(
        path,
        _line_of(content, saved.start()),
        f"saves to `{area}`, but no script of "
        f"the project reads it back ({read}): what was saved never shows when the "
        "page opens again; read it when the page loads and show it",
        "storage-unread",
    )


# A description asking that what a page shows survive the page being opened again.
_KEPT = re.compile(
    r"\b(?:reload(?:s|ed|ing)?|refresh(?:es|ed|ing)?|re-?open(?:s|ed|ing)?|persist(?:s|ed|ent|s)?"
    r"|remember(?:s|ed)?|comes?\s+back|restart(?:s|ed)?|(?:opened|open\s+it)\s+again|next\s+time"
    r"|survives?|(?:don'?t|doesn'?t|never|not)\s+lose|clos(?:e|es|ing)\s+the\s+(?:tab|browser|window)"
    r"|localstorage)\b",
    re.I,
)
# Anything a browser keeps across a reload.
_KEEPS = re.compile(
    r"\b(?:localStorage|sessionStorage|indexedDB|chrome\.storage|document\.cookie)\b"
)


def unsaved_state(project: _Project) -> Finding | None:
    """A page project whose description asks that it keep what it shows across a reload or a
    reopening, when no script of it stores anything: a counter that "should still be there after
    a reload" started at 0 again (seen on the built-in model). Only for projects that are pages
    alone: a server keeps its state its own way."""
    if not _KEPT.search(project.spec):
        return None
    pages = [p for p in project.files if _ext(p) in (".html", ".htm")]
    if not pages or any(_ext(p) == ".py" for p in project.files):
        return None
    scripts = [p for p in project.files if _ext(p) in (".js", ".mjs")]
    if any(_KEEPS.search(project.files[p]) for p in [*scripts, *pages]):
        return None
    # The script that does the most, else the page with its inline script: what is rewritten.
    target = max(scripts, key=lambda p: len(project.files[p])) if scripts else pages[0]
    why = (
        "never stores anything, but the description asks that what the page shows be kept when "
        "it is opened again: save it in `localStorage` each time it changes and read it back "
        "when the page loads"
    )
    return Finding(target, None, why, "storage-missing")


def argument_end(text: str, start: int) -> int | None:
    """Where the call argument starting at `start` ends (its `,` or `)`), or None."""
    for i, c in top_level(text, start):
        if c in ",)]}":
            return i if c in ",)" else None
    return None


def top_level(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """Each character of JavaScript `text` from `start` outside strings and brackets, with its
    index, up to and including a closing bracket that was not opened there."""
    depth, quote, i = 0, "", start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                yield i, c
                return
            depth -= 1
        elif depth == 0:
            yield i, c
        i += 1


def _check_js(path: str, content: str, project: _Project, use_node: bool) -> list[Finding]:
    out: list[Finding] = []
    if use_node:
        out += _node_check(path, content)
    for start, _, _, key in storage_pairs(content):
        out.append(
            Finding(
                path,
                _line_of(content, start),
                f"calls `chrome.storage` `set` with a "
                f"key and a value: it takes one object (`set({{ {key!r}: value }})`), "
                'and throws "No matching signature" as written',
                "storage-call",
                key,
            )
        )
    if unread := unread_storage(path, content, project):
        out.append(unread)
    for name, line in const_assigned(content).items():
        out.append(
            Finding(
                path,
                line,
                f"assigns to `{name}`, which is declared with `const`: "
                'the script stops there with "Assignment to constant variable"; '
                "declare it with `let`",
                "const-assigned",
                name,
            )
        )
    if path in project.classic_scripts():
        out += _page_script_findings(path, content, project)
    for m in _JS_STUB.finditer(content):
        out.append(_stub(path, _line_of(content, m.start()), m.group(1)))
    has_html = any(_ext(p) in (".html", ".htm") for p in project.files)
    if has_html and path not in project.content_scripts():
        ids = project.html_ids()
        for m in _ID_USES.finditer(content):
            name = m.group(1) or m.group(2)
            if name not in ids:
                line = _line_of(content, m.start())
                out.append(
                    Finding(
                        path,
                        line,
                        f"looks up the element `#{name}`, which no HTML file of the project has",
                        "dom-id",
                    )
                )
    return out


# `node --check` costs 80-140 ms a call (a process): an edit re-checks every script of the
# project, so the verdict is kept per (path, text); a check that could not run is not kept.
_NODE_SEEN: dict[tuple[str, str], list[Finding]] = {}


def _node_check(path: str, content: str) -> list[Finding]:
    key = (path, hashlib.sha256(content.encode("utf-8", "replace")).hexdigest())
    if key not in _NODE_SEEN:
        found = _run_node_check(path, content)
        if found is None:
            return []
        if len(_NODE_SEEN) >= 512:
            _NODE_SEEN.pop(next(iter(_NODE_SEEN)))
        _NODE_SEEN[key] = found
    return list(_NODE_SEEN[key])


def _run_node_check(path: str, content: str) -> list[Finding] | None:
    suffix = ".mjs" if "import " in content or "export " in content else ".js"
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"check{suffix}"
        file.write_text(content, encoding="utf-8")
        try:
            proc = subprocess.run(
                [NODE or "node", "--check", str(file)], capture_output=True, text=True, timeout=20
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    if proc.returncode == 0:
        return []
    lines = proc.stderr.splitlines()
    line = None
    if lines and (m := re.search(r":(\d+)$", lines[0])):
        line = int(m.group(1))
    message = next((ln for ln in lines if "Error" in ln), "syntax error")
    return [Finding(path, line, f"does not parse: {message.strip()}", "syntax")]
