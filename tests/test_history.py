"""Tests for smol_core.studio.history (run history store)."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import threading
import time
from contextlib import closing
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from smol_core.studio.history import SCHEMA_VERSION, RunStore, endpoint_host, make_title

# fork, not spawn: spawn re-runs the parent's __main__, and after an AppTest in the same pytest
# process that is the Streamlit page. The store opens a connection per call, so no sqlite
# handle is open (or inherited) at fork time: the child is as clean as a separate process.
CTX = mp.get_context("fork")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "h" / "history.sqlite3"


@pytest.fixture
def store(db: Path) -> RunStore:
    return RunStore(db)


# --- round trip -------------------------------------------------------------------


def test_round_trip_everything(store: RunStore, db: Path) -> None:
    spec = "  # A todo app with tags\nUse FastAPI.\n"
    rid = store.create_run(
        owner="alice", spec=spec, model="gpt-x", base_url="https://api.example.com/v1"
    )
    store.save_plan(rid, "the plan")
    store.save_file_list(rid, [("main.py", "entry"), ("README.md", "docs"), ("util.py", "helpers")])
    big = "x" * 1_000_000 + "\u00e9\u4e2d"
    store.save_file(rid, "main.py", big)
    store.save_file(rid, "util.py", "cut off", status="truncated", error="max_tokens")
    store.mark_failed(rid, "README.md", "timeout")
    store.add_usage(rid, {"prompt_tokens": 10, "completion_tokens": 5, "cost_usd": 0.25})
    store.add_usage(rid, {"prompt_tokens": 3, "cached_tokens": 2, "cost_usd": 0.5})

    run = RunStore(db).load_run(rid, "alice")  # fresh store object, same file
    assert run is not None
    assert run.id == rid and run.owner == "alice"
    assert run.title == "A todo app with tags"
    assert run.spec == spec and run.plan == "the plan" and run.model == "gpt-x"
    assert run.base_url_host == "https://api.example.com"
    assert [f.path for f in run.files] == ["main.py", "README.md", "util.py"]
    main, readme, util = run.files
    assert (main.content, main.status, main.purpose, main.error) == (big, "done", "entry", None)
    assert (readme.content, readme.status, readme.error) == (None, "failed", "timeout")
    assert (util.content, util.status, util.error) == ("cut off", "truncated", "max_tokens")
    assert run.usage == {
        "prompt_tokens": 13,
        "completion_tokens": 5,
        "cached_tokens": 2,
        "cost_usd": 0.75,
    }
    assert isinstance(run.usage["prompt_tokens"], int)
    assert run.created_at <= run.updated_at
    assert run.missing() == ["README.md"]

    store.save_edit(rid, "README.md", "hand written")
    run = store.load_run(rid, "alice")
    assert run is not None
    assert run.files[1].status == "edited" and run.files[1].content == "hand written"
    assert run.files[1].error is None
    assert run.missing() == []


def test_hundred_files_of_one_megabyte(store: RunStore) -> None:
    rid = store.create_run(owner="o", spec="big")
    paths = [f"pkg/m{i:03}.py" for i in range(100)]
    store.save_file_list(rid, [(p, "") for p in paths])
    for i, p in enumerate(paths):
        store.save_file(rid, p, chr(65 + i % 26) * 1_000_000)
    run = store.load_run(rid, "o")
    assert run is not None and run.missing() == []
    assert all(len(f.content or "") == 1_000_000 for f in run.files)
    [summary] = store.list_runs("o")
    assert (summary.n_files, summary.n_done) == (100, 100)


def test_unknown_run_and_bad_input(store: RunStore) -> None:
    with pytest.raises(KeyError):
        store.save_file("nope", "a.py", "x")
    with pytest.raises(KeyError):
        store.add_usage("nope", {"prompt_tokens": 1})
    rid = store.create_run(owner="o", spec="s")
    with pytest.raises(ValueError):
        store.save_file(rid, "a.py", "x", status="bogus")
    with pytest.raises(TypeError):
        store.add_usage(rid, {"prompt_tokens": "12"})  # type: ignore[dict-item]
    assert store.load_run("nope", None) is None


# --- file list and missing() ----------------------------------------------------


def test_file_list_change_keeps_contents_of_kept_files(store: RunStore) -> None:
    rid = store.create_run(owner="o", spec="s")
    store.save_file_list(rid, [("a.py", "A"), ("b.py", "B"), ("c.py", "C")])
    store.save_file(rid, "a.py", "aaa")
    store.save_edit(rid, "b.py", "bbb")
    store.save_file(rid, "c.py", "ccc")

    store.save_file_list(rid, [("d.py", "D"), ("b.py", "B2"), ("a.py", "A2"), ("d.py", "dup")])
    run = store.load_run(rid, "o")
    assert run is not None
    got = {f.path: (f.purpose, f.content, f.status) for f in run.files}
    assert [f.path for f in run.files] == ["d.py", "b.py", "a.py"]  # new order, c dropped
    assert got == {
        "d.py": ("D", None, "pending"),
        "b.py": ("B2", "bbb", "edited"),
        "a.py": ("A2", "aaa", "done"),
    }
    assert run.missing() == ["d.py"]


def test_missing_logic(store: RunStore) -> None:
    rid = store.create_run(owner="o", spec="s")
    store.save_file_list(rid, [(p, "") for p in "abcdefg"])
    store.save_file(rid, "a", "x")  # done
    store.save_edit(rid, "b", "x")  # edited
    store.save_file(rid, "c", "x", status="truncated")  # truncated with content: present
    store.mark_failed(rid, "d", "boom")  # failed, no content
    store.save_file(rid, "e", "old")
    store.mark_failed(rid, "e", "regen failed")  # failed keeps old content but is missing
    store.save_file(rid, "f", "x", status="pending")
    # g never touched: pending
    run = store.load_run(rid, None)
    assert run is not None
    assert run.missing() == ["d", "e", "f", "g"]
    assert run.files[4].content == "old"  # nothing lost
    [summary] = store.list_runs(None)
    assert (summary.n_files, summary.n_done) == (7, 3)


def test_save_file_outside_list_is_appended(store: RunStore) -> None:
    rid = store.create_run(owner="o", spec="s")
    store.save_file_list(rid, [("a.py", "")])
    store.save_file(rid, "extra.py", "x")
    run = store.load_run(rid, "o")
    assert run is not None
    assert [f.path for f in run.files] == ["a.py", "extra.py"]


# --- owners, listing, deletion ------------------------------------------------------


def test_owner_isolation(store: RunStore) -> None:
    a = store.create_run(owner="alice", spec="alice's app")
    b = store.create_run(owner="bob", spec="bob's app")
    assert store.load_run(a, "bob") is None
    assert store.load_run(a, "alice") is not None
    assert store.load_run(a, None) is not None  # shared-history deployments
    assert [s.id for s in store.list_runs("alice")] == [a]
    assert [s.id for s in store.list_runs("bob")] == [b]
    assert {s.id for s in store.list_runs(None)} == {a, b}


def test_list_runs_newest_first_and_limit(store: RunStore) -> None:
    ids = []
    for i in range(5):
        ids.append(store.create_run(owner="o", spec=f"run {i}", model="m"))
        time.sleep(0.002)
    summaries = store.list_runs("o", limit=3)
    assert [s.id for s in summaries] == ids[::-1][:3]
    assert summaries[0].title == "run 4" and summaries[0].model == "m"
    store.save_plan(ids[0], "touched")  # activity moves a run to the top
    assert store.list_runs("o")[0].id == ids[0]


def test_run_ids_are_random_and_url_safe(store: RunStore) -> None:
    ids = {store.create_run(owner="o", spec="s") for _ in range(20)}
    assert len(ids) == 20
    for rid in ids:
        assert len(rid) == 12 and all(c.isalnum() or c in "-_" for c in rid)


# --- titles and secrets --------------------------------------------------------------


def test_titles() -> None:
    assert make_title("\n\n  Hello world  \nmore") == "Hello world"
    assert make_title("## Heading") == "Heading"
    assert make_title("") == "Untitled run"
    long = make_title("word " * 40)
    assert len(long) <= 60 and long.endswith("…")


def test_explicit_title(store: RunStore) -> None:
    rid = store.create_run(owner="o", spec="spec line", title="My title")
    assert store.list_runs("o")[0].title == "My title"
    rid2 = store.create_run(owner="o", spec="spec line", title="  ")
    run = store.load_run(rid2, "o")
    assert run is not None and run.title == "spec line" and rid != rid2


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://user:sk-secret@api.example.com:8443/v1?api_key=sk-q#frag",
            "https://api.example.com:8443",
        ),
        ("http://localhost:11434/v1", "http://localhost:11434"),
        ("HTTPS://API.Example.com/sk-in-path", "https://api.example.com"),
        ("localhost:8080", "localhost:8080"),
        ("http://[::1]:8000/v1", "http://[::1]:8000"),
        ("http://host:notaport/v1", "http://host"),
        ("", ""),
        ("?key=sk-x", ""),
    ],
)
def test_endpoint_host(url: str, expected: str) -> None:
    assert endpoint_host(url) == expected


def test_base_url_stored_without_credentials(store: RunStore, db: Path) -> None:
    rid = store.create_run(
        owner="o", spec="s", base_url="https://me:sk-SECRET1@llm.example.org/v1?key=sk-SECRET2"
    )
    run = store.load_run(rid, "o")
    assert run is not None and run.base_url_host == "https://llm.example.org"
    wal = db.with_name(db.name + "-wal")
    raw = db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"SECRET" not in raw


# --- schema and location -------------------------------------------------------------


def test_schema_version_and_wal(store: RunStore, db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rid = store.create_run(owner="o", spec="s")
    RunStore(db)  # reopening does not re-run migrations or lose data
    assert store.load_run(rid, "o") is not None


def test_default_path_honours_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "nested" / "dir" / "env.sqlite3"
    monkeypatch.setenv("SMOL_HISTORY_DB", str(target))
    s = RunStore()
    assert s.path == target and target.exists()
    monkeypatch.delenv("SMOL_HISTORY_DB")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    s = RunStore()
    assert s.path == tmp_path / "home" / ".local" / "share" / "smol-studio" / "history.sqlite3"
    assert s.path.exists()


# --- concurrency ------------------------------------------------------------------------


def test_threads_write_one_run(store: RunStore) -> None:
    rid = store.create_run(owner="o", spec="s")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(t: int) -> None:
        try:
            start.wait()
            for i in range(25):
                store.save_file(rid, f"t{t}/f{i}.py", f"content {t} {i}")
                store.add_usage(rid, {"completion_tokens": 1})
        except BaseException as e:  # surfaced below; a thread can't fail the test itself
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    run = store.load_run(rid, "o")
    assert run is not None
    assert len(run.files) == 200
    assert {f.path: f.content for f in run.files} == {
        f"t{t}/f{i}.py": f"content {t} {i}" for t in range(8) for i in range(25)
    }
    assert run.usage == {"completion_tokens": 200}


def _proc_writer(db: str, rid: str, tag: str, n: int, out: mp.Queue) -> None:
    try:
        s = RunStore(db)
        for i in range(n):
            s.save_file(rid, f"{tag}/{i}.py", f"{tag}{i}" * 100)
            s.add_usage(rid, {"prompt_tokens": 1})
        out.put((tag, None))
    except BaseException as e:
        out.put((tag, repr(e)))


def test_two_processes_write(db: Path) -> None:
    store = RunStore(db)
    rid = store.create_run(owner="o", spec="s")
    out = CTX.Queue()
    procs = [CTX.Process(target=_proc_writer, args=(str(db), rid, tag, 40, out)) for tag in "ab"]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=30) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert results == {"a": None, "b": None}  # in particular no "database is locked"
    run = store.load_run(rid, "o")
    assert run is not None and len(run.files) == 80
    assert run.usage == {"prompt_tokens": 80}


def _proc_save_then_hang(db: str, rid: str, conn: Connection) -> None:
    s = RunStore(db)
    for i in range(1000):
        s.save_file(rid, f"f{i}.py", f"body {i}" * 1000)
        conn.send(i)  # only after save_file returned
    time.sleep(60)


def test_sigkill_right_after_save_file_loses_nothing(db: Path) -> None:
    store = RunStore(db)
    rid = store.create_run(owner="o", spec="s")
    parent, child = CTX.Pipe()
    p = CTX.Process(target=_proc_save_then_hang, args=(str(db), rid, child))
    p.start()
    last = -1
    while last < 5:  # let a few saves through, then kill mid-stream
        assert parent.poll(30), "child never reported a save"
        last = parent.recv()
    os.kill(p.pid, signal.SIGKILL)
    p.join(timeout=10)
    assert p.exitcode == -signal.SIGKILL
    while parent.poll(0):  # anything reported before death must be there too
        last = parent.recv()

    run = RunStore(db).load_run(rid, "o")
    assert run is not None
    got = {f.path: f.content for f in run.files}
    for i in range(last + 1):
        assert got[f"f{i}.py"] == f"body {i}" * 1000
