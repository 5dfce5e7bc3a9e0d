"""What a change request shows the model of the project, within a budget.

Small context windows first: the files the request names or is about come first, whole; a data
file it names (a CSV, a log…) by its start when large; the others by name and purpose only;
binary files by name. The result is the shared prefix of every request of one change.
"""

from __future__ import annotations

import re

from ..project import Project
from ..prompts import Message, file_table, render
from ..records import FileSpec
from ..settings import Settings
from .fit import CHARS_PER_TOKEN, estimate_tokens, fitted
from .fit import budget as prompt_budget

DATA_SUFFIXES = (
    ".csv",
    ".tsv",
    ".json",
    ".jsonl",
    ".ndjson",
    ".log",
    ".txt",
    ".dat",
    ".xml",
    ".yaml",
    ".yml",
)
DATA_HEAD = 2_000  # a large data file is shown by its start
# Characters of file contents shown with the request: the built-in model has a small window.
BUDGET_LOCAL = 12_000
BUDGET = 80_000


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]{3,}", text)}


def relevance(request: str, path: str, purpose: str = "") -> int:
    """3: the request names the path; 2: its file name or stem; 1: shares a word; 0: no."""
    low = request.lower()
    name = path.rsplit("/", 1)[-1].lower()
    stem = name.rsplit(".", 1)[0]
    if path.lower() in low:
        return 3
    if name in low or (len(stem) >= 3 and re.search(rf"\b{re.escape(stem)}\b", low)):
        return 2
    return 1 if _words(request) & (_words(path.replace("_", " ")) | _words(purpose)) else 0


def fenced(text: str) -> str:
    """Text in a fence longer than any run of backticks inside it (so it can't end early)."""
    ticks = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks}\n{text}{'' if text.endswith(chr(10)) or not text else chr(10)}{ticks}"


def shown_contents(project: Project, request: str, budget: int) -> str:
    """The files' contents for the request, most relevant first, within `budget` characters."""
    purposes = {f.path: f.purpose for f in project.files}
    order = sorted(
        [p for p in project.paths if p in project.contents],
        key=lambda p: -relevance(request, p, purposes.get(p, "")),
    )  # stable: the project's order among equals
    parts: list[str] = []
    left = budget
    for path in order:
        text = project.contents[path]
        score = relevance(request, path, purposes.get(path, ""))
        if path.lower().endswith(DATA_SUFFIXES):
            if score == 0:
                parts.append(f"## `{path}`\n\n(data, {len(text):,} characters: not shown)")
                continue
            if len(text) > DATA_HEAD:
                more = text[DATA_HEAD:].count("\n")
                text = text[:DATA_HEAD].rsplit("\n", 1)[0] + "\n"
                parts.append(f"## `{path}` (its start; {more:,} more lines)\n\n{fenced(text)}")
                left -= len(text)
                continue
        if len(text) <= left:
            parts.append(f"## `{path}`\n\n{fenced(text)}")
            left -= len(text)
        else:
            parts.append(f"## `{path}`\n\n({text.count(chr(10)) + 1:,} lines: not shown here)")
    for path, data in sorted(project.binary.items()):
        parts.append(f"## `{path}`\n\n(binary, {len(data):,} bytes: kept as it is, not shown)")
    return "\n\n".join(parts) or "(no files yet)"


def change_prefix(
    project: Project,
    request: str,
    settings: Settings,
    *,
    budget: int | None = None,
    plan: str | None = None,
) -> list[Message]:
    """The shared start of every request of this change: system, then the project, with
    `budget` characters of file contents (default: what the model's context leaves room for)."""
    d = settings.prompts_dir
    if budget is None:
        budget = BUDGET_LOCAL if settings.provider == "local" else BUDGET
        if limit := prompt_budget(settings):  # half the prompt, at most: the file asked for
            budget = min(budget, int(limit * CHARS_PER_TOKEN / 2))  # and the ask need room
    plan = project.plan if plan is None else plan
    about = render(
        "project",
        d,
        spec=project.spec.strip() or "(no description given: the project was brought as it is)",
        plan=plan.strip() or "(none)",
    )
    listed = [*project.files, *(FileSpec(p, "binary") for p in sorted(project.binary))]
    table = render("file_table", d, file_table=file_table(listed))
    contents = shown_contents(project, request, budget)
    return [
        {"role": "system", "content": render("system", d)},
        {
            "role": "user",
            "content": render(
                "change_context", d, project=about, file_table=table, contents=contents
            ),
        },
    ]


class ChangeContext:
    """The messages of every request of one change: one shared prefix (cached by the
    server), unless a request would not fit the model's context; then that request alone
    shows the files by name only, then a trimmed plan (fit.py), or fails with a clear reason."""

    def __init__(self, project: Project, request: str, settings: Settings) -> None:
        self.project, self.request, self.settings = project, request, settings
        self.prefix = change_prefix(project, request, settings)

    def messages(self, *tail: Message, what: str) -> list[Message]:
        messages = [*self.prefix, *tail]
        limit = prompt_budget(self.settings)
        if limit is None or estimate_tokens(messages) <= limit:
            return messages

        def build(plan: str, _instruction: str | None) -> list[Message]:
            prefix = change_prefix(self.project, self.request, self.settings, budget=0, plan=plan)
            return [*prefix, *tail]

        return fitted(build, self.project.plan, None, self.settings, what)
