"""smol studio, the page: layout, widgets and session state only. Decisions live in smol_core."""

from __future__ import annotations

import asyncio
import os
import time

import openai
import pandas as pd
import streamlit as st
from streamlit.components import v2 as components_v2
from streamlit_ace import st_ace

from smol_core.diffs import unified_diff
from smol_core.errors import LimitError, SmolError, describe
from smol_core.events import (
    ChangeDone,
    ChangePlanned,
    ChecksDone,
    ExampleDone,
    ExamplesReady,
    ExampleStarted,
    FileDelta,
    FileDone,
    FileEdited,
    FileFailed,
    FileStarted,
    Healing,
    Idle,
    PlanDelta,
    Retry,
)
from smol_core.importing import ImportRefused, import_zip
from smol_core.model.client import require_key, resolve, start_warm_up
from smol_core.project import Project
from smol_core.report import example_line, files_line, offers_new_example
from smol_core.report import summary as run_summary
from smol_core.running.browser import NO_BROWSER, fetch_offered
from smol_core.running.browser_find import FETCH_COST, BrowserFetch, fetch_command
from smol_core.running.sandbox import WITHOUT_ISOLATION
from smol_core.runs import (
    add_missing_files,
    events_of,
    files_for_error,
    fix_from_error,
    generate_checked,
    propose_examples,
    referenced_missing,
)
from smol_core.settings import Settings
from smol_core.steps.change import plan_from_code
from smol_core.steps.example_table import (
    COLUMNS,
    examples_from_rows,
    rows_of,
    tabled,
    to_json,
    to_markdown,
)
from smol_core.steps.file_list import make_file_list
from smol_core.steps.heal import consent_needed
from smol_core.steps.plan import make_plan
from smol_core.steps.repair import repair_instruction
from smol_core.studio.access import CodeGate, hosted_by_owner, refusal
from smol_core.studio.advice import AS_MODULE, advise, load_as_module
from smol_core.studio.asks import EMPTY, LIVE
from smol_core.studio.filetable import ROW_HEIGHT, purposes_kept, table_rows
from smol_core.studio.history import RunStore
from smol_core.studio.languages import ace_mode, code_language
from smol_core.studio.layout import NARROW_PX, SIDEBAR_JS
from smol_core.studio.nochange import again_if_same, nothing_changed, unchanged
from smol_core.studio.preview import (
    FRAME_SANDBOX,
    FRAME_TITLE,
    MESSAGE_TAG,
    build_preview,
    frame_document,
    pages,
)
from smol_core.studio.progress import WriteMeter, time_left
from smol_core.studio.sample_specs import list_examples
from smol_core.studio.session import (
    PageConfig,
    Studio,
    check_table,
    page_config,
    path_label,
    read_upload,
    repair_note,
)
from smol_core.studio.sharing import (
    copy_run,
    issue_owner,
    known_owner,
    share_token,
    shared_run,
)
from smol_core.studio.versions import (
    CAUSES,
    JobVersions,
    Versions,
    attach_binary,
    change_job,
    diff_text,
    file_history,
    restore,
    start_imported,
    version_zip,
    versions_line,
    who_changed,
)
from smol_core.studio.workspace import (
    PAGE_RUN_HINT,
    LiveRun,
    changed_files_line,
    default_command,
    error_files,
    error_request,
    example_details,
    example_rows,
    example_table,
    examples_from_table,
    fix_failing,
    is_page_project,
    legend,
    live_code,
    run_examples_now,
    run_outcome,
    run_refusal,
    tree,
    what_changed,
)
from smol_core.usage import estimate_cost

PROVIDERS = {
    "local": "Built-in local model (no key)",
    "openai": "OpenAI",
    "compatible": "OpenAI-compatible URL (Ollama, LM Studio, vLLM, OpenRouter…)",
}
FAILURES = (SmolError, openai.OpenAIError, ValueError, OSError)
REDRAW_SECONDS = 0.1  # at most ~10 redraws per second per stream: each one is a message
EDITOR_FONT_PX = 15
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


# ---------------------------------------------------------------- callbacks (run before the page)
def use_example(examples: dict[str, str]) -> None:
    state = st.session_state
    name = state.get("in_example")
    if name and name in examples:
        state.in_spec = examples[name]


def use_upload() -> None:
    state = st.session_state
    upload = state.get("in_upload")
    if upload is None:
        return
    try:
        state.in_spec = read_upload(upload.name, upload.getvalue())
    except SmolError as exc:
        state.notice = str(exc)


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


def save_plan_edit(studio: Studio) -> None:
    state = st.session_state
    try:
        studio.set_plan(state.get(f"ed_plan_{state.plan_rev}", ""))
    except SmolError as exc:  # too long: said at the top of the page, the edit not kept
        state.notice = str(exc)
    state.plan_rev += 1


# ------------------------------------------------------------------------------------ sidebar
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


def copy_shared(studio: Studio, scope: str | None, token: str) -> None:
    record = shared_run(history(), token)
    if record is not None:
        new_id = copy_run(history(), record, studio.owner)
        del st.query_params["share"]
        open_run(studio, scope, new_id)


def shared_view(studio: Studio, scope: str | None, settings: Settings) -> bool:
    """A run opened from a share link, to read and download only; False without a link."""
    token = st.query_params.get("share")
    if not token:
        return False
    view = Studio(history(), studio.owner, read_only=True)
    record = shared_run(history(), token)
    if record is None or not view.load(record) or view.project is None:
        st.warning("That share link does not open any run here.")
        return True
    project = view.project
    st.subheader(f"Shared run: {record.title}")
    st.caption("Read-only: nothing here can be changed. Copy it to work on your own copy.")
    st.button(
        "Copy into my projects", type="primary", key="btn_copy_shared",
        on_click=copy_shared, args=(studio, scope, token),
    )  # fmt: skip
    with st.expander("Spec"):
        st.text(project.spec)
    if project.plan:
        with st.container(border=True):
            st.markdown(project.plan)
    written = [p for p in project.paths if p in project.contents]
    if written:
        choice = st.selectbox("File", written, key="sel_shared_file")
        st.code(project.contents[choice], language=code_language(choice))
        st.download_button(
            "Download .zip", data=view.bundler(settings), file_name=view.zip_name(),
            mime="application/zip", key="dl_shared_zip", on_click="ignore",
        )  # fmt: skip
    return True


# ------------------------------------------------------------------------------------- helpers
def ready(settings: Settings) -> Settings:
    """Settings with a live endpoint; starting the built-in model shows its progress."""
    if settings.provider != "local":
        return settings
    with st.status("Starting the built-in model…", expanded=True) as box:
        resolved = resolve(settings, progress=box.write)
        box.update(label="Built-in model ready", state="complete", expanded=False)
    return resolved


