"""What the checks found, said for a person: what goes wrong when the project runs, and the one
action that fixes it (the page puts that action beside the sentence)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..quality.checks import KINDS
from ..quality.common import _local, _resolve
from ..records import Finding

REWRITE = "Write this file again"
AS_MODULE = "Load it as a module"  # made without the model: the page's <script> gets type=module

# kind → (what goes wrong, in plain words; the action that fixes it). `{target}` is the name or
# file the finding is about, when it has one.
PLAIN: dict[str, tuple[str, str]] = {
    "syntax": ("This file has a mistake that stops it from running at all.", REWRITE),
    "echo": (
        "This file is a copy of the studio's instructions (your description and the plan), "
        "not the file itself.",
        REWRITE,
    ),
    "undefined-name": (
        "It uses `{target}` without ever defining or importing it, so it stops "
        "with an error when it gets there.",
        REWRITE,
    ),
    "missing-module": (
        "It needs a module that is neither a file of the project nor installed, "
        "so it stops as soon as it starts.",
        REWRITE,
    ),
    "missing-name": (
        "It takes something from another file of the project that isn't there, "
        "so it stops as soon as it starts.",
        REWRITE,
    ),
    "missing-file": ("It needs `{target}`, a file the project does not have yet.", "Add {target}"),
    "route-query": (
        "The server answers `{target}` only when the address has nothing after "
        'it, so `{target}?a=1` gets "not found".',
        REWRITE,
    ),
    "dom-id": (
        "It looks for a part of the page that the page does not have, so that part won't work.",
        REWRITE,
    ),
    "script-unloaded": (
        "The page never loads its script `{target}`, so its buttons do nothing.",
        REWRITE,
    ),
    "script-early": (
        "The page runs its script before the parts of the page the script needs "
        "exist, so the script stops at once.",
        REWRITE,
    ),
    "script-module": (
        "The script is written as a module, but the page loads it as an ordinary "
        "script: the browser refuses to run it, and nothing on the page works.",
        REWRITE,
    ),
    "inline-script": (
        "Chrome refuses code written inside an extension's page: it must move "
        "into the page's script file.",
        REWRITE,
    ),
    "js-global": (
        "The script redefines a name the browser already has, so it stops before doing anything.",
        REWRITE,
    ),
    "const-assigned": (
        "The script changes a value it declared as never changing, so it "
        "stops with an error when it gets there.",
        REWRITE,
    ),
    "stub": ("A function was left empty: what it should do is missing.", REWRITE),
    "unused": ("Something was written that nothing uses: a feature may not be connected.", REWRITE),
    "entry-point": ("Running this file does nothing: its main part is never started.", REWRITE),
    "copied": (
        "It repeats code another file of the project already has, instead of using "
        "it: a fix to one would not reach the other.",
        REWRITE,
    ),
    "storage-call": (
        "The script saves to the extension's storage in a form Chrome refuses, "
        "so saving fails with an error.",
        REWRITE,
    ),
    "storage-unread": (
        "The script saves a value but nothing ever reads it back, so what was "
        "saved is lost when the page opens again.",
        REWRITE,
    ),
    "storage-missing": (
        "The description asks that the page keep what it shows when opened "
        "again, but nothing is saved, so it starts over on every reload.",
        REWRITE,
    ),
    "manifest": ("The extension's manifest is not one Chrome accepts.", REWRITE),
    "permission": (
        "The extension uses a browser feature its manifest does not ask permission for.",
        REWRITE,
    ),
}

assert set(PLAIN) == set(KINDS), "every kind of finding is said in plain words"


@dataclass(frozen=True)
class Advice:
    finding: Finding
    text: str  # what goes wrong, for a person
    action: str  # the button that fixes it

    @property
    def adds_file(self) -> bool:
        return self.finding.kind == "missing-file" and bool(self.finding.target)

    @property
    def quick_fix(self) -> str:
        """A fix made without the model, offered beside the action ("" when there is none)."""
        return AS_MODULE if self.finding.kind == "script-module" else ""


def advise(finding: Finding) -> Advice:
    """The finding said for a person, with its action; an unknown kind keeps its own words."""
    text, action = PLAIN.get(finding.kind, (finding.message, REWRITE))
    target = finding.target or ""
    if "{target}" in text and not target:
        text, action = finding.message, REWRITE
    where = f"Line {finding.line}: " if finding.line else ""
    return Advice(finding, where + text.format(target=target), action.format(target=target))


_TYPE = re.compile(r"""\btype\s*=\s*(["']?)([^"'\s>]*)\1""", re.I)
_SCRIPT_SRC = re.compile(r"<script\b([^>]*?)\bsrc\s*=\s*([\"'])([^\"']+)\2([^>]*)>", re.I)


def load_as_module(script: str, contents: Mapping[str, str]) -> dict[str, str]:
    """The pages that load `script` as a plain `<script src>`, each with that tag now
    `type="module"` (path → new text): what "Load it as a module" writes."""
    changed: dict[str, str] = {}
    for page, text in contents.items():
        if not page.lower().endswith((".html", ".htm")):
            continue

        def fix(m: re.Match[str], page: str = page) -> str:
            tag, src = m.group(0), m.group(3)
            if not _local(src) or _resolve(page, src) != script:
                return tag
            kind = _TYPE.search(m.group(1) + m.group(4))
            if kind is None:
                return tag[:7] + ' type="module"' + tag[7:]
            if kind.group(2).lower() in ("text/javascript", "application/javascript"):
                return tag.replace(kind.group(0), 'type="module"', 1)
            return tag  # a module already, or not JavaScript

        new = _SCRIPT_SRC.sub(fix, text)
        if new != text:
            changed[page] = new
    return changed
