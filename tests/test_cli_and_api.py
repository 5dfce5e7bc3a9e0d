"""The CLI and the library API, driven against the scripted server."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from smol_core import generate_code, generate_code_sync, plan, specify_file_paths
from smol_core.cli import main
from smol_core.running.sandbox import isolation
from tests.conftest import FAKE_KEY, FILES, PLAN, fast_settings
from tests.scripted_server import Fault


@pytest.fixture
def cli_env(monkeypatch, server):
    # The CLI reads its endpoint from the environment, as a user would set it.
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("SMOL_RETRY_WAIT_INITIAL", "0.01")
    monkeypatch.setenv("SMOL_RETRY_WAIT_MAX", "0.05")
    monkeypatch.delenv("SMOL_PROVIDER", raising=False)
    return server


def _cli(args):
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_turns_a_spec_file_into_a_folder(cli_env, tmp_path):
    spec = tmp_path / "spec.md"
    spec.write_text("a greeter program", encoding="utf-8")
    out = tmp_path / "out"
    keep = out / "keep.txt"
    out.mkdir()
    keep.write_text("the user's own file")
    code, stdout, stderr = _cli(
        [
            "--prompt",
            str(spec),
            "--generate_folder_path",
            str(out),
            "--model",
            "scripted-model",
            "--zip",
            str(tmp_path / "p.zip"),
        ]
    )
    assert code == 0, stderr
    for path, content in FILES.items():
        assert (out / path).read_text() == content
    assert keep.read_text() == "the user's own file"  # never wipes the folder
    manifest = json.loads((out / "smol-manifest.json").read_text())
    assert manifest["plan"] == PLAN.strip() and manifest["model"] == "scripted-model"
    assert "2/2 files" in stdout
    everything = stdout + stderr + (out / "smol-manifest.json").read_text()
    assert FAKE_KEY not in everything
    assert FAKE_KEY.encode() not in (tmp_path / "p.zip").read_bytes()


def test_cli_reports_a_failed_file_and_exits_2(cli_env, tmp_path):
    cli_env.add_fault(Fault.status(500), kind="code", path="util.py", times=None)
    code, _, stderr = _cli(["--prompt", "a greeter", "--out", str(tmp_path / "o"), "--model", "m"])
    assert code == 2
    assert "FAILED util.py" in stderr
    assert (tmp_path / "o" / "main.py").exists()


def test_cli_empty_spec_is_one_line_and_no_request(cli_env, tmp_path):
    code, _, stderr = _cli(["--prompt", "   ", "--out", str(tmp_path / "o")])
    assert code == 1
    assert stderr.strip().startswith("error: The spec is empty")
    assert "Traceback" not in stderr
    assert cli_env.requests == []


def test_cli_bad_key_is_one_line(cli_env, tmp_path, monkeypatch):
    cli_env.require_api_key = "sk-something-else-entirely"
    code, _, stderr = _cli(["--prompt", "x", "--out", str(tmp_path / "o"), "--model", "m"])
    assert code == 1
    assert "refused the API key (401)" in stderr
    assert FAKE_KEY not in stderr and "Traceback" not in stderr


def test_cli_missing_spec_file(cli_env, tmp_path):
    code, _, stderr = _cli(["--prompt", str(tmp_path / "nope.md"), "--out", str(tmp_path / "o")])
    assert code == 1 and "No such spec file" in stderr


def test_library_api_keeps_the_original_call_shapes(server):
    settings = fast_settings(server.base_url)
    chunks: list[bytes] = []
    text = plan("a greeter", chunks.append, settings=settings)
    assert text == PLAN.strip() and b"".join(chunks).decode() == PLAN
    paths = specify_file_paths("a greeter", text, settings=settings)
    assert paths == list(FILES)
    code = generate_code_sync(
        "a greeter", text, "util.py", None, "scripted-model", file_paths=paths, settings=settings
    )
    assert code == FILES["util.py"]


def test_library_sync_calls_work_from_a_thread_and_inside_a_loop(server):
    import asyncio

    settings = fast_settings(server.base_url)
    results = {}

    def worker():  # a thread with no event loop: the original's get_event_loop() broke here
        results["thread"] = generate_code_sync("s", PLAN, "main.py", settings=settings)

    t = threading.Thread(target=worker)
    t.start()
    t.join(30)

    async def inside_loop():
        sync = generate_code_sync("s", PLAN, "main.py", settings=settings)
        native = await generate_code("s", PLAN, "main.py", settings=settings)
        return sync, native

    results["loop"] = asyncio.run(inside_loop())
    assert results["thread"] == FILES["main.py"]
    assert results["loop"] == (FILES["main.py"], FILES["main.py"])


def test_cli_shows_findings_and_adds_missing_files_on_request(make_server, tmp_path, monkeypatch):
    files = {
        "main.py": "from storage import load\n\nif __name__ == '__main__':\n    print(load())\n",
        "storage.py": "def load():\n    return []\n",
    }
    server = make_server(files=files, plan_text="`main.py` uses `storage.py`.")
    # The model lists only main.py; storage.py is referenced but missing.
    only_main = Fault.text('{"files": [{"path": "main.py", "purpose": "entry"}]}')
    server.add_fault(only_main, kind="file_list", times=2)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    out = tmp_path / "o"
    code, _, stderr = _cli(["--prompt", "notes", "--out", str(out), "--model", "m"])
    # It runs, and fails for want of storage.py (when this machine can run it isolated).
    assert code == (2 if isolation() == "namespaces" else 0)
    assert "imports `storage` from `storage.py`, which is not in the file list" in stderr
    assert "referenced but not in the project: storage.py" in stderr
    assert not (out / "storage.py").exists()
    code, _, stderr = _cli(
        ["--prompt", "notes", "--out", str(out), "--model", "m", "--add-missing"]
    )
    assert code == 0, stderr
    assert "added 1 missing file(s): storage.py" in stderr
    assert (out / "storage.py").read_text() == files["storage.py"]


def test_cli_fix_error_regenerates_the_concerned_file_in_place(cli_env, tmp_path):
    out = tmp_path / "proj"
    assert _cli(["--prompt", "a greeter", "--out", str(out), "--model", "m"])[0] == 0
    (out / "util.py").write_text("def greet(name):\n    return oops\n")
    error = tmp_path / "error.txt"
    error.write_text(
        "  File \"util.py\", line 2, in greet\nNameError: name 'oops' is not defined\n"
    )
    code, stdout, stderr = _cli(["--fix-error", str(error), "--out", str(out), "--model", "m"])
    assert code == 0, stderr
    assert "regenerated util.py" in stdout
    assert (out / "util.py").read_text() == FILES["util.py"]
    last = cli_env.requests[-1].body["messages"][-1]["content"]
    assert "NameError" in last and "oops" in last


def test_cli_fix_error_needs_a_project_we_wrote(cli_env, tmp_path):
    code, _, stderr = _cli(["--fix-error", "boom", "--out", str(tmp_path)])
    assert code == 1 and "smol-manifest.json" in stderr


GREETER_SPEC = "A greeter. Running `python main.py` prints `hello world`."


def test_cli_examples_only_prints_the_proposed_examples_and_writes_nothing(cli_env, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = _cli(["--prompt", GREETER_SPEC, "--out", str(out), "--examples-only"])
    assert code == 0, stderr
    assert "| What is run, typed or clicked | What must come out |" in stdout
    assert '| python main.py | prints exactly "hello world" | ' in stdout
    assert "Running `python main.py` prints `hello world`. | spec |" in stdout
    assert not out.exists()
    assert "code" not in {r.kind for r in cli_env.requests}  # no file was written


def test_cli_uses_the_examples_file_instead_of_proposing(cli_env, tmp_path):
    # The spec's own example would pass; the file's (a person's) expects another greeting:
    # the run judges by the file's, so the example fails and the CLI says so.
    table = tmp_path / "examples.md"
    table.write_text(
        "| What is run, typed or clicked | What must come out | Spec sentence | Written by |\n"
        "| --- | --- | --- | --- |\n"
        '| python main.py | prints exactly "hello there" | a greeter | you |\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = [
        "--prompt",
        GREETER_SPEC,
        "--out",
        str(out),
        "--examples",
        str(table),
        "--run-rounds",
        "0",
    ]
    code, stdout, stderr = _cli(args)
    assert '| python main.py | prints exactly "hello there" | a greeter | you |' in stdout
    assert stdout.index("prints exactly") < stdout.index("files in")  # shown before the code
    manifest = json.loads((out / "smol-manifest.json").read_text())
    [mine] = [e for e in manifest["examples"] if e["source"] == "you"]
    assert mine["commands"][0]["output"] == "hello there" and mine["sentence"] == "a greeter"
    assert not [e for e in manifest["examples"] if e["source"] == "spec"]
    if isolation() == "namespaces":
        assert manifest["example_results"][0]["status"] == "fail"
        assert code == 2 and "still failing when run" in stderr
    json_table = tmp_path / "examples.json"
    json_table.write_text('{"examples": [{"does": "python main.py", "expect": "prints"}]}')
    code, _, stderr = _cli(
        [
            "--prompt",
            GREETER_SPEC,
            "--out",
            str(out),
            "--examples",
            str(json_table),
            "--examples-only",
        ]
    )
    assert code == 1 and "Row 1: can't read 'prints'" in stderr


def test_ctrl_c_keeps_the_files_written_so_far(server, tmp_path):
    """A run stopped with Ctrl+C wrote nothing: minutes of a model's work were lost. The files
    written before the stop are kept, said as not checked."""
    server.add_fault(Fault.hang(60), kind="code", path="util.py")
    out = tmp_path / "out"
    env = {
        **os.environ,
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": FAKE_KEY,
        "SMOL_RUN_EXAMPLES": "0",
        "SMOL_CONCURRENCY": "1",
    }
    env.pop("SMOL_PROVIDER", None)
    argv = ["--prompt", "a greeter", "--generate_folder_path", str(out), "--model", "m"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "smol_core", *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # util.py is asked once main.py is written (one at a time)
        if any(r.path == "util.py" for r in server.requests):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert (out / "main.py").read_text() == FILES["main.py"]
    assert not (out / "util.py").exists()
    assert "kept the 1 file(s) written so far" in err