def run_job(studio: Studio, settings: Settings, job, on_event=None, cause=None,
            idle: float | None = None) -> bool:  # fmt: skip
    """Drive a pipeline step on this script thread; the history records every event, and
    each version the job makes (`cause`: what made it, when the page knows better). With
    `idle`, `on_event` also gets an `Idle` event after each `idle` silent seconds: drawing
    something then is what lets a click on Stop end a step that says nothing for long."""
    made = JobVersions(studio, versions(), cause)
    before = dict(studio.project.contents) if studio.project else {}

    async def drive() -> None:
        async for event in events_of(job, record=made.wrap(studio.emitter(settings)), idle=idle):
            if on_event:
                on_event(event)

    try:
        asyncio.run(drive())
        return True
    except FAILURES as exc:
        st.error(describe(exc, settings))
        return False
    finally:
        made.settle()
        note_change(studio, before, cause or made._cause())


def generate(
    studio: Studio, settings: Settings, paths: list[str], nochange: str = "", **job
) -> None:
    """Write some files, several at once, each streaming into its own box; then check them and
    repair what the checks find (repairs stream into the same boxes). With `nochange` (a job
    of nochange.JOBS), files given back as they were are tried again, then said."""
    project = studio.project
    assert project is not None
    live = ready(settings)
    status, clock = progress_dock("generate")
    bar = status.progress(0.0, text=f"Generating {len(paths)} file(s)…")
    started = time.monotonic()
    grid = st.columns(2)
    slots, texts, drawn = {}, {p: "" for p in paths}, dict[str, float]()
    for i, path in enumerate(paths):
        with grid[i % 2].container(border=True):
            st.markdown(f"**`{path}`**")
            slots[path] = st.empty()
            slots[path].caption("Waiting its turn…")
    finished: set[str] = set()
    meter = WriteMeter(list(paths), current={p: t for p, t in (job.get("current") or {}).items()})

    def show(event) -> None:
        if isinstance(event, Idle):  # a silent step (running examples): the clock moves on
            clock.caption(f"Still working · {event.seconds:.0f} s since it started")
            return
        reading = meter(event)
        if isinstance(event, ExampleStarted):
            after = f" (after repair {event.round})" if event.round > 0 else ""
            bar.progress(1.0, text=f"Running example {event.index + 1}{after}: {event.name}…")
            return
        if isinstance(event, ExampleDone):
            # Said as the report says it: never a bare "pass" for one that checks nothing.
            said = event.result.status
            if event.index < len(project.examples):
                said = example_line(project.examples[event.index], event.result)
            bar.progress(1.0, text=f"Example {event.index + 1}: {said}"[:300])
            return
        if isinstance(event, Healing):
            bar.progress(1.0, text=f"Repairing {', '.join(event.paths)} from what running "
                         f"showed: {event.reasons[0] if event.reasons else ''}"[:300])  # fmt: skip
            return
        if isinstance(event, ChecksDone):
            found = sum(len(v) for v in event.findings.values())
            step = "Checked" if event.round == 0 else f"Checked after repair {event.round}"
            bar.progress(1.0, text=f"{step}: {found} finding(s)")
            return
        path = getattr(event, "path", None)
        if path not in slots:
            return
        if isinstance(event, FileStarted):
            texts[path] = ""  # a repair writes the file again from the start
            slots[path].caption("Writing it again to repair it…" if path in finished
                                else "Writing…")  # fmt: skip
            if path in finished:
                bar.progress(1.0, text=f"Repairing {path}: the checks found a problem in it…")
        elif isinstance(event, FileDelta):
            texts[path] += event.text
            if time.monotonic() - drawn.get(path, 0) >= REDRAW_SECONDS:
                shown = live_code(texts[path], path)
                slots[path].code(shown, language=code_language(path), height=220)
                drawn[path] = time.monotonic()
                if reading is not None and path not in finished:  # tokens/s and time left
                    bar.progress(len(finished) / len(paths), text=reading.words())
        elif isinstance(event, Retry):
            texts[path] = ""  # the attempt starts over
            slots[path].caption(f"Retrying ({event.reason}), attempt {event.attempt}…")
        elif isinstance(event, (FileDone, FileFailed)):
            finished.add(path)
            if isinstance(event, FileDone):
                slots[path].code(event.content, language=code_language(path), height=220)
            else:
                slots[path].error(event.error)
            left = time_left(len(finished), len(paths), time.monotonic() - started)
            bar.progress(len(finished) / len(paths),
                         text=f"{len(finished)}/{len(paths)} files" + (f" · {left}" if left else ""))  # fmt: skip

    def work(emit):
        def attempt(s: Settings, _second: bool):
            return generate_checked(project, s, emit, paths=paths, **job)

        return again_if_same(project, live, attempt) if nochange else attempt(live, False)

    tried_or_say(
        studio, nochange, paths, lambda: run_job(studio, settings, work, show, idle=IDLE_SECONDS)
    )


def tried_or_say(studio: Studio, job: str, paths: list[str], run) -> None:
    """Run a job (`run`: True when it ended well); a fix or regeneration (`job`) that gave
    back every file as it was is said after the rerun, not left silent."""
    before = dict(studio.project.contents) if studio.project else {}
    if run() and job and studio.project is not None and unchanged(before, studio.project.contents):
        st.session_state.nochange_note = (studio.run_id, nothing_changed(job, paths, 2))


# ---------------------------------------------------------------------------------------- page
def header() -> None:
    st.title("smol studio")
    st.caption(
        "Describe a program and get a whole codebase. You check the plan and the file list "
        "before any code is written, then edit or regenerate any file."
    )
    if st.session_state.get("notice"):
        st.error(st.session_state.pop("notice"))
    st.html(PAGE_CSS)  # before any job: its progress box is styled from its first draw


def spec_section(examples: dict[str, str], studio: Studio, settings: Settings) -> str:
    """1 · Spec, and the Plan button (the plan streams in under it)."""
    st.subheader("1 · Spec")
    left, right = st.columns([3, 1])
    with right:
        st.selectbox(
            "Start from an example",
            [None, *examples],
            key="in_example",
            on_change=use_example,
            args=(examples,),
            format_func=lambda x: "—" if x is None else x,
        )
        st.file_uploader(
            "…or upload a .md file",
            type=["md", "markdown", "txt"],
            key="in_upload",
            on_change=use_upload,
        )
    with left:
        spec = st.text_area(
            "Spec",
            key="in_spec",
            height=220,
            placeholder="A Chrome extension that summarises the page…",
        )
    # Never disabled: a click made while the text box still has the focus must not be lost.
    if st.button("Plan", type="primary", key="btn_plan"):
        if spec.strip():
            plan(spec, studio, settings)
        else:
            st.warning("Write what the program should do first, then press Plan.")
    return spec


def plan(spec: str, studio: Studio, settings: Settings) -> None:
    try:
        require_key(settings)  # before a run is created: a refused click leaves no empty run
        live = ready(settings)
        studio.start(spec, live)
        if studio.run_id:
            st.query_params["run"] = studio.run_id
        st.session_state.plan_rev += 1
        box = st.empty()
        streamed = []

        def show_plan(event) -> None:
            if isinstance(event, PlanDelta):
                streamed.append(event.text)
                box.markdown("".join(streamed) + " ▌")

        if run_job(studio, settings, lambda emit: make_plan(spec, live, emit), show_plan):
            st.rerun()  # from the top, so the sidebar's usage and history include this step
    except FAILURES as exc:
        st.error(describe(exc, settings))


