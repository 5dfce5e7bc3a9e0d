"""The sidebar: the model, usage, share link, history; consent to run unisolated code and the browser offer."""

from __future__ import annotations

import os
import time

import streamlit as st
from streamlit.components import v2 as components_v2

from smol_core.running.browser import NO_BROWSER, fetch_offered
from smol_core.running.browser_find import FETCH_COST, BrowserFetch, fetch_command
from smol_core.running.sandbox import WITHOUT_ISOLATION
from smol_core.settings import Settings
from smol_core.steps.heal import consent_needed
from smol_core.studio.access import hosted_by_owner
from smol_core.studio.asks import LIVE
from smol_core.studio.layout import NARROW_PX, SIDEBAR_JS
from smol_core.studio.session import PageConfig, Studio
from smol_core.studio.sharing import share_token
from smol_core.usage import estimate_cost
from ui.session import history, new_project, open_run

PROVIDERS = {
    "local": "Built-in local model (no key)",
    "openai": "OpenAI",
    "compatible": "OpenAI-compatible URL (Ollama, LM Studio, vLLM, OpenRouter…)",
}


def model_section(config: PageConfig) -> Settings:
    """The model widgets; the settings they make, computed once for this rerun."""
    st.header("Model")
    provider = st.radio(
        "Provider",
        list(PROVIDERS),
        format_func=PROVIDERS.get,
        key="in_provider",
        index=list(PROVIDERS).index(config.default_provider),
    )
    defaults = config.defaults(provider)
    base_url = None
    if provider == "compatible":
        # The owner's URL is never shown (it may carry a credential): empty means theirs.
        owners = config.owner_endpoint is not None
        base_url = st.text_input(
            "Base URL",
            value="" if owners else "http://127.0.0.1:11434/v1",
            key="in_base_url",
            placeholder=f"empty: {config.owner_endpoint_label}" if owners else None,
            help="On Streamlit Community Cloud, 127.0.0.1 is the cloud machine, not your laptop.",
        )
        if owners:
            own_key = " Another URL needs your own API key." if config.policy.has_owner_key else ""
            st.caption(f"Empty: the studio's endpoint, {config.owner_endpoint_label}.{own_key}")
    model = st.text_input("Model", value=defaults.model, key=f"in_model_{provider}", live=LIVE)
    visitor_key = access_code = None
    if provider != "local":
        visitor_key = st.text_input(
            "API key",
            type="password",
            key="in_key",
            help="Kept only in this browser session: never saved, logged or put in the zip.",
        )
        if config.asks_access_code:
            access_code = st.text_input("Access code", type="password", key="in_code")
    else:
        st.caption(
            "Runs on this machine with no key and no network. The first start assembles and "
            "loads the model (a minute or so); small projects work best."
        )
    # What a person can't judge is tucked away for the built-in model (it comes tuned).
    with st.expander("Advanced") if provider == "local" else st.container():
        temperature = st.slider("Temperature", 0.0, 1.5, defaults.temperature, 0.1, key="in_temp")
        concurrency = st.number_input(
            "Files at once",
            1,
            32,
            defaults.concurrency,
            key=f"in_conc_{provider}",
            help="The built-in model is fastest one file at a time (it reuses the shared prompt).",
        )
    settings, key_choice = config.settings(
        provider=provider,
        model=model,
        base_url=base_url,
        visitor_key=visitor_key,
        access_code=access_code,
        temperature=temperature,
        concurrency=int(concurrency),
        gate=st.session_state.code_gate,
    )
    if provider != "local" and key_choice.message:
        st.info(key_choice.message)
    elif key_choice.source == "owner":
        st.caption("Using the key configured by the owner of this studio.")
    return settings


