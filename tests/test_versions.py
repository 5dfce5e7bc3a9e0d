"""Versions in the history: every change is a version with its cause; diff and restore
round-trip; an imported project keeps its binary files; against the scripted server."""

from __future__ import annotations

import asyncio
import io
import zipfile

from smol_core.changes import change_project
from smol_core.importing import Imported
from smol_core.project import Project
from smol_core.records import FileSpec
from smol_core.runs import events_of, generate_checked
from smol_core.studio.history import RunStore
from smol_core.studio.session import Studio
from smol_core.studio.versions import (
    JobVersions,
    Versions,
    attach_binary,
    diff_text,
    restore,
    start_imported,
    version_zip,
)
from tests.change_kit import FIVE, change_classify, plan_reply
from tests.conftest import FILES, PLAN, fast_settings
from tests.scripted_server import Fault

BROKEN_UTIL = "def greet(name: str) -> str:\n    return f'hello {name}' + suffix\n"


def studio_with_run(tmp_path) -> tuple[Studio, Versions]:
    store = RunStore(tmp_path / "h.sqlite3")
    studio = Studio(store, "me")
    studio.start("a greeter", fast_settings("http://127.0.0.1:9/v1"))
    studio.set_plan(PLAN)
    studio.set_files([FileSpec(p, "") for p in FILES])
    return studio, Versions(store)


def drive(studio, settings, job, cause=None):
    """What the page's run_job does: every event recorded, versions made around the job."""
    versions = JobVersions(studio, Versions(studio.store), cause)

    async def go():
        async for _ in events_of(job, record=versions.wrap(studio.emitter(settings))):
            pass

    try:
        asyncio.run(go())
    finally:
        versions.settle()


def test_generate_repair_change_restore_round_trip(make_server, tmp_path):
    srv = make_server(classify=change_classify)
    srv.add_fault(Fault.text(BROKEN_UTIL), kind="code", path="util.py", times=1)
    studio, versions = studio_with_run(tmp_path)
    settings = fast_settings(srv.base_url, run_examples=False)
    project = studio.project
    run_id = studio.run_id

    drive(
        studio,
        settings,
        lambda emit: generate_checked(project, settings, emit, paths=project.paths),
    )
    listed = versions.list(run_id)
    assert [(v.number, v.cause) for v in listed] == [(2, "repaired"), (1, "generated")]
    assert versions.get(run_id, 1).contents["util.py"] == BROKEN_UTIL
    assert project.contents == FILES
    assert "-    return f'hello {name}' + suffix" in diff_text(
        versions, run_id, 2, "previous", project
    )

    # A person's edit, then a change by request: two more versions.
    studio.edit("main.py", FILES["main.py"] + "# mine\n")
    versions.record(run_id, project, "edited")
    srv.add_fault(plan_reply(("util.py", "change", "shout")), kind="change")
    srv.files["util.py"] = "def greet(name: str) -> str:\n    return f'HELLO {name}'\n"
    drive(
        studio,
        settings,
        lambda emit: change_project(project, "shout", settings, emit),
        cause="changed",
    )
    assert [v.cause for v in versions.list(run_id)][:2] == ["changed", "edited"]
    changed = versions.latest(run_id)
    assert changed.contents["util.py"] == srv.files["util.py"]
    assert changed.contents["main.py"].endswith("# mine\n")

    # Diff of v1 against now, then restore v1: a new version, the exact texts of v1.
    assert "+# mine" in diff_text(versions, run_id, 1, "now", project)
    number = restore(studio, versions, 1)
    assert number == changed.number + 1
    assert project.contents == versions.get(run_id, 1).contents
    assert versions.latest(run_id).cause == "restored" and "from v1" in versions.latest(run_id).note
    assert diff_text(versions, run_id, 1, "now", project) == ""
    # The history's files are the restored ones too (a refresh shows them).
    reopened = Studio(studio.store, "me")
    assert reopened.open(run_id, "me")
    assert reopened.project.contents == versions.get(run_id, 1).contents
    # Nothing lost: every version is still there, the one restored from included.
    assert versions.get(run_id, changed.number).contents["util.py"] == srv.files["util.py"]


def test_an_unchanged_project_makes_no_new_version(tmp_path):
    studio, versions = studio_with_run(tmp_path)
    studio.project.contents = dict(FILES)
    assert versions.record(studio.run_id, studio.project, "generated") == 1
    assert versions.record(studio.run_id, studio.project, "edited") is None
    studio.project.contents["main.py"] += "\n"
    assert versions.record(studio.run_id, studio.project, "edited") == 2


