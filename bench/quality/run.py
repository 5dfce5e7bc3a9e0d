"""Running a generated project for a checker: Python programs, a web server, a page, an extension.

Everything here runs the *generated* code, so it is fenced in: a time limit on every process,
no network (Python: a `sitecustomize` that refuses connections to anything but 127.0.0.1;
Chromium: every http(s) request is aborted except to 127.0.0.1), and each process in its own
process group so a hung child and its children are killed together.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.harness import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

# Imported by every Python process we start (through PYTHONPATH): sockets may only reach
# the loopback interface, so generated code can't call out whatever it tries.
_GUARD = """
import socket as _socket

_real_connect = _socket.socket.connect
_real_connect_ex = _socket.socket.connect_ex


def _allowed(address):
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = str(address[0])
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


def _connect(self, address):
    if not _allowed(address):
        raise OSError(101, "network access is blocked in the quality benchmark")
    return _real_connect(self, address)


def _connect_ex(self, address):
    if not _allowed(address):
        return 101
    return _real_connect_ex(self, address)


_socket.socket.connect = _connect
_socket.socket.connect_ex = _connect_ex
"""


class Limits:
    """Time limits of the checks (tests lower them: their broken projects are meant to fail)."""

    program_seconds = 10.0  # one run of a CLI program or one import
    server_start_seconds = 15.0  # for a server to answer its first request
    page_ms = 3000  # for one page action (click, fill, wait)


@dataclass(frozen=True)
class Verdict:
    """What a checker says of one generated project: pass/fail and one line of why."""

    passed: bool
    reason: str

    @classmethod
    def ok(cls, reason: str = "behaves as specified") -> Verdict:
        return cls(True, reason)

    @classmethod
    def fail(cls, reason: str) -> Verdict:
        return cls(False, one_line(reason))


class CheckFailed(Exception):
    """Raised inside a checker to fail with a reason (caught by `guarded`)."""


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def guarded(check: Callable[[Path], Verdict]) -> Callable[[Path], Verdict]:
    """A checker that never raises: any exception becomes a failing verdict with its reason."""

    def run(folder: Path) -> Verdict:
        try:
            return check(folder)
        except CheckFailed as exc:
            return Verdict.fail(str(exc))
        except Exception as exc:  # noqa: BLE001 - a generated project may break a checker anyway
            return Verdict.fail(f"checker error: {type(exc).__name__}: {exc}")

    run.__name__ = getattr(check, "__name__", "check")
    run.__doc__ = check.__doc__
    return run


def require(condition: object, reason: str) -> None:
    if not condition:
        raise CheckFailed(reason)


def need_files(folder: Path, *names: str) -> None:
    missing = [n for n in names if not (folder / n).is_file()]
    require(not missing, f"missing file(s): {', '.join(missing)}")


# ------------------------------------------------------------------------------------- Python
@contextlib.contextmanager
def _guard_dir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="smol-quality-guard-") as tmp:
        Path(tmp, "sitecustomize.py").write_text(_GUARD, encoding="utf-8")
        yield tmp


def python_env(guard: str, home: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SMOL_", "OPENAI_", "PYTHON")) and "proxy" not in k.lower()
    }
    env.update(
        PYTHONPATH=guard,
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        PYTHONUNBUFFERED="1",
        HOME=home,
        NO_PROXY="*",
    )
    return env


@dataclass(frozen=True)
class Ran:
    code: int | None  # None: killed after the time limit
    out: str
    err: str

    def tail(self) -> str:
        """The last meaningful line of stderr (a traceback's error line), for a reason."""
        lines = [ln for ln in self.err.strip().splitlines() if ln.strip()]
        return lines[-1].strip() if lines else ""


def run_python(
    folder: Path, args: Sequence[str], *, timeout: float | None = None, stdin: str = ""
) -> Ran:
    """`python ARGS` in `folder`, no network, killed (with its children) after `timeout`."""
    timeout = Limits.program_seconds if timeout is None else timeout
    with _guard_dir() as guard, tempfile.TemporaryDirectory(prefix="smol-quality-home-") as home:
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=folder,
            env=python_env(guard, home),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
            return Ran(proc.returncode, out, err)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, err = proc.communicate()
            return Ran(None, out, err)


def expect_output(ran: Ran, expected: str, what: str) -> None:
    """Exit code 0 and stdout equal to `expected` (trailing whitespace of lines ignored)."""
    require(ran.code is not None, f"{what}: still running after the time limit")
    require(ran.code == 0, f"{what}: exit code {ran.code}: {ran.tail() or ran.out.strip()[-120:]}")
    got = [ln.rstrip() for ln in ran.out.strip().splitlines()]
    want = [ln.rstrip() for ln in expected.strip().splitlines()]
    if got == want:
        return
    if len(want) == 1 or len(got) <= 1:
        raise CheckFailed(
            f"{what}: printed {chr(10).join(got)[:80]!r}, expected {expected.strip()[:80]!r}"
        )
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            raise CheckFailed(f"{what}: line {i + 1} is {g[:60]!r}, expected {w[:60]!r}")
    raise CheckFailed(f"{what}: printed {len(got)} lines, expected {len(want)}")


def call_function(folder: Path, module: str, expression: str, timeout: float | None = None) -> Ran:
    """Import `module` from the project in a fresh process and print `repr(expression)`."""
    code = f"import {module}\nprint(repr({expression}))\n"
    return run_python(folder, ["-c", code], timeout=timeout)


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# --------------------------------------------------------------------------------- web server
@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    content_type: str


def http_get(url: str, timeout: float = 5.0) -> Reply:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as r:
            return Reply(
                r.status, r.read().decode("utf-8", "replace"), r.headers.get("Content-Type", "")
            )
    except urllib.error.HTTPError as exc:
        return Reply(
            exc.code, exc.read().decode("utf-8", "replace"), exc.headers.get("Content-Type", "")
        )


@contextlib.contextmanager
def python_server(
    folder: Path,
    args: Sequence[str],
    port: int,
    *,
    ready_path: str = "/",
    timeout: float | None = None,
) -> Iterator[str]:
    """Start `python ARGS` (which should listen on 127.0.0.1:port); yield its base URL once it
    answers anything on `ready_path`; kill it (and its children) at the end."""
    timeout = Limits.server_start_seconds if timeout is None else timeout
    with _guard_dir() as guard, tempfile.TemporaryDirectory(prefix="smol-quality-home-") as home:
        log = Path(home, "server.log")
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, *args],
                cwd=folder,
                env=python_env(guard, home),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    tail = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
                    raise CheckFailed(
                        f"the server exited with code {proc.returncode}: "
                        f"{tail[-1] if tail else 'no output'}"
                    )
                try:
                    http_get(base + ready_path, timeout=1.0)
                    break
                except (OSError, ValueError):
                    pass
                if time.monotonic() > deadline:
                    raise CheckFailed(
                        f"nothing answered on 127.0.0.1:{port} within {timeout:.0f} s"
                    )
                time.sleep(0.2)
            yield base
        finally:
            _kill_group(proc)


