"""smol studio, the page: layout, widgets and session state only. Decisions live in smol_core."""

from __future__ import annotations

import asyncio
import os
import secrets as token
import time

import openai
import pandas as pd
import streamlit as st
from streamlit_ace import st_ace

from smol_core.errors import SmolError, describe
from smol_core.events import (
    ChecksDone,
    FileDelta,
    FileDone,
    FileFailed,
    FileStarted,
    PlanDelta,
    Retry,
)
from smol_core.model.client import require_key, resolve, start_warm_up
from smol_core.runs import (
    add_missing_files,
    events_of,
    fix_from_error,
    generate_checked,
    referenced_missing,
)
from smol_core.settings import Settings
from smol_core.steps.file_list import make_file_list
from smol_core.steps.plan import make_plan
from smol_core.studio.session import (
    Studio,
    check_table,
    page_settings,
    path_label,
    read_upload,
    repair_note,
)
from smol_core.studio.examples import list_examples
from smol_core.studio.history import RunStore
from smol_core.studio.languages import ace_mode, code_language
from smol_core.usage import estimate_cost

PROVIDERS = {
    "local": "Built-in local model (no key)",
    "openai": "OpenAI",
    "compatible": "OpenAI-compatible URL (Ollama, LM Studio, vLLM, OpenRouter…)",
}
FAILURES = (SmolError, openai.OpenAIError, ValueError, OSError)
REDRAW_SECONDS = 0.1  # at most ~10 redraws per second per stream: each one is a message

st.set_page_config(page_title="smol studio", page_icon="🐣", layout="wide")
start_warm_up()  # once per server process, in the background: the first request won't pay it


def secrets_dict() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file is fine: everything has a default
        return {}


@st.cache_resource
def history() -> RunStore:
    return RunStore()


SECRETS = secrets_dict()
CONFIG = {**os.environ, **{k: str(v) for k, v in SECRETS.items()}}
SHARED_HISTORY = CONFIG.get("SMOL_SHARED_HISTORY", "").lower() in ("1", "true", "yes")

# A per-browser id in the URL: a refresh keeps it, so the person keeps their history.
if "u" not in st.query_params:
    st.query_params["u"] = token.token_urlsafe(12)
OWNER = st.query_params["u"]
SCOPE = None if SHARED_HISTORY else OWNER

state = st.session_state
state.setdefault("studio", Studio(history(), OWNER))
state.setdefault("files_rev", 0)
state.setdefault("plan_rev", 0)
studio: Studio = state.studio

wanted_run = st.query_params.get("run")
if wanted_run and studio.run_id != wanted_run:
    if studio.open(wanted_run, SCOPE):  # a refresh, or a shared link: show that run's spec too
        state.in_spec = studio.project.spec
        state.files_rev += 1
        state.plan_rev += 1
    else:
        del st.query_params["run"]
        st.warning("That run is not in your history.")


# ---------------------------------------------------------------- callbacks (run before the page)
def use_example() -> None:
    name = state.get("in_example")
    if name and name in EXAMPLES:
        state.in_spec = EXAMPLES[name]


def use_upload() -> None:
    upload = state.get("in_upload")
    if upload is None:
        return
    try:
        state.in_spec = read_upload(upload.name, upload.getvalue())
    except SmolError as exc:
        state.notice = str(exc)


def open_run(run_id: str) -> None:
    if studio.open(run_id, SCOPE):
        st.query_params["run"] = run_id
        state.in_spec = studio.project.spec
        state.files_rev += 1
        state.plan_rev += 1


def new_project() -> None:
    studio.run_id, studio.project = None, None
    if "run" in st.query_params:
        del st.query_params["run"]
    state.files_rev += 1


def save_plan_edit() -> None:
    studio.set_plan(state.get(f"ed_plan_{state.plan_rev}", ""))
    state.plan_rev += 1


