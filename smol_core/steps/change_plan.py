"""The plan of a change as data: which files to change, add or delete, read out of a model's
reply (JSON, fenced JSON, or plain lines) and checked before anything is written (a name unsafe,
clashing, binary or the studio's own refused with the reason); the plan of a one-file project
with nothing to decide; a plan widened to the files the change must reach."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..paths import Rejected, UnsafePath, check_paths, normalize_path
from ..project import Project
from .change_scope import Scope
from .fences import strip_code_fences

ACTIONS = {
    "change": "change",
    "edit": "change",
    "modify": "change",
    "update": "change",
    "add": "add",
    "create": "add",
    "new": "add",
    "delete": "delete",
    "remove": "delete",
}


@dataclass(frozen=True)
class Change:
    path: str
    action: str  # change | add | delete
    what: str = ""


@dataclass
class ChangePlan:
    changes: list[Change]
    rejected: list[Rejected] = field(default_factory=list)
    mode: str = ""

    def paths(self, action: str) -> list[str]:
        return [c.path for c in self.changes if c.action == action]


def _entries(data: object) -> list[tuple[str, str, str]] | None:
    """(path, action, what) out of parsed JSON; None when it is not a change plan at all."""
    if isinstance(data, dict):
        for key in ("files", "changes", "edits"):
            if isinstance(data.get(key), list):
                return _entries(data[key])
        split = [
            (k, a)
            for k, a in (("change", "change"), ("add", "add"), ("delete", "delete"))
            if isinstance(data.get(k), list)
        ]
        if split:
            grouped: list[tuple[str, str, str]] = []
            for key, action in split:
                for item in data[key]:
                    got = _entries([item if isinstance(item, dict) else {"path": item}]) or []
                    grouped += [(p, action, w) for p, _, w in got]
            return grouped
        return None
    if not isinstance(data, list):
        return None
    out: list[tuple[str, str, str]] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        path = item.get("path") or item.get("file") or item.get("filename")
        action = str(item.get("action") or item.get("op") or item.get("type") or "change")
        what = item.get("what") or item.get("description") or item.get("instruction") or ""
        if isinstance(path, str) and action.lower() in ACTIONS:
            out.append((path, ACTIONS[action.lower()], str(what)))
    return out


_LINE = re.compile(
    r"^\W*(change|edit|modify|update|add|create|new|delete|remove)\w*\W+"
    r"`?([\w./\-]+\.\w+|Makefile|Dockerfile)`?\s*[:\-–—]?\s*(.*)$",
    re.I,
)


def parse_change_plan(
    raw: str | None, *, allow_lines: bool = True
) -> list[tuple[str, str, str]] | None:
    """The change plan in a reply (JSON, fenced JSON, or plain lines like "add `x.py`: …");
    [] for an honest "no change"; None when nothing usable is there."""
    if not raw or not raw.strip():
        return None
    body = strip_code_fences(raw, "change.json").strip()
    decoder = json.JSONDecoder()
    for text in (body, raw):
        for m in re.finditer(r"[\[{]", text):
            try:
                value, _ = decoder.raw_decode(text, m.start())
            except ValueError:
                continue
            found = _entries(value)
            if found is not None:
                return found
    if not allow_lines:
        return None
    lines = []
    for line in raw.splitlines():
        if found_line := _LINE.match(line.strip()):
            g = found_line.group
            lines.append((g(2), ACTIONS[g(1).lower()], g(3).strip()))
    return lines or None


def check_change_plan(
    entries: list[tuple[str, str, str]], project: Project, max_files: int
) -> ChangePlan:
    """Safe, consistent changes: existing files changed or deleted, new ones added; binary
    files never rewritten; a name unsafe or clashing refused with the reason."""
    known = {p.casefold(): p for p in [*project.paths, *project.binary]}
    changes: list[Change] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for raw, action, what in entries:
        try:
            path = normalize_path(raw)
        except UnsafePath as exc:
            rejected.append(Rejected(raw, exc.reason))
            continue
        path = known.get(path.casefold(), path)  # "App.py" for "app.py": the file we have
        if path in seen:
            continue
        seen.add(path)
        exists = path.casefold() in known
        if path.split("/")[0] == ".smol" or path == "smol-manifest.json":
            rejected.append(Rejected(path, "is the studio's own record, not part of the project"))
        elif action == "delete" and not exists:
            rejected.append(Rejected(path, "is not in the project, so it can't be deleted"))
        elif action != "delete" and path in project.binary:
            rejected.append(Rejected(path, "is a binary file: it is kept as it is"))
        else:
            changes.append(
                Change(
                    path,
                    action if action == "delete" else "change" if exists else "add",
                    what.strip(),
                )
            )
    added = [c.path for c in changes if c.action == "add"]
    clash = check_paths([*known.values(), *added])
    bad = {r.path: r.reason for r in clash.rejected if r.path in added}
    rejected += [Rejected(p, r) for p, r in bad.items()]
    changes = [c for c in changes if c.path not in bad]
    if len(changes) > max_files:
        rejected += [Rejected(c.path, f"more than {max_files} files") for c in changes[max_files:]]
        changes = changes[:max_files]
    return ChangePlan(changes, rejected)


_NAMED_FILE = re.compile(
    r"[\w/-]+\.(?:py|js|mjs|ts|jsx|tsx|html|css|md|json|txt|csv|toml|ya?ml|"
    r"cfg|ini|sh|sql)\b",
    re.IGNORECASE,
)
# Words of a request that may want another file than the one there is: ask which files then.
_MORE_FILES = re.compile(
    r"\b(?:new|another|separate|split|rename|move|delete|tests?|readme|"
    r"modules?|pages?|stylesheet|folder|directory|package|dockerfile|"
    r"makefile|gitignore|files)\b|\.gitignore",
    re.IGNORECASE,
)


def obvious_change(project: Project, request: str) -> ChangePlan | None:
    """The change of a one-file project whose request names no other file and no new file:
    that file, with the request itself as what to do. Nothing to decide, so no request for it
    (on the built-in model the decision costs a prefill and ~50 tokens, and its "what" can
    misread the request)."""
    texts = [p for p in project.paths if p in project.contents]
    if len(texts) != 1 or project.binary or project.missing() or _MORE_FILES.search(request):
        return None
    named = {m.group(0).lower().lstrip("./") for m in _NAMED_FILE.finditer(request)}
    if named - {texts[0].lower(), texts[0].rsplit("/", 1)[-1].lower()}:
        return None
    return ChangePlan([Change(texts[0], "change", request)], mode="one file")


def widen(plan: ChangePlan, scope: Scope, project: Project, max_files: int) -> set[str]:
    """Add to `plan` the files `scope` says the change must reach and the model left out; the
    paths that need only a rename (written without the model) are returned."""
    planned = {c.path for c in plan.changes}
    extra = [(p, "change", why) for p, why in scope.users.items() if p not in planned]
    extra += [
        (p, "add", "the new file the request names") for p in scope.new_files if p not in planned
    ]
    room = max(0, max_files - len(plan.changes))
    added = check_change_plan(extra, project, max_files).changes[:room]
    plan.changes += added
    return {c.path for c in added if c.action == "change"}
