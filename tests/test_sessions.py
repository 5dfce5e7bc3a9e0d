"""Whose history a session sees: its own by default (the `u` id in its URL), everyone's when
the owner sets SMOL_SHARED_HISTORY. Five real browsers at once: tests/e2e/test_users_e2e.py."""

from __future__ import annotations

import pytest

from tests.kit import new_app, ok, page_environment, point_env


@pytest.fixture
def page_env(monkeypatch, tmp_path):
    yield from page_environment(monkeypatch, tmp_path)


def planned(owner: str, spec: str):
    at = ok(new_app(u=owner).run())
    at.text_area(key="in_spec").input(spec).run()
    at.button(key="btn_plan").click().run()
    return ok(at)


def history_buttons(at) -> set[str]:
    return {b.key for b in at.sidebar.button if (b.key or "").startswith("open_")}


@pytest.mark.parametrize("shared", [False, True], ids=["per-browser", "shared"])
def test_who_sees_which_runs(server, page_env, monkeypatch, shared):
    point_env(monkeypatch, server)
    if shared:
        monkeypatch.setenv("SMOL_SHARED_HISTORY", "true")
    alice = planned("alice-id", "Alpha: a greeter for Alice")
    bob = planned("bob-id", "Beta: a greeter for Bob")
    run_a, run_b = alice.session_state.studio.run_id, bob.session_state.studio.run_id
    ok(alice.run())  # redrawn: the sidebar lists the history as it is now

    if shared:
        assert history_buttons(alice) == history_buttons(bob) == {f"open_{run_a}", f"open_{run_b}"}
    else:
        assert history_buttons(alice) == {f"open_{run_a}"}
        assert history_buttons(bob) == {f"open_{run_b}"}

    # Bob follows a link to Alice's run.
    visit = ok(new_app(u="bob-id", run=run_a).run())
    project = visit.session_state.studio.project
    if shared:
        assert project is not None and project.spec == "Alpha: a greeter for Alice"
    else:
        assert project is None and any("not in your history" in w.value for w in visit.warning)
        assert not any("Alice" in m.value for m in visit.markdown)
        assert visit.text_area(key="in_spec").value != "Alpha: a greeter for Alice"
