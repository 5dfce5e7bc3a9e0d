"""Nothing lost: a killed server, a browser refresh, and a click that interrupts a run.

One 20-file run against a slow scripted model (4 files at once, ~3 s each), driven in
Chromium. Mid-run the `streamlit run` process is SIGKILLed; a new one starts on the same
history database and the run is opened from its URL: the plan and every file finished before
the kill are there, and "Generate missing" carries on. Then a refresh mid-run, then a click on
another widget mid-run (Streamlit stops a running script on any interaction): each time the
files finished before are kept and the interrupted run stops (no orphaned requests). Finally
"Generate missing" completes all 20, and no file finished earlier is ever asked for again.

The studio runs with an owner's key in its environment: at the end it is grepped for in the
log, the history database, the page's HTML and every websocket message sent to the browser.
"""

from __future__ import annotations

import re
import time

import pytest

from smol_core.studio.history import RunStore
from tests.e2e.drive import (
    all_html,
    button,
    chromium,
    frames_bytes,
    need_chromium,
    new_tab,
    open_page,
    query,
    settled,
    wait_until,
    write_spec,
)
from tests.harness import StreamlitApp, clean_env
from tests.kit import leaks, sqlite_files
from tests.scripted_server import ScriptedServer

pytestmark = pytest.mark.e2e

N = 20
ENV_KEY = "env-owner-KEY-otter-4821-restart"
SPEC = "Twenty numbered parts in Python, one module each under app/, each returning numbers."


def body(i: int) -> str:
    funcs = "".join(f"def part_{i}_{j}() -> int:\n    return {i * 100 + j}\n\n\n" for j in range(9))
    return f'"""Part {i} of the numbered program."""\n\n\n' + funcs.rstrip() + "\n"


FILES = {f"app/part_{i:02d}.py": body(i) for i in range(N)}
PLAN = "# Plan\n\nTwenty independent modules, app/part_00.py to app/part_19.py.\n\n" + "".join(
    f"- `{p}`: the functions of part {i}\n" for i, p in enumerate(FILES)
)


@pytest.fixture(scope="module")
def model():
    need_chromium()
    srv = ScriptedServer(PLAN, FILES, chunk_chars=16, require_api_key=ENV_KEY).start()
    yield srv
    srv.stop()


def written(page) -> int:
    text = page.get_by_text(re.compile(rf"^\d+/{N} files written$")).first.inner_text()
    return int(text.split("/")[0])


