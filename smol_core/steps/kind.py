"""Is a reply the kind of file it is meant to be? A small model asked to rewrite `index.html`
sometimes answers with the page's JavaScript: saving that would lose the page."""

from __future__ import annotations

import re

_TAG = re.compile(
    r"<\s*(?:!doctype|html|head|body|div|main|section|form|p|h[1-6]|ul|ol|table|"
    r"button|input|span|script|link|meta|title|template|svg|a)\b",
    re.I,
)
_MARKUP_START = re.compile(r"\s*<\s*(?:!doctype|html|head|body)\b", re.I)
_HTML = (".html", ".htm")
_CODE = (".js", ".mjs", ".cjs", ".ts", ".py", ".css", ".json")


def kind_problem(path: str, content: str) -> str:
    """Why `content` can't be the file `path` ("" when it can): a page with no markup, or a
    script, stylesheet or data file that is an HTML page."""
    lower = path.lower()
    head = content[:4000]
    if lower.endswith(_HTML) and not _TAG.search(head):
        return "it has no HTML tags: it is not a page"
    if lower.endswith(_CODE) and _MARKUP_START.match(head):
        return f"it is an HTML page, not a {lower.rsplit('.', 1)[-1]} file"
    return ""