# ------------------------------------------------------------------------------------ sidebar
EXAMPLES = list_examples()
with st.sidebar:
    st.header("Model")
    default, _ = page_settings(SECRETS, os.environ)
    provider = st.radio(
        "Provider",
        list(PROVIDERS),
        format_func=PROVIDERS.get,
        key="in_provider",
        index=list(PROVIDERS).index(default.provider),
    )
    defaults, _ = page_settings(SECRETS, os.environ, provider=provider)
    base_url = None
    if provider == "compatible":
        base_url = st.text_input(
            "Base URL",
            value=defaults.base_url or "http://127.0.0.1:11434/v1",
            key="in_base_url",
            help="On Streamlit Community Cloud, 127.0.0.1 is the cloud machine, not your laptop.",
        )
    model = st.text_input("Model", value=defaults.model, key=f"in_model_{provider}")
    visitor_key = access_code = None
    if provider != "local":
        visitor_key = st.text_input(
            "API key",
            type="password",
            key="in_key",
            help="Kept only in this browser session: never saved, logged or put in the zip.",
        )
        _, probe = page_settings(SECRETS, os.environ, provider=provider)
        if probe.source == "none" and "access code" in probe.message:
            access_code = st.text_input("Access code", type="password", key="in_code")
    else:
        st.caption(
            "Runs on this machine with no key and no network. The first start assembles and "
            "loads the model (a minute or so); small projects work best."
        )
    temperature = st.slider("Temperature", 0.0, 1.5, defaults.temperature, 0.1, key="in_temp")
    concurrency = st.number_input(
        "Files at once",
        1,
        32,
        defaults.concurrency,
        key=f"in_conc_{provider}",
        help="The built-in model is fastest one file at a time (it reuses the shared prompt).",
    )
    settings, key_choice = page_settings(
        SECRETS,
        os.environ,
        provider=provider,
        model=model,
        base_url=base_url,
        visitor_key=visitor_key,
        access_code=access_code,
        temperature=temperature,
        concurrency=int(concurrency),
    )
    if provider != "local" and key_choice.message:
        st.info(key_choice.message)
    elif key_choice.source == "owner":
        st.caption("Using the key configured by the owner of this studio.")

    project = studio.project
    if project is not None:
        st.header("Usage")
        u = project.usage
        cost = estimate_cost(u, settings.model)
        c1, c2 = st.columns(2)
        c1.metric("Prompt tokens", f"{u.prompt_tokens:,}", help=f"{u.cached_tokens:,} from cache")
        c2.metric("Output tokens", f"{u.completion_tokens:,}")
        st.caption(
            f"{u.requests} request{'' if u.requests == 1 else 's'} · "
            f"{u.cached_tokens:,} cached tokens · "
            + (f"≈ ${cost:.4f}" if cost is not None else "cost unknown for this model")
        )

    st.header("History")
    st.button("New project", key="btn_new", on_click=new_project)
    for run in history().list_runs(SCOPE, limit=15):
        label = f"{run.title} · {run.n_done}/{run.n_files} files"
        st.button(
            label,
            key=f"open_{run.id}",
            on_click=open_run,
            args=(run.id,),
            type="primary" if run.id == studio.run_id else "secondary",
        )


# ------------------------------------------------------------------------------------- helpers
def ready(settings: Settings) -> Settings:
    """Settings with a live endpoint; starting the built-in model shows its progress."""
    if settings.provider != "local":
        return settings
    with st.status("Starting the built-in model…", expanded=True) as box:
        resolved = resolve(settings, progress=box.write)
        box.update(label="Built-in model ready", state="complete", expanded=False)
    return resolved


def run_job(job, on_event=None) -> bool:
    """Drive a pipeline step on this script thread; the history records every event."""

    async def drive() -> None:
        async for event in events_of(job, record=studio.emitter(settings)):
            if on_event:
                on_event(event)

    try:
        asyncio.run(drive())
        return True
    except FAILURES as exc:
        st.error(describe(exc, settings))
        return False


