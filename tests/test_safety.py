"""Hosted and local safety (issue 16): the owner's key goes only to the owner's endpoint,
owner ids are issued by the server, share links are read-only, the access code is
rate-limited and accepts any text, limits, URLs shown as scheme and host, secrets scrubbed
before any cut, a malformed base URL is one line, a foreign Host is refused.

Requests go to real scripted servers on 127.0.0.1 through the real openai client; the page
runs in AppTest. Each test prints a `[safety ...]` line with its figures (RELIABILITY.md).
"""

from __future__ import annotations

import asyncio

import openai
import pytest

from smol_core.errors import LimitError, SmolError, describe
from smol_core.events import FileDone
from smol_core.settings import Limits, Settings, public_host, same_endpoint
from smol_core.steps.plan import make_plan
from smol_core.studio.access import (
    ONLY_ITS_NAMES,
    ONLY_THIS_MACHINE,
    CodeGate,
    KeyPolicy,
    ProcessGate,
    choose_key,
    hosted_by_owner,
    refusal,
)
from smol_core.studio.history import RunStore
from smol_core.studio.session import Studio, check_table, page_config
from smol_core.studio.sharing import issue_owner, known_owner, share_token
from tests.conftest import fast_settings
from tests.kit import leaks, new_app, ok, page_text, point_env, sqlite_files
from tests.scripted_server import Fault

OWNER_KEY = "owner-OCELOT-7731-heron-key"
VISITOR_KEY = "visitor-TAPIR-2290-finch-key"
CODE = "café-workshop"  # non-ASCII: compare_digest on str raised TypeError


def report(capsys, name: str, **figures: object) -> None:
    with capsys.disabled():
        print(f"\n[safety {name}] " + " ".join(f"{k}={v}" for k, v in figures.items()))


def owner_requests(*servers) -> int:
    return sum(
        r.headers.get("authorization") == f"Bearer {OWNER_KEY}" for s in servers for r in s.requests
    )


# ------------------------------------------------------------- the owner's key, in the core
def test_the_core_refuses_to_send_a_bound_key_anywhere_else(make_server, capsys):
    owners, elsewhere = make_server(), make_server()
    settings = fast_settings(elsewhere.base_url, api_key=OWNER_KEY, key_endpoint=owners.base_url)
    with pytest.raises(SmolError, match="only be used with its own endpoint"):
        asyncio.run(make_plan("a greeter", settings))
    # The same key, where its owner configured it, works.
    bound = settings.with_(base_url=owners.base_url)
    assert asyncio.run(make_plan("a greeter", bound)).startswith("# Plan")
    assert elsewhere.requests == [] and owner_requests(owners) == 1
    report(capsys, "core binding", requests_elsewhere=len(elsewhere.requests), refused=1)


def test_an_openai_owners_key_is_bound_to_openai_in_the_settings(make_server):
    # No base URL configured: the owner's endpoint is OpenAI's, and the settings say so, so the
    # client refuses the key for any other URL even if the page were wrong.
    config = page_config({"OPENAI_API_KEY": OWNER_KEY, "SMOL_SHARE_OWNER_KEY": "true"}, {})
    settings, choice = config.settings(provider="openai")
    assert choice.source == "owner" and settings.key_endpoint == "https://api.openai.com/v1"
    echo = make_server()
    elsewhere = settings.with_(base_url=echo.base_url, max_attempts=1)
    with pytest.raises(SmolError, match="only be used with its own endpoint"):
        asyncio.run(make_plan("a greeter", elsewhere))
    assert echo.requests == []


def test_same_endpoint_tells_places_apart():
    assert same_endpoint(None, "https://api.openai.com/v1/")
    assert same_endpoint("HTTP://LocalHost:80/v1", "http://localhost/v1")
    for other in (
        "http://localhost:81/v1",
        "http://127.0.0.1/v1",
        "https://localhost/v1",
        "http://u:p@localhost/v1",
        "http://localhost/v2",
        "http://localhost/v1?x=1",
    ):
        assert not same_endpoint("http://localhost/v1", other), other


# -------------------------------------------------- the owner's key, on the page (AppTest)
def other_url_plan(at, url: str):
    at.radio(key="in_provider").set_value("compatible").run()
    at.text_input(key="in_base_url").input(url).run()
    at.text_area(key="in_spec").input("a tiny program").run()
    at.button(key="btn_plan").click().run()
    return ok(at)


