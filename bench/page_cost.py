"""Measure 4: what a big project costs the page. A finished run of 100 files of 50 KB each
(real Python source, so it compresses like code) is put in the history and opened:

- the zip of those files (what "Download .zip" sends), built as the page builds it;
- a rerun of the page with that project open, in AppTest (the script alone), beside a rerun
  with a 2-file project measured the same way in the same run;
- the same in the real browser (`streamlit run` + headless Chromium): Enter in a text box ->
  the script has finished and the browser is idle, as the browser itself timestamps it;
- the peak RSS (VmHWM) of the `streamlit run` process with that project open in the browser,
  after the reruns and a real download of the zip (which is checked).

    python -m bench.page_cost [--files 100] [--kb 50] [--reruns 7] [--no-browser]
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
import zipfile
from pathlib import Path

from bench.common import (
    Figure,
    make_big_run,
    median,
    proc_status_kib,
    quiet_streamlit_logs,
    real_code,
    report,
    scripted_settings,
)
from smol_core.bundle import build_zip
from smol_core.project import Project
from smol_core.records import FileSpec

OWNER = "bench-cost"
APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")

# Timestamps (browser clock) of the Enter that asks for a rerun and of the script state after it.
WATCH_RERUN = """() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__r = {enter: null, idle: null};
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__ro) window.__ro.disconnect();
  // Records, not the attribute's current value: running -> notRunning can come in one batch.
  window.__ro = new MutationObserver(records => {
    for (const m of records) {
      if (window.__r.enter !== null && window.__r.idle === null && m.oldValue === 'running')
        window.__r.idle = now();
    }
  });
  window.__ro.observe(app, {attributes: true, attributeOldValue: true,
                            attributeFilter: ['data-test-script-state']});
  if (!window.__keyed) {
    window.__keyed = true;
    document.addEventListener('keydown', e => {
      if (e.key === 'Enter' && window.__r.enter === null) window.__r.enter = now();
    }, true);
  }
}"""


def zip_figures(n: int, size: int, repeat: int) -> list[Figure]:
    """The zip the download button sends (Studio.bundler: files + manifest), at the level
    build_zip uses, beside zlib's default level 6 (what it used before), alternated."""
    from smol_core.bundle import ZIP_LEVEL

    files = real_code(n, size)
    project = Project(spec="A big project", plan="# Plan", files=[FileSpec(p) for p in files])
    project.contents = dict(files)
    settings = scripted_settings("http://127.0.0.1:9/v1")
    sizes = {}
    times: dict[int, list[float]] = {ZIP_LEVEL: [], 6: []}
    for level in [ZIP_LEVEL, 6] * (repeat + 1):
        t0 = time.perf_counter()
        data = build_zip(project.contents, manifest=project.manifest(settings), level=level)
        if level in sizes:  # the first of each warms up
            times[level].append((time.perf_counter() - t0) * 1000)
        sizes[level] = len(data)
    ours, before = times[ZIP_LEVEL], times[6]
    raw = sum(len(v.encode()) for v in files.values())
    return [
        Figure(
            f"4. zip build, {n} files x {size // 1000} KB (median (min) of {repeat})",
            f"{median(ours):.0f} ({min(ours):.0f}) ms",
            "<= 200 ms",
            median(ours) <= 200,
        ),
        Figure(
            f"   zip size (deflate level {ZIP_LEVEL}) / raw size",
            f"{sizes[ZIP_LEVEL] / 1e6:.2f} / {raw / 1e6:.2f} MB",
            "",
            None,
        ),
        Figure(
            "   same at zlib's default level 6 (before): time, size",
            f"{median(before):.0f} ms, {sizes[6] / 1e6:.2f} MB",
            "",
            None,
        ),
    ]


