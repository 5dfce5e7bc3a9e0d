"""How the page fits a narrow window (a laptop with the window at half the screen).

Streamlit's `initial_sidebar_state="auto"` closes the sidebar only at 768 px and below (its
"md" breakpoint, read from Streamlit 1.67's frontend), so at 800 px the sidebar kept ~300 px of
the page. Below NARROW_PX the page closes it once, on the first load, unless the person has
opened or closed it before (Streamlit keeps that choice in the browser's localStorage, under
keys starting "stSidebarCollapsed-"; a close made here is kept there the same way).
"""

from __future__ import annotations

NARROW_PX = 1100  # below this, the sidebar starts closed: the built-in model needs no setting

SIDEBAR_JS = """
export default function (component) {
  const { data } = component;
  if (window.smolSidebarDecided) return;  // decided once, at the page's load: a window
  window.smolSidebarDecided = true;        // narrowed later, or a reopening, is the person's
  const chosen = Object.keys(window.localStorage || {})
    .some((k) => k.startsWith("stSidebarCollapsed-"));
  if (chosen || window.innerWidth >= data.narrow) return;
  const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (close) close.click();
}
"""
