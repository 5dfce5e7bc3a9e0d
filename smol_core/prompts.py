"""Prompt templates as files, and the messages built from them.

Templates live in `prompts/*.md` (or `SMOL_PROMPTS_DIR`, or `Settings.prompts_dir`), loaded by
name, with `{{name}}` placeholders. Changing their wording needs no change of code.

Message layout, chosen for prefix caching: every per-file request is
    system (fixed) → user (spec + plan + the whole file list) → user ("write only <path>")
so everything before the last message is byte-identical across the files of a run. Providers
(OpenAI, vLLM, llama.cpp's slots) then serve that shared prefix from cache. The original smol
developer put the file name first, in the system prompt, which made every request unique.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .records import FileSpec

DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")

Message = dict[str, str]


class PromptError(Exception):
    """A template is missing or asks for a value nobody gave it."""


def prompts_dir(override: str | os.PathLike | None = None) -> Path:
    return Path(override or os.environ.get("SMOL_PROMPTS_DIR") or DEFAULT_PROMPTS_DIR)


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> str:  # mtime in the key: edits show up without a restart
    return path.read_text(encoding="utf-8").rstrip("\n")


def load_prompt(name: str, directory: str | os.PathLike | None = None) -> str:
    """The text of template `name` (without `.md`)."""
    if not re.fullmatch(r"[a-z_]+", name):
        raise PromptError(f"bad template name {name!r}")
    path = prompts_dir(directory) / f"{name}.md"
    try:
        return _read(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise PromptError(f"prompt template {name!r} not found at {path}") from None


def render(name: str, directory: str | os.PathLike | None = None, **values: str) -> str:
    """Fill `{{placeholders}}` in one pass, so a value that contains `{{x}}` stays literal."""
    template = load_prompt(name, directory)
    missing = sorted({m for m in _PLACEHOLDER.findall(template) if m not in values})
    if missing:
        raise PromptError(f"template {name!r} needs {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


# Documents are asked for with what they are for: else a small model answers a README with a
# copy of the instructions above it (Markdown too). Data files (.txt, .csv…) are not documents.
DOCUMENT_EXTENSIONS = (".md", ".markdown", ".rst")


def is_document(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.endswith(DOCUMENT_EXTENSIONS) or name.startswith("readme")


def instruction_headings(directory: str | os.PathLike | None = None) -> frozenset[str]:
    """The section headings of the per-file context ("# The plan", …): a file that holds
    several of them is a copy of the instructions, not the file asked for."""
    lines = []
    for name in ("project", "file_table", "write_rules"):
        lines += [ln.strip() for ln in load_prompt(name, directory).splitlines()]
    return frozenset(ln for ln in lines if ln.startswith("# "))


def file_table(files: Sequence[FileSpec]) -> str:
    """The file list as a Markdown table, in the given order (deterministic: it is in the prefix)."""
    rows = ["| path | purpose |", "| --- | --- |"]
    listed = {f.path for f in files}
    for f in files:
        purpose = without_unlisted(" ".join(f.purpose.split()), listed) or ""
        purpose = purpose.replace("|", "\\|")
        rows.append(f"| `{f.path}` | {purpose} |")
    return "\n".join(rows)


def plan_messages(spec: str, directory: str | None = None, style: str = "full") -> list[Message]:
    name = "plan_brief" if style == "brief" else "plan"
    return [
        {"role": "system", "content": render("system", directory)},
        {"role": "user", "content": render(name, directory, spec=spec)},
    ]


def file_list_messages(spec: str, plan: str, directory: str | None = None) -> list[Message]:
    # Starts with the same bytes as the per-file context, so it warms the same cache entry.
    return [
        {"role": "system", "content": render("system", directory)},
        {"role": "user", "content": render("project", directory, spec=spec, plan=plan)},
        {"role": "user", "content": render("file_list", directory)},
    ]


# Files that hold code: a plan line about one the list does not have describes a file that will
# never exist (data files such as `notes.json`, which the program makes, are left alone).
_CODE_FILE = re.compile(r"`([\w./-]+\.(?:py|js|mjs|cjs|jsx|ts|tsx|html?|css|sh|rb|go|rs|java))`")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\|)\s")
_CLAUSE_END = re.compile(r"(?<=[.;])\s+")


def without_unlisted(text: str, listed: set[str]) -> str | None:
    """`text` without its clauses that name a code file not in `listed`; None when its first
    clause does (the text is about that file)."""
    clauses = _CLAUSE_END.split(text)
    off = [any(p not in listed for p in _CODE_FILE.findall(c)) for c in clauses]
    if not any(off):
        return text
    if off[0]:
        return None
    kept = [c for c, gone in zip(clauses, off, strict=True) if not gone]
    return " ".join(kept).rstrip(";,") + ("." if kept[-1].endswith((".", ";")) else "")


def plan_for_files(plan: str, files: Sequence[FileSpec]) -> str:
    """The plan as the files are written against it: its list items without what they say of
    a code file the list does not have (one the description ruled out, or the person took
    off). The 1.5B model planned `todo.js` "uses `utils.js`" for a spec naming only two files;
    with `utils.js` off the list, `todo.js` was written with `require('./utils')` all the same."""
    listed = {f.path for f in files}
    kept = []
    for line in plan.split("\n"):
        said = without_unlisted(line, listed) if _LIST_ITEM.match(line) else line
        if said is not None:
            kept.append(said)
    return "\n".join(kept)


def shared_context(
    spec: str, plan: str, files: Sequence[FileSpec], directory: str | None = None
) -> list[Message]:
    """The byte-identical prefix of every per-file request of a run. How to write a file is
    said here, once, so that the last message is only the path (a prefix cache then serves
    all but a dozen tokens of every file's prompt)."""
    project = render("project", directory, spec=spec, plan=plan_for_files(plan, files))
    table = render("file_table", directory, file_table=file_table(files))
    rules = render("write_rules", directory)
    return [
        {"role": "system", "content": render("system", directory)},
        {"role": "user", "content": f"{project}\n\n{table}\n\n{rules}"},
    ]


def file_messages(
    spec: str,
    plan: str,
    files: Sequence[FileSpec],
    path: str,
    *,
    instruction: str | None = None,
    current: str | None = None,
    directory: str | None = None,
    functions: bool = False,
    checks: str = "",
) -> list[Message]:
    """Messages for one file: the shared prefix, then the only part that differs per file.
    `functions`: a rewrite asked as the changed functions only (steps/function_edits.py).
    `checks`: the examples the file will be run against, in words (steps/must_pass.py)."""
    ask = render("write_document" if is_document(path) else "write_file", directory, path=path)
    if checks:
        ask += "\n\n" + render("write_checks", directory, checks=checks.strip())
    if instruction and functions and current is not None:
        ask = render(
            "regenerate_functions",
            directory,
            path=path,
            instruction=instruction.strip(),
            current=f"```python\n{current}\n```",
        )
    elif instruction:
        ask += "\n\n" + render(
            "regenerate",
            directory,
            path=path,
            instruction=instruction.strip(),
            current=current if current is not None else "(no current version)",
        )
    return [*shared_context(spec, plan, files, directory), {"role": "user", "content": ask}]


def continuation_messages(
    messages: Sequence[Message], partial: str, directory: str | None = None
) -> list[Message]:
    """Ask the model to go on from where a reply was cut by the output limit."""
    return [
        *messages,
        {"role": "assistant", "content": partial},
        {"role": "user", "content": render("continue", directory)},
    ]