def usage_section(studio: Studio, settings: Settings) -> None:
    project = studio.project
    if project is None:
        return
    st.header("Usage")
    u = project.usage
    cost = estimate_cost(u, settings.model)
    local = settings.provider == "local"
    if local:
        st.caption("Free: the built-in model runs on this machine.")
    with st.expander("Advanced: tokens used") if local else st.container():
        c1, c2 = st.columns(2)
        c1.metric("Prompt tokens", f"{u.prompt_tokens:,}", help=f"{u.cached_tokens:,} from cache")
        c2.metric("Output tokens", f"{u.completion_tokens:,}")
        st.caption(
            f"{u.requests} request{'' if u.requests == 1 else 's'} · "
            f"{u.cached_tokens:,} cached tokens"
            + ("" if local else f" · ≈ ${cost:.4f}" if cost is not None else " · cost unknown")
        )


def history_section(studio: Studio, scope: str | None) -> None:
    st.header("History")
    st.button("New project", key="btn_new", on_click=new_project, args=(studio,))
    for run in history().list_runs(scope, limit=15):
        label = f"{run.title} · {run.n_done}/{run.n_files} files"
        st.button(
            label,
            key=f"open_{run.id}",
            on_click=open_run,
            args=(studio, scope, run.id),
            type="primary" if run.id == studio.run_id else "secondary",
        )


def share_section(studio: Studio, scope: str | None) -> None:
    """A read-only link to the run in hand: the viewer can read and download it, or copy it
    into their own projects; the `u` in this page's own address is never in it."""
    if studio.run_id is None or studio.read_only:
        return
    if st.button("Share this run (read-only link)", key="btn_share"):
        token = share_token(history(), studio.run_id, scope)
        st.session_state.share_link = (studio.run_id, f"{st.context.url or ''}?share={token}")
    link = st.session_state.get("share_link")
    if link and link[0] == studio.run_id:
        st.code(link[1], language=None)
        st.caption("Whoever opens this link can read and download this run, not change it.")


@st.cache_resource
def sidebar_closer():
    """The component that closes the sidebar in a narrow window (see studio/layout.py)."""
    return components_v2.component("smol_sidebar", js=SIDEBAR_JS)


def sidebar(config: PageConfig, studio: Studio, scope: str | None) -> Settings:
    with st.sidebar:
        settings = model_section(config)
        usage_section(studio, settings)
        share_section(studio, scope)
        history_section(studio, scope)
        sidebar_closer()(key="sidebar_closer", data={"narrow": NARROW_PX})
    return settings


def run_consent(settings: Settings) -> Settings:
    """Where this machine can't isolate generated code, it runs only if the person says so."""
    why = consent_needed(settings)
    if not why:
        return settings
    with st.sidebar:
        st.warning(
            f"Generated code can't be isolated on this machine ({why}). " + WITHOUT_ISOLATION
        )
        allowed = st.checkbox("Run it anyway", key="in_allow_unisolated")
    return settings.with_(allow_unisolated=allowed)


def browser_offer(config: PageConfig, settings: Settings) -> None:
    """No Chrome, Edge or Chromium here: one button fetches Playwright's Chromium, with its
    cost said first and its progress shown (see browser.fetch_offered: whom it is offered)."""
    state = st.session_state
    fetch = state.get("browser_fetch")
    hosted = hosted_by_owner(config.secrets, config.env)
    if fetch is None and not fetch_offered(hosted, settings.run_examples):
        return
    with st.sidebar:
        if fetch is None:
            st.info(f"Pages can't be checked: {NO_BROWSER}.")
            about = f"Fetches Playwright's Chromium: {FETCH_COST}."
            if not st.button("Get Chromium for page checks", key="btn_get_browser", help=about):
                st.caption(f"It costs {FETCH_COST}.")
                return
            state.browser_fetch = fetch = BrowserFetch(fetch_command(os.environ)).start()
        bar = st.progress(fetch.percent, text=fetch.doing)
        while not fetch.done:  # a rerun that interrupts this watch leaves the fetch running
            time.sleep(0.2)
            bar.progress(fetch.percent, text=fetch.label)
        (st.success if fetch.ok else st.error)(fetch.message)
        del state.browser_fetch  # said once; a failed fetch may be tried again
