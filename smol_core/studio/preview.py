"""A live preview of one page of the project: one self-contained document, made from the files as
they are now, shown in a frame of its own (`frame_document`) that keeps it off the network and
away from the studio.

Everything the page loads from the project is put inside it: stylesheets as <style>, images
(and CSS `url()`s) as data: URLs, classic scripts as data: URLs (so `defer`/`async` keep their
meaning), ES modules through an import map whose keys are `smol:/<path>` and whose values are
data: URLs; every relative import between the project's modules is rewritten to its `smol:/`
key, so modules importing each other resolve to the project's own files. A small script put
first reports JavaScript errors, `console.error`, refused requests, links it does not follow and
forms it does not send to the parent window (postMessage; the page's component lists them).
Nothing here runs the code: the browser does.

What keeps it off the network, each in place whatever the page's markup (issue 31):
- the document starts with the policy (`CSP`: no network at all, no form target) and the
  reporter, before the first byte the page wrote: a `<head>` in a comment or a script can't
  move them;
- it is shown in an `<iframe sandbox="allow-scripts allow-forms" csp=…>` (opaque origin: no
  studio, cookies or storage; no popups, no top navigation; forms run their handlers, and
  `form-action 'none'` sends nothing), inside a frame of ours whose policy the page's document
  inherits and whose `frame-src 'none'` stops the page navigating itself anywhere (Chromium
  checks the parent's frame-src on every navigation of the frame, before any request);
- RTCPeerConnection and its kin are taken away before the page's first script (no browser's
  policy can forbid WebRTC; a nested frame of a sandboxed page is cross-origin to it, so the page
  can't take a fresh one from there).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..quality.common import _local, _resolve

SCHEME = "smol:/"  # the import-map keys of the project's modules, and the scripts' sourceURL
MESSAGE_TAG = "smol-preview"  # every message the preview posts carries it
PAGE_SUFFIXES = (".html", ".htm")
SCRIPT_SUFFIXES = (".js", ".mjs")

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'unsafe-inline' 'unsafe-eval' data: blob:",
        "style-src 'unsafe-inline' data:",
        "img-src data: blob:",
        "font-src data:",
        "media-src data: blob:",
        "worker-src data: blob:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
    ]
)
# The frame around the page: the same policy (the page's document inherits it), and no frame of
# it may go anywhere: frame-src is checked against this document for every navigation of the
# page's frame, its own `location.href = …` included.
FRAME_CSP = CSP + "; frame-src 'none'"
# Both frames: scripts and forms (a page's submit handler runs; form-action 'none' sends nothing);
# no allow-same-origin, allow-popups, allow-top-navigation or allow-modals.
FRAME_SANDBOX = "allow-scripts allow-forms"
FRAME_TITLE = "Preview"  # the outer frame's title (the studio's and the tests' handle on it)

# Posts {tag, kind, message, where} to the parent; kinds: error | console | blocked | link |
# form, and "here" when the frame around it asks (that one stays there).
# Links to other pages or addresses are not followed (the preview is one page, no network).
_REPORTER = """(() => {
  const TAG = %s;
  const post = (kind, message, where) => {
    try { parent.postMessage({tag: TAG, kind, message: String(message).slice(0, 2000),
                              where: where || ""}, "*"); } catch (e) {}
  };
  addEventListener("message", (e) => {  // the frame around asks, after a load, if it is here
    if (e.source === parent && e.data && e.data.tag === TAG && e.data.kind === "where")
      post("here", "");
  });
  // WebRTC reaches the network past any policy (UDP to any address): not in the preview.
  for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel",
                      "RTCIceTransport", "RTCSessionDescription", "RTCIceCandidate",
                      "RTCRtpSender", "RTCRtpReceiver", "RTCRtpTransceiver", "RTCDtlsTransport",
                      "RTCSctpTransport", "RTCCertificate", "RTCEncodedAudioFrame",
                      "RTCEncodedVideoFrame", "RTCRtpScriptTransform"]) {
    try { delete window[name]; } catch (e) {}
    try { Object.defineProperty(window, name, {value: undefined, writable: false,
                                               configurable: false}); } catch (e) {}
  }
  const at = (file, line) => {
    file = String(file || "").replace(/^smol:\\//, "");
    if (!file || file.startsWith("about:") || file.startsWith("data:")) return "";
    return line ? file + ":" + line : file;
  };
  addEventListener("error", (e) => {
    if (e.target && e.target !== window && e.target.tagName) {
      post("error", "could not load " + (e.target.src || e.target.href || e.target.tagName));
      return;
    }
    post("error", e.message || "error", at(e.filename, e.lineno));
  }, true);
  addEventListener("unhandledrejection", (e) => {
    const r = e.reason;
    post("error", "Unhandled promise rejection: " + (r && (r.message || r) || "no reason"));
  });
  addEventListener("securitypolicyviolation", (e) => {
    post("blocked", "blocked " + (e.blockedURI || "a request") +
         " (the preview allows no network)", at(e.sourceFile, e.lineNumber));
  });
  const original = console.error;
  console.error = function (...args) {
    post("console", args.map((a) => (a && a.stack) || (typeof a === "object" ? JSON.stringify(a) : String(a))).join(" "));
    return original.apply(this, args);
  };
  // An opaque origin has no storage: a page keeping its state there gets it in memory instead.
  for (const name of ["localStorage", "sessionStorage"]) {
    try { window[name].length; } catch (e) {
      const items = new Map();
      const store = {
        get length() { return items.size; },
        key: (i) => [...items.keys()][i] ?? null,
        getItem: (k) => (items.has(String(k)) ? items.get(String(k)) : null),
        setItem: (k, v) => { items.set(String(k), String(v)); },
        removeItem: (k) => { items.delete(String(k)); },
        clear: () => { items.clear(); },
      };
      try { Object.defineProperty(window, name, {value: store, configurable: true}); } catch (e2) {}
    }
  }
  addEventListener("click", (e) => {
    const a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    if (!a) return;
    const href = a.getAttribute("href") || "";
    if (href.startsWith("#") || href.startsWith("javascript:")) return;
    e.preventDefault();
    post("link", "the preview shows one page: the link to " + href + " is not followed");
  }, true);
  // A form's own submit handlers run; one that none of them stopped is not sent (it would
  // leave the page, and the preview sends nothing anywhere).
  addEventListener("submit", (e) => {
    if (e.defaultPrevented) return;
    e.preventDefault();
    const form = e.target;
    const to = (form && form.getAttribute && form.getAttribute("action")) || "this page";
    post("form", "the form was submitted and nothing stopped it: a browser would send it to " +
         to + " and leave the page; the preview sends nothing");
  });
})();""" % json.dumps(MESSAGE_TAG)  # noqa: UP031 - a JS text full of braces

# The frame around the page: relays what the page reports to the studio, and whenever the page's
# frame loads again, asks it whether it is still the page (its reporter answers "here"): an error
# page (a navigation the policy stopped) can't, and then the studio is told and the page shown
# again (three times at most).
_FRAME_SCRIPT = """(() => {
  const TAG = %s;
  const f = document.querySelector("iframe");  // this script comes after it: before its events
  const page = f.getAttribute("srcdoc");
  let loads = 0, again = 0, answered = 0;
  addEventListener("message", (e) => {
    if (e.source !== f.contentWindow) return;
    if (e.data && e.data.tag === TAG && e.data.kind === "here") { answered += 1; return; }
    parent.postMessage(e.data, "*");
  });
  f.addEventListener("load", () => {
    loads += 1;
    if (loads < 2) return;  // the first is the page itself
    const before = answered;
    try { f.contentWindow.postMessage({tag: TAG, kind: "where"}, "*"); } catch (e) {}
    setTimeout(() => {
      if (answered > before || again >= 3) return;
      again += 1;
      parent.postMessage({tag: TAG, kind: "blocked", where: "", message: "the page tried " +
        "to open another address (the preview allows no network): it is shown again"}, "*");
      f.setAttribute("srcdoc", page);
    }, 2000);
  });
})();""" % json.dumps(MESSAGE_TAG)  # noqa: UP031

_TAG = re.compile(r"<(script|link|img|source|audio|video|input|meta|style)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_SCRIPT_BODY = re.compile(r"(.*?)</script\s*>", re.I | re.S)
_STYLE_BODY = re.compile(r"(.*?)</style\s*>", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]\s*\)?\s*;""", re.I)
# Static imports/re-exports (`from "./x.js"`, `import "./x.js"`) and dynamic `import("./x.js")`.
_JS_SPECIFIER = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{0,2}/[^'"\n]*)\2""")


@dataclass(frozen=True)
class Preview:
    page: str
    html: str  # the whole document, for an iframe's srcdoc
    digest: str  # changes whenever the document does
    missing: tuple[str, ...] = ()  # files the page (or its scripts) loads that do not exist


def pages(paths: list[str] | Mapping[str, object]) -> list[str]:
    """The project's HTML pages, the one a browser would open first at the top."""
    found = [p for p in paths if PurePosixPath(p).suffix.lower() in PAGE_SUFFIXES]

    def rank(path: str) -> tuple[int, int, str]:
        name = PurePosixPath(path).name.lower()
        return (0 if name in ("index.html", "index.htm") else 1, path.count("/"), path)

    return sorted(found, key=rank)


def build_preview(
    page: str, contents: Mapping[str, str], binary: Mapping[str, bytes] | None = None
) -> Preview:
    """The self-contained document of `page` made from `contents` (texts) and `binary`."""
    return _Builder(contents, binary or {}).page(page)


class _Builder:
    def __init__(self, contents: Mapping[str, str], binary: Mapping[str, bytes]) -> None:
        self.contents = contents
        self.binary = binary
        self.lower = {p.lower(): p for p in [*contents, *binary]}
        self.missing: list[str] = []
        self.uses_modules = False

    # ------------------------------------------------------------------------------ lookups
    def _find(self, base: str, ref: str) -> str | None:
        """The project path `ref` (written in `base`) names, or None (noted as missing)."""
        target = _resolve(base, ref)
        found = self.lower.get(target.lower())
        if found is None and not PurePosixPath(target).suffix:  # `import "./util"`
            found = self.lower.get(target.lower() + ".js")
        if found is None and target not in self.missing:
            self.missing.append(target)
        return found

    def _data_url(self, path: str) -> str:
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if path.lower().endswith(SCRIPT_SUFFIXES):
            mime = "text/javascript"
        raw = self.binary.get(path)
        if raw is None:
            raw = self.contents.get(path, "").encode("utf-8")
            mime += ";charset=utf-8" if mime.startswith("text/") or "svg" in mime else ""
        return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"

    # ---------------------------------------------------------------------------- rewriting
    def script(self, path: str, text: str) -> str:
        """A script's text with its project imports as `smol:/` keys, named for stack traces."""

        def key(m: re.Match[str]) -> str:
            target = self._find(path, m.group(3)) if _local(m.group(3)) else None
            if target is None:
                return m.group(0)
            self.uses_modules = True
            return f"{m.group(1)}{m.group(2)}{SCHEME}{target}{m.group(2)}"

        return _JS_SPECIFIER.sub(key, text) + f"\n//# sourceURL={SCHEME}{path}\n"

    def css(self, path: str, text: str, depth: int = 0) -> str:
        def url(m: re.Match[str]) -> str:
            ref = m.group(2).strip()
            if not _local(ref) or (target := self._find(path, ref)) is None:
                return m.group(0)
            return f'url("{self._data_url(target)}")'

        def imported(m: re.Match[str]) -> str:
            ref = m.group(1)
            if depth > 4 or not _local(ref) or (target := self._find(path, ref)) is None:
                return ""
            return self.css(target, self.contents.get(target, ""), depth + 1)

        return _CSS_URL.sub(url, _CSS_IMPORT.sub(imported, text))

    def page(self, page: str) -> Preview:
        source = self.contents.get(page)
        if source is None:
            html = "<!doctype html><p>This page has not been written yet.</p>"
            return Preview(page, _with_head(html), _digest(html), (page,))
        out: list[str] = []
        pos = 0
        for m in _TAG.finditer(source):
            if m.start() < pos:
                continue  # inside a <script>/<style> body already copied
            out.append(source[pos : m.start()])
            pos = m.end()
            tag, attrs = m.group(1).lower(), _attrs(m.group(2))
            if tag == "script":
                body = _SCRIPT_BODY.match(source, pos)
                inline = body.group(1) if body else ""
                pos = body.end() if body else pos
                out.append(self._script_tag(page, attrs, inline))
            elif tag == "style":
                body = _STYLE_BODY.match(source, pos)
                pos = body.end() if body else pos
                out.append(
                    f"<style{_join(attrs)}>{self.css(page, body.group(1) if body else '')}</style>"
                )
            elif tag == "link":
                out.append(self._link_tag(page, attrs))
            elif tag == "meta" and (attrs.get("http-equiv") or "").lower() in (
                "refresh",
                "content-security-policy",
            ):
                out.append("")  # no navigating away, no loosening of the policy
            else:
                src = attrs.get("src")
                if src and _local(src) and (target := self._find(page, src)) is not None:
                    attrs["src"] = self._data_url(target)
                if "style" in attrs:
                    attrs["style"] = self.css(page, attrs["style"] or "")
                out.append(f"<{m.group(1)}{_join(attrs)}>")
        out.append(source[pos:])
        html = "".join(out)
        html = _with_head(html, self._import_map() if self.uses_modules else "")
        return Preview(page, html, _digest(html), tuple(self.missing))

    def _script_tag(self, page: str, attrs: dict[str, str | None], inline: str) -> str:
        module = (attrs.get("type") or "").lower() == "module"
        src = attrs.get("src")
        if src and _local(src):
            target = self._find(page, src)
            if target is None:
                return f"<!-- {_comment(src)}: not in the project -->"
            if module:
                self.uses_modules = True
                del attrs["src"]
                return f'<script{_join(attrs)}>import "{SCHEME}{target}";</script>'
            text = self.script(target, self.contents.get(target, ""))
            attrs["src"] = "data:text/javascript;base64," + _b64(text)
            return f"<script{_join(attrs)}></script>"
        if src:  # an address outside the project: kept, and refused by the policy
            return f"<script{_join(attrs)}></script>"
        if module:
            inline = self.script(page, inline)
        return f"<script{_join(attrs)}>{inline}</script>"

    def _link_tag(self, page: str, attrs: dict[str, str | None]) -> str:
        href = attrs.get("href")
        if not href or not _local(href):
            return f"<link{_join(attrs)}>"
        target = self._find(page, href)
        if target is None:
            return f"<!-- {_comment(href)}: not in the project -->"
        if "stylesheet" in (attrs.get("rel") or "").lower():
            return f"<style>{self.css(target, self.contents.get(target, ''))}</style>"
        if target.lower().endswith(SCRIPT_SUFFIXES):  # modulepreload and the like: not needed
            return ""
        attrs["href"] = self._data_url(target)
        return f"<link{_join(attrs)}>"

    def _import_map(self) -> str:
        """Every script of the project as a module, whoever imports it."""
        imports = {
            f"{SCHEME}{path}": "data:text/javascript;base64," + _b64(self.script(path, text))
            for path, text in sorted(self.contents.items())
            if path.lower().endswith(SCRIPT_SUFFIXES)
        }
        body = json.dumps({"imports": imports}).replace("</", "<\\/")
        return f'<script type="importmap">{body}</script>'


def _attrs(raw: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for m in _ATTR.finditer(raw):
        value = m.group(2)
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        out.setdefault(m.group(1).lower(), value)
    return out


def _join(attrs: Mapping[str, str | None]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"')
    return "".join(parts)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _comment(text: str) -> str:
    return text.replace("--", "- -")[:200]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_FIRST = (
    '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{csp}">'
    '<meta http-equiv="x-dns-prefetch-control" content="off">'
)


def _with_head(html: str, extra: str = "") -> str:
    """The policy and the reporter before the first byte the page wrote (a parser meeting them
    there puts them in the head it opens for them), whatever the page's markup: a `<head>` in a
    comment, a script or an attribute can't come before them. The page's own doctype, <html>
    and <head> tags that follow are folded into those (a later doctype is ignored; a frame's
    srcdoc is never in quirks mode anyway)."""
    return _FIRST.format(csp=CSP) + f"<script>{_REPORTER}</script>{extra}" + html


def frame_document(html: str) -> str:
    """What the preview's frame shows: a document of ours, with `FRAME_CSP`, holding the page
    `html` in a sandboxed frame of its own (see the module's docstring). Show it in an
    `<iframe sandbox=FRAME_SANDBOX srcdoc=…>`; what the page reports comes out of it as
    postMessage, as from the page itself."""
    return (
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
        f'content="{FRAME_CSP}"><meta http-equiv="x-dns-prefetch-control" content="off">'
        "<style>html,body{margin:0;height:100%;overflow:hidden}"
        "iframe{display:block;border:0;width:100%;height:100%}</style>"
        f'<iframe sandbox="{FRAME_SANDBOX}" csp="{CSP}" title="The page" '
        f'srcdoc="{_escape_attribute(html)}"></iframe>'
        f"<script>{_FRAME_SCRIPT}</script>"
    )


def _escape_attribute(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