def plan_section(project: Project, spec: str, studio: Studio, settings: Settings) -> bool:
    """2 · Plan; False when there is no plan yet (the page ends here)."""
    state = st.session_state
    st.subheader("2 · Plan")
    if project.spec != spec.strip() and spec.strip():
        st.caption("The spec changed since this plan: press Plan again to use the new one.")
    if not project.plan:
        st.info("No plan yet: press Plan.")
        return False
    with st.container(border=True):
        st.markdown(project.plan)
    with st.expander("Edit the plan"):
        st.text_area(
            "Plan (Markdown)", value=project.plan, key=f"ed_plan_{state.plan_rev}", height=300
        )
        st.button("Save plan", key="btn_save_plan", on_click=save_plan_edit, args=(studio,))
    if st.button("List files", type="primary", key="btn_files"):
        live = ready(settings)
        job = lambda emit: make_file_list(project.spec, project.plan, live, emit)  # noqa: E731
        # Said while it runs (the model-ready box above reads as finished).
        with st.spinner("Listing the files to write: the model is deciding…", show_time=True):
            listed = run_job(studio, settings, job)
        if listed:
            state.files_rev += 1
            st.rerun()  # from the top, so the sidebar's usage and history include this step
    for r in project.rejected:
        st.warning(f"Left out {path_label(r.path)}: {r.reason}")
    return True


def files_section(project: Project, studio: Studio, settings: Settings) -> bool:
    """3 · Files: the editable file table; False when a row can't be used."""
    st.subheader("3 · Files")
    # Purposes read as words (no `code` marks), their whole text wrapped over the row.
    base = pd.DataFrame(table_rows(project.files))
    edited = st.data_editor(
        base,
        key=f"ed_files_{st.session_state.files_rev}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        row_height=ROW_HEIGHT,
        column_config={
            "path": st.column_config.TextColumn("Path", required=True, width="medium"),
            "purpose": st.column_config.TextColumn(
                "Purpose", width="large",
                help="What the file is for; double-click a cell to read or change all of it."),
        },
    )  # fmt: skip
    table = check_table(edited.to_dict("records"), settings.max_files)
    for r in table.rejected:
        st.error(f"{path_label(r.path)} can't be used: {r.reason}")
    files = purposes_kept(table.files, project.files)  # a purpose left alone keeps its marks
    if not table.rejected and files != project.files:
        studio.set_files(files)  # saved to the history at once

    return not table.rejected


def examples_section(project: Project, studio: Studio, settings: Settings, usable: bool) -> None:
    """4 · Examples: how the code will be judged, in plain words, before any is written; the
    person edits, adds or deletes lines, and "Generate" writes the code against them."""
    st.subheader("4 · Examples")
    st.caption("What is run, typed or clicked, and what must come out: how the code will be "
               "judged. Change, add or delete lines before the code is written.")  # fmt: skip
    proposed = st.button("Propose again" if project.examples_made else "Propose examples",
                         key="btn_examples", disabled=not project.files)  # fmt: skip
    if proposed:
        live = ready(settings)
        job = lambda emit: propose_examples(project.spec, project.plan, project.files, live, emit)  # noqa: E731
        with st.spinner("Proposing examples from the spec…", show_time=True):
            if run_job(studio, settings, job):
                st.rerun()
    state = st.session_state
    mine = [e for e in project.examples if tabled(e)]
    if state.get("step_known") != mine:
        # Proposed, reopened or changed elsewhere: a fresh table (and a fresh key, so no edit
        # state of the old one is applied to it); the person's own edits never rebuild it.
        state.step_from = state.step_known = mine
        state.step_rev = state.get("step_rev", 0) + 1
    rows = [r.as_dict() for r in rows_of(state.step_from)]
    problems: list[str] = []
    if project.examples_made or rows:
        edited = st.data_editor(
            pd.DataFrame(rows, columns=list(COLUMNS)), key=f"ed_step_{state.step_rev}",
            num_rows="dynamic", hide_index=True, width="stretch",
            column_config={
                "does": st.column_config.TextColumn(COLUMNS["does"], width="medium",
                    help='e.g. python calc.py 2 + 3 · open index.html; type "Ada" into #name; '
                         "click #go · start python app.py on port 8000; GET /add?a=2&b=3"),
                "expect": st.column_config.TextColumn(COLUMNS["expect"], width="medium",
                    help='e.g. prints exactly "5" · prints "5" · exit status 1 · '
                         '#greeting shows "Hello, Ada" · says "5" · empty: it only has to run'),
                "sentence": st.column_config.TextColumn(COLUMNS["sentence"], width="small"),
                "by": st.column_config.TextColumn(COLUMNS["by"], disabled=True, width="small"),
            },
        )  # fmt: skip
        examples, problems = examples_from_rows(edited.to_dict("records"), state.step_from)
        for problem in problems:
            st.error(problem)
        if not problems and examples != mine:
            try:  # smoke checks and the project's tests are kept as they are
                studio.emitter(settings)(
                    ExamplesReady(tuple(examples + [e for e in project.examples if not tabled(e)]))
                )
                state.step_known = examples
            except SmolError as exc:
                st.error(str(exc))
        if rows:
            row = st.container(horizontal=True)
            shown = rows_of(project.examples)
            row.download_button("Download as Markdown", to_markdown(shown), "examples.md",
                                "text/markdown", key="dl_examples_md", on_click="ignore")  # fmt: skip
            row.download_button("Download as JSON", to_json(shown), "examples.json",
                                "application/json", key="dl_examples_json", on_click="ignore")  # fmt: skip
        else:
            st.caption("No examples: the code will only be checked to run cleanly. Add a line "
                       "to say what it must do.")  # fmt: skip
        yours = sum(e.source == "you" for e in state.step_known)
        if yours:  # the table's own column shows who wrote each line when it was drawn
            st.caption(f"{yours} line(s) yours (changed or added): used as you wrote them.")
    missing = project.missing()
    blocked = not usable or bool(problems)
    row = st.container(horizontal=True)  # labels never cut: each button as wide as its words
    gen_all = row.button(
        f"Generate all ({len(project.files)})",
        type="primary",
        key="btn_generate",
        disabled=blocked or not project.files,
    )
    gen_missing = row.button(
        f"Generate missing ({len(missing)})",
        key="btn_missing",
        disabled=blocked or not missing or len(missing) == len(project.files),
    )
    if gen_all or gen_missing:
        generate(studio, settings, project.paths if gen_all else missing)
        st.rerun()


