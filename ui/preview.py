"""The preview pane: a page of the project, live, sandboxed; what it reported."""

from __future__ import annotations

import streamlit as st
from streamlit.components import v2 as components_v2

from smol_core.project import Project
from smol_core.runs import fix_from_error
from smol_core.settings import Settings
from smol_core.studio.actions import preview_fix
from smol_core.studio.nochange import again_if_same
from smol_core.studio.preview import (
    FRAME_SANDBOX,
    FRAME_TITLE,
    MESSAGE_TAG,
    build_preview,
    frame_document,
    pages,
)
from smol_core.studio.session import Studio
from ui.jobs import Dock, fix_progress, ready, run_job, tried_or_say
from ui.reruns import count_run, start_pane_job, take_pane_job

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


@st.fragment
def preview_pane(project: Project, studio: Studio, settings: Settings, dock: Dock | None) -> None:
    """A page of the project, live, from its current files; its errors listed under it.
    A fragment: choosing a page, or what the page reports, reruns this pane alone."""
    count_run("preview")
    if dock and isinstance(job := take_pane_job("preview"), tuple):
        fix_preview_error(project, studio, settings, job[0], job[1], dock)
    found = pages(project.contents)
    if not found:
        st.caption("The project has no HTML page to show here.")
        return
    page = st.selectbox("Page", found, key="sel_preview_page") if len(found) > 1 else found[0]
    shown = build_preview(page, project.contents, project.binary)
    if shown.missing:
        st.warning(
            f"`{page}` loads "
            + ", ".join(f"`{p}`" for p in shown.missing)
            + ", which the project does not have."
        )
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
        if kind in ("error", "console") and st.button("Fix this error", key=f"btn_fix_preview_{i}"):
            start_pane_job("preview", (page, report), studio.run_id)


def fix_preview_error(
    project: Project, studio: Studio, settings: Settings, page: str, report: dict, dock: Dock
) -> None:
    """Fix-from-error with what the preview reported and the page's own files."""
    chosen = preview_fix(project, page, report)
    live = ready(settings)

    def fix(emit):
        def attempt(s: Settings, wider: bool):
            paths = chosen.wider if wider else chosen.paths
            return fix_from_error(project, chosen.request, s, emit, paths=paths)

        return again_if_same(project, live, attempt)

    show = fix_progress(project, chosen.paths, dock)
    job = lambda: run_job(studio, settings, fix, show, "fixed")  # noqa: E731
    tried_or_say(studio, "preview", chosen.paths, job)
    st.rerun()
