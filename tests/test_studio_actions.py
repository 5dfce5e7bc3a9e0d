"""What the page's clicks do, decided in smol_core/studio/actions.py and tested without the page:
each change of the project is a version with its cause; the fix an advice's button runs; the
files a preview error's fix rewrites."""

from __future__ import annotations

import pytest

from smol_core.errors import LimitError
from smol_core.events import ChangeDone
from smol_core.records import FileSpec, Finding
from smol_core.studio.actions import (
    advice_actions,
    advice_fix,
    change_made,
    change_note,
    preview_fix,
    put_back,
    regenerate_job,
    save_edit,
    script_as_module,
)
from smol_core.studio.advice import advise
from smol_core.studio.history import RunStore
from smol_core.studio.session import Studio
from smol_core.studio.versions import Versions
from tests.conftest import fast_settings

PAGE = '<html><body><script src="app.js"></script></body></html>'
SCRIPT = "import { x } from './x.js';\nx();\n"


def studio_with_page(tmp_path) -> tuple[Studio, Versions]:
    store = RunStore(tmp_path / "h.sqlite3")
    studio = Studio(store, "me")
    studio.start("a page", fast_settings("http://127.0.0.1:9/v1"))
    studio.set_plan("# Plan\nA page and its script.")
    studio.set_files([FileSpec("index.html", "the page"), FileSpec("app.js", "its script")])
    studio.edit("index.html", PAGE)
    studio.edit("app.js", SCRIPT)
    return studio, Versions(store)


def causes(versions: Versions, studio: Studio) -> list[str]:
    assert studio.run_id is not None
    return [v.cause for v in reversed(versions.list(studio.run_id))]


def test_an_edit_is_kept_as_a_version_and_the_same_text_makes_none(tmp_path):
    studio, versions = studio_with_page(tmp_path)
    assert save_edit(studio, versions, "app.js", "console.log(1);\n")
    assert not save_edit(studio, versions, "app.js", "console.log(1);\n")  # nothing changed
    assert causes(versions, studio) == ["edited"]
    assert studio.project is not None and studio.project.contents["app.js"] == "console.log(1);\n"


def test_an_edit_too_long_to_keep_is_refused_and_makes_no_version(tmp_path):
    studio, versions = studio_with_page(tmp_path)
    with pytest.raises(LimitError):
        save_edit(studio, versions, "app.js", "x" * (studio.limits.file_chars + 1))
    assert causes(versions, studio) == []


def test_put_back_restores_one_file_as_a_version_and_a_fresh_editor(tmp_path):
    studio, versions = studio_with_page(tmp_path)
    key = studio.editor_key("app.js")
    save_edit(studio, versions, "app.js", "broken(\n")
    assert put_back(studio, versions, "app.js", SCRIPT)
    assert studio.project is not None and studio.project.contents["app.js"] == SCRIPT
    assert causes(versions, studio) == ["edited", "restored"]
    assert versions.list(studio.run_id or "")[0].note == "app.js put back"
    assert studio.editor_key("app.js") != key  # the editor shows the text put back
    assert not put_back(studio, versions, "gone.js", "x")  # no such file: nothing done


def test_a_script_is_loaded_as_a_module_by_its_pages_in_one_version(tmp_path):
    studio, versions = studio_with_page(tmp_path)
    before = script_as_module(studio, versions, "app.js")
    assert before is not None and before["index.html"] == PAGE
    assert studio.project is not None
    assert '<script type="module" src="app.js">' in studio.project.contents["index.html"]
    assert causes(versions, studio) == ["repaired"]
    change = change_made(studio, before, "repaired")
    assert change is not None and list(change.before) == ["index.html"]
    assert change.what == "Repaired"
    # Done already: no page loads it plainly now, so nothing is changed and no version made.
    assert script_as_module(studio, versions, "app.js") is None
    assert causes(versions, studio) == ["repaired"]


def test_a_job_that_only_added_files_changed_nothing_to_undo(tmp_path):
    studio, _ = studio_with_page(tmp_path)
    assert studio.project is not None
    before = {"index.html": PAGE}
    assert change_made(studio, before, None) is None
    studio.project.contents["index.html"] = "<p>new</p>"
    made = change_made(studio, before, None)
    assert made is not None and made.what == "Regenerated"


def test_each_advice_button_runs_its_own_fix():
    missing = advise(
        Finding(
            "index.html",
            None,
            "loads a script `b.js`, which is not in the file list",
            "missing-file",
            target="b.js",
        )
    )
    module = advise(
        Finding(
            "app.js",
            1,
            "uses `import`, but the page loads it as a plain `<script src>`",
            "script-module",
        )
    )
    advice = [missing, module, module]
    assert advice_actions(advice) == [missing.action, module.action]  # each button once
    assert advice_fix(advice, missing.action, None).adds_files
    rewrite = advice_fix(advice, module.action, None)
    assert not rewrite.adds_files and "uses `import`" in rewrite.instruction


def test_a_preview_error_is_fixed_in_the_file_it_names_then_more_on_a_second_try(tmp_path):
    studio, _ = studio_with_page(tmp_path)
    assert studio.project is not None
    report = {"kind": "error", "message": "x is not defined", "where": "app.js:2"}
    fix = preview_fix(studio.project, "index.html", report)
    assert fix.paths[0] == "app.js" and "index.html" in fix.paths
    assert "x is not defined" in fix.request and "(at app.js:2)" in fix.request
    assert fix.wider[: len(fix.paths)] == fix.paths and len(set(fix.wider)) == len(fix.wider)
    nowhere = preview_fix(studio.project, "index.html", {"kind": "console", "message": "m"})
    assert "console.error" in nowhere.request and "(at" not in nowhere.request


def test_a_change_request_is_said_as_what_it_did():
    made = ChangeDone(applied=True, changed=("a.py",), added=("b.py",), deleted=("c.py",))
    assert change_note(made) == ("ok", "Changed: a.py, b.py (new), c.py (deleted)")
    rough = ChangeDone(applied=True, changed=("a.py",), reason="a test fails")
    assert change_note(rough) == ("warn", "Changed: a.py. Not clean: a test fails")
    assert change_note(ChangeDone(applied=True)) == ("ok", "Changed: nothing")
    assert change_note(ChangeDone(applied=False, reason="no plan")) == ("error", "no plan")


def test_regenerate_asks_for_the_change_written_or_a_fresh_text(tmp_path):
    studio, _ = studio_with_page(tmp_path)
    assert studio.project is not None
    asked = regenerate_job(studio.project, "app.js", "use let")
    assert asked == {
        "nochange": "instruction",
        "instructions": {"app.js": "use let"},
        "current": {"app.js": SCRIPT},
    }
    fresh = regenerate_job(studio.project, "app.js", "  ")
    assert fresh["nochange"] == "regenerate" and fresh["instructions"] is None
    studio.project.contents.pop("app.js")
    assert regenerate_job(studio.project, "app.js", "")["current"] is None