def test_restoring_keeps_an_unrecorded_state_first(tmp_path):
    studio, versions = studio_with_run(tmp_path)
    studio.project.contents = dict(FILES)
    versions.record(studio.run_id, studio.project, "generated")
    studio.project.contents["util.py"] = "# not yet a version\n"
    restore(studio, versions, 1)
    kept = [versions.get(studio.run_id, v.number) for v in versions.list(studio.run_id)]
    assert any(v.contents.get("util.py") == "# not yet a version\n" for v in kept)


def test_a_failed_change_makes_no_version(make_server, tmp_path):
    srv = make_server(files={}, classify=change_classify)
    store = RunStore(tmp_path / "h.sqlite3")
    studio = Studio(store, "me")
    studio.start("items", fast_settings(srv.base_url))
    studio.set_files([FileSpec(p) for p in FIVE])
    for p, t in FIVE.items():
        studio.edit(p, t)
    versions = Versions(store)
    versions.record(studio.run_id, studio.project, "generated")
    srv.add_fault(
        plan_reply(
            ("app.py", "change", "a"), ("store.py", "change", "b"), ("report.py", "change", "c")
        ),
        kind="change",
    )
    srv.files.update({"app.py": "# a\n", "store.py": "# b\n"})
    srv.add_fault(Fault.status(400), kind="code", path="report.py", times=None)
    settings = fast_settings(srv.base_url, run_examples=False, concurrency=1)
    project = studio.project
    drive(studio, settings, lambda emit: change_project(project, "x", settings, emit), "changed")
    assert [v.cause for v in versions.list(studio.run_id)] == ["generated"]
    assert project.contents == FIVE
    assert store.load_run(studio.run_id, "me").files[0].content == FIVE["app.py"]


def test_an_imported_project_is_the_first_version_and_keeps_its_binary_files(tmp_path):
    store = RunStore(tmp_path / "h.sqlite3")
    studio = Studio(store, "me")
    versions = Versions(store)
    imported = Imported(texts={"app.py": "print(1)\n"}, binary={"logo.png": b"\x89PNG\0\1"})
    assert start_imported(studio, versions, imported, fast_settings("http://x/v1"), "p.zip") == 1
    v1 = versions.get(studio.run_id, 1)
    assert v1.cause == "imported" and v1.binary == {"logo.png": b"\x89PNG\0\1"}
    names = zipfile.ZipFile(io.BytesIO(version_zip(v1))).namelist()
    assert sorted(names) == ["app.py", "logo.png"]
    assert (
        zipfile.ZipFile(io.BytesIO(studio.bundler(fast_settings("http://x/v1"))())).read("logo.png")
        == b"\x89PNG\0\1"
    )
    reopened = Studio(store, "me")
    assert reopened.open(studio.run_id, "me")
    attach_binary(reopened, versions)
    assert reopened.project.binary == {"logo.png": b"\x89PNG\0\1"}
    assert reopened.project.spec == "" and isinstance(reopened.project, Project)


def test_a_hosted_session_keeps_its_limits_for_imports_and_requests(tmp_path):
    import pytest

    from smol_core.errors import LimitError
    from smol_core.settings import Limits
    from smol_core.studio.versions import change_job

    store = RunStore(tmp_path / "h.sqlite3")
    studio = Studio(store, "me", limits=Limits(runs_per_session=1, instruction_chars=50))
    versions = Versions(store)
    settings = fast_settings("http://x/v1", max_files=2)
    with pytest.raises(LimitError, match="at most 2"):
        start_imported(
            studio, versions, Imported(texts={f"{i}.py": "" for i in range(3)}), settings, "big.zip"
        )
    assert start_imported(studio, versions, Imported(texts={"a.py": "x = 1\n"}), settings, "a")
    with pytest.raises(LimitError, match="runs"):
        start_imported(studio, versions, Imported(texts={"b.py": "x = 1\n"}), settings, "b")
    with pytest.raises(LimitError, match="too long"):
        change_job(studio, "x" * 51, settings)
    assert store.list_runs(None)[0].n_files == 1


