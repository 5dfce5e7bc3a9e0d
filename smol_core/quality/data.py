"""Checks of JSON and TOML files, and of a Chrome extension's manifest."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import PurePosixPath

from ..records import Finding
from .common import _ext, _local, _missing_file, _resolve
from .project_view import _Project


# ------------------------------------------------------------------------------ JSON and TOML
def _check_json(path: str, content: str, project: _Project) -> list[Finding]:
    try:
        data = json.loads(content)
    except ValueError as exc:
        return [
            Finding(
                path,
                getattr(exc, "lineno", None),
                f"is not valid JSON: {getattr(exc, 'msg', exc)}",
                "syntax",
            )
        ]
    is_manifest = PurePosixPath(path).name == "manifest.json" and isinstance(data, dict)
    if is_manifest and "manifest_version" in data:
        return _check_extension_manifest(path, data, project)
    return []


def _check_toml(path: str, content: str) -> list[Finding]:
    try:
        tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        return [Finding(path, None, f"is not valid TOML: {exc}", "syntax")]
    return []


def _check_extension_manifest(path: str, data: dict, project: _Project) -> list[Finding]:
    out: list[Finding] = []
    refs: list[tuple[str, str]] = []  # (what, ref)
    background = data.get("background") or {}
    if isinstance(background, dict):
        if isinstance(background.get("service_worker"), str):
            refs.append(("background service worker", background["service_worker"]))
        refs += [("background script", s) for s in background.get("scripts", []) or []]
    for entry in data.get("content_scripts", []) or []:
        if isinstance(entry, dict):
            refs += [("content script", s) for s in entry.get("js", []) or []]
            refs += [("content style", s) for s in entry.get("css", []) or []]
    for key in ("action", "browser_action", "page_action"):
        action = data.get(key)
        if isinstance(action, dict):
            if isinstance(action.get("default_popup"), str):
                refs.append(("popup page", action["default_popup"]))
            icons = action.get("default_icon")
            if isinstance(icons, dict):
                refs += [("icon", v) for v in icons.values()]
            elif isinstance(icons, str):
                refs.append(("icon", icons))
    if isinstance(data.get("options_page"), str):
        refs.append(("options page", data["options_page"]))
    if isinstance(data.get("options_ui"), dict) and isinstance(data["options_ui"].get("page"), str):
        refs.append(("options page", data["options_ui"]["page"]))
    if isinstance(data.get("icons"), dict):
        refs += [("icon", v) for v in data["icons"].values()]
    for what, ref in refs:
        if isinstance(ref, str) and _local(ref):
            target = _resolve(path, ref)
            if not project.has(target):
                out.append(_missing_file(path, None, f"the manifest names the {what}", target))
    if data.get("manifest_version") not in (2, 3):
        out.append(Finding(path, None, "manifest_version must be 2 or 3", "manifest"))
    granted = data.get("permissions")
    granted = set(granted) if isinstance(granted, list) else set()
    scripts = "\n".join(c for p, c in project.files.items() if _ext(p) in (".js", ".mjs"))
    for api in _PERMISSION_APIS:
        if api not in granted and re.search(rf"\b(chrome|browser)\.{api}\b", scripts):
            out.append(
                Finding(
                    path,
                    None,
                    f"the scripts use `chrome.{api}`, but the manifest's "
                    f'permissions lack `"{api}"`',
                    "permission",
                    api,
                )
            )
    return out


# Extension APIs that exist only with the permission of the same name (chrome.tabs mostly works
# without one).
_PERMISSION_APIS = (
    "storage",
    "alarms",
    "notifications",
    "contextMenus",
    "scripting",
    "downloads",
    "bookmarks",
    "history",
    "cookies",
    "identity",
    "sidePanel",
)