def code_status(project: Project, studio: Studio, settings: Settings) -> dict[str, str]:
    """What was written, what failed or was cut off, what the checks say; each file's status."""
    done = len([p for p in project.paths if p in project.contents])
    st.progress(
        done / max(1, len(project.files)), text=f"{done}/{len(project.files)} files written"
    )
    for path, error in project.failed.items():
        st.error(f"`{path}` failed: {error}")
    for path in sorted(project.truncated):
        st.warning(
            f"`{path}` was cut off by the output limit even after continuing; check its end."
        )
    for path in sorted(project.looped):
        st.warning(f"`{path}`: the model started repeating itself, so its reply was stopped there; "
                   "check its end or regenerate it.")  # fmt: skip

    checked = {p: project.check_status(p) for p in project.paths}
    if said := files_line(project):
        st.caption(said)
    for note in project.check_notes:
        st.caption(note)
    examples_status(project, settings)
    missing_refs = referenced_missing(project)
    if missing_refs and st.button(
        f"Add {len(missing_refs)} missing file(s): " + ", ".join(f.path for f in missing_refs),
        key="btn_add_missing",
    ):
        with st.spinner("Writing the missing files…"):
            run_job(
                studio, settings, lambda emit: add_missing_files(project, ready(settings), emit)
            )
        st.session_state.files_rev += 1
        st.rerun()
    return checked


def run_consent(settings: Settings) -> Settings:
    """Where this machine can't isolate generated code, it runs only if the person says so."""
    why = consent_needed(settings)
    if not why:
        return settings
    with st.sidebar:
        st.warning(f"Generated code can't be isolated on this machine ({why}). "
                   + WITHOUT_ISOLATION)  # fmt: skip
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


def examples_status(project: Project, settings: Settings) -> None:
    """What running the project showed: one line per example, failures first in red."""
    if not settings.run_examples and not project.results:
        st.caption("The generated code is not run here (set SMOL_RUN_EXAMPLES=on to run it).")
    said = run_summary(project)
    if not said:
        return
    state = project.examples_state()
    show = st.error if state == "failing" else st.warning if state == "unchecked" else st.caption
    show(said)
    if offers_new_example(project):
        st.button(
            "Add an example",
            key="btn_add_example",
            on_click=add_example_row,
            args=(project,),
            help="A row in the Examples tab: a command and what it must "
            "print, so the next run checks what the program does.",
        )
    with st.expander(f"Examples ({len(project.examples)})"):
        for i, example in enumerate(project.examples):
            st.text(example_line(example, project.results.get(i)))


def code_section(project: Project, studio: Studio, settings: Settings) -> None:
    """5 · Code: the file picker, the editor, and regenerate / fix from an error."""
    st.subheader("5 · Code")
    status = st.container()  # filled after the editor: its counts include an edit made now
    # One widget picks the file: the tree beside the editor (a second picker drew other marks).
    choice = open_file(project)
    st.markdown(f"**{path_label(choice)}**")
    edits = edited_texts(studio)
    if choice in project.contents:
        code = st_ace(
            value=project.contents[choice],
            language=ace_mode(choice),
            theme="chrome",
            key=studio.editor_key(choice),
            height=420,
            # 15 px, not 14: at 14 px Chromium's line box (16 px) clips DejaVu Sans Mono's "_"
            # (STORAGE_KEY read "STORAGE KEY" on Linux); at 15 px the line is 18 px.
            font_size=EDITOR_FONT_PX,
            auto_update=True,  # kept as typed: no Apply step
            wrap=False,
        )
        try:
            if isinstance(code, str) and studio.edit(choice, code):
                remember_edit(edits, studio, choice)
                if studio.run_id:
                    versions().record(studio.run_id, project, "edited")
                st.toast(f"Saved your edit of {choice}")
        except SmolError as exc:  # too long to keep: said, not saved
            st.error(str(exc))
    else:
        st.info("This file has not been written yet.")
    if studio.run_id and (who := who_changed(file_history(versions(), studio.run_id, choice))):
        st.caption(who)
    # Below the editor: an edit made in it is checked again in this same run.
    with status:
        code_status(project, studio, settings)
    findings_list(project, studio, settings, choice)
    if note := repair_note(project, choice):
        st.caption(note)
    instruction = st.text_input(
        "Change to ask for (optional)",
        key="in_instruction",
        placeholder="e.g. add error handling for a missing file",
        live=LIVE,
        max_chars=studio.limits.instruction_chars,  # Streamlit cuts on the server too
    )
    if st.button("Regenerate this file", key="btn_regen"):
        generate(
            studio,
            settings,
            [choice],
            nochange="instruction" if instruction.strip() else "regenerate",
            instructions={choice: instruction} if instruction.strip() else None,
            current={choice: project.contents[choice]} if choice in project.contents else None,
        )
        st.rerun()

    with st.expander("Something doesn't work when you run it? Paste the error"):
        error_text = st.text_area(
            "The error or what goes wrong", key="in_error", height=150,
            max_chars=studio.limits.instruction_chars * 5,  # a traceback is longer
        )  # fmt: skip
        clicked = st.button("Fix it", key="btn_fix_error")
        if clicked and not error_text.strip():
            st.warning(EMPTY["btn_fix_error"])
        elif clicked:
            live = ready(settings)
            concerned = files_for_error(error_text, project.files)

            def fix(emit):
                def attempt(s: Settings, wider: bool):
                    paths = files_for_error(error_text, project.files, 10) if wider else None
                    return fix_from_error(project, error_text, s, emit, paths=paths)

                return again_if_same(project, live, attempt)

            show = fix_progress(project, concerned)
            tried_or_say(
                studio, "fix", concerned, lambda: run_job(studio, settings, fix, show, "fixed")
            )
            st.rerun()


def fix_progress(project: Project, paths: list[str]):
    """A fix's progress box: the file being rewritten and, once it streams, the time left
    (the meter's estimate, as when generating)."""
    status, clock = progress_dock("generate")
    status.caption("Rewriting " + ", ".join(paths) + " with this error…")
    had = {p: project.contents[p] for p in paths if p in project.contents}
    meter = WriteMeter(list(paths), current=had)
    drawn = [0.0]

    def show(event) -> None:
        reading = meter(event)
        if isinstance(event, FileStarted):
            status.caption(f"Rewriting {event.path} with this error…")
        elif reading is not None and time.monotonic() - drawn[0] >= REDRAW_SECONDS:
            status.caption(f"Rewriting {reading.words()}")
            drawn[0] = time.monotonic()

    return show


def download_section(studio: Studio, settings: Settings) -> None:
    st.subheader("6 · Download")
    zip_problem = studio.zip_problem()
    if zip_problem:
        st.error(zip_problem)
    else:
        st.download_button(
            "Download .zip",
            data=studio.bundler(settings),  # built on click, not on every rerun
            file_name=studio.zip_name(),
            mime="application/zip",
            key="dl_zip",
            on_click="ignore",
            type="primary",
        )
    st.caption(
        "The zip holds the files as they are now, your edits included, and smol-manifest.json."
    )


# ------------------------------------------------------ iterate: import, change, versions
def import_upload(studio: Studio, settings: Settings) -> None:
    """Callback: the uploaded zip becomes a new run, its files the first version."""
    state = st.session_state
    upload = state.get("in_import")
    if upload is None:
        return
    try:
        imported = import_zip(upload.getvalue())
        if not imported.texts and not imported.binary:
            raise ImportRefused("The archive holds no files to import.")
        start_imported(studio, versions(), imported, settings, upload.name)
    except (ImportRefused, LimitError) as exc:
        state.import_note = (studio.run_id, "error", str(exc))
        return
    st.query_params["run"] = studio.run_id or ""
    state.in_spec = ""
    state.files_rev += 1
    state.plan_rev += 1
    left_out = "; ".join(f"{r.path}: {r.reason}" for r in imported.skipped[:6])
    state.import_note = (studio.run_id, "ok", f"Imported {len(imported.texts)} text and "
                         f"{len(imported.binary)} other file(s)."
                         + (f" Left out: {left_out}." if left_out else ""))  # fmt: skip


