"""What an HTML page holds that the checks look at: ids, the scripts it loads and how, inline code."""

from __future__ import annotations

import re
from collections import OrderedDict
from html.parser import HTMLParser

from .common import _digest, _remember


# ---------------------------------------------------------------------------------------- HTML
class _HtmlScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str, str]] = []  # (line, what, ref)
        self.id_order: dict[str, int] = {}  # id → how many tags came before its element
        self.scripts: list[tuple[int, str, int, bool]] = []  # (line, src, order, waits)
        self.classic: set[str] = set()  # srcs loaded as classic scripts (not type="module")
        self.inline: list[int] = []  # lines of inline scripts and on*="..." handlers
        self._order = 0
        self._in_script = False

    @classmethod
    def of(cls, content: str) -> _HtmlScan:
        """The page's facts, parsed once per version of its text (read them, never change them):
        a check of a project asks for each page's scan several times."""
        return _remember(_SCANS, _digest(content), lambda: cls._parse(content))

    @classmethod
    def _parse(cls, content: str) -> _HtmlScan:
        scan = cls()
        try:
            scan.feed(content)
            scan.close()
        except Exception:  # noqa: BLE001 - html.parser is lenient; a crash means "no facts"
            pass
        return scan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        names = {k for k, _ in attrs}
        line = self.getpos()[0]
        self._order += 1
        if "id" in a:
            self.ids.add(a["id"])
            self.id_order.setdefault(a["id"], self._order)
        if any(k.startswith("on") for k in a):
            self.inline.append(line)
        self._in_script = (
            tag == "script"
            and "src" not in a
            and a.get("type", "js").lower()
            in ("js", "text/javascript", "module", "application/javascript")
        )
        if tag == "script" and "src" in a:
            self.refs.append((line, "a script", a["src"]))
            waits = bool(names & {"defer", "async"}) or a.get("type", "").lower() == "module"
            self.scripts.append((line, a["src"], self._order, waits))
            if a.get("type", "").lower() != "module":
                self.classic.add(a["src"])
        elif tag == "link" and "href" in a and "stylesheet" in a.get("rel", "").lower():
            self.refs.append((line, "a stylesheet", a["href"]))
        elif tag == "img" and "src" in a:
            self.refs.append((line, "an image", a["src"]))

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(self.getpos()[0])

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def _plan_dom_ids(plan: str) -> set[str]:
    """DOM ids the plan names: `#result`, id="result", or "id `result`"."""
    ids = set(re.findall(r"`#([A-Za-z][\w-]*)`", plan))
    ids |= set(re.findall(r"\bid=[\"']([A-Za-z][\w-]*)[\"']", plan))
    ids |= set(re.findall(r"\bid\s*[:=]?\s*`([A-Za-z][\w-]*)`", plan, re.I))
    return ids


_SCANS: OrderedDict[str, _HtmlScan] = OrderedDict()  # page text digest → its scan
