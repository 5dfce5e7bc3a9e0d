"""The README's start command serves this machine only (issue 16).

`streamlit run streamlit_app.py` exactly as the README has it (no address flag: the bind comes
from .streamlit/config.toml), then:
- 127.0.0.1 answers; the machine's other address (found as the source address of a route
  out) refuses the connection;
- a WebSocket whose Host is a foreign name (what a DNS-rebinding page sends) is refused, and
  so is the page itself in Chromium, mapped so that `rebind.example` resolves to 127.0.0.1.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.drive import need_chromium, new_tab, open_page
from tests.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, clean_env, free_port

pytestmark = pytest.mark.e2e

README = ROOT / "README.md"


def start_command() -> list[str]:
    """The part of the README's start command after `&&` (pip install is not repeated)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Start it", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    [line] = [ln for ln in block.splitlines() if ln.strip()]
    install, run = (part.strip() for part in line.split("&&"))
    assert install == "pip install -r requirements-local.txt"
    assert run == "streamlit run streamlit_app.py", run  # one command, nothing to remember
    return [sys.executable, "-m", *run.split()]


def other_address() -> str | None:
    """This machine's address on its network (not loopback), or None if it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.123", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("local")
    port = free_port()
    log = (tmp / "streamlit.log").open("w")
    env = clean_env(SMOL_HISTORY_DB=str(tmp / "h.sqlite3"))
    proc = subprocess.Popen(
        [*start_command(), f"--server.port={port}", "--server.headless=true",
         "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(Path(log.name).read_text())
        yield port, tmp
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def websocket_status(port: int, host: str) -> int:
    """The HTTP status of a WebSocket handshake to the studio with this Host header."""
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request.encode())
        head = s.recv(4096).decode("latin-1")
    return int(re.match(r"HTTP/1\.1 (\d+)", head).group(1))


def test_the_start_command_listens_on_this_machine_only(started, capsys):
    port, _ = started
    assert reachable("127.0.0.1", port)
    other = other_address()
    if other is None:
        pytest.skip("this machine has no address but loopback: nothing else to try")
    assert not reachable(other, port), f"the studio answers on {other}:{port}"
    with capsys.disabled():
        print(f"\n[safety listen] 127.0.0.1=answers {other}=refused")


def test_a_foreign_host_is_refused(started, capsys):
    port, _ = started
    statuses = {h: websocket_status(port, f"{h}:{port}") for h in ("localhost", "127.0.0.1")}
    foreign = {h: websocket_status(port, f"{h}:{port}") for h in ("rebind.example", "192.0.2.9")}
    assert set(statuses.values()) == {101} and 101 not in foreign.values(), (statuses, foreign)
    with capsys.disabled():
        print(f"\n[safety host] loopback names={statuses} foreign={foreign}")


def test_a_rebound_name_gets_no_studio_in_the_browser(started):
    need_chromium()
    port, _ = started
    args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebind.example 127.0.0.1"]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            page = new_tab(browser)
            page.goto(f"http://rebind.example:{port}/")
            page.wait_for_timeout(4000)
            assert page.get_by_role("textbox", name="Spec").count() == 0
            # The same studio by its own name works.
            page = new_tab(browser)
            open_page(page, f"http://localhost:{port}/")
        finally:
            browser.close()
