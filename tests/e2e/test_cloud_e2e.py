"""The repository served the way Streamlit Community Cloud serves it, no file edited (issue 33).

A copy of the repository's tracked files; `streamlit run streamlit_app.py` from its root with
only a port and headless (what Cloud chooses; the rest comes from .streamlit/config.toml as
committed); the owner's secrets where Cloud writes them, `.streamlit/secrets.toml` in the
app's folder. In front of it, Cloud's proxy in small: HTTPS ends there (`.app` names are
HTTPS-only in browsers) and the bytes go on to the app from this machine's network address, so
the app sees a request from elsewhere, as behind Cloud's proxy. Chromium asks for the app under
a `*.streamlit.app` name mapped (host-resolver-rules) to the proxy. A visitor walks the page:
spec, plan, file list, the files written, the zip.
The same deployment without SMOL_HOSTED in its secrets answers with one sentence only.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from smol_core.studio.access import ONLY_THIS_MACHINE
from tests.e2e.drive import button, need_chromium, new_tab, open_page, settled, write_spec
from tests.e2e.test_local_only_e2e import other_address
from tests.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, StreamlitApp, clean_env, free_port
from tests.scripted_server import ScriptedServer

pytestmark = pytest.mark.e2e

APP_NAME = "smol-studio-test.streamlit.app"
OWNER_KEY = "owner-cloud-otter-5521-key"
FILES = {
    "main.py": "from util import greet\n\nprint(greet('world'))\n",
    "util.py": "def greet(name):\n    return f'hello {name}'\n",
}
SPEC = "A greeting program in two Python files: main.py prints what util.greet returns."


class CloudApp(StreamlitApp):
    """`streamlit run streamlit_app.py` as Cloud runs it: from the repository's root (a copy),
    a port of its choosing, no address or host flags."""

    def __init__(self, root: Path, env: dict[str, str], log: Path) -> None:
        super().__init__(env, log, free_port())
        self.root = root

    def start(self, timeout: float = 45.0) -> CloudApp:
        out = self.log.open("a")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "streamlit_app.py",
                f"--server.port={self.port}",
                "--server.headless=true",
            ],
            cwd=self.root,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        self.wait_healthy(timeout)
        return self


def repository_copy(to: Path) -> Path:
    """The repository as committed (tracked files only: no secrets of the developer's)."""
    names = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, names):
        if (ROOT / name).is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, to / name)
    assert not (to / ".streamlit" / "secrets.toml").exists()
    return to


@contextmanager
def deployed(tmp: Path, secrets: str) -> Iterator[CloudApp]:
    root = repository_copy(tmp / "repo")
    (root / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    env = clean_env(SMOL_HISTORY_DB=str(tmp / "history.sqlite3"))
    app = CloudApp(root, env, tmp / "streamlit.log")
    try:
        yield app.start()
    finally:
        app.stop()


def pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


@contextmanager
def cloud_proxy(app_port: int, tmp: Path) -> Iterator[int]:
    """HTTPS on a free port of 127.0.0.1 (a self-signed certificate: the browser is told to
    accept it), each connection passed on to the app from this machine's network address."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make the proxy's certificate")
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            f"/CN={APP_NAME}",
        ],
        check=True,
        capture_output=True,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    source = other_address() or "127.0.0.1"
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            threading.Thread(target=relay, args=(client,), daemon=True).start()

    def relay(client: socket.socket) -> None:
        try:
            front = tls.wrap_socket(client, server_side=True)
            back = socket.create_connection((source, app_port), source_address=(source, 0))
        except OSError:
            client.close()
            return
        threading.Thread(target=pump, args=(front, back), daemon=True).start()
        pump(back, front)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield port
    finally:
        listener.close()


@contextmanager
def visitor_browser() -> Iterator[object]:
    """Chromium in which APP_NAME resolves to this machine (where the proxy listens)."""
    args = [
        *CHROMIUM_ARGS,
        f"--host-resolver-rules=MAP {APP_NAME} 127.0.0.1",
        "--ignore-certificate-errors",
    ]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


def test_the_repository_deploys_on_cloud_as_it_is(tmp_path, capsys):
    need_chromium()
    model = ScriptedServer("# Plan\n\nmain.py uses util.greet.\n", FILES).start()
    secrets = (
        'SMOL_HOSTED = "true"\n'
        f'OPENAI_API_KEY = "{OWNER_KEY}"\n'
        'SMOL_SHARE_OWNER_KEY = "true"\n'
        f'OPENAI_BASE_URL = "{model.base_url}"\n'
        'SMOL_MODEL = "scripted-model"\n'
    )
    try:
        with (
            deployed(tmp_path, secrets) as app,
            cloud_proxy(app.port, tmp_path) as port,
            visitor_browser() as browser,
        ):
            page = new_tab(browser)
            open_page(page, f"https://{APP_NAME}:{port}/")
            write_spec(page, SPEC)
            button(page, "Plan").click()
            button(page, "List files").wait_for()
            settled(page)
            button(page, "List files").click()
            button(page, "Generate all (2)").wait_for()
            settled(page)
            button(page, "Generate all (2)").click()
            page.get_by_text("2/2 files written").wait_for()
            settled(page)
            with page.expect_download() as info:
                button(page, "Download .zip").click()
            info.value.save_as(tmp_path / "cloud.zip")
    finally:
        model.stop()
    with zipfile.ZipFile(tmp_path / "cloud.zip") as z:
        assert {"main.py", "util.py"} <= set(z.namelist())
    assert {r.headers["authorization"] for r in model.requests} == {f"Bearer {OWNER_KEY}"}
    with capsys.disabled():
        print(
            f"\n[cloud] {APP_NAME} via {other_address() or '127.0.0.1'}: "
            f"walked, {len(model.requests)} requests, zip {sorted(FILES)}"
        )


def test_without_its_owners_word_a_deployment_serves_no_one(tmp_path):
    need_chromium()
    if other_address() is None:
        pytest.skip("this machine has no address but loopback: no request from elsewhere")
    with (
        deployed(tmp_path, f'OPENAI_API_KEY = "{OWNER_KEY}"\n') as app,
        cloud_proxy(app.port, tmp_path) as port,
        visitor_browser() as browser,
    ):
        page = new_tab(browser)
        page.goto(f"https://{APP_NAME}:{port}/")
        page.locator('[data-testid="stAlertContentError"]').wait_for()
        settled(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert " ".join(text.split()) == ONLY_THIS_MACHINE
        assert page.get_by_role("textbox", name="Spec").count() == 0