def test_nothing_is_lost_across_a_kill_a_refresh_and_a_click(model, tmp_path, capsys):
    db = tmp_path / "history.sqlite3"
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,
        OPENAI_API_KEY=ENV_KEY,  # the owner's key, in the environment of a studio they started
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(db),
        SMOL_CONCURRENCY="4",
        SMOL_RETRY_WAIT_INITIAL="0.05",
    )
    log = tmp_path / "streamlit.log"
    frames: list = []
    apps: list[StreamlitApp] = []
    store = RunStore(db)
    figures: list[str] = []

    def done(run_id: str) -> dict[str, str]:
        return {f.path: f.content for f in store.load_run(run_id, None).files if f.present}

    def code_requests(since: int = 0) -> list[str]:
        return [r.path for r in model.requests[since:] if r.kind == "code"]

    try:
        apps.append(StreamlitApp(env, log).start())
        with chromium() as browser:
            page = new_tab(browser, frames)
            open_page(page, apps[-1].url)
            write_spec(page, SPEC)
            button(page, "Plan").click()
            button(page, "List files").wait_for()
            settled(page)
            button(page, "List files").click()
            button(page, f"Generate all ({N})").wait_for()
            settled(page)
            owner, run_id = query(page, "u"), query(page, "run")

            # 1. SIGKILL mid-run, once some files are saved.
            model.tokens_per_second = 40  # ~3 s a file
            button(page, f"Generate all ({N})").click()
            wait_until(lambda: len(done(run_id)) >= 4, 40, "4 files saved")
            apps[-1].kill()
            killed_at = time.monotonic()
            at_kill = done(run_id)
            # Whatever the model finished sending well before the kill had been saved.
            sent = {
                r.path
                for r in model.requests
                if r.kind == "code" and r.outcome == "ok" and r.finished_at < killed_at - 0.5
            }
            assert sent <= set(at_kill)
            assert len(at_kill) < N

            # 2. A new process on the same history; the run opened from its URL.
            apps.append(StreamlitApp(env, log, port=apps[-1].port).start())
            seen = len(model.requests)
            open_page(page, f"{apps[-1].url}/?u={owner}&run={run_id}")
            page.get_by_text("Twenty independent modules").first.wait_for()
            assert written(page) == len(at_kill)
            assert done(run_id) == at_kill  # every file saved before the kill, unchanged
            assert len(model.requests) == seen  # reopening asks the model for nothing
            lost = [p for p in at_kill if done(run_id).get(p) != FILES[p]]
            figures.append(
                f"kill: files saved before={len(at_kill)} after restart={written(page)} "
                f"lost={len(lost)}"
            )
            assert lost == []

            # 3. A refresh mid-run.
            seen = len(model.requests)
            button(page, f"Generate missing ({N - len(at_kill)})").click()
            wait_until(lambda: len(done(run_id)) >= len(at_kill) + 4, 40, "4 more files")
            page.reload()
            page.get_by_text("Twenty independent modules").first.wait_for()
            settled(page)
            before_refresh = done(run_id)
            assert written(page) >= len(before_refresh) - 4  # at most one wave still landing
            wait_until(
                lambda: not [r for r in model.requests if r.outcome == "pending"],
                10,
                "the interrupted run to stop",
            )
            after = done(run_id)
            assert before_refresh.items() <= after.items()
            page.reload()  # shows what the stopped run saved up to its last moment
            page.get_by_text("Twenty independent modules").first.wait_for()
            settled(page)
            assert written(page) == len(after)
            figures.append(
                f"refresh: files saved before={len(before_refresh)} after={written(page)} "
                f"lost={len(set(before_refresh) - set(after))}"
            )
            assert not set(code_requests(seen)) & set(at_kill)

            # 4. A click on another widget mid-run stops the script; nothing saved is lost.
            seen = len(model.requests)
            base = len(after)
            button(page, f"Generate missing ({N - base})").click()
            wait_until(lambda: len(done(run_id)) >= base + 2, 40, "2 more files")
            before_click = done(run_id)
            page.get_by_test_id("stNumberInputStepUp").first.click()  # "Files at once" + 1
            settled(page)
            wait_until(
                lambda: not [r for r in model.requests if r.outcome == "pending"],
                10,
                "the interrupted run to stop",
            )
            after_click = done(run_id)
            assert before_click.items() <= after_click.items()
            assert written(page) >= len(before_click)
            assert any(r.outcome == "disconnected" for r in model.requests[seen:])  # cut short
            if written(page) != len(after_click):  # the last file landed as the script stopped
                page.reload()
                settled(page)
            assert written(page) == len(after_click)
            figures.append(
                f"click: files saved before={len(before_click)} after={written(page)} "
                f"lost={len(set(before_click) - set(after_click))}"
            )

            # 5. "Generate missing" completes the rest.
            seen_final = len(model.requests)
            # The count the button shows is the page's: a file that landed as the script
            # stopped may be in it or not yet, so the button is found by its words alone.
            page.get_by_role("button", name=re.compile(r"^Generate missing \(\d+\)$")).click()
            page.get_by_text(f"{N}/{N} files written").wait_for(timeout=60_000)
            settled(page)
            final = done(run_id)
            assert final == FILES
            assert sorted(code_requests(seen_final)) == sorted(set(FILES) - set(after_click))
            html = all_html(page)
    finally:
        for app in apps:
            app.stop()

    places = {
        "streamlit log (both processes)": log.read_text(errors="replace"),
        "page HTML": html,
        "websocket messages to the browser": frames_bytes(frames),
        **{f"history {k}": v for k, v in sqlite_files(db).items()},
    }
    hits = leaks(ENV_KEY, places)
    with capsys.disabled():
        print("\n[restart] " + "; ".join(figures) + f"; final {len(final)}/{N} files")
        print(
            f"[secrets owner key from env, restart e2e] places grepped={len(places)} "
            f"hits={sum(hits.values())}"
        )
    assert hits == {}