@pytest.mark.parametrize("how", ["access code", "share flag", "environment key"])
def test_a_visitor_cannot_send_the_owners_key_to_their_own_url(
    make_server, page_env, monkeypatch, capsys, how
):
    owners, echo = make_server(), make_server()
    point_env(monkeypatch, owners, key=OWNER_KEY if how == "environment key" else None)
    at = new_app()
    if how == "access code":
        at.secrets["OPENAI_API_KEY"] = OWNER_KEY
        at.secrets["SMOL_ACCESS_CODE"] = CODE + "  "  # a trailing space in the secret
    elif how == "share flag":
        at.secrets["OPENAI_API_KEY"] = OWNER_KEY
        at.secrets["SMOL_SHARE_OWNER_KEY"] = "true"
    ok(at.run())
    if how == "access code":
        at.text_input(key="in_code").input(CODE).run()
    # The owner's endpoint is never shown, not even as the Base URL's default.
    assert owners.base_url not in page_text(
        ok(at.radio(key="in_provider").set_value("compatible").run())
    )
    other_url_plan(at, echo.base_url)
    assert owner_requests(owners, echo) == 0
    assert any("works only with" in i.value for i in at.info)
    # Empty Base URL: the owner's endpoint, with the owner's key.
    at.text_input(key="in_base_url").input("").run()
    at.button(key="btn_plan").click().run()
    ok(at)
    assert owner_requests(owners) == 1 and owner_requests(echo) == 0
    # With their own key, the visitor may go anywhere.
    at.text_input(key="in_key").input(VISITOR_KEY).run()
    at.text_input(key="in_base_url").input(echo.base_url).run()
    at.button(key="btn_plan").click().run()
    assert [r.headers["authorization"] for r in echo.requests if r.kind == "plan"][-1:] == [
        f"Bearer {VISITOR_KEY}"
    ]
    assert owner_requests(echo) == 0 and OWNER_KEY not in page_text(at)
    report(capsys, f"owner key bound ({how})", owner_key_requests_to_other_url=0)


# ---------------------------------------------------------------------------- access code
def test_the_access_code_takes_any_text_and_both_sides_are_stripped():
    policy = KeyPolicy(owner_key=OWNER_KEY, locked=True, access_code="café ")
    assert choose_key(policy, None, " café", CodeGate(process=ProcessGate())).source == "owner"
    for odd in ("кофе", "\x00", "😀" * 500, "café\u0301"):
        assert choose_key(policy, None, odd, CodeGate(process=ProcessGate())).source == "none"


def test_wrong_codes_wait_longer_and_longer(capsys):
    now = [1000.0]
    gate = CodeGate(process=ProcessGate(), clock=lambda: now[0])
    answers = [gate.check(f"guess-{i}", CODE) for i in range(6)]
    assert answers[:3] == ["That access code is not right."] * 3  # the free tries
    assert all("try again in" in a for a in answers[3:])  # then a wait, the code not compared
    assert gate.failures == 3
    now[0] += 2.5  # the first wait (2 s) is over: one more try, then 4 s
    assert gate.check("guess-again", CODE) == "That access code is not right."
    assert "try again in 5 s" in str(gate.check(CODE, CODE))  # even the right one waits
    now[0] += 4.5
    assert gate.check(CODE, CODE) is True and gate.failures == 0
    # The same wrong code on every rerun is one try, not one per rerun.
    again = CodeGate(process=ProcessGate())
    assert [again.check("same", CODE) for _ in range(10)].count(
        "That access code is not right."
    ) == 10
    assert again.failures == 1
    report(capsys, "access code", free_tries=3, compared_of_6_quick=3, waits="2s,4s,...")


def test_the_process_limits_codes_across_sessions(capsys):
    shared = ProcessGate(tries=5, window=60)
    clock = lambda: 50.0  # noqa: E731
    tried = [CodeGate(process=shared, clock=clock).check(f"tab-{i}", CODE) for i in range(8)]
    assert tried[:5] == ["That access code is not right."] * 5
    assert all("try again" in t for t in tried[5:])
    report(capsys, "access code per process", new_sessions=8, codes_compared=5)


