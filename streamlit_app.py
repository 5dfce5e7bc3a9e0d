"""smol studio, the page's entry point: the order of its sections. Each section is a module of
ui/ (drawing and wiring only); decisions live in smol_core."""

from __future__ import annotations

import os

import streamlit as st

from smol_core.model.client import start_warm_up
from smol_core.studio.sample_specs import list_examples
from smol_core.studio.session import page_config
from smol_core.studio.versions import attach_binary
from ui.change import change_section
from ui.download import download_section
from ui.examples_step import examples_section
from ui.files import files_section
from ui.jobs import stopped_notice
from ui.plan import plan_section
from ui.reruns import count_run
from ui.session import (
    browser_owner,
    open_linked_run,
    refused,
    secrets_dict,
    session_studio,
    versions,
)
from ui.shared import shared_view
from ui.sidebar import browser_offer, run_consent, sidebar
from ui.spec import header, import_section, spec_section
from ui.versions import versions_section
from ui.workspace import workspace_section


def main() -> None:
    st.set_page_config(page_title="smol studio", page_icon="🐣", layout="wide")
    count_run("page")
    config = page_config(secrets_dict(), os.environ)  # read once per rerun
    if why := refused(config):  # before anything else: a stranger starts nothing, sees nothing
        st.error(why)
        st.stop()
    start_warm_up()  # once per server process, in the background: the first request won't pay it
    owner = browser_owner()
    scope = config.history_scope(owner)
    studio = session_studio(owner, config)
    open_linked_run(studio, scope)
    examples = list_examples()
    settings = run_consent(sidebar(config, studio, scope))
    browser_offer(config, settings)
    header()
    if shared_view(studio, scope, settings):
        return
    spec = spec_section(examples, studio, settings)
    import_section(studio, settings)
    project = studio.project
    attach_binary(studio, versions())
    # An imported project has code and no plan: its workspace is shown all the same.
    if project is None or (
        not plan_section(project, spec, studio, settings) and not project.contents
    ):
        return
    if not project.files:
        return
    usable = files_section(project, studio, settings)
    examples_section(project, studio, settings, usable)
    stopped_notice()
    if not project.contents and not project.failed:
        return
    workspace_section(project, studio, settings)
    change_section(project, studio, settings)
    versions_section(project, studio, settings)
    download_section(studio, settings)


main()
