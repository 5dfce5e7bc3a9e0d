"""Keys never leak: after full runs (errors included, with the server echoing the key back in
its error bodies) the key is in no log, page, error message, zip, manifest, folder, or byte of
the history database. And a visitor who may not use the owner's key can't reach the owner's
endpoint at all.

The page runs in AppTest here (in this process, so Python logging is caught at DEBUG for every
logger: openai, httpx, streamlit, smol_core); tests/e2e/test_secrets_e2e.py does the same with
`streamlit run` and a real browser. Each test prints `[secrets ...] places grepped=N hits=0`.
"""

from __future__ import annotations

import io
import logging
import os

import pytest

from smol_core.cli import main as cli_main
from smol_core.studio.history import RunStore
from smol_core.studio.session import page_settings
from tests.kit import (
    leaks,
    new_app,
    ok,
    page_environment,
    page_text,
    point_env,
    snapshot,
    sqlite_files,
    zip_texts,
)
from tests.scripted_server import Fault

# Not shaped like "sk-…": only scrubbing the exact key (not a pattern) can catch it.
VISITOR_KEY = "visitor-QUOKKA-5512-zebra-key"
OWNER_KEY = "owner-WOMBAT-9931-lynx-key"
CODE = "workshop-code-7"
FILES3 = {
    "main.py": "from util import greet\n\nprint(greet('world'))\n",
    "util.py": "def greet(name):\n    return f'hello {name}'\n",
    "extra.py": "EXTRA = 1\n",
}


def echo_faults(server, key: str) -> None:
    """The server answers some requests with errors that quote the key back."""
    server.add_fault(
        Fault.status(401, message=f"Incorrect API key provided: {key}."), kind="plan", times=1
    )
    server.add_fault(
        Fault.status(429, message=f"Rate limit for key {key}", retry_after=0.01),
        kind="code",
        path="main.py",
        times=1,
    )
    server.add_fault(
        Fault.status(500, message=f"upstream failed for key={key}"),
        kind="code",
        path="util.py",
        times=None,
    )
    server.add_fault(
        Fault.status(400, message=f"bad request from {key}"),
        kind="code",
        path="extra.py",
        times=None,
    )


def report(capture, name: str, places: dict, hits: dict) -> None:
    with capture.disabled():
        print(f"\n[secrets {name}] places grepped={len(places)} hits={sum(hits.values())}")


@pytest.fixture
def page_env(monkeypatch, tmp_path):
    yield from page_environment(monkeypatch, tmp_path)