def test_the_page_limits_code_attempts(server, page_env, monkeypatch, capsys):
    point_env(monkeypatch, server)
    at = new_app()
    at.secrets["OPENAI_API_KEY"] = OWNER_KEY
    at.secrets["SMOL_ACCESS_CODE"] = CODE
    ok(at.run())
    messages = []
    for i in range(5):
        at.text_input(key="in_code").input(f"wrong-{i}").run()
        messages += [m.value for m in ok(at).info]
    assert sum("not right" in m for m in messages) == 3
    assert sum("Too many wrong access codes" in m for m in messages) == 2
    at.text_input(key="in_code").input(CODE).run()
    assert any("Too many" in m.value for m in at.info)  # the right code waits too
    report(capsys, "access code page", wrong_codes=5, compared=3)


# ------------------------------------------------------------ owner ids and share links
def test_an_owner_id_the_server_never_issued_is_not_adopted(server, page_env, monkeypatch):
    point_env(monkeypatch, server)
    at = ok(new_app(u="attackers-chosen-id").run())
    mine = at.query_params["u"]
    assert mine != "attackers-chosen-id" and known_owner(RunStore(page_env), mine)
    assert not known_owner(RunStore(page_env), "attackers-chosen-id")
    at.text_area(key="in_spec").input("my secret project").run()
    at.button(key="btn_plan").click().run()
    # A refresh keeps the issued id, and with it the history.
    again = ok(new_app(u=mine).run())
    assert again.query_params["u"] == mine
    assert any(b.key == f"open_{at.session_state.studio.run_id}" for b in again.sidebar.button)
    assert RunStore(page_env).list_runs("attackers-chosen-id") == []


def planned_and_generated(at):
    at.text_area(key="in_spec").input("A greeter in two files.").run()
    at.button(key="btn_plan").click().run()
    at.button(key="btn_files").click().run()
    at.button(key="btn_generate").click().run()
    return ok(at)


def test_a_share_link_opens_the_run_read_only(server, page_env, monkeypatch, capsys):
    point_env(monkeypatch, server)
    owner = planned_and_generated(ok(new_app().run()))
    run_id, owner_id = owner.session_state.studio.run_id, owner.query_params["u"]
    owner.button(key="btn_share").click().run()
    link = ok(owner).session_state.share_link[1]
    token = link.rpartition("share=")[2]
    assert owner_id not in link and run_id not in link
    before = RunStore(page_env).load_run(run_id, None)

    viewer = ok(new_app(share=token).run())
    assert viewer.query_params["u"] != owner_id
    assert any("Shared run" in h.value for h in viewer.subheader)
    assert viewer.download_button(key="dl_shared_zip").label == "Download .zip"
    assert not [b for b in viewer.sidebar.button if (b.key or "").startswith("open_")]
    # Nothing of the owner's can be changed: no plan, table, editor or generate button.
    keys = {e.key for e in viewer.button} | {e.key for e in viewer.text_area}
    assert not keys & {"btn_plan", "btn_files", "btn_generate", "btn_save_plan", "btn_regen"}
    assert not viewer.data_editor
    view = Studio(RunStore(page_env), viewer.query_params["u"], read_only=True)
    assert view.load(before)
    for change in (
        lambda: view.set_plan("mine now"),
        lambda: view.edit("main.py", "x = 1\n"),
        lambda: view.set_files([]),
    ):
        with pytest.raises(LimitError, match="shared with you to read"):
            change()
    # "Copy into my projects": an editable copy, in the viewer's own history.
    viewer.button(key="btn_copy_shared").click().run()
    copy_id = ok(viewer).session_state.studio.run_id
    assert copy_id not in (None, run_id) and "share" not in viewer.query_params
    copy = RunStore(page_env).load_run(copy_id, viewer.query_params["u"])
    assert copy is not None and [f.content for f in copy.files] == [f.content for f in before.files]
    after = RunStore(page_env).load_run(run_id, owner_id)
    assert (after.plan, [f.content for f in after.files]) == (
        before.plan,
        [f.content for f in before.files],
    )
    # A made-up token opens nothing; another person's run can't be shared by a stranger.
    assert any("does not open" in w.value for w in ok(new_app(share="made-up").run()).warning)
    assert share_token(RunStore(page_env), run_id, issue_owner(RunStore(page_env))) is None
    report(capsys, "share link", owner_runs_listed_for_viewer=0, owner_changes=0)


