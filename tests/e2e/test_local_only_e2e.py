"""The README's start command serves this machine only (issues 16 and 33).

`streamlit run streamlit_app.py` exactly as the README has it (the settings come from
.streamlit/config.toml, which has no address: the same file serves Community Cloud), then:
- 127.0.0.1 gets the studio; the machine's other address (found as the source address of a
  route out, so the request comes from "elsewhere") gets one sentence and nothing else;
- a page under a foreign host name (what a DNS-rebinding page sends), in Chromium mapped so
  that `rebind.example` resolves to 127.0.0.1, gets one sentence and nothing else.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from smol_core.studio.access import ONLY_ITS_NAMES, ONLY_THIS_MACHINE
from tests.conftest import FAKE_KEY
from tests.e2e.drive import frames_bytes, need_chromium, new_tab, open_page, settled
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


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("local")
    port = free_port()
    log = (tmp / "streamlit.log").open("w")
    # A key in the shell of whoever started it: nobody refused may see or spend it.
    env = clean_env(SMOL_HISTORY_DB=str(tmp / "h.sqlite3"), OPENAI_API_KEY=FAKE_KEY)
    proc = subprocess.Popen(
        [
            *start_command(),
            f"--server.port={port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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


def refused_page(port: int, host: str, resolve_to: str) -> tuple[str, bytes, int]:
    """What Chromium shows at http://host:port/ (host resolved to `resolve_to`): the page's
    text, every WebSocket message the server sent, and how many elements the page holds."""
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {host} {resolve_to}"]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            frames: list = []
            page = new_tab(browser, frames)
            page.goto(f"http://{host}:{port}/")
            page.locator('[data-testid="stAlertContentError"]').wait_for()
            settled(page)
            text = page.locator('[data-testid="stMain"]').inner_text()
            count = page.locator('[data-testid="stElementContainer"]').count()
            return text, frames_bytes(frames), count
        finally:
            browser.close()


def only_the_refusal(text: str, frames: bytes, count: int, sentence: str) -> None:
    assert " ".join(text.split()) == sentence, text
    assert count == 1  # the sentence: no sidebar, no spec box, no key field
    for word in ("Spec", "API key", "Built-in", FAKE_KEY):
        assert word.encode() not in frames, word


def test_the_start_command_serves_this_machine_only(started, capsys):
    need_chromium()
    port, _ = started
    other = other_address()
    if other is None:
        pytest.skip("this machine has no address but loopback: nothing else to try")
    only_the_refusal(*refused_page(port, "studio.example", other), ONLY_THIS_MACHINE)
    with capsys.disabled():
        print(f"\n[safety listen] 127.0.0.1=studio {other}=one sentence")


def test_a_foreign_host_gets_only_the_refusal(started, capsys):
    need_chromium()
    port, _ = started
    only_the_refusal(*refused_page(port, "rebind.example", "127.0.0.1"), ONLY_ITS_NAMES)
    # The same studio by its own names works.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for name in ("localhost", "127.0.0.1"):
                open_page(new_tab(browser), f"http://{name}:{port}/")
        finally:
            browser.close()
    with capsys.disabled():
        print("\n[safety host] localhost, 127.0.0.1=studio rebind.example=one sentence")
