"""Measure 3: time to the first visible token in the real page after pressing Generate, vs
the model server's own time to first token.

The page runs under `streamlit run`, headless Chromium presses "Generate all", and the scripted
server (in this process) has a fixed latency before its first byte. What is compared:

- in the browser: click -> the first code text in a file box, timestamped by a MutationObserver
  and taken at the next animation frame (the frame that shows it);
- at the server: request received -> first content byte written (its own time to first token,
  about the latency set).

Page overhead = (click -> visible) - (server's time to first token): everything the studio
adds, both before the request (the script rerun up to generate(), the client, the connection)
and after the first byte (parsing, the page's redraw, the websocket, React). The two clocks
are each measured on one side, so no clock is shared; the split before/after the request uses
the wall clock of both processes (same machine) and is shown for information.

The first press in a fresh server and browser tab is reported apart, not in the median: the
browser then loads Streamlit's code-highlighter and progress-bar chunks for the first time.

    python -m bench.page_ttft [--trials 7] [--latency 0.5] [--files 4]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.browser import live_page, settled
from bench.common import Figure, report
from smol_core.studio.history import RunStore
from tests.scripted_server import ScriptedServer

OWNER = "bench-ttft"

INSTALL = """() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__t = {click: null, mutation: null, frame: null};
  if (window.__observer) window.__observer.disconnect();
  document.addEventListener('click', e => {
    const b = e.target.closest && e.target.closest('button');
    if (b && b.innerText.includes('Generate all') && window.__t.click === null)
      window.__t.click = now();
  }, true);
  window.__observer = new MutationObserver(() => {
    const t = window.__t;
    if (t.click === null || t.mutation !== null) return;
    for (const c of document.querySelectorAll('[data-testid="stCode"] code')) {
      if (c.textContent.trim()) {
        t.mutation = now();
        requestAnimationFrame(() => { t.frame = now(); });
        return;
      }
    }
  });
  window.__observer.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


class TimedServer(ScriptedServer):
    """The scripted server, also noting (wall clock) when each request came in and when its
    first content byte went out."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: list[float] = []
        self.first_bytes: list[float] = []
        self._local = threading.local()

    def _respond(self, h, body, kind, path, ex) -> None:
        self._local.first = True
        if kind == "code":
            self.arrivals.append(time.time())
        self._local.kind = kind
        super()._respond(h, body, kind, path, ex)

    def _pace(self, t0: float, chars_done: int) -> None:
        super()._pace(t0, chars_done)  # sleeps until this piece is due, then it is written
        if self._local.first and self._local.kind == "code":
            self._local.first = False
            self.first_bytes.append(time.time())


def measure(args: argparse.Namespace) -> list[Figure]:
    files = {
        f"app/part_{i}.py": "".join(f"line_{j} = {j}  # part {i}\n" for j in range(60))
        for i in range(args.files)
    }
    plan = "# Plan\n\n" + "\n".join(f"- `{p}`: a part" for p in files)
    srv = TimedServer(
        plan_text=plan,
        files=files,
        latency=args.latency,
        tokens_per_second=args.tps,
        chunk_chars=8,
    ).start()
    totals, server_ttft, before, after = [], [], [], []
    first_press = float("nan")
    first_split = (float("nan"), float("nan"))
    try:
        with tempfile.TemporaryDirectory(prefix="smol-ttft-") as tmp:
            db = Path(tmp) / "history.sqlite3"
            store = RunStore(db)
            run_id = store.create_run(owner=OWNER, spec="Parts", model="scripted-model")
            store.save_plan(run_id, plan)
            store.save_file_list(run_id, [(p, "a part") for p in files])
            env = {
                "OPENAI_BASE_URL": srv.base_url,
                "OPENAI_API_KEY": "sk-bench",
                "SMOL_MODEL": "scripted-model",
                "SMOL_HISTORY_DB": str(db),
            }
            with live_page(env, Path(tmp)) as live:
                page = live.page
                page.goto(f"{live.app.url}/?u={OWNER}&run={run_id}")
                gen = page.get_by_role("button", name=f"Generate all ({len(files)})", exact=True)
                gen.wait_for()
                settled(page)
                page.wait_for_timeout(2000)  # a person reads the page before pressing anything
                for trial in range(args.trials + 1):  # the first one warms up, not counted
                    page.evaluate(INSTALL)
                    arrivals0, firsts0 = len(srv.arrivals), len(srv.first_bytes)
                    gen.click()
                    page.wait_for_function("() => window.__t.frame !== null")
                    t = page.evaluate("() => window.__t")
                    page.get_by_text(f"{len(files)}/{len(files)} files written").wait_for()
                    settled(page)
                    arrivals = srv.arrivals[arrivals0:]
                    firsts = srv.first_bytes[firsts0:]
                    click = t["click"] / 1000
                    visible = t["frame"] / 1000
                    arrival, first = min(arrivals), min(firsts)
                    if trial == 0:  # the server process's first request: reported apart
                        first_press = (visible - click) - (first - arrival)
                        first_split = (arrival - click, visible - first)
                        continue
                    totals.append(visible - click)
                    server_ttft.append(first - arrival)
                    before.append(arrival - click)
                    after.append(visible - first)
    finally:
        srv.stop()

    overhead = [t - s for t, s in zip(totals, server_ttft, strict=True)]
    med = statistics.median
    print(
        f"{args.trials} trials, {args.files} files at once, server latency {args.latency}s; "
        "per trial, ms (click->visible / server TTFT / overhead):"
    )
    print(
        "  "
        + "  ".join(
            f"{t * 1000:.0f}/{s * 1000:.0f}/{o * 1000:+.0f}"
            for t, s, o in zip(totals, server_ttft, overhead, strict=True)
        )
    )
    return [
        Figure(
            "3. click -> first visible token in the page (median)",
            f"{med(totals) * 1000:.0f} ms",
            "",
            None,
        ),
        Figure(
            "   server's own time to first token (median)",
            f"{med(server_ttft) * 1000:.0f} ms",
            "",
            None,
        ),
        Figure(
            "3. page overhead: the difference (median)",
            f"{med(overhead) * 1000:+.0f} ms",
            "<= +150 ms",
            med(overhead) <= 0.150,
        ),
        Figure("   worst trial", f"{max(overhead) * 1000:+.0f} ms", "", None),
        Figure(
            "   median split: click -> request in (before)",
            f"{med(before) * 1000:.0f} ms",
            "",
            None,
        ),
        Figure(
            "   median split: first byte out -> visible (after)",
            f"{med(after) * 1000:.0f} ms",
            "",
            None,
        ),
        Figure(
            "   first press after the server started: overhead (before/after)",
            f"{first_press * 1000:+.0f} ({first_split[0] * 1000:.0f}/{first_split[1] * 1000:.0f}) ms",
            "",
            None,
        ),
    ]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=7)
    p.add_argument("--latency", type=float, default=0.5)
    p.add_argument("--tps", type=float, default=200.0)
    p.add_argument("--files", type=int, default=4)
    return p


def run(argv: list[str] | None = None) -> list[Figure]:
    figures = measure(parser().parse_args(argv))
    report("page time to first token (python -m bench.page_ttft)", figures)
    return figures


if __name__ == "__main__":
    run()