# ------------------------------------------------------------------------------- limits
def test_the_file_table_has_the_same_cap_as_the_models_list(capsys):
    rows = [{"path": f"f{i}.py", "purpose": ""} for i in range(2000)]
    table = check_table(rows, max_files=60)
    assert len(table.files) == 60 and len(table.rejected) == 1940
    assert "more than 60 files" in table.rejected[0].reason
    report(capsys, "limits table", rows=2000, kept=60, refused=1940)


def test_texts_runs_and_requests_are_limited(server, tmp_path, capsys):
    store = RunStore(tmp_path / "h.sqlite3")
    limits = Limits(plan_chars=1000, file_chars=500, runs_per_session=2, requests_per_session=1)
    studio = Studio(store, issue_owner(store), limits=limits)
    settings = fast_settings(server.base_url)
    studio.start("a greeter", settings)
    with pytest.raises(LimitError, match="plan is too long"):
        studio.set_plan("x" * 1001)
    studio.set_plan("# Plan\n")
    studio.emitter(settings)(FileDone("main.py", "print(1)\n"))
    with pytest.raises(LimitError, match="too long to keep"):
        studio.edit("main.py", "x" * 501)
    assert store.load_run(studio.run_id, None).plan == "# Plan"
    studio.requests_used = 1
    with pytest.raises(LimitError, match="model requests"):
        studio.emitter(settings)
    studio.start("another", settings)
    with pytest.raises(LimitError, match="its 2 runs"):
        studio.start("a third", settings)
    hosted = page_config({"OPENAI_API_KEY": "k"}, {}).limits
    assert hosted.runs_per_session > 0 and hosted.requests_per_session > 0
    local = page_config({}, {"SMOL_MAX_PLAN_CHARS": "10"}).limits
    assert local.runs_per_session == 0 and local.plan_chars == 10
    report(capsys, "limits", plan_chars=1000, runs=2, requests=1)


def test_a_huge_plan_edit_is_refused_on_the_page(server, page_env, monkeypatch):
    point_env(monkeypatch, server)
    monkeypatch.setenv("SMOL_MAX_PLAN_CHARS", "5000")
    at = ok(new_app().run())
    at.text_area(key="in_spec").input("a greeter").run()
    at.button(key="btn_plan").click().run()
    at.text_area(key=f"ed_plan_{at.session_state.plan_rev}").input("y" * 6000).run()
    at.button(key="btn_save_plan").click().run()
    assert any("plan is too long" in e.value for e in ok(at).error)
    assert (
        RunStore(page_env).load_run(at.session_state.studio.run_id, None).plan.startswith("# Plan")
    )


# ------------------------------------------------------- URLs, error text, malformed URLs
def test_base_urls_are_shown_as_scheme_and_host_only():
    url = "https://user:sk-in-userinfo@gw.example:8443/v1?api_key=sk-in-query#frag"
    assert public_host(url) == "https://gw.example:8443"
    assert public_host("http://[x") == ""
    assert Settings(provider="compatible", base_url=url).endpoint_label == "https://gw.example:8443"


def test_secrets_are_scrubbed_before_the_message_is_cut(make_server, capsys):
    # The key sits across the 300-character cut: cut first, its first characters showed.
    srv = make_server()
    for pad in (280, 290, 295, 299):
        srv.clear_faults()
        srv.add_fault(Fault.status(400, message="x" * pad + OWNER_KEY), kind="plan")
        settings = fast_settings(srv.base_url, api_key=OWNER_KEY)
        with pytest.raises(openai.APIStatusError) as info:
            asyncio.run(make_plan("a greeter", settings))
        message = describe(info.value, settings)
        assert OWNER_KEY[:4] not in message, (pad, message)
    report(capsys, "scrub then cut", cuts_tried=4, key_prefixes_shown=0)


