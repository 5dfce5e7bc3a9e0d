"""The page's session: the stores, the person's id and studio, and opening a run."""

from __future__ import annotations

import openai
import streamlit as st

from smol_core.errors import SmolError
from smol_core.studio.access import CodeGate, hosted_by_owner, refusal
from smol_core.studio.history import RunStore
from smol_core.studio.session import PageConfig, Studio
from smol_core.studio.sharing import issue_owner, known_owner
from smol_core.studio.versions import Versions

FAILURES = (SmolError, openai.OpenAIError, ValueError, OSError)


REDRAW_SECONDS = 0.1  # at most ~10 redraws per second per stream: each one is a message


IDLE_SECONDS = 0.5  # a silent job redraws its clock this often: when a Stop is noticed


def secrets_dict() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file is fine: everything has a default
        return {}


@st.cache_resource
def history() -> RunStore:
    return RunStore()


@st.cache_resource
def versions() -> Versions:
    return Versions(history())


def browser_owner() -> str:
    """A per-browser id in the URL: a refresh keeps it, so the person keeps their history.
    Only an id this server issued is adopted (else a link could choose whose history a
    visitor's work goes into); a session keeps the id it started with."""
    state = st.session_state
    if "owner" not in state:
        given = st.query_params.get("u")
        state.owner = given if known_owner(history(), given) else issue_owner(history())
    if st.query_params.get("u") != state.owner:
        st.query_params["u"] = state.owner
    return state.owner


def session_studio(owner: str, config: PageConfig) -> Studio:
    state = st.session_state
    state.setdefault("studio", Studio(history(), owner))
    state.setdefault("files_rev", 0)
    state.setdefault("plan_rev", 0)
    state.setdefault("code_gate", CodeGate())
    state.studio.limits = config.limits
    return state.studio


def refused(config: PageConfig) -> str:
    """Why this connection gets nothing but one sentence ("" if it may use the studio): see
    access.refusal (who asks: the Host it used and its address, from st.context)."""
    hosted = hosted_by_owner(config.secrets, config.env)
    allowed = config.merged.get("SMOL_ALLOWED_HOSTS")
    peer = st.context.ip_address  # AppTest gives a stand-in object: no connection at all
    peer = peer if isinstance(peer, str) else None
    return refusal(st.context.headers.get("host"), peer, hosted, allowed)


def open_linked_run(studio: Studio, scope: str | None) -> None:
    """A refresh, or a shared link: show that run (its spec too)."""
    state = st.session_state
    wanted_run = st.query_params.get("run")
    if wanted_run and studio.run_id != wanted_run:
        if studio.open(wanted_run, scope) and studio.project is not None:
            state.in_spec = studio.project.spec
            state.files_rev += 1
            state.plan_rev += 1
        else:
            del st.query_params["run"]
            st.warning("That run is not in your history.")


def open_run(studio: Studio, scope: str | None, run_id: str) -> None:
    state = st.session_state
    if studio.open(run_id, scope) and studio.project is not None:
        st.query_params["run"] = run_id
        state.in_spec = studio.project.spec
        state.files_rev += 1
        state.plan_rev += 1


def new_project(studio: Studio) -> None:
    studio.run_id, studio.project = None, None
    if "run" in st.query_params:
        del st.query_params["run"]
    st.session_state.files_rev += 1
