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


def t(page, sel):
    return " ".join(page.locator(sel).first.inner_text().split())


def state_is(page, count, goal, what):
    def ok():
        return t(page, "#count") == str(count) and t(page, "#goal-text") == "%d / %d glasses" % (count, goal)
    if not wait_for(ok, timeout=1.5):
        raise Fail("%s: expected #count %r and #goal-text %r, got %r and %r"
                   % (what, str(count), "%d / %d glasses" % (count, goal), t(page, "#count"), t(page, "#goal-text")))
    msg = t(page, "#message")
    if count >= goal and "Goal reached!" not in msg:
        raise Fail("%s: count %d reached goal %d but #message is %r" % (what, count, goal, msg))
    if count < goal and msg:
        raise Fail("%s: count %d below goal %d but #message is %r" % (what, count, goal, msg))


def stored(page):
    raw = page.evaluate("() => localStorage.getItem('water-tracker')")
    if raw is None:
        raise Fail("nothing saved in localStorage under 'water-tracker'")
    try:
        return json.loads(raw)
    except ValueError:
        raise Fail("localStorage 'water-tracker' is not JSON: %r" % raw)


def has(s, want):
    return isinstance(s, dict) and all(s.get(k) == v for k, v in want.items())


def click(page, sel, n=1):
    for _ in range(n):
        page.click(sel)


def check(proj, browser):
    if not os.path.isfile(os.path.join(proj, "index.html")):
        raise Fail("missing file index.html")
    srv, base = serve_dir(proj)
    try:
        errors = []
        page = new_page(browser, errors)
        page.goto(base + "index.html")
        for sel in ("#count", "#goal-text", "#add", "#remove", "#reset", "#message", "#goal", "#set-goal"):
            if page.locator(sel).count() != 1:
                raise Fail("index.html should have exactly one %s element (found %d)" % (sel, page.locator(sel).count()))
        today = page.evaluate("() => { const d = new Date(); const p = n => String(n).padStart(2, '0');"
                              " return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()); }")
        state_is(page, 0, 8, "fresh page")
        click(page, "#add", 3)
        state_is(page, 3, 8, "after 3 x #add")
        click(page, "#remove", 4)
        state_is(page, 0, 8, "after 4 x #remove from 3 (never below 0)")
        click(page, "#add", 8)
        state_is(page, 8, 8, "after 8 x #add")
        s = stored(page)
        if not has(s, {"date": today, "count": 8, "goal": 8}):
            raise Fail("localStorage 'water-tracker' is %r, expected %r" % (s, {"date": today, "count": 8, "goal": 8}))
        page.reload()
        state_is(page, 8, 8, "after reloading the page")
        page.fill("#goal", "10")
        page.click("#set-goal")
        state_is(page, 8, 10, "after setting goal 10")
        for bad in ("0", "21", "2.5"):
            page.fill("#goal", bad)
            page.click("#set-goal")
            state_is(page, 8, 10, "after trying to set invalid goal %s" % bad)
        click(page, "#add", 2)
        state_is(page, 10, 10, "after 2 more glasses with goal 10")
        s = stored(page)
        if not has(s, {"goal": 10, "count": 10}):
            raise Fail("after goal 10 and 10 glasses localStorage holds %r" % s)
        click(page, "#reset")
        state_is(page, 0, 10, "after #reset")
        page.reload()
        state_is(page, 0, 10, "after reset and reload")
        page.evaluate("() => localStorage.setItem('water-tracker', JSON.stringify({date: '2000-01-01', count: 5, goal: 6}))")
        page.reload()
        state_is(page, 0, 6, "saved data from another day (count 5, goal 6)")
        click(page, "#add")
        s = stored(page)
        if not has(s, {"date": today, "count": 1, "goal": 6}):
            raise Fail("after a new day and one glass localStorage is %r, expected %r" % (s, {"date": today, "count": 1, "goal": 6}))
        page.evaluate("() => localStorage.setItem('water-tracker', JSON.stringify({date: '%s', count: 4, goal: 5}))" % today)
        page.reload()
        state_is(page, 4, 5, "saved data from today (count 4, goal 5)")
        if errors:
            raise Fail("JavaScript errors on the page: %s" % short("; ".join(errors)))
    finally:
        srv.shutdown()
        srv.server_close()
    return "counting, never below 0, goal message, goal validation, localStorage format, restore and day rollover all work"


if __name__ == "__main__":
    main(check)
