"""Hostile input through every door: the file table on the page, a model's file list through
the CLI, the zip and folder writers, the history file, and the spec (typed, uploaded, or given
to the CLI).

Paths are the hostile table of tests/test_paths.py (traversal in every spelling, absolute,
drive letters, UNC, NUL and control characters, reserved device names, huge names, look-alikes
of `..` and `/`, ...), clashing groups (case duplicates, a path that is both a file and a
folder), and hypothesis-drawn ones. Nothing may be written outside its root (the parent folder
is compared before and after) and every rejection comes with its reason. Each test prints one
`[hostile ...]` line with its counts (RELIABILITY.md quotes them).
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from smol_core.bundle import build_zip, write_folder
from smol_core.cli import main as cli_main
from smol_core.errors import SpecError
from smol_core.paths import normalize_path, safe_repr
from smol_core.steps.file_list import _NOT_PATHS
from smol_core.studio.history import RunStore
from smol_core.studio.session import check_table, path_label, read_upload
from tests.conftest import FAKE_KEY, FILES
from tests.kit import new_app, ok, page_environment, point_env, snapshot
from tests.scripted_server import Fault
from tests.test_paths import _PATHS, HOSTILE

HOSTILE_PATHS = [raw for raw, _ in HOSTILE]
CAUSE = dict(HOSTILE)
# Groups that are each fine alone but not together: (rows added after main.py and util.py,
# the row refused, a word of its reason).
CLASHES = [
    (["MAIN.PY"], "MAIN.PY", "differ only in case"),
    (["A.py", "a.py"], "a.py", "differ only in case"),
    (["straße.py", "STRASSE.py"], "STRASSE.py", "differ only in case"),
    (["./main.py"], "./main.py", "listed twice"),
    (["util.py/helpers.py"], "util.py/helpers.py", "already a file"),
    (["lib/x.py", "lib"], "lib", "already a folder"),
    (["docs", "docs/a.md"], "docs/a.md", "already a file"),
]
SPEC = "A tiny greeting program in Python: main.py prints a greeting built by util.py."


def has_surrogates(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n{line}")


# ------------------------------------------------------------------------------------ fixtures
@pytest.fixture
def page_env(monkeypatch, tmp_path):
    yield from page_environment(monkeypatch, tmp_path)


@pytest.fixture
def app(server, page_env, monkeypatch):
    point_env(monkeypatch, server)
    return new_app()


@pytest.fixture
def cli_env(monkeypatch, server):
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("SMOL_MODEL", "scripted-model")
    monkeypatch.setenv("SMOL_RETRY_WAIT_INITIAL", "0.01")
    monkeypatch.setenv("SMOL_RETRY_WAIT_MAX", "0.05")
    monkeypatch.setenv("SMOL_CHECKS", "false")  # the checks are not what is tested here
    for name in ("SMOL_PROVIDER", "SMOL_HISTORY_DB"):
        monkeypatch.delenv(name, raising=False)
    return server


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def to_table(at, rows: list[str]) -> None:
    """Type rows into the file table, as the data editor reports them to the page."""
    at.session_state[f"ed_files_{at.session_state.files_rev}"] = {
        "edited_rows": {},
        "added_rows": [{"path": p, "purpose": "typed in"} for p in rows],
        "deleted_rows": [],
    }


def to_files_step(at):
    at.text_area(key="in_spec").input(SPEC).run()
    at.button(key="btn_plan").click().run()
    at.button(key="btn_files").click().run()
    return ok(at)


def model_lists(server, paths: list[str]) -> None:
    """The model answers every file-list request with exactly these paths."""
    listed = [{"path": p, "purpose": "as the model said"} for p in paths]
    server.add_fault(Fault.text(json.dumps({"files": listed})), kind="file_list", times=None)


# ------------------------------------------------------------------------- paths: the page
def test_every_hostile_path_in_the_file_table_is_refused_with_its_reason(app, page_env, capsys):
    at = to_files_step(app.run())
    store = RunStore(page_env)
    run_id = at.session_state.studio.run_id
    before = store.load_run(run_id, None).files

    # A browser can't send lone surrogates (its UTF-8 turns them into U+FFFD), and a blank
    # row is an empty new row, not a path.
    sendable = [p for p in HOSTILE_PATHS if not has_surrogates(p)]
    to_table(at, sendable)
    ok(at.run())
    typed = [p for p in sendable if p.strip()]
    errors = [e.value for e in at.error]
    assert len(errors) == len(typed)
    for raw, message in zip(typed, errors, strict=True):
        assert message.startswith(f"{path_label(raw)} can't be used: "), (raw, message)
        assert CAUSE[raw] in message.lower(), (raw, message)
        assert message.isprintable() and len(message) < 400  # no raw bidi/control characters
    assert at.button(key="btn_generate").disabled
    assert at.session_state.studio.project.paths == list(FILES)  # nothing taken from it
    assert store.load_run(run_id, None).files == before  # nothing saved from it

    refused = 0
    for rows, bad, cause in CLASHES:
        to_table(at, rows)
        ok(at.run())
        [message] = [e.value for e in at.error]
        assert message.startswith(f"{path_label(bad)} can't be used: ") and cause in message
        assert at.button(key="btn_generate").disabled
        refused += 1
    assert store.load_run(run_id, None).files == before
    report(
        capsys,
        f"[hostile table] paths typed={len(typed) + len(CLASHES)} refused with a reason="
        f"{len(errors) + refused} saved=0 (blank rows ignored={len(sendable) - len(typed)})",
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=hs.lists(_PATHS, min_size=1, max_size=8))
def test_drawn_paths_in_the_file_table_are_refused_or_safe(app, rows):
    at = app
    if "run" not in at.query_params:  # the first example gets the page to step 3
        to_files_step(at.run())
    rows = [*rows, "../always-refused.py"]  # keeps the table refused, so the base never changes
    to_table(at, rows)
    ok(at.run())
    expected = check_table(
        [{"path": p} for p in FILES] + [{"path": p} for p in rows if isinstance(p, str)]
    )
    errors = [e.value for e in at.error]
    assert len(errors) == len(expected.rejected)
    assert all(m.isprintable() and "can't be used: " in m for m in errors)
    assert at.session_state.studio.project.paths == list(FILES)


@settings(max_examples=300, deadline=None)
@given(rows=hs.lists(_PATHS, max_size=10))
def test_the_table_check_keeps_only_clean_paths_inside_the_project(rows):
    check = check_table([{"path": p, "purpose": "x"} for p in rows])
    root = Path("/nonexistent/root")
    for f in check.files:
        assert normalize_path(f.path) == f.path
        assert (root / f.path).resolve().is_relative_to(root)
    assert all(r.reason and path_label(r.path).isprintable() for r in check.rejected)
    blank = sum(1 for p in rows if not p.strip())
    assert len(check.files) + len(check.rejected) == len(rows) - blank


def test_a_tampered_history_is_checked_again_when_a_run_is_opened(page_env, server, monkeypatch):
    point_env(monkeypatch, server)
    store = RunStore(page_env)
    run_id = store.create_run(owner="me", spec=SPEC, model="scripted-model")
    store.save_plan(run_id, "# Plan\n")
    # SQLite can't store lone surrogates: those can't come back from a history file at all.
    planted = [p for p in HOSTILE_PATHS if not has_surrogates(p)]
    store.save_file_list(run_id, [(p, "planted") for p in ["main.py", *planted]])
    for p in ["main.py", *planted]:
        store.save_file(run_id, p, f"# content of {safe_repr(p)}\n")

    at = ok(new_app(u="me", run=run_id).run())
    project = at.session_state.studio.project
    assert project.paths == ["main.py"] and list(project.contents) == ["main.py"]
    warnings = [w.value for w in at.warning if w.value.startswith("Left out ")]
    assert len(warnings) == len(planted)
    assert all(w.isprintable() for w in warnings)
    assert [e.value for e in at.error] == []
    assert list(at.data_editor[0].value["path"]) == ["main.py"]
    assert at.download_button(key="dl_zip").label == "Download .zip"  # the zip still builds


# -------------------------------------------------------------------------- paths: the CLI
def test_a_model_listing_hostile_paths_writes_nothing_outside_the_folder(cli_env, tmp_path, capsys):
    server = cli_env
    good = {"ok.py": "print('ok')\n", "pkg/mod.py": "X = 1\n"}
    server.files = dict(good)
    clash = ["OK.py", "ok.py/x.py", "pkg"]  # case duplicate, under a file, a folder's name
    model_lists(server, [*good, *HOSTILE_PATHS, *clash])
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "sentinel.txt").write_text("untouched")
    out, zipped = parent / "out", parent / "out.zip"
    before = snapshot(tmp_path, skip=[out, zipped])

    code, stdout, stderr = cli(
        "--prompt",
        "a program",
        "--out",
        str(out),
        "--zip",
        str(zipped),
        "--model",
        "scripted-model",
    )
    assert code == 0, stderr
    assert snapshot(tmp_path, skip=[out, zipped]) == before
    written = {k: v for k, v in snapshot(out).items() if v != "dir"}
    assert set(written) == {*good, "smol-manifest.json"}
    assert all(written[p] == c.encode() for p, c in good.items())

    # Blank paths are no entry at all to the parser; every other one is skipped with its reason.
    offered = [p for p in [*HOSTILE_PATHS, *clash] if p and p.strip().lower() not in _NOT_PATHS]
    skipped = [line for line in stderr.splitlines() if line.startswith("  skipped ")]
    assert len(skipped) == len(offered)
    for raw, line in zip(offered, skipped, strict=True):
        assert line.startswith(f"  skipped {raw!r}: ")
        if raw in CAUSE:
            assert CAUSE[raw] in line.lower()
    assert {r.path for r in server.requests if r.kind == "code"} == set(good)
    report(
        capsys,
        f"[hostile cli] paths offered by the model={len(offered)} skipped with a reason="
        f"{len(skipped)} written outside the folder=0",
    )


def test_a_model_listing_only_hostile_paths_ends_with_the_reasons(cli_env, tmp_path):
    model_lists(cli_env, ["../../etc/passwd", "C:\\Windows\\evil.dll", "a\x00b.py", "con.py"])
    before = snapshot(tmp_path)
    code, _, stderr = cli("--prompt", "a program", "--out", str(tmp_path / "out"))
    assert code == 1
    assert snapshot(tmp_path) == before  # not even the folder is made
    [line] = [s for s in stderr.splitlines() if s.startswith("error:")]
    assert "every path was unsafe" in line and "goes outside the project folder" in line
    assert "drive" in line and "control" in line and "and 1 more" in line
    assert [r.kind for r in cli_env.requests] == ["plan"] + ["file_list"] * 3


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=hs.lists(_PATHS, min_size=1, max_size=10))
def test_drawn_paths_from_a_model_never_escape_the_folder(cli_env, drawn):
    cli_env.clear_faults()
    cli_env.files = {"ok.py": "print('ok')\n"}
    model_lists(cli_env, ["ok.py", *drawn])  # ok.py first: something is always accepted
    with tempfile.TemporaryDirectory() as tmp:
        parent = Path(tmp)
        out = parent / "out"
        (parent / "sentinel.txt").write_text("untouched")
        before = snapshot(parent, skip=[out])
        code, _, stderr = cli("--prompt", "a program", "--out", str(out))
        assert code in (0, 2), stderr
        assert snapshot(parent, skip=[out]) == before
        written = {k for k, v in snapshot(out).items() if v != "dir"} - {"smol-manifest.json"}
    assert "ok.py" in written
    for raw in drawn:
        if not raw or raw.strip().lower() in _NOT_PATHS:
            continue  # no entry at all to the parser
        explained = f"  skipped {raw!r}: " in stderr
        assert explained or normalize_path(raw) in written, raw


# ----------------------------------------------------------------------- paths: the writers
def test_the_folder_and_zip_writers_refuse_every_hostile_path(tmp_path, capsys):
    root = tmp_path / "root"
    (tmp_path / "sentinel.txt").write_text("untouched")
    files = {raw: f"hostile {i}\n" for i, raw in enumerate(HOSTILE_PATHS)}
    files["ok.py"] = "fine\n"
    before = snapshot(tmp_path, skip=[root])
    result = write_folder(root, files)
    assert snapshot(tmp_path, skip=[root]) == before
    assert result.written == ["ok.py"]
    assert snapshot(root) == {"ok.py": b"fine\n"}
    reasons = {r.path: r.reason for r in result.rejected}
    assert set(reasons) == set(HOSTILE_PATHS)
    assert all(CAUSE[p] in reasons[p].lower() for p in HOSTILE_PATHS)

    for rows, bad, cause in CLASHES:
        group = {p: "x" for p in ["main.py", "util.py", *rows]}
        result = write_folder(tmp_path / "clash", group)
        assert [(r.path, cause in r.reason) for r in result.rejected] == [(bad, True)]
        with pytest.raises(ValueError, match="unsafe file name") as info:
            build_zip(group)
        assert safe_repr(bad) in str(info.value)

    for raw in HOSTILE_PATHS:
        with pytest.raises(ValueError) as info:
            build_zip({"ok.py": "fine", raw: "x"})
        assert safe_repr(raw) in str(info.value) and CAUSE[raw] in str(info.value).lower()
    assert snapshot(tmp_path, skip=[root, tmp_path / "clash"]) == before
    report(
        capsys,
        f"[hostile writers] paths tried={len(HOSTILE_PATHS) + len(CLASHES)} (folder and zip) "
        f"refused with a reason={len(reasons) + len(CLASHES)} written outside the root=0",
    )


# --------------------------------------------------------------------------------- specs
MEGABYTE_SPEC = "A to-do list app with tags and due dates. " * 25_000  # 1.05 MB
BAD_SPECS = {
    "empty": ("", None),
    "whitespace": ("   \n\t  \n", None),
    "1 MB": (MEGABYTE_SPEC, "too long"),
    "binary garbage": (bytes(range(256)).decode("latin-1") * 40, "NUL bytes"),
    "control characters": ("\x01\x02\x03\x04\x05\x06\x07\x08" * 100, "control characters"),
}
UNICODE_SPEC = (
    "Ein Taschenrechner · 计算器 · حاسبة 🧮: adds, subtracts; shows ‮reversed‬ text and "
    "cafe\u0301 (combining accent), ＡＢＣ full-width, and emoji 👩‍💻 in its title."
)


@pytest.mark.parametrize("name", list(BAD_SPECS))
def test_a_bad_spec_on_the_page_gets_a_clear_message_and_no_request(app, server, page_env, name):
    text, cause = BAD_SPECS[name]
    at = ok(app.run())
    at.text_area(key="in_spec").input(text).run()
    ok(at)
    if cause is None:  # nothing to plan from: a click is told so, no request can be made
        at.button(key="btn_plan").click().run()
        assert any("Write what the program should do first" in w.value for w in at.warning)
        with pytest.raises(SpecError, match="empty"):
            at.session_state.studio.start(text, None)
    else:
        at.button(key="btn_plan").click().run()
        ok(at)
        [message] = [e.value for e in at.error]
        assert cause in message and message.isprintable()
    assert server.requests == []
    assert RunStore(page_env).list_runs(None) == []  # no run is started from it
    assert at.session_state.studio.project is None


def test_a_unicode_spec_goes_through_the_page_unchanged(app, server, page_env):
    at = ok(app.run())
    at.text_area(key="in_spec").input(UNICODE_SPEC).run()
    at.button(key="btn_plan").click().run()
    ok(at)
    assert [e.value for e in at.error] == []
    [request] = server.requests
    sent = json.dumps(request.body, ensure_ascii=False)
    assert json.dumps(UNICODE_SPEC, ensure_ascii=False)[1:-1] in sent
    run = RunStore(page_env).load_run(at.session_state.studio.run_id, None)
    assert run.spec == UNICODE_SPEC and run.plan.startswith("# Plan")
    assert at.session_state.studio.zip_name().endswith(".zip")


CLI_SPECS = {
    "empty": ("", "No spec"),
    "whitespace": ("  \n ", "empty"),
    "1 MB": (MEGABYTE_SPEC, "too long"),
    "binary garbage": ("\x00\x01\x02\x03garbage", "NUL bytes"),
    "undecodable bytes": (b"\xff\xfe\x89PNG".decode("utf-8", "surrogateescape"), "UTF-8"),
}
CLI_SPEC_FILES = {
    "empty file": (b"", "empty"),
    "1 MB file": (MEGABYTE_SPEC.encode(), "too long"),
    "binary file": (bytes(range(256)) * 40, "UTF-8"),
    "control characters file": (b"\x01\x02\x03\x04" * 300, "control characters"),
}


@pytest.mark.parametrize("name", [*CLI_SPECS, *CLI_SPEC_FILES])
def test_a_bad_spec_on_the_cli_is_one_line_and_no_request(cli_env, tmp_path, name):
    if name in CLI_SPECS:
        value, cause = CLI_SPECS[name]
    else:
        data, cause = CLI_SPEC_FILES[name]
        value = str(tmp_path / "spec.md")
        Path(value).write_bytes(data)
    code, stdout, stderr = cli("--prompt", value, "--out", str(tmp_path / "out"))
    assert code == 1
    [line] = [s for s in stderr.splitlines() if s.strip()]
    assert line.startswith("error: ") and cause in line and "Traceback" not in stderr
    assert len(line) < 300
    assert cli_env.requests == []
    assert not (tmp_path / "out").exists()


def test_a_unicode_spec_goes_through_the_cli(cli_env, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = cli("--prompt", UNICODE_SPEC, "--out", str(out))
    assert code == 0, stderr
    manifest = json.loads((out / "smol-manifest.json").read_text(encoding="utf-8"))
    assert manifest["spec"] == UNICODE_SPEC
    assert {p: (out / p).read_text() for p in FILES} == FILES


# ------------------------------------------------------------------------------- uploads
UPLOADS = {
    "an image named .md": ("notes.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not UTF-8"),
    "huge": ("big.md", b"# Spec\n" + b"a long line of spec text\n" * 12_000, "too large"),
    "NUL bytes": ("nul.md", b"# Spec\x00\x00\x00 with NULs", "NUL bytes"),
    "control characters": ("ctl.md", b"\x01\x02\x03\x04" * 200, "control characters"),
    "empty": ("empty.md", b"   \n", "empty"),
    "hostile name": ("\u202egnp.md", b"\xff\xfe", "not UTF-8"),
}


@pytest.mark.parametrize("name", list(UPLOADS))
def test_an_upload_that_is_not_a_text_spec_is_refused_with_a_reason(app, server, name):
    filename, data, cause = UPLOADS[name]
    at = ok(app.run())
    at.text_area(key="in_spec").input("my own spec, kept").run()
    at.file_uploader(key="in_upload").set_value((filename, data, "text/markdown")).run()
    ok(at)
    [message] = [e.value for e in at.error]
    assert cause in message and message.isprintable()
    assert path_label(filename) in message  # names the file, escaped
    assert at.text_area(key="in_spec").value == "my own spec, kept"  # the spec is untouched
    assert server.requests == []


def test_a_text_upload_fills_the_spec(app):
    at = ok(app.run())
    data = "\ufeff# Timer ⏱\r\nA pomodoro timer.\r\n".encode()
    at.file_uploader(key="in_upload").set_value(("timer.md", data, "text/markdown")).run()
    ok(at)
    assert at.text_area(key="in_spec").value == "# Timer ⏱\nA pomodoro timer."
    assert not at.button(key="btn_plan").disabled
    with pytest.raises(SpecError, match="too large"):
        read_upload("x.md", b"a" * 200_001)
