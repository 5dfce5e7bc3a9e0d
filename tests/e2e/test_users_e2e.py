"""Five people at once on one studio: five browser contexts (their own cookies, their own `u`),
each with its own key and its own spec, planning, listing and generating at the same time.

The scripted model answers each session from its spec (a custom `classify` routes every
request to that project's answers), so each project's plan, file list and files are its own.
Checked per session: its files are its own; its page (HTML, and every websocket message the
server sent it) holds no other session's spec, files, key, run id or owner id; its History
lists its own run only; every request carried its own key; no error anywhere.
Shared history (SMOL_SHARED_HISTORY) is tests/test_sessions.py.
"""

from __future__ import annotations

import json
import re

import pytest

from smol_core.studio.history import RunStore
from tests.e2e.drive import (
    button,
    chromium,
    frames_bytes,
    html_without_inputs,
    need_chromium,
    new_tab,
    page_errors,
    query,
    settled,
    type_key,
    write_spec,
)
from tests.harness import StreamlitApp, clean_env
from tests.scripted_server import ScriptedServer
from tests.scripted_server import classify as default_classify

pytestmark = pytest.mark.e2e

NAMES = ["AARDVARK", "BUMBLEBEE", "CHINCHILLA", "DUGONG", "ECHIDNA"]
KEYS = {name: f"visitor-{name.lower()}-key-{i}7{i}9" for i, name in enumerate(NAMES)}
PATHS = ["main.py", "greeting.py", "NOTES.md"]
PROJECT = re.compile(r"Project ([A-Z]+):")


def spec(name: str) -> str:
    return f"Project {name}: a greeter that says hello to the {name.lower()}s, in three files."


def answers(name: str) -> dict[str, str]:
    """What the model says for one project, keyed "<NAME>|<what>"."""
    files = {
        "main.py": (
            f'"""The entry point of {name}: greets a few of them."""\n\n'
            "from greeting import greet\n\n"
            + "".join(f"print(greet('{name.lower()} number {i}'))\n" for i in range(8))
        ),
        "greeting.py": (
            f'"""Greetings for {name}."""\n\n\n'
            "def greet(who: str) -> str:\n"
            f"    return f'hello {{who}}, from {name}' + '!' * {len(name)}\n"
        ),
        "NOTES.md": f"# {name}\n\nRun `python main.py`. {' '.join(['Notes.'] * 30)}\n",
    }
    listing = {"files": [{"path": p, "purpose": f"{p} of {name}"} for p in PATHS]}
    plan = f"# Plan for {name}\n\n" + "".join(f"- `{p}`: part of {name}\n" for p in PATHS)
    return {
        f"{name}|plan": plan,
        f"{name}|list": json.dumps(listing),
        **{f"{name}|{p}": text for p, text in files.items()},
    }


def route(body):
    """Every request goes to its project's answers: plan, list or file (all as "code")."""
    kind, path = default_classify(body)
    said = " ".join(
        m["content"] for m in body.get("messages", []) if isinstance(m.get("content"), str)
    )
    found = PROJECT.search(said)
    name = found.group(1) if found else "UNKNOWN"
    what = {"plan": "plan", "file_list": "list"}.get(kind, path)
    return "code", f"{name}|{what}"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    need_chromium()
    tmp = tmp_path_factory.mktemp("users")
    all_answers = {k: v for name in NAMES for k, v in answers(name).items()}
    model = ScriptedServer("unused", all_answers, classify=route, chunk_chars=16).start()
    env = clean_env(
        OPENAI_BASE_URL=model.base_url,  # an endpoint but no key: each person brings theirs
        SMOL_MODEL="scripted-model",
        SMOL_HISTORY_DB=str(tmp / "history.sqlite3"),
        SMOL_CONCURRENCY="3",
    )
    app = StreamlitApp(env, tmp / "streamlit.log")
    try:
        app.start()
        yield app, model, tmp / "history.sqlite3"
    finally:
        app.stop()
        model.stop()


def test_five_people_at_once_see_only_their_own_work(studio, capsys):
    app, model, db = studio
    with chromium() as browser:
        frames = {name: [] for name in NAMES}
        pages = {name: new_tab(browser, frames[name]) for name in NAMES}
        for page in pages.values():  # five people arrive at once
            page.goto(app.url, wait_until="commit")
        for name, page in pages.items():
            page.get_by_role("textbox", name="Spec").wait_for()
            settled(page)
            type_key(page, KEYS[name])
            write_spec(page, spec(name))
        for page in pages.values():  # all five press Plan, then all wait
            button(page, "Plan").click()
        for page in pages.values():
            button(page, "List files").wait_for()
            settled(page)
        for page in pages.values():
            button(page, "List files").click()
        for page in pages.values():
            button(page, f"Generate all ({len(PATHS)})").wait_for()
            settled(page)
        model.tokens_per_second = 30  # ~2-3 s a file: the five runs overlap
        for page in pages.values():
            button(page, f"Generate all ({len(PATHS)})").click()
        for page in pages.values():
            page.get_by_text(f"{len(PATHS)}/{len(PATHS)} files written").wait_for()
            settled(page)

        owners = {name: query(page, "u") for name, page in pages.items()}
        runs = {name: query(page, "run") for name, page in pages.items()}
        seen = {
            name: html_without_inputs(page).encode() + frames_bytes(frames[name])
            for name, page in pages.items()
        }
        errors = {name: page_errors(page) for name, page in pages.items()}
        sidebars = {
            name: page.get_by_test_id("stSidebar").inner_text() for name, page in pages.items()
        }

    assert len(set(owners.values())) == len(set(runs.values())) == len(NAMES)
    store = RunStore(db)
    leaks = 0
    for name in NAMES:
        assert errors[name] == [], (name, errors[name])
        run = store.load_run(runs[name], owners[name])
        assert (
            run is not None and run.spec == spec(name) and run.plan.startswith(f"# Plan for {name}")
        )
        assert {f.path: f.content for f in run.files} == {
            p: answers(name)[f"{name}|{p}"] for p in PATHS
        }
        assert [r.id for r in store.list_runs(owners[name])] == [runs[name]]
        assert spec(name).split(":")[0] in sidebars[name]  # its own run is in its History
        for other in NAMES:
            if other == name:
                continue
            found = [
                what
                for what, needle in [
                    ("spec/files", other),
                    ("key", KEYS[other]),
                    ("run id", runs[other]),
                    ("owner id", owners[other]),
                ]
                if needle.encode() in seen[name]
            ]
            leaks += len(found)
            assert found == [], f"{name}'s page shows {other}'s {found}"
            assert other not in sidebars[name]
        assert KEYS[name].encode() not in frames_bytes([seen[name]])  # never sent back

    # Every request carried the key of the person whose project it was for.
    for r in model.requests:
        name = r.path.split("|")[0]
        assert r.headers["authorization"] == f"Bearer {KEYS[name]}", r.path
    code = [r for r in model.requests if r.path.split("|")[1] in PATHS]
    assert len(code) == len(NAMES) * len(PATHS)
    windows = {
        name: (
            min(r.started_at for r in code if r.path.startswith(name)),
            max(r.finished_at for r in code if r.path.startswith(name)),
        )
        for name in NAMES
    }
    overlap = max(sum(1 for s, e in windows.values() if s <= t < e) for t, _ in windows.values())
    with capsys.disabled():
        print(
            f"\n[users] sessions={len(NAMES)} generating at once (max)={overlap} "
            f"files={len(code)} cross-session leaks={leaks} errors={sum(map(len, errors.values()))}"
        )
    assert overlap >= 3
