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


STUB = r"""
(() => {
  const init = __INIT__;
  const clone = v => v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  window.__stores = {};
  function area(name) {
    const data = Object.assign({}, init[name] || {});
    window.__stores[name] = data;
    function pick(keys) {
      const out = {};
      if (keys === null || keys === undefined) { for (const k in data) out[k] = clone(data[k]); return out; }
      if (typeof keys === 'string') keys = [keys];
      if (Array.isArray(keys)) { for (const k of keys) if (k in data) out[k] = clone(data[k]); return out; }
      for (const k in keys) out[k] = (k in data) ? clone(data[k]) : keys[k];
      return out;
    }
    const wrap = fn => function (...args) {
      const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
      const res = fn(...args);
      if (cb) { setTimeout(() => cb(res), 0); return undefined; }
      return Promise.resolve(res);
    };
    return {
      get: wrap(keys => pick(keys)),
      set: wrap(items => { for (const k in items) data[k] = clone(items[k]); }),
      remove: wrap(keys => { for (const k of (typeof keys === 'string' ? [keys] : keys)) delete data[k]; }),
      clear: wrap(() => { for (const k in data) delete data[k]; }),
      getBytesInUse: wrap(() => JSON.stringify(data).length),
    };
  }
  if (!window.chrome) window.chrome = {};
  const noopEvent = { addListener() {}, removeListener() {}, hasListener() { return false; } };
  window.chrome.storage = { local: area('local'), sync: area('sync'), session: area('session'), onChanged: noopEvent };
  window.chrome.runtime = Object.assign({ lastError: undefined, id: 'checkerextensionid', getURL: p => p,
                                          onMessage: noopEvent, sendMessage() {} }, window.chrome.runtime || {});
  window.chrome.tabs = window.chrome.tabs || { query: (q, cb) => cb ? cb([]) : Promise.resolve([]), create() {} };
})();
"""


def stub_script(local=None, sync=None):
    return STUB.replace("__INIT__", json.dumps({"local": local or {}, "sync": sync or {}}))


def find_manifest(proj):
    hits = []
    for root, dirs, files in os.walk(proj):
        dirs[:] = [d for d in dirs if d not in ("node_modules", ".git", "reference")]
        if os.path.relpath(root, proj).count(os.sep) > 1:
            continue
        if "manifest.json" in files:
            hits.append(os.path.join(root, "manifest.json"))
    if not hits:
        raise Fail("no manifest.json in the project")
    return sorted(hits, key=lambda p: (os.path.relpath(p, proj).count(os.sep), p))[0]


def load_manifest(path):
    try:
        with open(path, encoding="utf-8-sig") as fh:
            m = json.load(fh)
    except ValueError as e:
        raise Fail("manifest.json is not valid JSON: %s" % e)
    if not isinstance(m, dict):
        raise Fail("manifest.json is not a JSON object")
    if m.get("manifest_version") != 3:
        raise Fail("manifest_version is %r, expected 3" % m.get("manifest_version"))
    for k in ("name", "version"):
        if not isinstance(m.get(k), str) or not m.get(k).strip():
            raise Fail("manifest.json lacks a %r string (Chrome refuses to load it)" % k)
    if "browser_action" in m or "page_action" in m:
        raise Fail("manifest.json uses browser_action/page_action, which Manifest V3 does not allow")
    popup = (m.get("action") or {}).get("default_popup") if isinstance(m.get("action"), dict) else None
    if not popup:
        raise Fail("manifest.json has no action.default_popup")
    return m, popup


def csp_problems(html_path):
    """Things Manifest V3's extension CSP blocks in a popup (so they silently do nothing)."""
    html = read_text(html_path)
    base = os.path.dirname(html_path)
    probs = []
    for m in re.finditer(r"<script\b([^>]*)>(.*?)</script\s*>", html, re.I | re.S):
        attrs, body = m.group(1), m.group(2)
        src = re.search(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", attrs, re.I)
        if not src:
            if body.strip():
                probs.append("inline <script> (blocked by the MV3 content security policy)")
            continue
        s = src.group(1)
        if re.match(r"(https?:)?//", s):
            probs.append("remote script %s (not allowed in MV3)" % s)
        elif not os.path.isfile(os.path.join(base, s.split("?")[0].lstrip("/"))):
            probs.append("script %s does not exist" % s)
    if re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I):
        probs.append("inline on...= event handler attribute (blocked by the MV3 content security policy)")
    if re.search(r"""href\s*=\s*["']\s*javascript:""", html, re.I):
        probs.append("javascript: URL (blocked by the MV3 content security policy)")
    return probs


