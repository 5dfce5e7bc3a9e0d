import functools
import http.server
import json
import os
import re
import socket
import sys
import threading
import time


class Fail(Exception):
    pass


def done(ok, why):
    why = " ".join(str(why).split())[:400]
    print(("PASS: " if ok else "FAIL: ") + why)
    sys.exit(0 if ok else 1)


CHROME_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(pw):
    exe = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return pw.chromium.launch(executable_path=exe, args=CHROME_ARGS, headless=True, timeout=20000)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve_dir(directory):
    """Serve `directory` on a free 127.0.0.1 port; returns (server, base_url)."""
    handler = functools.partial(_Quiet, directory=directory)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d/" % srv.server_address[1]


def new_page(browser, errors, init_script=None):
    ctx = browser.new_context()
    if init_script:
        ctx.add_init_script(init_script)
    page = ctx.new_page()
    page.set_default_timeout(5000)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # only local content may load
    page.route(re.compile(r"^(?!(file:|data:|blob:|about:|http://127\.0\.0\.1[:/])).*"), lambda r: r.abort())
    return page


def wait_for(fn, timeout=2.0, step=0.1):
    end = time.time() + timeout
    last = None
    while True:
        try:
            last = fn()
            if last:
                return last
        except Exception:
            last = None
        if time.time() > end:
            return last
        time.sleep(step)


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def short(s, n=160):
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[:n] + "..."


def main(check):
    if len(sys.argv) != 2:
        done(False, "usage: python check.py PROJECT_DIR")
    proj = os.path.abspath(sys.argv[1])
    if not os.path.isdir(proj):
        done(False, "project dir does not exist: %s" % proj)
    try:
        from playwright.sync_api import sync_playwright, Error as PWError
    except ImportError:
        done(False, "checker needs playwright (pip install playwright)")
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                why = check(proj, browser)
            finally:
                browser.close()
    except Fail as e:
        done(False, str(e))
    except PWError as e:
        done(False, "browser step failed: %s" % str(e).splitlines()[0] if str(e) else "browser error")
    except Exception as e:
        done(False, "unexpected %s: %s" % (type(e).__name__, e))
    done(True, why)


def find_html(proj):
    htmls = []
    for root, dirs, files in os.walk(proj):
        dirs[:] = [d for d in dirs if d not in ("node_modules", ".git", "reference")]
        if os.path.relpath(root, proj).count(os.sep) > 1:
            continue
        htmls += [os.path.join(root, f) for f in files if f.lower().endswith((".html", ".htm"))]
    if not htmls:
        raise Fail("no .html file in the project")
    def key(p):
        rel = os.path.relpath(p, proj)
        has_box = bool(re.search(r"<textarea|<input", read_text(p), re.I))
        return (not has_box, os.path.basename(p).lower() != "index.html", rel.count(os.sep), rel)
    return sorted(htmls, key=key)[0]


def tokens(text):
    return set(re.findall(r"(?<![\w.,])\d+(?![\w]|[.,]\d)", text))


def check(proj, browser):
    html = find_html(proj)
    rel = os.path.relpath(html, proj)
    errors = []
    page = new_page(browser, errors)
    page.goto("file://" + html)
    box = page.locator("textarea")
    if box.count() == 0:
        box = page.locator("input[type=text], input:not([type]), [contenteditable=true]")
    if box.count() == 0:
        raise Fail("%s has no text box (textarea or text input)" % rel)
    box = box.first
    box.click()
    box.press_sequentially("the quick brown fox", delay=10)
    body = lambda: page.inner_text("body")
    ok = wait_for(lambda: {"19", "4"} <= tokens(body()))
    if not ok:
        raise Fail("after typing 'the quick brown fox' the page should show 19 characters and 4 words; page text: %s%s"
                   % (short(body()), ("; JS errors: " + short("; ".join(errors))) if errors else ""))
    box.press("Control+a")
    box.press("Backspace")
    box.press_sequentially("one two  three four five six", delay=10)
    ok = wait_for(lambda: {"28", "6"} <= tokens(body()) and "19" not in tokens(body()))
    if not ok:
        raise Fail("after replacing the text with 'one two  three four five six' the page should show 28 characters and 6 words; page text: %s" % short(body()))
    box.press("Control+a")
    box.press("Backspace")
    ok = wait_for(lambda: "0" in tokens(body()) and "28" not in tokens(body()))
    if not ok:
        raise Fail("after clearing the box the counts should drop to 0; page text: %s" % short(body()))
    return "%s updates character and word counts live while typing (19/4, 28/6, 0)" % rel


if __name__ == "__main__":
    main(check)
