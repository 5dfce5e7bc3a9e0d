"""Page examples: a project's HTML page in headless Chromium, driven by Playwright.

The page is opened from the sandbox's copy as `file://` (how a person opens what they
downloaded), every http(s)/ws request is refused, and Chromium itself runs inside the sandbox's
namespaces where those exist (read-only filesystem but the copy, no network) with the
sandbox's empty environment. A Chrome extension (a `manifest.json` with a popup) is loaded as an
extension and its popup opened at its `chrome-extension://` address, as the browser would.
Without Playwright or a browser the example is *not run*, never passed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import mimetypes
import os
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..records import Example, ExampleResult, PageStep
from .browser_find import find_browser
from .programs import css_selector
from .sandbox import Sandbox

STEP_MS = 3000
TEXT_WAIT_S = 1.0
_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--headless=new",
]
ORIGIN = "http://project.localhost/"  # a page with ES modules is served from here, from the copy
_MODULE = re.compile(r"""<script\b[^>]*\btype\s*=\s*["']?module""", re.I)
NO_BROWSER = "no Chrome, Edge or Chromium found (install one, or set SMOL_BROWSER to its path)"
_LOCAL = ("file:", "data:", "blob:", "about:", "chrome-extension:", "chrome:", "devtools:")


def browser_path() -> str | None:
    """The Chromium-family browser to drive (see browser_find: $SMOL_BROWSER, PATH, where each
    OS installs Chrome, Edge or Chromium, Playwright's own)."""
    return find_browser()


def unavailable() -> str:
    """Why pages can't be checked here ("" when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements.txt)"
    if browser_path() is None:
        return NO_BROWSER
    return ""


def fetch_offered(hosted: bool, run_examples: bool) -> bool:
    """Whether the page offers to fetch Playwright's Chromium: pages are checked here, none
    was found, and the studio is the person's own (a visitor never fills its owner's disk)."""
    return not hosted and run_examples and unavailable() == NO_BROWSER


def extension_popup(contents: Mapping[str, str]) -> str | None:
    """The popup page of a Chrome extension project, if it is one."""
    try:
        manifest = json.loads(contents.get("manifest.json", ""))
    except ValueError:
        return None
    if not isinstance(manifest, dict) or "manifest_version" not in manifest:
        return None
    action = manifest.get("action") or manifest.get("browser_action") or {}
    popup = action.get("default_popup") if isinstance(action, dict) else None
    return popup if isinstance(popup, str) and popup in contents else None


def run_page(example: Example, box: Sandbox, popup: str | None) -> ExampleResult:
    """Open the page, do the steps, expect no JavaScript error (blocking: run it in a thread)."""
    started = time.monotonic()
    why = unavailable()
    if why:
        # A sentence for the person; what a developer would install, in the details.
        return ExampleResult(
            example.name,
            "not_run",
            "page not checked: the browser that checks pages is not set up on this machine",
            detail=why,
            files=(example.page,),
        )
    if not box.isolated and not box.allow_unisolated:
        return ExampleResult(
            example.name, "not_run", "not run: no isolation here", files=(example.page,)
        )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    reached, told = 0, ""
    try:
        with sync_playwright() as pw, _page(pw, box, example.page, popup, errors) as page:
            status, reason, reached, told = _drive(page, example, errors)
    except PlaywrightError as exc:
        status, reason = "fail", f"the browser failed: {_line(str(exc))}"
    detail = (f"Opened {example.page}, then:\n{told}\n" if told else "") + "\n".join(errors[:5])
    return ExampleResult(
        example.name,
        status,
        reason,
        detail=detail[:3000],
        files=(example.page,),
        seconds=round(time.monotonic() - started, 3),
        reached=reached,
    )


def _launcher(box: Sandbox) -> str:
    """The browser's executable: a wrapper that starts it inside the sandbox's isolation (the
    browser's own folder shown read-only) if there is one."""
    real = browser_path() or "chromium"
    if not box.isolated:
        return real
    wrapper = box.top / "browser.sh"
    if not wrapper.exists():
        folder = os.path.dirname(os.path.realpath(shutil.which(real) or real))
        command = " ".join(["exec", *map(_quote, box.command([real], extra=(folder,))), '"$@"'])
        wrapper.write_text("#!/bin/sh\n" + command + "\n")
        wrapper.chmod(0o700)
    return str(wrapper)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


@contextlib.contextmanager
def _page(pw, box: Sandbox, page_path: str, popup: str | None, errors: list[str]) -> Iterator:
    profile = box.top / "tmp" / "browser-profile"
    profile.mkdir(parents=True, exist_ok=True)
    args = list(_ARGS)
    is_popup = popup is not None and page_path == popup
    if is_popup:
        folder = str(box.inside(box.folder))
        args += [f"--disable-extensions-except={folder}", f"--load-extension={folder}"]
    context = pw.chromium.launch_persistent_context(
        str(box.inside(profile)),
        executable_path=_launcher(box),
        headless=True,
        args=args,
        env=box.env(),
        timeout=30_000,
    )
    try:
        context.route("**/*", functools.partial(_route, box))
        context.add_init_script(_READ_AT_START)
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        page.on("pageerror", lambda exc: errors.append(_js_error(exc, box)))
        page.on(
            "console",
            lambda m: errors.append(f"console error: {m.text}") if m.type == "error" else None,
        )
        if is_popup:
            url = f"chrome-extension://{_extension_id(box.inside(box.folder))}/{page_path}"
        else:
            url = _address(box, page_path)
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # scripts that start on load
        yield page
    finally:
        with contextlib.suppress(Exception):
            context.close()


_FRAME = re.compile(r"(?:file://[^\s)]*?/project/|" + re.escape(ORIGIN) + r")([^\s):]+):(\d+)")


def _js_error(exc, box: Sandbox) -> str:
    """The error and where it happened (`app.js line 5`), so a repair knows where to look."""
    message = getattr(exc, "message", "") or str(exc)
    where = _FRAME.search(getattr(exc, "stack", "") or "")
    place = f" (in {where.group(1)}, line {where.group(2)})" if where else ""
    return f"JavaScript error: {message}{place}"


def _address(box: Sandbox, page_path: str) -> str:
    """Where the page is opened: from the disk, as a person opens what they downloaded; a page
    using ES modules, which browsers refuse to load from file://, from an origin of its own
    whose every request is answered from the copy (no network is involved)."""
    if _MODULE.search(box.read(page_path) or ""):
        return ORIGIN + page_path
    return (box.inside(box.folder) / page_path).as_uri()


def _route(box: Sandbox, route) -> None:
    url = route.request.url
    if url.startswith(_LOCAL):
        route.continue_()
        return
    if not url.startswith(ORIGIN):
        route.abort()
        return
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))
    if not box.exists(path):
        route.fulfill(status=404, body="not in the project")
        return
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.endswith("javascript") or path.endswith(".mjs"):
        kind = "text/javascript"
    route.fulfill(status=200, content_type=kind, body=(box.folder / path).read_bytes())