def generate(live: Settings, paths: list[str], **job) -> None:
    """Write some files, several at once, each streaming into its own box; then check them and
    repair what the checks find (repairs stream into the same boxes)."""
    project = studio.project
    bar = st.progress(0.0, text=f"Generating {len(paths)} file(s)…")
    grid = st.columns(2)
    slots, texts, drawn = {}, {p: "" for p in paths}, {}
    for i, path in enumerate(paths):
        with grid[i % 2].container(border=True):
            st.markdown(f"**`{path}`**")
            slots[path] = st.empty()
    finished = set()

    def show(event) -> None:
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
        elif isinstance(event, FileDelta):
            texts[path] += event.text
            if time.monotonic() - drawn.get(path, 0) >= REDRAW_SECONDS:
                slots[path].code(texts[path], language=code_language(path), height=220)
                drawn[path] = time.monotonic()
        elif isinstance(event, Retry):
            texts[path] = ""  # the attempt starts over
            slots[path].caption(f"Retrying ({event.reason}), attempt {event.attempt}…")
        elif isinstance(event, (FileDone, FileFailed)):
            finished.add(path)
            if isinstance(event, FileDone):
                slots[path].code(event.content, language=code_language(path), height=220)
            else:
                slots[path].error(event.error)
            bar.progress(len(finished) / len(paths), text=f"{len(finished)}/{len(paths)} files")

    run_job(lambda emit: generate_checked(project, live, emit, paths=paths, **job), show)


# ---------------------------------------------------------------------------------------- page
st.title("smol studio")
st.caption(
    "Describe a program and get a whole codebase. You check the plan and the file list before "
    "any code is written, then edit or regenerate any file."
)
if state.get("notice"):
    st.error(state.pop("notice"))

