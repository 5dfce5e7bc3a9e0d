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


ERR = "Please enter a valid bill and number of people."


def text(page, sel):
    return " ".join(page.locator(sel).first.inner_text().split())


def run_case(page, bill, tip, people):
    page.fill("#bill", bill)
    if tip is not None:
        page.select_option("#tip", value=tip)
    page.fill("#people", people)
    page.click("#calculate")
    page.wait_for_timeout(150)
    return text(page, "#tip-amount"), text(page, "#total"), text(page, "#per-person"), text(page, "#error")


def check(proj, browser):
    html = os.path.join(proj, "index.html")
    if not os.path.isfile(html):
        raise Fail("missing file index.html")
    errors = []
    page = new_page(browser, errors)
    page.goto("file://" + html)
    for sel in ("#bill", "#tip", "#people", "#calculate", "#tip-amount", "#total", "#per-person", "#error"):
        if page.locator(sel).count() != 1:
            raise Fail("index.html should have exactly one element %s (found %d)" % (sel, page.locator(sel).count()))
    if page.eval_on_selector("#tip", "e => e.tagName") != "SELECT":
        raise Fail("#tip should be a <select>")
    vals = page.eval_on_selector("#tip", "e => Array.from(e.options).map(o => o.value.trim())")
    if [v.rstrip("%") for v in vals] != ["10", "15", "18", "20", "25"]:
        raise Fail("#tip option values are %r, expected 10, 15, 18, 20, 25" % vals)
    if page.eval_on_selector("#tip", "e => e.value").rstrip("%") != "15":
        raise Fail("#tip should have 15 selected by default")
    if page.eval_on_selector("#people", "e => e.value").strip() != "1":
        raise Fail("#people should start at 1")
    pct = lambda v: next(x for x in vals if x.rstrip("%") == v)
    cases = [
        (("84.50", pct("20"), "3"), ("$16.90", "$101.40", "$33.80")),
        (("10", pct("18"), "3"), ("$1.80", "$11.80", "$3.94")),
        (("200", pct("15"), "1"), ("$30.00", "$230.00", "$230.00")),
        (("47.31", pct("25"), "4"), ("$11.83", "$59.14", "$14.79")),
        (("0.1", pct("10"), "2"), ("$0.01", "$0.11", "$0.06")),
    ]
    for (bill, tip, people), want in cases:
        got = run_case(page, bill, tip, people)
        if got[:3] != want:
            raise Fail("bill %s, tip %s%%, people %s: got tip/total/per-person %r, expected %r%s"
                       % (bill, tip.rstrip("%"), people, got[:3], want,
                          ("; JS errors: " + short("; ".join(errors))) if errors else ""))
        if got[3]:
            raise Fail("a successful calculation should leave #error empty, it shows %r" % got[3])
    for bill, people in (("", "2"), ("-5", "2"), ("50", "0")):
        got = run_case(page, bill, None, people)
        if got[3] != ERR:
            raise Fail("bill %r, people %r: #error shows %r, expected %r" % (bill, people, got[3], ERR))
        if any(got[:3]):
            raise Fail("bill %r, people %r: results should be cleared, got %r" % (bill, people, got[:3]))
    got = run_case(page, "60", pct("10"), "2")
    if got != ("$6.00", "$66.00", "$33.00", ""):
        raise Fail("after an error, a valid calculation should show results and clear #error, got %r" % (got,))
    return "ids, default tip, amounts (with round-up per person), error message and clearing all match"


if __name__ == "__main__":
    main(check)