# ------------------------------------------------------------------------------------ browser
_ALLOWED_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome-extension:", "chrome:")


def _block_network(context) -> None:
    def route(r) -> None:
        if r.request.url.startswith(_ALLOWED_SCHEMES):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)


_SHARED: dict[str, object] = {}


@contextlib.contextmanager
def browser_session() -> Iterator[None]:
    """One Playwright and one Chromium for all the checks made inside (the tests use it to
    save a browser start per page). Not for code that runs asyncio.run in between."""
    from playwright.sync_api import sync_playwright

    from tests.harness import launch_chromium

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        _SHARED.update(pw=pw, browser=browser)
        try:
            yield
        finally:
            _SHARED.clear()
            browser.close()


@contextlib.contextmanager
def _playwright() -> Iterator[object]:
    if "pw" in _SHARED:
        yield _SHARED["pw"]
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@contextlib.contextmanager
def _browser() -> Iterator[object]:
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    from tests.harness import launch_chromium

    with _playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def page_of(folder: Path, html: str = "index.html") -> Iterator[tuple[object, list[str]]]:
    """A headless Chromium page on file://folder/html; yields (page, page errors so far)."""
    need_files(folder, html)
    with _browser() as browser:
        context = browser.new_context()
        try:
            _block_network(context)
            page = context.new_page()
            page.set_default_timeout(Limits.page_ms)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((folder / html).resolve().as_uri())
            page.wait_for_load_state("load")
            yield page, errors
        finally:
            context.close()


def extension_id(folder: Path) -> str:
    """The id Chromium gives an unpacked extension: from the sha256 of its absolute path."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@contextlib.contextmanager
def extension_context(folder: Path) -> Iterator[tuple[object, str]]:
    """Headless Chromium with the unpacked extension at `folder` loaded; yields (context, id)."""
    with _playwright() as pw, tempfile.TemporaryDirectory(prefix="smol-quality-chrome-") as ud:
        path = str(folder.resolve())
        context = pw.chromium.launch_persistent_context(
            ud,
            executable_path=CHROMIUM,
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--headless=new",
                f"--disable-extensions-except={path}",
                f"--load-extension={path}",
            ],
        )
        try:
            _block_network(context)
            yield context, extension_id(folder)
        finally:
            context.close()


def text_of(page, selector: str) -> str:
    """The trimmed text of the first element matching `selector` (fails if there is none)."""
    element = page.query_selector(selector)
    require(element is not None, f"no element {selector}")
    return " ".join((element.text_content() or "").split())


def errors_hint(errors: Sequence[str]) -> str:
    return f" (page error: {one_line(errors[0], 90)})" if errors else ""


def free_local_port() -> int:
    return free_port()
