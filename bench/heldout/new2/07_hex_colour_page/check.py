"""Check for new2/07_hex_colour_page (vague spec): python check.py PROJECT_DIR

Needs Playwright's Python package and Chromium (path from $CHROMIUM, default
/usr/bin/chromium). The spec names no file, so the check uses the one .html file
(index.html if there are several), served from a 127.0.0.1 http.server. It types a hex
code into the page's text input (or colour input if that's all there is), then, if
nothing happened yet, presses Enter and clicks the page's buttons. It then wants the
red, green and blue numbers in the page text (in that order, or labelled red/green/blue)
and some element painted in that colour.
"""
import functools
import http.server
import os
import re
import sys
import threading


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])

pages = []
for root, dirs, files in os.walk(P):
    dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__")]
    pages += [os.path.relpath(os.path.join(root, f), P) for f in files if f.lower().endswith((".html", ".htm"))]
if not pages:
    fail("no .html file found")
page_file = "index.html" if "index.html" in pages else sorted(pages, key=lambda p: (p.count(os.sep), p))[0]

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    fail("Playwright's Python package is not installed")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

COLOURS = [("#ff8800", (255, 136, 0)), ("#0a141e", (10, 20, 30)), ("#c0ffee", (192, 255, 238))]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def numbers(text):
    return [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d])", text)]


def rgb_in_text(text, rgb):
    nums = numbers(text)
    for i in range(len(nums) - 2):
        if tuple(nums[i:i + 3]) == rgb:
            return True
    labelled = []
    for names in (("red", "r"), ("green", "g"), ("blue", "b")):
        m = re.search(r"(?i)\b(?:%s)\b\s*[:=]?\s*(\d+)" % "|".join(names), text)
        labelled.append(int(m.group(1)) if m else None)
    return tuple(labelled) == rgb


PAINTED_JS = """(want) => {
  for (const el of document.querySelectorAll('*')) {
    const bg = getComputedStyle(el).backgroundColor.replace(/\\s/g, '');
    if (bg === want) return true;
  }
  return false;
}"""


def shown(page, rgb):
    try:
        text = page.inner_text("body")
        painted = page.evaluate(PAINTED_JS, "rgb(%d,%d,%d)" % rgb)
    except Exception:
        return False, ""
    return rgb_in_text(text, rgb) and painted, text


def find_input(page):
    for sel in ("input[type=text]:visible", "input:not([type]):visible", "input[type=search]:visible",
                "textarea:visible", "input[type=color]"):
        loc = page.locator(sel)
        if loc.count():
            return loc.first, sel
    return None, None


def enter_colour(page, hexcode, rgb):
    box, sel = find_input(page)
    if box is None:
        return False, "no input box found"
    box.fill(hexcode)
    page.wait_for_timeout(300)
    ok, text = shown(page, rgb)
    if ok:
        return True, ""
    if "color" not in sel:
        box.press("Enter")
        page.wait_for_timeout(300)
        ok, text = shown(page, rgb)
        if ok:
            return True, ""
    buttons = page.locator("button:visible, input[type=button]:visible, input[type=submit]:visible")
    for i in range(buttons.count()):
        box, sel = find_input(page)
        if box is not None and "color" not in sel and box.input_value() != hexcode:
            box.fill(hexcode)
        try:
            buttons.nth(i).click(timeout=2000)
        except Exception:
            continue
        page.wait_for_timeout(300)
        ok, text = shown(page, rgb)
        if ok:
            return True, ""
    return False, "after entering %s the page does not show %r with an element painted that colour; page text: %r" % (
        hexcode, rgb, text[:200])


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=P))
thread = threading.Thread(target=server.serve_forever, daemon=True)
thread.start()
problem = None
try:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            url = "http://127.0.0.1:%d/%s" % (server.server_address[1], page_file.replace(os.sep, "/"))
            page.goto(url, timeout=15000)
            page.wait_for_load_state("load", timeout=15000)
            for hexcode, rgb in COLOURS:
                ok, why = enter_colour(page, hexcode, rgb)
                if not ok:
                    problem = why + ((" (page errors: %s)" % errors[:2]) if errors else "")
                    break
        finally:
            browser.close()
except Exception as e:
    problem = problem or "browser check crashed: %s" % str(e).splitlines()[0][:300]
finally:
    server.shutdown()
    server.server_close()

if problem:
    fail(problem)
print("PASS: %s shows the RGB numbers and the colour for %s" % (page_file, ", ".join(c for c, _ in COLOURS)))
sys.exit(0)
