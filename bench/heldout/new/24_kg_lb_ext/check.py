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


KG_TO_LB = 2.20462262185
FIELDS = "input[type=number], input[type=text], input:not([type]), input[type=tel], textarea"


def numbers_shown(page, skip_index):
    """All numbers visible in the popup: text plus values of the other input fields."""
    vals = page.evaluate("""(skip) => {
        const inputs = Array.from(document.querySelectorAll('%s'));
        const out = [document.body.innerText];
        inputs.forEach((e, i) => { if (i !== skip) out.push(e.value); });
        document.querySelectorAll('output').forEach(o => out.push(o.value || o.textContent));
        return out;
    }""" % FIELDS, skip_index)
    nums = []
    for v in vals:
        nums += [float(x) for x in re.findall(r"-?\d+(?:[.,]\d+)?", (v or "").replace(",", "."))]
    return nums


def close(nums, target, tol=0.06):
    return any(abs(n - target) <= tol for n in nums)


def type_into(page, idx, text):
    field = page.locator(FIELDS).nth(idx)
    field.click()
    field.press("Control+a")
    field.press("Backspace")
    field.press_sequentially(text, delay=20)


def check(proj, browser):
    mpath = find_manifest(proj)
    ext_dir = os.path.dirname(mpath)
    m, popup = load_manifest(mpath)
    popup_path = os.path.join(ext_dir, popup.split("?")[0].lstrip("/"))
    if not os.path.isfile(popup_path):
        raise Fail("action.default_popup %r does not exist" % popup)
    probs = csp_problems(popup_path)
    if probs:
        raise Fail("%s: %s" % (popup, "; ".join(probs)))
    srv, base = serve_dir(ext_dir)
    try:
        errors = []
        page = new_page(browser, errors, init_script=stub_script())
        page.goto(base + os.path.relpath(popup_path, ext_dir).replace(os.sep, "/"))
        n = page.locator(FIELDS).count()
        if n == 0:
            raise Fail("the popup has no input box to type a weight into")
        # Type 10 into the first box: either 10 kg -> 22.05 lb or 10 lb -> 4.54 kg must appear, live.
        type_into(page, 0, "10")
        got = wait_for(lambda: (close(numbers_shown(page, 0), 10 * KG_TO_LB) and "kg->lb")
                       or (close(numbers_shown(page, 0), 10 / KG_TO_LB) and "lb->kg"), timeout=2.0)
        if not got:
            raise Fail("typing 10 into the first box showed no conversion (expected 22.05 lb or 4.54 kg while typing); "
                       "numbers shown: %r%s" % (numbers_shown(page, 0)[:8],
                                                ("; JS errors: " + short("; ".join(errors))) if errors else ""))
        first_dir = got
        type_into(page, 0, "72.5")
        want = 72.5 * KG_TO_LB if first_dir == "kg->lb" else 72.5 / KG_TO_LB
        if not wait_for(lambda: close(numbers_shown(page, 0), want), timeout=2.0):
            raise Fail("typing 72.5 (%s) should show about %.2f; numbers shown: %r" % (first_dir, want, numbers_shown(page, 0)[:8]))
        if n >= 2:
            # the other box converts the other way
            type_into(page, 1, "100")
            want = 100 / KG_TO_LB if first_dir == "kg->lb" else 100 * KG_TO_LB
            if not wait_for(lambda: close(numbers_shown(page, 1), want), timeout=2.0):
                raise Fail("typing 100 into the second box should convert the other way (about %.2f); numbers shown: %r"
                           % (want, numbers_shown(page, 1)[:8]))
            other = "both directions"
        else:
            other = "one box"
        if errors:
            raise Fail("JavaScript errors in the popup: %s" % short("; ".join(errors)))
    finally:
        srv.shutdown()
        srv.server_close()
    return "MV3 manifest with popup %s; converts live while typing (%s, %s)" % (popup, first_dir, other)


if __name__ == "__main__":
    main(check)