def apptest_reruns(db: Path, big: str, small: str, repeat: int) -> list[Figure]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()  # the page caches its RunStore: this run's database, not another

    opened: dict[str, float] = {}

    def rerun_ms(run_id: str, switch_file: bool) -> list[float]:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["u"] = OWNER
        at.query_params["run"] = run_id
        t0 = time.perf_counter()
        at.run()  # opens the run from the history: loads it (and checks it, where the page does)
        opened.setdefault(run_id, (time.perf_counter() - t0) * 1000)
        assert not at.exception, [e.value for e in at.exception]
        paths = list(at.session_state.studio.project.paths)
        out = []
        for i in range(repeat + 1):
            t0 = time.perf_counter()
            if switch_file:
                at.selectbox(key="sel_file").set_value(paths[(i + 1) % len(paths)]).run()
            else:
                at.run()
            if i:  # the first one warms up
                out.append((time.perf_counter() - t0) * 1000)
            assert not at.exception, [e.value for e in at.exception]
        return out

    big_plain, small_plain = rerun_ms(big, False), rerun_ms(small, False)
    big_switch = rerun_ms(big, True)
    return [
        Figure(
            "4. AppTest rerun, 100-file project open, median (min)",
            f"{median(big_plain):.0f} ({min(big_plain):.0f}) ms",
            "<= 300 ms",
            median(big_plain) <= 300,
        ),
        Figure(
            "   same, 2-file project (reference, same run)",
            f"{median(small_plain):.0f} ({min(small_plain):.0f}) ms",
            "",
            None,
        ),
        Figure(
            "   100 files, rerun that shows another file",
            f"{median(big_switch):.0f} ({min(big_switch):.0f}) ms",
            "",
            None,
        ),
        Figure(
            "   opening the run, first time in this process: 100 / 2 files",
            f"{opened[big]:.0f} / {opened[small]:.0f} ms",
            "",
            None,
        ),
    ]


def edit_figures(db: Path, big: str, small: str) -> list[Figure]:
    """What saving an edit costs the rerun that follows it (Studio.edit: the history write and
    whatever the studio redoes after an edit), and what opening a run costs (Studio.open)."""
    from smol_core.studio.history import RunStore
    from smol_core.studio.session import Studio

    out = {}
    for label, run_id in (("big", big), ("small", small)):
        studio = Studio(RunStore(db), OWNER)
        t0 = time.perf_counter()
        studio.open(run_id, OWNER)
        opened = (time.perf_counter() - t0) * 1000
        path = studio.project.paths[0]
        text = studio.project.contents[path]
        t0 = time.perf_counter()
        studio.edit(path, text + "# an edit\n")
        out[label] = (opened, (time.perf_counter() - t0) * 1000)
    return [
        Figure(
            "4. saving an edit (Studio.edit), 100-file project",
            f"{out['big'][1]:.0f} ms",
            "<= 300 ms",
            out["big"][1] <= 300,
        ),
        Figure("   same, 2-file project", f"{out['small'][1]:.0f} ms", "", None),
        Figure(
            "   opening it again in the same process (Studio.open): 100 / 2",
            f"{out['big'][0]:.0f} / {out['small'][0]:.0f} ms",
            "",
            None,
        ),
    ]