def import_section(studio: Studio, settings: Settings) -> None:
    """Start from code you have: upload a zip of a project."""
    with st.expander("…or start from code you have: upload a .zip of a project"):
        st.file_uploader("Project (.zip)", type=["zip"], key="in_import")
        st.button("Import", key="btn_import", on_click=import_upload, args=(studio, settings),
                  disabled=st.session_state.get("in_import") is None)  # fmt: skip
        st.caption("Links, special files and names outside the project are refused; .git, "
                   "node_modules, virtual environments and caches are left out; binary files "
                   "are kept as they are and never sent to the model.")  # fmt: skip
    # Kept (not popped): a rerun that follows at once must not hide it; a new import replaces it.
    run, kind, text = st.session_state.get("import_note", (None, None, ""))
    if kind == "error" and run == studio.run_id:
        st.error(text)
    elif kind and run == studio.run_id:
        st.success(text)


def change_section(project: Project, studio: Studio, settings: Settings) -> None:
    """Ask for a change to the whole project; what it did is shown as a diff."""
    state = st.session_state
    st.subheader("Ask for a change")
    if not project.plan and st.button("Write the plan from the code", key="btn_plan_code",
                                      help="A plan later changes follow: useful after an import"):  # fmt: skip
        live = ready(settings)
        if run_job(studio, settings, lambda emit: plan_from_code(project, live, emit)):
            state.plan_rev += 1
            st.rerun()
    request = st.text_area("The change, in words", key="in_change", height=90,
                           max_chars=studio.limits.instruction_chars,
                           placeholder="e.g. add a dark mode; store the todos in SQLite")  # fmt: skip
    clicked = st.button("Change the project", key="btn_change")
    if clicked and not request.strip():
        st.warning(EMPTY["btn_change"])
    elif clicked:
        live = ready(settings)
        before = dict(project.contents)
        kept = versions().list(studio.run_id) if studio.run_id else []
        log, lines = st.empty(), list[str]()
        outcome: list[ChangeDone] = []

        def show(event) -> None:
            if isinstance(event, ChangePlanned):
                lines.extend(f"- {a} `{p}`" + (f": {w}" if w else "") for p, a, w in event.changes)
            elif isinstance(event, FileEdited):
                lines.append(f"- `{event.path}` written ({event.method})")
            elif isinstance(event, ChangeDone):
                outcome.append(event)
            log.markdown("\n".join(lines))

        try:
            job = change_job(studio, request, live)
        except SmolError as exc:
            st.error(str(exc))
            return
        if run_job(studio, settings, job, show, cause="changed") and outcome:
            done = outcome[0]
            if done.applied:
                what = "Changed: " + (", ".join(
                    [*done.changed, *(f"{p} (new)" for p in done.added),
                     *(f"{p} (deleted)" for p in done.deleted)]) or "nothing")  # fmt: skip
                # Kept even when not clean (the best version it reached), with the reason.
                state.change_note = ("warn", f"{what}. Not clean: {done.reason}") if \
                    done.reason else ("ok", what)  # fmt: skip
                state.change_diff = unified_diff(before, project.contents)
                state.change_undo = kept[0].number if kept else None
            else:
                state.change_note = ("error", done.reason)
                state.change_diff = ""
            state.files_rev += 1
            st.rerun()
    kind, text = state.get("change_note", (None, ""))
    if kind == "error":
        st.error(f"The change was not made: {text}. The project is as it was.")
    elif kind:
        (st.warning if kind == "warn" else st.success)(text)
        with st.expander("What changed (diff)", expanded=True):
            st.code(state.get("change_diff", "")[:200_000] or "(no difference)", language="diff")
        if state.get("change_undo") and studio.run_id:
            st.button("Undo this change", key="btn_change_undo", on_click=restore_version,
                      args=(studio, state.change_undo),
                      help="Restores the version before the change (kept as a new version)")  # fmt: skip


def restore_version(studio: Studio, number: int) -> None:
    """Callback: restore a version (a new version), so every editor shows its text."""
    try:
        made = restore(studio, versions(), number)
    except LimitError as exc:
        st.session_state.version_note = str(exc)
        return
    st.session_state.version_note = f"Restored v{number} (now v{made})." if made else ""
    st.session_state.files_rev += 1


def versions_section(project: Project, studio: Studio, settings: Settings) -> None:
    """Every version of the project: its diff against the one before or now; restore; zip."""
    if studio.run_id is None:
        return
    listed = versions().list(studio.run_id)
    st.subheader("Versions")
    if note := st.session_state.pop("version_note", ""):
        st.success(note)
    if not listed:
        st.caption("No versions yet: one is kept each time the project changes.")
        return
    labels = {v.number: v.label for v in listed}
    n_files = {v.number: v.n_files for v in listed}
    st.caption(versions_line(listed))
    # Keyed by the newest version: a new one (an edit, a fix) is the one shown, not the old.
    number = st.selectbox("Version", [v.number for v in listed], key=f"sel_version_{listed[0].number}",
                          format_func=lambda n: labels.get(n, f"v{n}"))  # fmt: skip
    if number is None:
        return
    against = st.radio("Compare with", ["previous", "now"], horizontal=True, key="in_against",
                       format_func={"previous": "the version before", "now": "the project now"}.get)  # fmt: skip
    diff = diff_text(versions(), studio.run_id, number, against, project)
    if diff is None:
        st.caption(f"v{number} is the first version ({n_files[number]} files): compare it "
                   "with the project as it is now to see what changed since.")  # fmt: skip
    elif diff:
        st.code(diff[:200_000], language="diff")
    else:
        st.caption("No difference.")
    left, right = st.columns(2)
    left.button("Restore this version", key="btn_restore", on_click=restore_version,
                args=(studio, number))  # fmt: skip
    run_id = studio.run_id

    def zipped() -> bytes:  # read and zipped on click, not on every rerun
        version = versions().get(run_id, number)
        return version_zip(version, manifest=project.manifest(settings)) if version else b""

    right.download_button(
        f"Download v{number} (.zip)", key="dl_version", on_click="ignore", mime="application/zip",
        data=zipped, file_name=studio.zip_name().replace(".zip", f"-v{number}.zip"),
    )  # fmt: skip