# 1. Spec
st.subheader("1 · Spec")
left, right = st.columns([3, 1])
with right:
    st.selectbox(
        "Start from an example",
        [None, *EXAMPLES],
        key="in_example",
        on_change=use_example,
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
plan_clicked = st.button("Plan", type="primary", key="btn_plan", disabled=not spec.strip())

if plan_clicked:
    try:
        require_key(settings)  # before a run is created: a refused click leaves no empty run
        live = ready(settings)
        studio.start(spec, live)
        st.query_params["run"] = studio.run_id
        state.plan_rev += 1
        box = st.empty()
        streamed = []

        def show_plan(event) -> None:
            if isinstance(event, PlanDelta):
                streamed.append(event.text)
                box.markdown("".join(streamed) + " ▌")

        if run_job(lambda emit: make_plan(spec, live, emit), show_plan):
            st.rerun()  # from the top, so the sidebar's usage and history include this step
    except FAILURES as exc:
        st.error(describe(exc, settings))

project = studio.project
if project is None:
    st.stop()

# 2. Plan
st.subheader("2 · Plan")
if project.spec != spec.strip() and spec.strip():
    st.caption("The spec changed since this plan: press Plan again to use the new one.")
if project.plan:
    with st.container(border=True):
        st.markdown(project.plan)
    with st.expander("Edit the plan"):
        st.text_area(
            "Plan (Markdown)", value=project.plan, key=f"ed_plan_{state.plan_rev}", height=300
        )
        st.button("Save plan", key="btn_save_plan", on_click=save_plan_edit)
    if st.button("List files", type="primary", key="btn_files"):
        live = ready(settings)
        if run_job(lambda emit: make_file_list(project.spec, project.plan, live, emit)):
            state.files_rev += 1
            st.rerun()  # from the top, so the sidebar's usage and history include this step
    for r in project.rejected:
        st.warning(f"Left out {path_label(r.path)}: {r.reason}")
else:
    st.info("No plan yet: press Plan.")
    st.stop()

# 3. Files
if not project.files:
    st.stop()
st.subheader("3 · Files")
base = pd.DataFrame(
    [{"path": f.path, "purpose": f.purpose} for f in project.files] or [{"path": "", "purpose": ""}]
)
edited = st.data_editor(
    base,
    key=f"ed_files_{state.files_rev}",
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_config={
        "path": st.column_config.TextColumn("Path", required=True, width="medium"),
        "purpose": st.column_config.TextColumn("Purpose", width="large"),
    },
)
table = check_table(edited.to_dict("records"))
for r in table.rejected:
    st.error(f"{path_label(r.path)} can't be used: {r.reason}")
if not table.rejected and table.files != project.files:
    studio.set_files(table.files)  # saved to the history at once

missing = project.missing()
c1, c2, _ = st.columns([1, 1, 2])
gen_all = c1.button(
    f"Generate all ({len(project.files)})",
    type="primary",
    key="btn_generate",
    disabled=bool(table.rejected) or not project.files,
)
gen_missing = c2.button(
    f"Generate missing ({len(missing)})",
    key="btn_missing",
    disabled=bool(table.rejected) or not missing or len(missing) == len(project.files),
)
if gen_all or gen_missing:
    generate(ready(settings), project.paths if gen_all else missing)
    st.rerun()

# 4. Code
if not project.contents and not project.failed:
    st.stop()
st.subheader("4 · Code")
done = len([p for p in project.paths if p in project.contents])
st.progress(done / max(1, len(project.files)), text=f"{done}/{len(project.files)} files written")
for path, error in project.failed.items():
    st.error(f"`{path}` failed: {error}")
for path in sorted(project.truncated):
    st.warning(f"`{path}` was cut off by the output limit even after continuing; check its end.")
for path in sorted(project.looped):
    st.warning(f"`{path}`: the model started repeating itself, so its reply was stopped there; "
               "check its end or regenerate it.")  # fmt: skip

checked = {p: project.check_status(p) for p in project.paths}
repaired = [p for p, v in checked.items() if v == "repaired"]
failing = [p for p, v in checked.items() if v == "failing"]
if any(v != "unchecked" for v in checked.values()):
    st.caption(
        f"Checks: {sum(v in ('ok', 'repaired') for v in checked.values())} clean"
        f" · {len(repaired)} repaired · {len(failing)} still with findings"
    )
for note in project.check_notes:
    st.caption(note)
missing_refs = referenced_missing(project)
if missing_refs and st.button(
    f"Add {len(missing_refs)} missing file(s): " + ", ".join(f.path for f in missing_refs),
    key="btn_add_missing",
):
    with st.spinner("Writing the missing files…"):
        run_job(lambda emit: add_missing_files(project, ready(settings), emit))
    state.files_rev += 1
    st.rerun()

icon = {"ok": "✅", "repaired": "🔧", "failing": "⚠️", "unchecked": "✅"}
choice = st.selectbox(
    "File",
    project.paths,
    key="sel_file",
    format_func=lambda p: (
        f"❌ {p}" if p in project.failed
        else f"{icon[checked[p]]} {p}" if p in project.contents
        else f"⬜ {p}"
    ),
)  # fmt: skip
if choice in project.contents:
    code = st_ace(
        value=project.contents[choice],
        language=ace_mode(choice),
        theme="chrome",
        key=studio.editor_key(choice),
        height=420,
        auto_update=False,
        wrap=False,
    )
    if isinstance(code, str) and studio.edit(choice, code):
        st.toast(f"Saved your edit of {choice}")
else:
    st.info("This file has not been written yet.")
# Below the editor: an edit made in it is checked again in this same run.
for finding in project.findings.get(choice, []):
    st.warning(f"Line {finding.line}: {finding.message}" if finding.line else finding.message)
if note := repair_note(project, choice):
    st.caption(note)
instruction = st.text_input(
    "Change to ask for (optional)",
    key="in_instruction",
    placeholder="e.g. add error handling for a missing file",
)
if st.button("Regenerate this file", key="btn_regen"):
    generate(
        ready(settings),
        [choice],
        instructions={choice: instruction} if instruction.strip() else None,
        current={choice: project.contents[choice]} if choice in project.contents else None,
    )
    st.rerun()

with st.expander("Something doesn't work when you run it? Paste the error"):
    error_text = st.text_area("The error or what goes wrong", key="in_error", height=150)
    if st.button("Fix it", key="btn_fix_error", disabled=not error_text.strip()):
        with st.spinner("Rewriting the files this error concerns…"):
            run_job(lambda emit: fix_from_error(project, error_text, ready(settings), emit))
        st.rerun()

# 5. Download
st.subheader("5 · Download")
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
st.caption("The zip holds the files as they are now, your edits included, and smol-manifest.json.")