def _extension_id(folder: Path) -> str:
    # Chromium names an unpacked extension after the sha256 of its absolute path.
    digest = hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def _drive(page, example: Example, errors: list[str]) -> tuple[str, str, int, str]:
    """Status, reason, how many steps passed (a repair that gets further is better), and for a
    failed step the steps up to it, in words (what the repair is told was done)."""
    if errors:
        return "fail", f"the page has an error as it loads: {_line(errors[0])}", 0, ""
    if not example.steps:
        return *_smoke(page, errors), 0, ""
    for number, step in enumerate(example.steps, 1):
        problem = _do(page, step)
        if errors:
            problem = _line(errors[0])
        if problem:
            said = [*map(_said, example.steps[: number - 1]), f"{_said(step)}: {problem}"]
            told = "".join(f"{n}. {line}\n" for n, line in enumerate(said, 1))
            return (
                "fail",
                f"step {number} ({step.action} {step.target}): {problem}",
                number - 1,
                told,
            )
    return "pass", "", len(example.steps), ""


def _said(step: PageStep) -> str:
    """A step in a person's words: what a repair is told was done before it failed."""
    target = css_selector(step.target)
    return {
        "click": f"clicked {target}",
        "fill": f"typed {step.value!r} into {target}",
        "text": f"{target} should show {step.value!r}",
        "count": f"{target} should hold {step.value} elements",
        "reload": "opened the page again (reloaded)",
        "stored": _stored_said(step),
    }.get(step.action, step.action)


def _stored_said(step: PageStep) -> str:
    area, _, key = step.target.partition(":")
    return f"{area} should hold {step.value!r} under the key {key!r}"


def _do(page, step: PageStep) -> str:
    selector = css_selector(step.target)
    if step.action == "count":
        found = page.locator(selector).count()
        if step.target[:1] not in ".#[" and " " not in step.target:
            found = page.locator(f"{selector} > *").count()  # an id: count what it holds
        return (
            ""
            if str(found) == step.value.strip()
            else f"expected {step.value.strip()} elements, found {found}"
        )
    if step.action == "stored":
        return _stored(page, step)
    if step.action == "reload":  # what was saved must still show when the page opens again
        _reload(page)
        return ""
    element = page.locator(selector).first
    if element.count() == 0:
        return f"the page has no element {selector}"
    if step.action == "click":
        element.click()
        page.wait_for_timeout(60)
    elif step.action == "fill":
        element.fill(step.value)  # fires `input`
        # A page that reads its field on a key (`keyup`) or on leaving it (`change`) reacts to a
        # person typing too: one key that changes nothing, then the field is left.
        with contextlib.suppress(Exception):
            element.press("End")
            element.dispatch_event("change")
    elif step.action == "text":
        want = " ".join(step.value.split())
        # A script that shows what it read from storage does so a moment later (a callback).
        deadline = time.monotonic() + TEXT_WAIT_S
        while (shown := _shown(element)) != want and not (len(want) > 3 and want in shown):
            if time.monotonic() > deadline:
                return f'expected "{want}", got "{shown[:200]}"'
            page.wait_for_timeout(50)
    return ""