# ------------------------------------------------------- the workspace: tree, preview, run, examples
# The preview's frame lives in this component (st.components.v2: inline, bidirectional): an
# <iframe sandbox="allow-scripts allow-forms" srcdoc=…> (preview.frame_document: the page in a
# sandboxed frame inside a frame of ours) with no same-origin, so the generated page gets an
# opaque origin (no studio, no cookies, no storage) and no network; what it reports (JavaScript
# errors, console.error, refused requests) comes back as the component's "reports" state, at
# most every 400 ms, for the page it was about (its digest).
PREVIEW_JS = """
export default function (component) {
  const { data, setStateValue, parentElement } = component;
  let frame = parentElement.querySelector("iframe");
  if (!frame) {
    frame = document.createElement("iframe");
    frame.setAttribute("sandbox", data.sandbox);
    frame.setAttribute("title", data.title);
    frame.style.cssText = "width:100%;border:1px solid rgba(49,51,63,0.2);border-radius:8px;" +
                          "background:#fff";
    parentElement.appendChild(frame);
    frame.smolReports = [];
  }
  frame.style.height = (data.height || 480) + "px";
  if (frame.dataset.digest !== data.digest) {
    frame.dataset.digest = data.digest;
    frame.smolReports = [];
    frame.srcdoc = data.html;
  }
  let timer = null;
  const send = () => {
    timer = null;
    setStateValue("reports", { digest: frame.dataset.digest, items: frame.smolReports.slice(-20) });
  };
  const listen = (event) => {
    const m = event.data;
    if (event.source !== frame.contentWindow || !m || m.tag !== data.tag) return;
    const same = frame.smolReports.find((r) => r.message === m.message && r.where === m.where);
    if (same) { same.count += 1; return; }
    frame.smolReports.push({ kind: String(m.kind), message: String(m.message),
                             where: String(m.where || ""), count: 1 });
    if (!timer) timer = setTimeout(send, 400);
  };
  window.addEventListener("message", listen);
  return () => { window.removeEventListener("message", listen); if (timer) clearTimeout(timer); };
}
"""


# Narrow windows (800 px): the columns wrap instead of shrinking to slivers; below 1100 px
# each takes the whole width (the editor shows whole lines, the tree sits above it).
# A running job's progress and Stop stay in the window's bottom-left corner while the page
# scrolls: over the sidebar and the tree's foot, not over the preview and run panes.
PAGE_CSS = """<style>
.st-key-workspace [data-testid="stColumn"] { min-width: min(100%, 22rem); }
.st-key-workspace [data-testid="stColumn"]:has(.st-key-tree_file) { min-width: 9rem; }
@media (max-width: 1100px) {
  .st-key-workspace [data-testid="stColumn"],
  .st-key-workspace [data-testid="stColumn"]:has(.st-key-tree_file) { min-width: 100%; } }
.st-key-progress_dock { position: fixed; left: 1rem; bottom: 1rem; z-index: 1000100;
  width: min(22rem, calc(100vw - 2rem)); padding: 0.75rem 1rem; background: #fff;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  box-shadow: 0 4px 18px rgba(0, 0, 0, 0.15); }
</style>"""


REPORT_LABELS = {
    "error": "A JavaScript error in the preview:",
    "console": "The page logged an error (console.error):",
    "blocked": "The preview refused a request:",
    "link": "A link the preview does not follow:",
    "form": "A form the preview does not send:",
}


@st.cache_resource
def preview_frame():
    """The component, registered once per server (not on every rerun)."""
    return components_v2.component("smol_preview", js=PREVIEW_JS)


# What Stop ends, and what is said after: the click itself ends the run (Streamlit stops the
# script at its next redraw); the job is cancelled with it, its requests ended and a program
# it runs killed, and what finished is kept.
STOPS = {
    "generate": ("btn_stop", "Ends the requests now; the files already written are kept.",
                 "Stopped: the requests were ended. The files already written are kept; "
                 "press “Generate missing” to go on."),
    "examples": ("btn_stop_examples", "Ends the run now; the results already in are kept.",
                 "Stopped: the example running (or the repair asked for) was ended and nothing "
                 "else was started. The results that came in are kept."),
    "run": ("btn_stop_run", "Ends the program now; what it printed is kept.",
            "Stopped: the program was ended. What it printed until then is below."),
}  # fmt: skip


def stop_requested(what: str = "generate") -> None:
    """Callback of Stop: the click itself ends the run (its requests with it)."""
    st.session_state.stopped = what


def stopped_notice(what: str = "generate") -> None:
    if st.session_state.get("stopped") == what:
        del st.session_state.stopped
        st.warning(STOPS[what][2])


def progress_dock(what: str):
    """Where a running job shows how far along it is, and its Stop: a box PAGE_CSS keeps in
    the window's corner however far the page is scrolled. Its status line and its clock."""
    dock = st.container(key="progress_dock")
    status, clock = dock.empty(), dock.empty()
    key, help_text, _ = STOPS[what]
    dock.button("Stop", key=key, on_click=stop_requested, args=(what,), help=help_text)
    return status, clock


def edited_texts(studio: Studio) -> dict[str, str]:
    """path → the text the person last saved (a plain dict of the session, fetched before the
    editor is drawn: a click that interrupts the run can't lose the mark)."""
    return st.session_state.setdefault("edited_texts", {}).setdefault(studio.run_id or "", {})


def remember_edit(edited: dict[str, str], studio: Studio, path: str) -> None:
    """The tree marks `path` "edited by you" while it holds the text saved now (no st.* call
    here: it runs right after the edit is saved, even in a run a click is interrupting)."""
    if studio.project is not None and path in studio.project.contents:
        edited[path] = studio.project.contents[path]


def note_change(studio: Studio, before: dict[str, str], cause: str | None) -> None:
    """After a job: which files it rewrote, kept for "What changed" (a job that only added
    files leaves the last one said)."""
    if studio.project is None or studio.run_id is None:
        return
    what = CAUSES.get(cause or "regenerated", "rewritten").capitalize()
    change = what_changed(studio.run_id, what, before, studio.project.contents)
    if change is not None:
        st.session_state.last_change = change


def open_file(project: Project) -> str:
    """The file the editor shows: the page's own note of the last one chosen, which both
    pickers are set to on every run. Not a picker's value: a browser sends back the *label*
    it drew, and once a file's mark changes (an edit: ✓ → ✎) that label is one Streamlit no
    longer knows, so it fell back to the first file on the next rerun."""
    chosen = st.session_state.get("open_file")
    return chosen if chosen in project.paths else project.paths[0]


def pick_file(widget: str, paths: list[str]) -> None:
    """Callback of the file picker and of the tree: open the file chosen (an old label, which
    names no file, is no choice)."""
    value = st.session_state.get(widget)
    if value in paths:
        st.session_state.open_file = value


def file_tree(project: Project, studio: Studio) -> None:
    """Every file in its folder, with its status mark; choosing one opens it in the editor."""
    rows = tree(project, edited_texts(studio))
    st.session_state.tree_file = open_file(project)  # drawn with its label of now
    st.radio("Files", [p for p, _ in rows], key="tree_file", format_func=dict(rows).get,
             on_change=pick_file, args=("tree_file", project.paths))  # fmt: skip
    st.caption(legend())


