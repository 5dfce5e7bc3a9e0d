"""Settings precedence, prompt templates and message layout, token cost."""

from __future__ import annotations

import pytest

from smol_core.errors import describe, redact
from smol_core.prompts import PromptError, file_messages, render
from smol_core.records import FileSpec
from smol_core.settings import Settings, env_flag, public_host
from smol_core.usage import TokenUsage, estimate_cost

KEY = "sk-live-abcdef1234567890"


def test_arguments_beat_env_beat_defaults():
    env = {"OPENAI_API_KEY": KEY, "SMOL_CONCURRENCY": "3", "SMOL_TEMPERATURE": "0.7"}
    s = Settings.from_env(env, temperature=0.1)
    assert s.provider == "openai" and s.concurrency == 3 and s.temperature == 0.1
    assert s.model == "gpt-4.1-mini"


def test_provider_is_guessed_from_what_is_configured():
    assert Settings.from_env({}).provider == "local"
    assert Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}).provider == "compatible"
    assert Settings.from_env({"OPENAI_API_KEY": KEY}).provider == "openai"
    local = Settings.from_env({})
    assert local.concurrency == 1 and local.max_tokens  # the CPU model: one at a time, capped


def test_key_never_in_repr_or_labels():
    s = Settings.from_env(
        {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": f"https://u:{KEY}@h.example:8443/v1?key={KEY}"}
    )
    assert KEY not in repr(s)
    assert s.endpoint_label == "https://h.example:8443"
    assert public_host("http://") == ""
    assert Settings(base_url="http://", model="m").endpoint_label == "(invalid URL)"


def test_bad_numbers_in_env_are_named():
    with pytest.raises(ValueError, match="SMOL_CONCURRENCY"):
        Settings.from_env({"SMOL_CONCURRENCY": "many"})


def test_redact_removes_given_and_keylike_secrets():
    assert KEY not in redact(f"boom {KEY} boom")
    assert "sk-proj-zzzzzzzzzzzz" not in redact("header: Bearer sk-proj-zzzzzzzzzzzz")
    assert KEY not in describe(RuntimeError(f"failed with {KEY}"), Settings(api_key=KEY, model="m"))


def test_templates_are_files_with_placeholders(tmp_path, monkeypatch):
    with pytest.raises(PromptError, match="needs path"):
        render("write_file")
    assert "`a.py`" in render("write_file", path="a.py")
    # A value containing placeholder syntax stays literal (single pass).
    assert "{{path}}" in render("project", spec="{{path}}", plan="p")
    # Rewording a template needs no code change.
    (tmp_path / "write_file.md").write_text("Only `{{path}}`, please.")
    monkeypatch.setenv("SMOL_PROMPTS_DIR", str(tmp_path))
    assert render("write_file", path="b.py") == "Only `b.py`, please."
    with pytest.raises(PromptError, match="not found"):
        render("system")


def test_per_file_messages_share_a_prefix_and_differ_only_at_the_end():
    files = [FileSpec("a.py", "A"), FileSpec("b.py", "B")]
    a = file_messages("spec", "plan", files, "a.py")
    b = file_messages("spec", "plan", files, "b.py")
    assert a[:-1] == b[:-1]
    assert [m["role"] for m in a] == ["system", "user", "user"]
    assert "a.py" in a[-1]["content"] and "b.py" in b[-1]["content"]
    assert "`a.py`" in a[1]["content"] and "`b.py`" in a[1]["content"]  # the whole list is shared


def test_cost_from_the_price_table():
    u = TokenUsage(prompt_tokens=1_000_000, completion_tokens=1_000_000, cached_tokens=500_000)
    assert estimate_cost(u, "gpt-4.1-mini") == pytest.approx(0.2 + 0.05 + 1.6)
    assert estimate_cost(u, "openai/gpt-4.1-mini-2025-04-14") == pytest.approx(1.85)
    assert estimate_cost(u, "some-unknown-model") is None


def test_env_flag_reads_yes_and_no_the_same_everywhere():
    for yes in ("1", "true", "YES", " on ", "On", True):
        assert env_flag(yes) is True, yes
    for no in ("0", "false", "No", " off", "", False):
        assert env_flag(no, default=True) is False, no
    for other in (None, "maybe", 1, {}):
        assert env_flag(other) is False and env_flag(other, default=True) is True, other