def test_a_run_made_before_versions_existed_is_kept_before_a_change(make_server, tmp_path):
    srv = make_server(files={}, classify=change_classify)
    studio, versions = studio_with_run(tmp_path)
    for path, text in FILES.items():
        studio.edit(path, text)  # contents, and no version at all (an older run)
    assert versions.list(studio.run_id) == []
    srv.add_fault(plan_reply(("util.py", "change", "x")), kind="change")
    srv.files["util.py"] = "def greet(name: str) -> str:\n    return name\n"
    settings = fast_settings(srv.base_url, run_examples=False)
    project = studio.project
    drive(studio, settings, lambda emit: change_project(project, "x", settings, emit), "changed")
    listed = versions.list(studio.run_id)
    assert [v.cause for v in listed] == ["changed", "generated"]
    assert versions.get(studio.run_id, 1).contents == FILES


def blob_rows(store: RunStore, run_id: str) -> list[tuple[str, int]]:
    with store._read() as conn:
        return conn.execute(
            "SELECT sha, length(data) FROM version_blobs WHERE run_id = ? ORDER BY sha", (run_id,)
        ).fetchall()


def test_a_version_stores_only_the_files_that_changed_and_reads_back_whole(tmp_path):
    store = RunStore(tmp_path / "h.sqlite3")
    versions = Versions(store)
    run_id = store.create_run(owner="me", spec="s")
    big = "x = 1\n" * 5000  # 30 KB, the same in every version
    project = Project(
        spec="s",
        files=[FileSpec("big.py", ""), FileSpec("app.py", "")],
        contents={"big.py": big, "app.py": "print(1)\n"},
    )
    project.binary = {"logo.png": b"\x89PNG\0\1"}
    assert versions.record(run_id, project, "generated") == 1
    project.contents["app.py"] = "print(2)\n"
    assert versions.record(run_id, project, "edited") == 2
    project.contents["app.py"] = "print(1)\n"  # back to v1's text: nothing new to store
    assert versions.record(run_id, project, "edited") == 3

    rows = blob_rows(store, run_id)
    assert len(rows) == 4, rows  # big.py, logo.png, and the two texts of app.py
    assert sum(size for _, size in rows) < len(big) + 100
    v1, v2, v3 = (versions.get(run_id, n) for n in (1, 2, 3))
    assert v1.contents == v3.contents == {"big.py": big, "app.py": "print(1)\n"}
    assert v2.contents == {"big.py": big, "app.py": "print(2)\n"}
    assert v1.binary == v2.binary == {"logo.png": b"\x89PNG\0\1"}
    assert diff_text(versions, run_id, 2, "previous", project) == (
        "--- v1/app.py\n+++ v2/app.py\n@@ -1 +1 @@\n-print(1)\n+print(2)\n"
    )
    project.contents["big.py"] = big + "y = 2\n"
    project.binary = {}
    now = diff_text(versions, run_id, 3, "now", project)
    assert "+y = 2\n" in now and "-(binary file, 6 bytes," in now and "app.py" not in now
    assert versions.latest_binary(run_id) == {"logo.png": b"\x89PNG\0\1"}


def test_versions_kept_whole_by_an_older_studio_are_moved_to_blobs(tmp_path):
    """A history written before texts were stored by sha opens with every version intact."""
    import json
    import sqlite3

    from smol_core.studio import history_schema

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for step in history_schema.MIGRATIONS[:3]:
        step(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO runs (id, owner, title, spec, created_at, updated_at) "
        "VALUES ('r1', 'me', 't', 's', 0, 0)"
    )
    for number, text in ((1, "print(1)\n"), (2, "print(2)\n")):
        conn.execute(
            "INSERT INTO versions (run_id, number, cause, note, created_at, files, contents, "
            "binary) VALUES ('r1', ?, 'edited', '', 0, ?, ?, ?)",
            (
                number,
                json.dumps([["app.py", ""], ["logo.png", ""]]),
                json.dumps({"app.py": text}),
                json.dumps({"logo.png": "iVBORw=="}),
            ),
        )
    conn.commit()
    conn.close()

    versions = Versions(RunStore(path))
    v1, v2 = versions.get("r1", 1), versions.get("r1", 2)
    assert v1.contents == {"app.py": "print(1)\n"} and v2.contents == {"app.py": "print(2)\n"}
    assert v1.binary == v2.binary == {"logo.png": b"\x89PNG"}
    assert len(blob_rows(versions.store, "r1")) == 3
    assert "+print(2)" in diff_text(versions, "r1", 2, "previous", Project(spec=""))