def workspace_section(project: Project, studio: Studio, settings: Settings) -> None:
    """5 · Code as a workspace: the file tree, the editor, and Preview / Run / Examples."""
    state = st.session_state
    if state.get("tree_last") != open_file(project):
        state.tree_last = open_file(project)
        state.in_instruction = ""  # the regenerate instruction was for the file left
    what_changed_section(project, studio)
    tree_col, code_col, pane_col = st.container(key="workspace").columns([1, 3, 3])
    with code_col:  # first: an edit made in the editor shows in the tree and the preview
        code_section(project, studio, settings)
    with tree_col:
        file_tree(project, studio)
    with pane_col:
        # A key keeps the open tab when elements above it come and go (the progress dock).
        # "Add an example" opens the Examples tab: tabs that keep no state open a tab only
        # when first drawn, so a new key draws them anew with that tab open.
        rev = state.get("tabs_rev", 0)
        preview_tab, run_tab, examples_tab = st.tabs(
            ["Preview", "Run", "Examples"],
            key=f"workspace_tabs_{rev}" if rev else "workspace_tabs",
            default="Examples" if rev else None,
        )
        with preview_tab:
            preview_pane(project, studio, settings)
        with run_tab:
            run_pane(project, studio, settings)
        with examples_tab:
            examples_pane(project, studio, settings)


def preview_pane(project: Project, studio: Studio, settings: Settings) -> None:
    """A page of the project, live, from its current files; its errors listed under it."""
    found = pages(project.contents)
    if not found:
        st.caption("The project has no HTML page to show here.")
        return
    page = st.selectbox("Page", found, key="sel_preview_page") if len(found) > 1 else found[0]
    shown = build_preview(page, project.contents, project.binary)
    if shown.missing:
        st.warning(f"`{page}` loads " + ", ".join(f"`{p}`" for p in shown.missing)
                   + ", which the project does not have.")  # fmt: skip
    data = {
        "html": frame_document(shown.html),
        "digest": shown.digest,
        "height": 480,
        "tag": MESSAGE_TAG,
        "sandbox": FRAME_SANDBOX,
        "title": FRAME_TITLE,
    }
    result = preview_frame()(key="preview_frame", data=data, on_reports_change=lambda: None)
    reports = getattr(result, "reports", None) or {}
    items = reports.get("items", []) if reports.get("digest") == shown.digest else []
    if not items:
        st.caption(f"Showing `{page}`: no network, and no way to reach this studio.")
        return
    for i, report in enumerate(items):
        kind = str(report.get("kind"))
        count = report.get("count", 1)
        times = f" (×{count})" if isinstance(count, int) and count > 1 else ""
        # Our words in the box; the page's own words only as code, never as Markdown (a link
        # or an image of its making must not show up in the studio).
        (st.warning if kind in ("blocked", "link", "form") else st.error)(
            REPORT_LABELS.get(kind, "The page reported") + times
        )
        where = f" ({report.get('where')})" if report.get("where") else ""
        st.code(f"{report.get('message', '')}{where}", language=None, wrap_lines=True)
        if kind in ("error", "console") and st.button(
            "Fix this error", key=f"btn_fix_preview_{i}"):  # fmt: skip
            fix_preview_error(project, studio, settings, page, report)


def fix_preview_error(project: Project, studio: Studio, settings: Settings, page: str,
                      report: dict) -> None:  # fmt: skip
    """Fix-from-error with what the preview reported and the page's own files."""
    paths = error_files(page, str(report.get("where") or ""), project.contents)
    request = error_request(page, report)
    live = ready(settings)

    def fix(emit):
        def attempt(s: Settings, wider: bool):
            chosen = [*paths, *files_for_error(request, project.files, 10)] if wider else paths
            return fix_from_error(project, request, s, emit, paths=list(dict.fromkeys(chosen)))

        return again_if_same(project, live, attempt)

    show = fix_progress(project, paths)
    tried_or_say(studio, "preview", paths, lambda: run_job(studio, settings, fix, show, "fixed"))
    st.rerun()


def run_pane(project: Project, studio: Studio, settings: Settings) -> None:
    """A command run over a copy of the project, isolated; its output as it comes, then its
    status and time."""
    refusal = run_refusal(settings)
    if refusal:
        st.info(refusal)
    elif not default_command(project) and is_page_project(project):
        st.caption(PAGE_RUN_HINT)
    command = st.text_input("Command", value=default_command(project),
                            key=f"in_run_command_{studio.run_id}",
                            placeholder="e.g. python main.py", live=LIVE)  # fmt: skip
    clicked = st.button("Run", key="btn_run_command", disabled=bool(refusal))
    if clicked and not command.strip():
        st.warning(EMPTY["btn_run_command"])
    elif clicked:
        run_live(project, studio, settings, command)
    stopped_notice("run")
    ran_in, live = st.session_state.get("live_run", (None, None))
    # Ended already, or (a run a click interrupted, still being torn down) ended now.
    result = live.stop() if isinstance(live, LiveRun) and ran_in == studio.run_id else None
    if result is None:
        st.caption("Runs on a temporary copy: no network, nothing outside it can change.")
        return
    (st.success if result.ok else st.error)(run_outcome(result))
    st.code(result.stdout or "(no output)", language=None)
    if result.stderr.strip():  # a traceback: under the sentence above, for a developer
        with st.expander("Details: what it printed as errors", expanded=not result.stdout):
            st.code(result.stderr, language=None)


def run_live(project: Project, studio: Studio, settings: Settings, command: str) -> None:
    """The command's output as it comes (its end: the box follows it) and its clock, until it
    ends. Stop, or any click, ends this script at its next redraw (Streamlit starts the next
    run at once and refuses this one any st.* call, session state included): `finally` kills
    the program, and the run kept in the session before it started is what the next run
    shows, with what it printed."""
    status, clock = progress_dock("run")
    status.caption(f"Running `{command}` on a copy of the project…")
    box, shown = st.empty(), None
    live = LiveRun(project, command, settings)
    st.session_state.live_run = (studio.run_id, live)
    try:
        while not live.wait(REDRAW_SECONDS * 2):
            clock.caption(f"Running for {live.seconds:.1f} s")
            if (out := live.output()) != shown:
                box.code(out or " ", language=None)
                shown = out
    finally:
        live.stop()
    st.rerun()  # drawn again without the progress box: the output, its status and time