def txt(page, sel):
    return " ".join(page.locator(sel).first.inner_text().split())


def open_popup(browser, url, errors, local):
    page = new_page(browser, errors, init_script=stub_script(local=local))
    page.goto(url)
    for sel in ("#note", "#save", "#clear", "#status", "#count"):
        if page.locator(sel).count() != 1:
            raise Fail("popup.html should have exactly one %s element (found %d)" % (sel, page.locator(sel).count()))
    if page.eval_on_selector("#note", "e => e.tagName") != "TEXTAREA":
        raise Fail("#note should be a <textarea>")
    return page


def expect(cond, msg):
    if not wait_for(cond, timeout=2.0):
        raise Fail(msg())


def check(proj, browser):
    mpath = os.path.join(proj, "manifest.json")
    if not os.path.isfile(mpath):
        raise Fail("missing file manifest.json")
    m, popup = load_manifest(mpath)
    if m.get("name") != "Quick Note" or m.get("version") != "1.0":
        raise Fail("manifest name/version are %r/%r, expected 'Quick Note'/'1.0'" % (m.get("name"), m.get("version")))
    if popup.lstrip("./") != "popup.html":
        raise Fail("action.default_popup is %r, expected popup.html" % popup)
    if "storage" not in (m.get("permissions") or []):
        raise Fail("manifest permissions %r lack 'storage'" % m.get("permissions"))
    for f in ("popup.html", "popup.js"):
        if not os.path.isfile(os.path.join(proj, f)):
            raise Fail("missing file %s" % f)
    probs = csp_problems(os.path.join(proj, "popup.html"))
    if probs:
        raise Fail("popup.html: " + "; ".join(probs))

    srv, base = serve_dir(proj)
    try:
        url = base + "popup.html"
        errors = []
        page = open_popup(browser, url, errors, {})
        expect(lambda: txt(page, "#count") == "0 characters",
               lambda: "empty popup: #count shows %r, expected '0 characters'" % txt(page, "#count"))
        page.click("#note")
        page.keyboard.type("Buy milk", delay=10)
        expect(lambda: txt(page, "#count") == "8 characters",
               lambda: "after typing 'Buy milk' #count shows %r, expected '8 characters'" % txt(page, "#count"))
        page.click("#save")
        expect(lambda: page.evaluate("() => window.__stores.local.note") == "Buy milk",
               lambda: "after Save chrome.storage.local holds %r, expected {'note': 'Buy milk'}%s" % (
                   page.evaluate("() => window.__stores"), ("; JS errors: " + short("; ".join(errors))) if errors else ""))
        expect(lambda: "Saved" in txt(page, "#status"),
               lambda: "after Save #status shows %r, expected 'Saved'" % txt(page, "#status"))
        page.context.close()

        page = open_popup(browser, url, errors, {"note": "Buy milk"})
        expect(lambda: page.input_value("#note") == "Buy milk",
               lambda: "reopening the popup should load 'Buy milk' into #note, it has %r" % page.input_value("#note"))
        expect(lambda: txt(page, "#count") == "8 characters",
               lambda: "after loading the saved note #count shows %r, expected '8 characters'" % txt(page, "#count"))
        page.click("#note")
        page.keyboard.press("End")
        page.keyboard.type(" and eggs", delay=10)
        expect(lambda: txt(page, "#count") == "17 characters",
               lambda: "after typing ' and eggs' #count shows %r, expected '17 characters'" % txt(page, "#count"))
        page.click("#save")
        expect(lambda: page.evaluate("() => window.__stores.local.note") == "Buy milk and eggs",
               lambda: "second Save stored %r" % page.evaluate("() => window.__stores.local"))
        page.click("#clear")
        expect(lambda: page.input_value("#note") == "" and "note" not in page.evaluate("() => window.__stores.local"),
               lambda: "after Clear #note is %r and storage is %r; expected empty and no 'note' key"
               % (page.input_value("#note"), page.evaluate("() => window.__stores.local")))
        expect(lambda: "Cleared" in txt(page, "#status"),
               lambda: "after Clear #status shows %r, expected 'Cleared'" % txt(page, "#status"))
        expect(lambda: txt(page, "#count") == "0 characters",
               lambda: "after Clear #count shows %r, expected '0 characters'" % txt(page, "#count"))
        page.context.close()
        if errors:
            raise Fail("JavaScript errors in the popup: %s" % short("; ".join(errors)))
    finally:
        srv.shutdown()
        srv.server_close()
    return "manifest is valid MV3 with storage; popup loads, counts, saves to and clears chrome.storage.local as specified"


if __name__ == "__main__":
    main(check)
