"""Page checks find the browser a person already has, where their OS installs it, and where
there is none the page offers one button that fetches Playwright's Chromium (issue 33).

Real files in a temporary tree stand for each OS's install places; the fetch runs a stand-in
command (SMOL_BROWSER_FETCH_COMMAND) that prints what Playwright prints and puts a browser
where Playwright would: nothing is downloaded.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from smol_core.running.browser import NO_BROWSER, unavailable
from smol_core.running.browser_find import (
    FETCH_COST,
    candidates,
    fetch_command,
    find_browser,
)
from tests.kit import new_app, ok


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_chrome_edge_or_chromium_is_found_where_each_os_installs_it(tmp_path):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    home = tmp_path / "home"
    mac = executable(home / "Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")
    assert find_browser({"PATH": str(empty)}, "Darwin", home) == str(mac)
    assert Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome") in candidates(
        "Darwin", {}, home
    )
    windows = {
        "PATH": str(empty),
        "LOCALAPPDATA": str(tmp_path / "local"),
        "PROGRAMFILES": str(tmp_path / "pf"),
    }
    edge = executable(tmp_path / "pf/Microsoft/Edge/Application/msedge.exe")
    assert find_browser(windows, "Windows", home) == str(edge)
    chrome = executable(tmp_path / "local/Google/Chrome/Application/chrome.exe")
    assert find_browser({**windows, "PROGRAMFILES": ""}, "Windows", home) == str(chrome)
    linux = candidates("Linux", {}, home)
    assert Path("/opt/google/chrome/chrome") in linux
    assert Path("/opt/microsoft/msedge/msedge") in linux
    # A name on PATH comes first, as a shell would find it.
    on_path = executable(tmp_path / "bin/google-chrome")
    assert find_browser({"PATH": str(on_path.parent)}, "Darwin", home) == str(on_path)
    # Playwright's own Chromium, newest build, where `playwright install` puts it.
    cache = {"PATH": str(empty), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    executable(tmp_path / "cache/ms-playwright/chromium-1200/chrome-linux64/chrome")
    newer = executable(tmp_path / "cache/ms-playwright/chromium-1255/chrome-linux64/chrome")
    assert find_browser(cache, "Linux", tmp_path / "nohome") == str(newer)
    assert find_browser({"PATH": str(empty)}, "Darwin", tmp_path / "nohome") is None


def test_the_fetch_is_playwrights_own_chromium_unless_told_otherwise():
    default = [sys.executable, "-m", "playwright", "install", "--no-shell", "chromium"]
    assert fetch_command({}) == default
    assert fetch_command({"SMOL_BROWSER_FETCH_COMMAND": "mirror-fetch --to 'a b'"}) == [
        "mirror-fetch",
        "--to",
        "a b",
    ]


FAKE_FETCH = """
    import json, os, sys, time
    from pathlib import Path
    Path(sys.argv[1]).write_text(json.dumps({"argv": sys.argv[2:],
                                             "keys": [k for k in os.environ if "KEY" in k]}))
    print("Downloading Chrome for Testing 159.0 (playwright chromium v1255) from https://x/c.zip")
    for p in (0, 10, 50, 100):
        print(f"|{'■' * (p // 10):<10}| {p:3d}% of 184.3 MiB", flush=True)
        time.sleep(0.05)
    if sys.argv[2] == "fail":
        print("Error: getaddrinfo ENOTFOUND (no network)")
        sys.exit(1)
    exe = Path(os.environ["PLAYWRIGHT_BROWSERS_PATH"], "chromium-1255/chrome-linux64/chrome")
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\\n")
    exe.chmod(0o755)
"""


def sidebar_text(at) -> str:
    parts = [*at.sidebar.info, *at.sidebar.caption, *at.sidebar.success, *at.sidebar.error]
    return "\n".join(p.value for p in parts)


def test_no_browser_means_one_button_that_fetches_one(page_env, monkeypatch, tmp_path):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    script = tmp_path / "fake_fetch.py"
    script.write_text(textwrap.dedent(FAKE_FETCH))
    ran = tmp_path / "ran.json"
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-to-the-fetch")
    for name in ("SMOL_BROWSER", "CHROMIUM_PATH"):
        monkeypatch.delenv(name, raising=False)
    command = f"{sys.executable} {script} {ran} fail"
    monkeypatch.setenv("SMOL_BROWSER_FETCH_COMMAND", command)
    at = ok(new_app().run())
    assert unavailable() == NO_BROWSER
    said = sidebar_text(at)
    assert NO_BROWSER in said and f"It costs {FETCH_COST}." in said
    # A fetch that fails says why (its last line) and the button comes back.
    ok(at.button(key="btn_get_browser").click().run())
    assert "The browser could not be fetched: Error: getaddrinfo ENOTFOUND" in sidebar_text(at)
    assert json.loads(ran.read_text()) == {"argv": ["fail"], "keys": []}  # no key to the child
    ok(at.run())
    assert at.button(key="btn_get_browser")
    monkeypatch.setenv("SMOL_BROWSER_FETCH_COMMAND", command.replace("fail", "ok"))
    ok(at.button(key="btn_get_browser").click().run())
    assert "Chromium is ready: pages will be checked." in sidebar_text(at)
    assert json.loads(ran.read_text())["argv"] == ["ok"]
    assert unavailable() == ""  # the browser it put there is the one pages are checked with
    ok(at.run())
    assert not [b for b in at.sidebar.button if b.key == "btn_get_browser"]