def examples_pane(project: Project, studio: Studio, settings: Settings) -> None:
    """The examples, each with ✓ / ✗ and what it gave; run them, or fix the failing ones."""
    refusal = run_refusal(settings)
    said = run_summary(project)
    if said:
        st.caption(said)  # in red above the editor already when one fails
    if offers_new_example(project):
        st.button(
            "Add an example", key="btn_add_example_pane", on_click=add_example_row, args=(project,)
        )
    if project.examples:
        st.dataframe(pd.DataFrame(example_rows(project)), hide_index=True, width="stretch")
        if details := example_details(project):
            with st.expander("Details: what the examples that did not pass ran and printed"):
                for name, text in details:
                    st.caption(name)
                    st.code(text, language=None, wrap_lines=True)
    else:
        st.caption("No examples yet: “Run examples” makes checks from the spec's examples, and "
                   "checks that each program and page starts well.")  # fmt: skip
    edit_examples(project, studio, settings)
    if refusal:
        st.info(refusal)
    row = st.container(horizontal=True)
    run = row.button("Run examples", key="btn_run_examples", disabled=bool(refusal))
    fix = row.button("Fix failing", key="btn_fix_failing",
                     disabled=bool(refusal) or not project.failing_examples())  # fmt: skip
    stopped_notice("examples")
    if not (run or fix):
        return
    line, clock = progress_dock("examples")
    line.caption("Running the examples…" if run else "Running the examples to see what fails…")

    def show(event) -> None:
        if isinstance(event, Idle):  # an example that runs long: the clock moves on
            clock.caption(f"{event.seconds:.0f} s since it started")
        elif isinstance(event, ExampleStarted):
            line.caption(f"Running example {event.index + 1} of {len(project.examples)}: "
                         f"{event.name}…")  # fmt: skip
        elif isinstance(event, Healing):
            line.caption(f"Repairing {', '.join(event.paths)}: "
                         + (event.reasons[0] if event.reasons else ""))  # fmt: skip
        elif isinstance(event, FileStarted):
            line.caption(f"Rewriting {event.path}…")

    live = ready(settings) if fix else settings

    def work(emit):
        if not fix:
            return run_examples_now(project, live, emit)
        return again_if_same(project, live, lambda s, _second: fix_failing(project, s, emit))

    failing = sorted({p for r in project.failing_examples() for p in r.files[:3]})
    tried_or_say(
        studio,
        "failing" if fix else "",
        failing,
        lambda: run_job(
            studio, settings, work, show, cause="repaired" if fix else None, idle=IDLE_SECONDS
        ),
    )
    st.rerun()


def edit_examples(project: Project, studio: Studio, settings: Settings) -> None:
    """The examples as an editable table: add, change, remove; saved with one click."""
    state = st.session_state
    rev = state.setdefault("examples_rev", 0)
    draft = state.get("example_draft")
    # Drawn anew (a new key) when "Add an example" asks for it open, with its blank row.
    opened = state.get("examples_opened", 0)
    with st.expander("Edit the examples", expanded=draft is not None, key=f"exp_examples_{opened}"):
        rows = example_table(project) + ([draft] if draft else [])
        base = pd.DataFrame(rows, columns=["name", "command", "expected output"])
        if draft:
            st.caption(
                "Your new example is the last row: write what it must print under "
                "“Expected output” (empty checks nothing), then save."
            )
        edited = st.data_editor(
            base, key=f"ed_examples_{rev}", num_rows="dynamic", hide_index=True, width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name"),
                "command": st.column_config.TextColumn("Command", help="e.g. python todo.py list"),
                "expected output": st.column_config.TextColumn(
                    "Expected output", help="What it prints, exactly. Empty: it only has to end well."),
            },
        )  # fmt: skip
        if not st.button("Save the examples", key="btn_save_examples"):
            return
        examples, problems = examples_from_table(edited.fillna("").to_dict("records"), project)
        for problem in problems:
            st.error(problem)
        if problems:
            return
        try:
            studio.emitter(settings)(ExamplesReady(tuple(examples), ""))
        except SmolError as exc:
            st.error(str(exc))
            return
        state.examples_rev = rev + 1  # a fresh table: the saved rows are its rows now
        state.pop("example_draft", None)
        st.rerun()


def add_example_row(project: Project) -> None:
    """Callback of "Add an example": a blank row (the project's command filled in) at the end
    of the examples table, the table open, the Examples tab shown."""
    state = st.session_state
    state.example_draft = {
        "name": "my example",
        "command": default_command(project),
        "expected output": "",
    }
    state.examples_rev = state.get("examples_rev", 0) + 1
    state.examples_opened = state.get("examples_opened", 0) + 1
    state.tabs_rev = state.get("tabs_rev", 0) + 1


def undo_file(studio: Studio, path: str, text: str) -> None:
    """Callback: put one file back as it was before the last job rewrote it (a new version)."""
    project = studio.project
    if project is None or studio.run_id is None or path not in project.paths:
        return
    try:
        studio.edit(path, text)
    except SmolError as exc:
        st.session_state.notice = str(exc)
        return
    studio.editor_rev.pop(path, None)  # the editor shows the text put back
    versions().record(studio.run_id, project, "restored", note=f"{path} put back")
    st.session_state.undo_note = f"Put back the earlier `{path}`."


def what_changed_section(project: Project, studio: Studio) -> None:
    """After a repair, a regeneration or a fix: the files it rewrote, each with its diff
    against what it was, and Undo back to that."""
    if note := st.session_state.pop("undo_note", ""):
        st.success(note)
    said = st.session_state.pop("nochange_note", None)
    if said and said[0] == studio.run_id:
        st.warning(said[1])
    change = st.session_state.get("last_change")
    if change is None or change.run_id != studio.run_id:
        return
    st.info(changed_files_line(change))
    for path in change.before:
        diff = change.diff(path, project.contents)
        with st.expander(f"What changed in {path}", expanded=False):
            st.code(diff[:100_000] or "(it is as it was before)", language="diff")
            st.button(f"Undo: put back the earlier {path}", key=f"btn_undo_{path}",
                      on_click=undo_file, args=(studio, path, change.before[path]),
                      disabled=not diff or path not in project.paths)  # fmt: skip


def quick_fix_as_module(project: Project, studio: Studio, script: str) -> None:
    """The pages loading `script` as a plain script load it as a module (a new version, said
    under "What changed" with Undo)."""
    changes = load_as_module(script, project.contents)
    if not changes or studio.run_id is None:
        st.info(f"No page of the project loads `{script}` with a plain `<script src>`.")
        return
    before = dict(project.contents)
    try:
        for page, text in changes.items():
            studio.edit(page, text)
            studio.editor_rev.pop(page, None)  # the editor shows the new text
    except SmolError as exc:
        st.error(str(exc))
        return
    versions().record(studio.run_id, project, "repaired", note=f"{script} loaded as a module")
    note_change(studio, before, "repaired")
    st.rerun()


def findings_list(project: Project, studio: Studio, settings: Settings, path: str) -> None:
    """What the checks found in this file, in plain words, with the action that fixes it."""
    found = project.findings.get(path, [])
    if not found:
        return
    advice = [advise(f) for f in found]
    for item in advice:
        st.warning(item.text)
    with st.expander("Details (for developers)"):
        for finding in found:
            st.caption(str(finding))
    if any(a.quick_fix for a in advice) and st.button(
        AS_MODULE, key="btn_as_module", type="primary",
        help="Made without the model: the page's <script> tag gets type=\"module\"."):  # fmt: skip
        quick_fix_as_module(project, studio, path)
    for i, action in enumerate(dict.fromkeys(a.action for a in advice)):
        if not st.button(action, key=f"btn_advice_{i}"):
            continue
        if any(a.adds_file and a.action == action for a in advice):
            with st.spinner("Writing the missing files…"):
                run_job(studio, settings,
                        lambda emit: add_missing_files(project, ready(settings), emit))  # fmt: skip
            st.session_state.files_rev += 1
        else:
            told = repair_instruction([a.finding for a in advice if a.action == action], settings)
            generate(studio, settings, [path], nochange="regenerate", instructions={path: told},
                     current={path: project.contents[path]})  # fmt: skip
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="smol studio", page_icon="🐣", layout="wide")
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
    if project is None or (not plan_section(project, spec, studio, settings)
                           and not project.contents):  # fmt: skip
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