def browser_figures(db: Path, big: str, small: str, repeat: int, folder: Path) -> list[Figure]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from bench.browser import live_page, settled

    env = {
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",  # never called: nothing is generated here
        "OPENAI_API_KEY": "sk-bench",
        "SMOL_MODEL": "scripted-model",
        "SMOL_HISTORY_DB": str(db),
    }
    results: dict[str, list[float]] = {}
    missed = 0
    with live_page(env, folder) as live:
        page, pid = live.page, live.app.pid
        rss_start = proc_status_kib(pid, "VmRSS")
        rss_small = None
        for label, run_id in (("small", small), ("big", big)):
            if label == "big":
                rss_small = proc_status_kib(pid, "VmRSS")
            page.goto(f"{live.app.url}/?u={OWNER}&run={run_id}")
            page.get_by_role("button", name="Regenerate this file").wait_for()
            settled(page)
            box = page.get_by_role("textbox", name="Change to ask for (optional)")
            times = []
            for i in range(repeat + 1):
                for attempt in range(3):
                    page.evaluate(WATCH_RERUN)
                    box.fill(f"rerun {label} {i}.{attempt}")
                    box.press("Enter")
                    try:  # now and then the Enter lands before the text box knows its new text
                        page.wait_for_function("() => window.__r.idle !== null", timeout=10_000)
                        break
                    except PlaywrightTimeout:
                        missed += 1
                else:
                    raise RuntimeError("the page never reran after Enter")
                settled(page)
                r = page.evaluate("() => window.__r")
                if i:
                    times.append(r["idle"] - r["enter"])
            results[label] = times
        # A real download of the big project's zip, checked.
        button = page.get_by_test_id("stDownloadButton").get_by_role("button")
        t0 = time.perf_counter()
        with page.expect_download() as info:
            button.click()
        path = info.value.path()
        download_ms = (time.perf_counter() - t0) * 1000
        with zipfile.ZipFile(io.BytesIO(Path(path).read_bytes())) as z:
            names = z.namelist()
            ok_zip = z.testzip() is None and len(names) == 101
        settled(page)
        hwm = proc_status_kib(pid, "VmHWM")
        rss_end = proc_status_kib(pid, "VmRSS")
    hwm_mb = (hwm or 0) / 1024
    return [
        Figure(
            "4. browser: Enter -> rerun done, 100 files, median (min)",
            f"{median(results['big']):.0f} ({min(results['big']):.0f}) ms",
            "<= 300 ms",
            median(results["big"]) <= 300,
        ),
        Figure(
            "   same, 2-file project (reference, same run)",
            f"{median(results['small']):.0f} ({min(results['small']):.0f}) ms",
            "",
            None,
        ),
        Figure("   Enter presses that asked for no rerun (retried)", f"{missed}", "", None),
        Figure(
            "4. peak RSS of `streamlit run`, big project open",
            f"{hwm_mb:.0f} MiB",
            "<= 250 MB",
            hwm_mb * 1.048576 <= 250,
        ),
        Figure(
            "   RSS: started / 2-file run open / big run open, at the end",
            f"{(rss_start or 0) / 1024:.0f} / {(rss_small or 0) / 1024:.0f} / "
            f"{(rss_end or 0) / 1024:.0f} MiB",
            "",
            None,
        ),
        Figure(
            "   download click -> file saved (zip checked)",
            f"{download_ms:.0f} ms {'ok' if ok_zip else 'BAD ZIP'}",
            "",
            None,
        ),
    ]


def measure(args: argparse.Namespace) -> list[Figure]:
    quiet_streamlit_logs()
    figures = zip_figures(args.files, args.kb * 1000, args.reruns)
    with tempfile.TemporaryDirectory(prefix="smol-cost-") as tmp:
        db = Path(tmp) / "history.sqlite3"
        big = make_big_run(db, OWNER, args.files, args.kb * 1000)
        small = make_big_run(db, OWNER, 2, 2000)
        saved = dict(os.environ)
        os.environ["SMOL_HISTORY_DB"] = str(db)
        os.environ["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1"
        os.environ["SMOL_MODEL"] = "scripted-model"
        try:
            figures += apptest_reruns(db, big, small, args.reruns)
            figures += edit_figures(db, big, small)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        if not args.no_browser:
            figures += browser_figures(db, big, small, args.reruns, Path(tmp))
    return figures


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=100)
    p.add_argument("--kb", type=int, default=50)
    p.add_argument("--reruns", type=int, default=7)
    p.add_argument("--no-browser", action="store_true", help="zip and AppTest figures only")
    return p


def run(argv: list[str] | None = None) -> list[Figure]:
    figures = measure(parser().parse_args(argv))
    report("page cost with a big project (python -m bench.page_cost)", figures)
    return figures


if __name__ == "__main__":
    run()