@pytest.fixture
def debug_logs(caplog):
    """Every logger at DEBUG, captured: a key logged anywhere would be caught."""
    caplog.set_level(logging.DEBUG)
    for name in ("openai", "httpx", "httpcore", "streamlit", "smol_core", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def full_page_run(at, texts: list[str]) -> None:
    """Spec → plan (refused once with the key echoed, then again) → files → generate."""
    at.text_area(key="in_spec").input("A greeting program in three files.").run()
    at.button(key="btn_plan").click().run()
    texts.append(page_text(ok(at)))
    assert any("refused the API key (401)" in e.value for e in at.error)
    at.button(key="btn_plan").click().run()
    texts.append(page_text(ok(at)))
    at.button(key="btn_files").click().run()
    texts.append(page_text(ok(at)))
    at.button(key="btn_generate").click().run()
    texts.append(page_text(ok(at)))
    project = at.session_state.studio.project
    assert set(project.contents) == {"main.py"}
    assert set(project.failed) == {"util.py", "extra.py"}
    assert "HTTP 500" in project.failed["util.py"] and "HTTP 400" in project.failed["extra.py"]
    assert "[redacted]" in project.failed["util.py"]  # the echo was seen, and scrubbed


def grep_page_run(at, db, texts, debug_logs, capfd, settings, key):
    zipped = at.session_state.studio.bundle(settings)
    out, err = capfd.readouterr()
    places = {
        "page (every element sent to the browser)": "\n".join(texts),
        "error messages on the page": "\n".join(e.value for e in at.error),
        "failed-file errors in the project": repr(at.session_state.studio.project.failed),
        "Python logging (DEBUG, all loggers)": debug_logs.text,
        "stdout": out,
        "stderr": err,
        "zip (raw and unpacked)": zip_texts(zipped),
        "manifest": repr(at.session_state.studio.project.manifest(settings)),
        **{f"history {name}": data for name, data in sqlite_files(db).items()},
    }
    return places, leaks(key, places)


def test_a_visitor_key_typed_into_the_page_leaks_nowhere(
    make_server, page_env, monkeypatch, debug_logs, capfd
):
    server = make_server(files=FILES3, require_api_key=VISITOR_KEY)
    point_env(monkeypatch, server)  # an endpoint, no key of the owner's
    echo_faults(server, VISITOR_KEY)
    at = ok(new_app().run())
    at.text_input(key="in_key").input(VISITOR_KEY).run()
    texts: list[str] = []
    full_page_run(at, texts)
    assert all(r.headers["authorization"] == f"Bearer {VISITOR_KEY}" for r in server.requests)

    settings, _ = page_settings({}, os.environ, provider="compatible", visitor_key=VISITOR_KEY)
    places, hits = grep_page_run(at, page_env, texts, debug_logs, capfd, settings, VISITOR_KEY)
    report(capfd, "visitor key, page", places, hits)
    assert hits == {}


def test_the_owners_key_from_the_environment_leaks_nowhere(
    make_server, page_env, monkeypatch, debug_logs, capfd
):
    server = make_server(files=FILES3, require_api_key=OWNER_KEY)
    point_env(monkeypatch, server, key=OWNER_KEY)  # a studio someone started with their key
    echo_faults(server, OWNER_KEY)
    at = ok(new_app().run())
    texts: list[str] = []
    full_page_run(at, texts)
    assert all(r.headers["authorization"] == f"Bearer {OWNER_KEY}" for r in server.requests)

    settings, _ = page_settings({}, os.environ, provider="compatible")
    places, hits = grep_page_run(at, page_env, texts, debug_logs, capfd, settings, OWNER_KEY)
    report(capfd, "owner key from env, page", places, hits)
    assert hits == {}


def test_the_cli_leaks_the_key_nowhere(make_server, monkeypatch, tmp_path, debug_logs, capsys):
    server = make_server(files=FILES3, require_api_key=OWNER_KEY)
    for name in list(os.environ):
        if name.startswith(("SMOL_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", OWNER_KEY)
    monkeypatch.setenv("SMOL_RETRY_WAIT_INITIAL", "0.01")
    monkeypatch.setenv("SMOL_RETRY_WAIT_MAX", "0.05")
    # The plan's 401 would end a CLI run, so here the key is echoed by the failing files.
    server.add_fault(
        Fault.status(500, message=f"upstream failed for key={OWNER_KEY}"),
        kind="code",
        path="util.py",
        times=None,
    )
    server.add_fault(
        Fault.status(400, message=f"bad request from {OWNER_KEY}"),
        kind="code",
        path="extra.py",
        times=None,
    )
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(
        [
            "--prompt",
            "a greeter",
            "--out",
            str(tmp_path / "out"),
            "--zip",
            str(tmp_path / "p.zip"),
            "--model",
            "scripted-model",
            "--debug",
        ],
        stdout=out,
        stderr=err,
    )
    assert code == 2
    assert "FAILED util.py" in err.getvalue() and "[redacted]" in err.getvalue()
    places = {
        "stdout": out.getvalue(),
        "stderr (progress, errors, --debug stream)": err.getvalue(),
        "Python logging (DEBUG, all loggers)": debug_logs.text,
        "zip (raw and unpacked)": zip_texts((tmp_path / "p.zip").read_bytes()),
        **{f"folder {k}": v for k, v in snapshot(tmp_path / "out").items()},
    }
    hits = leaks(OWNER_KEY, places)
    report(capsys, "owner key from env, CLI", places, hits)
    assert hits == {}
    # And once the plan is refused with the key echoed: one scrubbed line.
    server.add_fault(Fault.status(401, message=f"Incorrect API key: {OWNER_KEY}"), kind="plan")
    err = io.StringIO()
    assert cli_main(["--prompt", "x", "--out", str(tmp_path / "o2")], io.StringIO(), err) == 1
    assert "refused the API key (401)" in err.getvalue() and OWNER_KEY not in err.getvalue()


def test_a_key_mounted_with_a_trailing_newline_works_and_is_still_scrubbed(
    make_server, monkeypatch, tmp_path
):
    # Secrets mounted as files (Kubernetes, Docker) often end with a newline: as an HTTP header
    # that failed as a "connection error", retried in vain.
    server = make_server(files=FILES3, require_api_key=OWNER_KEY)
    for name in list(os.environ):
        if name.startswith(("SMOL_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", OWNER_KEY + "\n")
    server.add_fault(
        Fault.status(500, message=f"upstream failed for key={OWNER_KEY}"),
        kind="code",
        path="util.py",
        times=None,
    )
    err = io.StringIO()
    code = cli_main(
        ["--prompt", "a greeter", "--out", str(tmp_path / "out"), "--model", "scripted-model"],
        io.StringIO(),
        err,
    )
    assert code == 2, err.getvalue()
    assert not [r for r in server.requests if r.outcome == "status 401"]
    assert "[redacted]" in err.getvalue() and OWNER_KEY not in err.getvalue()


# ------------------------------------------------------------------- a public deployment
@pytest.mark.parametrize("code_set", [False, True], ids=["no access code", "access code"])
def test_a_visitor_without_the_code_never_reaches_the_owners_endpoint(
    server, page_env, monkeypatch, code_set
):
    point_env(monkeypatch, server)  # the endpoint; the key lives in secrets, as when deployed
    if code_set:
        monkeypatch.setenv("SMOL_ACCESS_CODE", CODE)
    at = new_app()
    at.secrets["OPENAI_API_KEY"] = OWNER_KEY
    ok(at.run())
    assert at.radio(key="in_provider").value == "compatible"  # what a visitor gets by default
    at.text_area(key="in_spec").input("a tiny program").run()
    at.button(key="btn_plan").click().run()
    ok(at)
    assert server.requests == []  # not even with a placeholder key
    [error] = [e.value for e in at.error]
    assert "No API key" in error and OWNER_KEY not in page_text(at)
    if code_set:
        at.text_input(key="in_code").input("not-the-code").run()
        at.button(key="btn_plan").click().run()
        assert server.requests == []
        at.text_input(key="in_code").input(CODE).run()
        at.button(key="btn_plan").click().run()
        ok(at)
        assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {OWNER_KEY}"]
    # A visitor's own endpoint needs no key of anyone's: that is not the owner's to refuse.
    other = server.base_url.replace("127.0.0.1", "localhost")
    settings, _ = page_settings(
        {"OPENAI_API_KEY": OWNER_KEY}, os.environ, provider="compatible", base_url=other
    )
    assert settings.api_key is None and not settings.key_required
    assert OWNER_KEY not in page_text(at)
    assert not leaks(OWNER_KEY, sqlite_files(page_env))


def test_history_rows_hold_no_key(page_env, server, monkeypatch):
    point_env(monkeypatch, server)
    at = ok(new_app().run())
    at.text_input(key="in_key").input(VISITOR_KEY).run()
    at.text_area(key="in_spec").input("a greeter").run()
    at.button(key="btn_plan").click().run()
    ok(at)
    run = RunStore(page_env).load_run(at.session_state.studio.run_id, None)
    assert VISITOR_KEY not in repr(run)
