"""The Chromium-family browser that checks pages: one the person already has (Chrome, Edge or
Chromium, where Linux, macOS and Windows install them), or Playwright's own Chromium, which
the page offers to fetch with one button when there is none.
"""

from __future__ import annotations

import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# What `playwright install --no-shell chromium` fetches (Chrome for Testing and ffmpeg): the
# headless shell is left out, since pages are checked in the full browser's new headless mode
# (an extension needs it). Sizes as Playwright reports them for its recent builds.
FETCH_COST = "about 190 MB to download, 400 MB on disk; a minute or two on a fast connection"
FETCH_SECONDS = 1800  # a bound, not an estimate: a slow connection still finishes

_PATH_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
# Where each OS's installers put them (the app bundle's binary on macOS).
# (Linux's packages also link a PATH name; these are for a PATH that lacks it.)
_LINUX = ("/snap/bin/chromium", "/opt/google/chrome/chrome", "/opt/microsoft/msedge/msedge")
_MAC_APPS = (
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "Chromium.app/Contents/MacOS/Chromium",
)
_WINDOWS = (
    r"Google\Chrome\Application\chrome.exe",
    r"Microsoft\Edge\Application\msedge.exe",
    r"Chromium\Application\chrome.exe",
)
_WINDOWS_ROOTS = ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")


def candidates(system: str, env: Mapping[str, str], home: Path) -> list[Path]:
    """Where a browser may be on this OS (`platform.system()`: Linux, Darwin, Windows), in
    order: the ones a person installed, then Playwright's own Chromium."""
    found: list[Path] = []
    if system == "Darwin":
        found += [
            root / app
            for root in (Path("/Applications"), home / "Applications")
            for app in _MAC_APPS
        ]
    elif system == "Windows":
        roots = [env[k] for k in _WINDOWS_ROOTS if env.get(k)]
        found += [Path(root, *part.split("\\")) for root in roots for part in _WINDOWS]
    else:
        found += [Path(p) for p in _LINUX]
    return found + playwright_chromium(system, env, home)


def playwright_chromium(system: str, env: Mapping[str, str], home: Path) -> list[Path]:
    """The Chromium `playwright install chromium` put in its cache, newest build first."""
    given = env.get("PLAYWRIGHT_BROWSERS_PATH")
    if given and given != "0":
        cache = Path(given)
    elif system == "Darwin":
        cache = home / "Library" / "Caches" / "ms-playwright"
    elif system == "Windows":
        cache = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / "ms-playwright"
    else:
        cache = Path(env.get("XDG_CACHE_HOME") or home / ".cache") / "ms-playwright"
    if not cache.is_dir():
        return []
    builds = sorted(cache.glob("chromium-*"), key=_build_number, reverse=True)
    patterns = ("chrome-*/chrome", "chrome-*/chrome.exe", "chrome-*/*.app/Contents/MacOS/*")
    return [exe for build in builds for pattern in patterns for exe in sorted(build.glob(pattern))]


def _build_number(path: Path) -> int:
    digits = re.sub(r"\D", "", path.name)
    return int(digits) if digits else 0


def find_browser(
    env: Mapping[str, str] | None = None, system: str | None = None, home: Path | None = None
) -> str | None:
    """The browser to drive: $SMOL_BROWSER, else one on PATH, else where the OS installs one,
    else Playwright's own; None if there is none."""
    env = os.environ if env is None else env
    given = env.get("SMOL_BROWSER") or env.get("CHROMIUM_PATH")
    if given and Path(given).is_file():
        return given
    for name in _PATH_NAMES:
        if hit := shutil.which(name, path=env.get("PATH")):
            return hit
    system = system or platform.system()
    for path in candidates(system, env, home or Path.home()):
        if path.is_file() and (system == "Windows" or os.access(path, os.X_OK)):
            return str(path)
    return None


def fetch_command(env: Mapping[str, str]) -> list[str]:
    """The command that fetches Playwright's Chromium. SMOL_BROWSER_FETCH_COMMAND replaces it
    (a mirror's own wrapper, or a test that must not download)."""
    given = env.get("SMOL_BROWSER_FETCH_COMMAND", "").strip()
    if given:
        return shlex.split(given, posix=os.name != "nt")
    return [sys.executable, "-m", "playwright", "install", "--no-shell", "chromium"]


_PERCENT = re.compile(r"(\d{1,3})%")
_SIZE = re.compile(r"(?:of\s+)?(\d+(?:\.\d+)?\s*[KMG]i?B)\b", re.I)


@dataclass
class BrowserFetch:
    """One run of the fetch command in the background: how far it got, and how it ended.
    The page polls it; a rerun that interrupts the page does not stop it."""

    command: list[str]
    percent: int = 0
    doing: str = "Starting…"
    size: str = ""
    done: bool = False
    ok: bool = False
    message: str = ""
    output: list[str] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def label(self) -> str:
        """What the progress bar says: what is being fetched, and its size once known."""
        return f"{self.doing} ({self.size})" if self.size else self.doing

    def start(self, env: Mapping[str, str] | None = None) -> BrowserFetch:
        base = os.environ if env is None else env
        # Nothing secret goes to the child: it needs no key to download a browser.
        child_env = {k: v for k, v in base.items() if "KEY" not in k.upper()}
        threading.Thread(target=self._run, args=(child_env,), daemon=True).start()
        return self

    def _run(self, env: dict[str, str]) -> None:
        try:
            proc = subprocess.Popen(
                self.command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                stdin=subprocess.DEVNULL,
                text=True,
                errors="replace",
                bufsize=1,
            )
        except OSError as exc:
            self._finish(False, f"The browser could not be fetched: {exc.strerror or exc}.")
            return
        assert proc.stdout is not None
        pending = ""
        for chunk in iter(lambda: proc.stdout.read(256), ""):  # type: ignore[union-attr]
            pending += chunk
            *lines, pending = re.split(r"[\r\n]", pending)
            for line in lines:
                self._read(line)
        self._read(pending)
        try:
            code = proc.wait(timeout=FETCH_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = -1
        found = find_browser()
        if code == 0 and found:
            self._finish(True, "Chromium is ready: pages will be checked.")
        else:
            last = next((ln for ln in reversed(self.output) if ln.strip()), "no output")
            self._finish(False, f"The browser could not be fetched: {last[:300]}")

    def _read(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        with self._lock:
            self.output = [*self.output[-40:], line]
            if line.startswith("Downloading"):
                self.doing, self.percent = line.split(" from ")[0][:120], 0
            if percent := _PERCENT.search(line):
                self.percent = min(100, int(percent.group(1)))
            if size := _SIZE.search(line):
                self.size = size.group(1)

    def _finish(self, ok: bool, message: str) -> None:
        with self._lock:
            self.done, self.ok, self.message = True, ok, message
            if ok:
                self.percent = 100
