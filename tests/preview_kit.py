"""Pages for the preview tests: a counter written as ES modules, one that throws, one that tries
to reach the studio; and a plain host page (no Streamlit) showing a preview the way the studio
does: an iframe with sandbox=FRAME_SANDBOX and srcdoc=frame_document(the page's document), the
page itself in the frame inside it (`page_frame`)."""

from __future__ import annotations

import http.server
import json
import threading

from smol_core.studio.preview import FRAME_SANDBOX, FRAME_TITLE, frame_document

COUNTER = {
    "index.html": (
        "<!DOCTYPE html>\n<html><head><title>Counter</title>"
        '<link rel="stylesheet" href="style.css"></head><body>\n'
        '<h1 id="count">0</h1>\n<button id="plus">+</button>\n'
        '<script type="module" src="app.js"></script>\n</body></html>\n'
    ),
    "style.css": "h1 { color: rgb(200, 0, 0); }\n",
    "app.js": (
        'import { next } from "./counter.js";\n\n'
        'const STORAGE_KEY = "count";\n'
        'const shown = document.getElementById("count");\n'
        "shown.textContent = localStorage.getItem(STORAGE_KEY) || '0';\n"
        'document.getElementById("plus").addEventListener("click", () => {\n'
        "  const value = next(Number(shown.textContent));\n"
        "  localStorage.setItem(STORAGE_KEY, String(value));\n"
        "  shown.textContent = String(value);\n"
        "});\n"
    ),
    "counter.js": "export function next(n) {\n  return n + 1;\n}\n",
}

# Issue 13's first harm: the counter's page loads its module as a plain script, so `+` did
# nothing ("Cannot use import statement outside a module") while every file had a tick.
PLAIN_LOADED = {
    **COUNTER,
    "index.html": COUNTER["index.html"].replace(
        '<script type="module" src="app.js">', '<script src="app.js">'
    ),
}

BROKEN = {
    "index.html": (
        '<!DOCTYPE html>\n<html><body><p id="out">before</p>\n'
        '<script src="app.js"></script>\n</body></html>\n'
    ),
    "app.js": (
        'document.getElementById("out").textContent = "ran";\n'
        'console.error("the total is missing");\n'
        "totalOf(items);\n"
    ),
}

# Each attempt writes what it got into the page itself (the test reads the frame).
HOSTILE_JS = """
const out = (id, text) => { document.getElementById(id).textContent = text; };
try { out("parent", "READ " + parent.document.title); } catch (e) { out("parent", "refused"); }
try { out("cookie", "READ " + document.cookie); } catch (e) { out("cookie", "refused"); }
fetch("/").then((r) => r.text()).then((t) => out("fetch", "READ " + t.length))
  .catch(() => out("fetch", "refused"));
try { top.location = "/?hijacked=1"; out("top", "navigated"); } catch (e) { out("top", "refused"); }
new Image().src = "/leak-image";
console.error("![x](/leak-markdown.png) [log in](http://evil.example/) **now**");
try { out("storage", "READ " + window.parent.localStorage.length); } catch (e) { out("storage", "refused"); }
"""
HOSTILE = {
    "index.html": (
        "<!DOCTYPE html>\n<html><body>\n"
        + "".join(
            f'<p id="{k}">waiting</p>\n' for k in ("parent", "cookie", "fetch", "top", "storage")
        )
        + '<script src="app.js"></script>\n</body></html>\n'
    ),
    "app.js": HOSTILE_JS,
}

_HOST = """<html><head><title>STUDIO-SECRET-TITLE</title></head><body><script>
window.msgs = []; addEventListener("message", (e) => window.msgs.push(e.data));
const f = document.createElement("iframe"); f.setAttribute("sandbox", SANDBOX);
f.setAttribute("title", TITLE); f.style.cssText = "width:100%;height:480px";
f.srcdoc = DOC; document.body.appendChild(f);
</script></body></html>"""


def page_frame(tab, seconds: float = 10.0):
    """The page's own frame in a host's tab: the one inside the preview's frame (waited for:
    Playwright learns of frames while it runs, so this lets it run)."""
    for _ in range(int(seconds / 0.05)):
        found = next(
            (
                f
                for f in tab.frames
                if f.parent_frame is not None and f.parent_frame != tab.main_frame
            ),
            None,
        )
        if found is not None:
            return found
        tab.wait_for_timeout(50)
    raise AssertionError(f"no page frame in the preview after {seconds:g} s")


class Host:
    """A page on 127.0.0.1 that sets a cookie and shows `doc` (a preview's document) the way the
    studio does; every path asked of it is kept in `paths`."""

    def __init__(self, doc: str) -> None:
        page = (
            _HOST.replace("SANDBOX", json.dumps(FRAME_SANDBOX))
            .replace("TITLE", json.dumps(FRAME_TITLE))
            .replace("DOC", json.dumps(frame_document(doc)).replace("</", "<\\/"))
            .encode()
        )
        paths: list[str] = []
        self.paths = paths

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                paths.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "text/html")
                self.send_header("set-cookie", "studio_session=COOKIE-SECRET; Path=/")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