def test_a_malformed_base_url_is_one_line(page_env, monkeypatch, server):
    for url in ("http://[x", "http://host:port/v1", "ftp://x", "127.0.0.1:11434"):
        settings = Settings(provider="compatible", base_url=url, model="m")
        message = describe(ValueError("boom"), settings)
        assert "\n" not in message
        with pytest.raises(SmolError, match="base URL"):
            asyncio.run(make_plan("x", settings))
    point_env(monkeypatch, server)
    at = ok(new_app().run())
    at.text_input(key="in_key").input(VISITOR_KEY).run()
    other_url_plan(at, "http://[x")
    [error] = [e.value for e in at.error]
    assert "not a valid URL" in error and server.requests == []


# ----------------------------------------------------------------------------- Host check
def test_a_studio_on_a_machine_answers_only_that_machine_under_loopback_names():
    for host in ("localhost:8501", "127.0.0.1:8501", "[::1]:8501", "LOCALHOST"):
        for peer in (None, "127.0.0.1", "::ffff:127.0.0.1", "127.0.0.2"):
            assert refusal(host, peer, hosted=False) == "", (host, peer)
    for host in (
        "evil.example",
        "evil.example:8501",
        "localhost.evil.example",
        "a@localhost",
        "10.0.0.5:8501",
        "",
        "localhost/x",
    ):
        assert refusal(host, None, hosted=False) == ONLY_ITS_NAMES, host
    for peer in ("192.168.1.5", "::ffff:10.0.0.2", "2001:db8::1", "nonsense"):
        assert refusal("localhost:8501", peer, hosted=False) == ONLY_THIS_MACHINE, peer
    assert refusal(None, None, hosted=False) == ""  # AppTest: no connection at all


def test_a_hosted_studio_answers_anyone_or_the_names_it_was_given():
    assert refusal("smol.streamlit.app", "10.1.2.3", hosted=True) == ""
    names = "app.example, *.streamlit.app"
    assert refusal("evil.example", "10.1.2.3", True, names) == ONLY_ITS_NAMES
    assert refusal("app.example:443", "10.1.2.3", True, names) == ""
    assert refusal("smol.streamlit.app", "10.1.2.3", True, names) == ""
    assert refusal("streamlit.app.evil.example", "10.1.2.3", True, names) == ONLY_ITS_NAMES
    # Hosted is the owner's word, from secrets or the environment, never a request's.
    assert hosted_by_owner({"SMOL_HOSTED": "true"}, {}) and hosted_by_owner(
        {}, {"SMOL_HOSTED": "1"}
    )
    assert hosted_by_owner({"SMOL_HOSTED": True}, {})
    assert not hosted_by_owner({"OPENAI_API_KEY": "sk-x"}, {"SMOL_HOSTED": "no"})


def test_the_history_holds_no_owner_key(make_server, page_env, monkeypatch):
    owners = make_server()
    point_env(monkeypatch, owners)
    at = new_app()
    at.secrets["OPENAI_API_KEY"] = OWNER_KEY
    at.secrets["SMOL_SHARE_OWNER_KEY"] = "true"
    planned_and_generated(ok(at.run()))
    assert owner_requests(owners) >= 3
    assert leaks(OWNER_KEY, sqlite_files(page_env)) == {}


def test_an_environment_key_is_locked_by_an_access_code(server, page_env, monkeypatch, capsys):
    # A person's own studio with their key in the shell, opened to others with a code.
    point_env(monkeypatch, server, key=OWNER_KEY)
    monkeypatch.setenv("SMOL_ACCESS_CODE", CODE)
    at = ok(new_app().run())
    at.text_area(key="in_spec").input("a tiny program").run()
    at.button(key="btn_plan").click().run()
    assert server.requests == [] and any("No API key" in e.value for e in ok(at).error)
    at.text_input(key="in_code").input(CODE).run()
    at.button(key="btn_plan").click().run()
    ok(at)
    assert owner_requests(server) == 1
    report(capsys, "environment key locked", requests_without_code=0, with_code=1)


def test_the_instruction_and_error_boxes_have_their_limit(server, page_env, monkeypatch):
    # Streamlit enforces max_chars in the browser and again on the server (TextInputSerde
    # cuts what a client sends), so a limit on the widget is a limit on what reaches the model.
    point_env(monkeypatch, server)
    monkeypatch.setenv("SMOL_MAX_INSTRUCTION_CHARS", "300")
    at = planned_and_generated(ok(new_app().run()))
    assert at.text_input(key="in_instruction").max_chars == 300
    assert at.text_area(key="in_error").max_chars == 1500