# What the page's localStorage held when its document started, before any of its scripts ran.
_AT_START = "__smol_stored_at_start__"
_READ_AT_START = f"""globalThis.{_AT_START} = (() => {{
  try {{ return JSON.stringify(Object.entries(localStorage)); }} catch (e) {{ return null; }}
}})();"""
_PUT_BACK = (
    """(entries) => { for (const [k, v] of JSON.parse(entries)) localStorage.setItem(k, v); }"""
)


def _reload(page) -> None:
    """The page opened again. Chromium sometimes opens a file:// page again with none of the
    localStorage it wrote (seen 1 time in 10 to 15, plain Playwright and Debian's Chromium 156,
    any pause before the reload): when what the document found at its start lacks what the page
    had stored, that is the browser's loss, not the page's; it is put back and opened again."""
    stored = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    kept = set(map(tuple, json.loads(stored)))
    for _ in range(3):
        page.reload()
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        found = page.evaluate(f"() => globalThis.{_AT_START} ?? null")
        if found is None or kept <= set(map(tuple, json.loads(found))):
            return
        page.evaluate(_PUT_BACK, stored)


_READ_STORED = """([area, key]) => new Promise((done) => {
  setTimeout(() => done({late: true}), 2000);  // a storage that never calls back
  if (area.startsWith("chrome.")) {
    const store = globalThis.chrome && chrome.storage && chrome.storage[area.split(".")[2]];
    if (!store) { done({missing: true}); return; }
    store.get(key, (data) => done({value: data && key in data ? String(data[key]) : null}));
  } else {
    const value = globalThis[area].getItem(key);
    done({value: value === null ? null : String(JSON.parse(JSON.stringify(value)))});
  }
})"""


def _stored(page, step: PageStep) -> str:
    """A number the spec says is kept under a key must be there (a page that shows it right
    from another storage passed a reload, and kept nothing where the spec said)."""
    area, _, key = step.target.partition(":")
    found = page.evaluate(_READ_STORED, [area, key])
    if found.get("missing"):
        return f"{area} is not available on this page"
    if found.get("late"):
        return f"{area} did not answer when read (2 s)"
    value = found.get("value")
    if value is None:
        return f'{area} holds nothing under the key "{key}", expected "{step.value}"'
    if value.strip().strip('"') != step.value:
        return f'{area} holds "{value[:80]}" under the key "{key}", expected "{step.value}"'
    return ""


def _shown(element) -> str:
    tag = (element.evaluate("e => e.tagName") or "").lower()
    text = (
        element.input_value() if tag in ("input", "textarea", "select") else element.text_content()
    )
    return " ".join((text or "").split())


# What a control can change that a person would notice: the page, field values, the title,
# the address, and what it stores (an extension's chrome.storage included).
_SNAPSHOT = """async () => {
  const values = [...document.querySelectorAll('input, textarea, select')]
    .map(e => e.type === 'checkbox' || e.type === 'radio' ? String(e.checked) : e.value);
  let stored = '';
  try {
    if (globalThis.chrome && chrome.storage && chrome.storage.local) {
      stored = JSON.stringify(await new Promise(r => chrome.storage.local.get(null, r)));
    }
  } catch (e) {}
  return [document.body ? document.body.innerHTML : '', values.join('\\u0000'),
          document.title, location.href, JSON.stringify(localStorage),
          JSON.stringify(sessionStorage), stored].join('\\u0001');
}"""


def _smoke(page, errors: list[str]) -> tuple[str, str]:
    """No example for this page: it must load cleanly, and its buttons must change something
    (text inputs are filled first, since many buttons rightly ignore an empty input). A dialog
    or a console message counts as doing something too."""
    said: list[str] = []

    def dialog(d) -> None:
        said.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on("console", lambda m: said.append(m.text) if m.type != "error" else None)
    for field in page.locator("input[type=text], input:not([type]), textarea").all()[:5]:
        with contextlib.suppress(Exception):
            field.fill("example")
    for field in page.locator("input[type=number]").all()[:5]:
        with contextlib.suppress(Exception):
            field.fill("3")
    buttons = page.locator("button, input[type=button], input[type=submit]").all()[:6]
    changed = False
    for button in buttons:
        # Compared click by click: "+" then "Reset" ends where it began, yet both worked.
        before, heard = page.evaluate(_SNAPSHOT), len(said)
        with contextlib.suppress(Exception):
            button.click(timeout=1000)
            page.wait_for_timeout(60)
        changed = changed or len(said) > heard or page.evaluate(_SNAPSHOT) != before
    if errors:
        return "fail", f"clicking its buttons raised an error: {_line(errors[0])}"
    if buttons and not changed:
        return "fail", f"clicking its {len(buttons)} button(s) changed nothing on the page"
    return "pass", ""


def _line(text: str, limit: int = 240) -> str:
    return " ".join(text.split())[:limit]
