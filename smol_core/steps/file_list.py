"""Step 2: the list of files, asked for as structured output with a fallback chain.

Endpoints differ: OpenAI does json_schema and tool calls; llama.cpp's server does json_schema but
gives small models no `tool_calls`; some servers reject or ignore both. So: json_schema first,
then a forced tool call, then plain text parsed tolerantly. What worked is remembered per
endpoint+model, so later calls go straight there.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import openai

from ..errors import FileListError
from ..events import Emit, FileListDone, no_emit
from ..model.chat import stream_chat
from ..model.client import prepare, using_client
from ..paths import Rejected, check_paths, normalize_path, safe_repr
from ..prompts import file_list_messages
from ..records import FileSpec
from ..settings import Settings
from .fences import strip_code_fences
from .file_limits import PATH_TOKEN, spec_file_limits
from .smallest import smallest_project, with_named
from .spec import validate_spec

MODES = ("json_schema", "tool", "text")
TOOL_NAME = "save_file_list"

FILE_LIST_SCHEMA = {
    "type": "object",
    "properties": {
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"path": {"type": "string"}, "purpose": {"type": "string"}},
                "required": ["path", "purpose"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["files"],
    "additionalProperties": False,
}


def structured_args(
    name: str, schema: dict, tool: str, description: str, *, strict: bool = False
) -> dict[str, dict]:
    """The request arguments of each way of asking for structured output (MODES), for one
    schema: the file list, the examples and the change plan all ask the same three ways."""
    return {
        "json_schema": {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": name, "strict": strict, "schema": schema},
            }
        },
        "tool": {
            "tools": [
                {
                    "type": "function",
                    "function": {"name": tool, "description": description, "parameters": schema},
                }
            ],
            "tool_choice": {"type": "function", "function": {"name": tool}},
        },
        "text": {},
    }


_MODE_ARGS = structured_args(
    "file_list",
    FILE_LIST_SCHEMA,
    TOOL_NAME,
    "Save the list of files the project needs.",
    strict=True,
)

# Remembered per (endpoint, model): process-wide, shared by every session of the page.
_working_mode: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class FileList:
    files: list[FileSpec]
    rejected: list[Rejected]
    mode: str


def remembered_mode(settings: Settings) -> str | None:
    with _lock:
        return _working_mode.get(_key(settings))


def forget_modes() -> None:
    with _lock:
        _working_mode.clear()


def _key(settings: Settings) -> tuple[str, str]:
    return (settings.base_url or "openai", settings.model)


def mode_order(settings: Settings) -> list[str]:
    if settings.structured_mode != "auto":
        return [settings.structured_mode]
    known = remembered_mode(settings)
    return [known, *(m for m in MODES if m != known)] if known else list(MODES)


async def specify_files(
    client: openai.AsyncOpenAI,
    settings: Settings,
    spec: str,
    plan: str,
    *,
    emit: Emit | None = None,
    on_text: Callable[[str], None] | None = None,
) -> FileList:
    """Ask for the file list, falling back mode by mode; raise FileListError if none works."""
    messages = file_list_messages(spec, plan, settings.prompts_dir)
    tried: list[str] = []
    for mode in mode_order(settings):
        try:
            result = await stream_chat(
                client,
                settings,
                messages,
                step="file_list",
                emit=emit,
                on_text=on_text,
                stop_loops=False,  # a list of many similar files is not a loop
                extra=_MODE_ARGS[mode],
                continue_on_length=False,
            )
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            # The endpoint doesn't take this kind of request: try the next one.
            tried.append(f"{mode}: rejected by the endpoint (HTTP {exc.status_code})")
            continue
        raw = result.tool_arguments if mode == "tool" and result.tool_arguments else result.text
        entries = parse_file_list(raw, allow_lines=mode == "text")
        if not entries:
            start = " ".join(raw.split())[:80]
            tried.append(
                f"{mode}: no file list in the reply ({start!r})"
                if start
                else f"{mode}: empty reply"
            )
            continue
        files, rejected = _checked(entries, settings.max_files)
        if not files:
            shown = "; ".join(f"{safe_repr(r.path, 40)} {r.reason}" for r in rejected[:3])
            more = f"; and {len(rejected) - 3} more" if len(rejected) > 3 else ""
            tried.append(f"{mode}: every path was unsafe ({shown}{more})")
            continue
        with _lock:
            _working_mode[_key(settings)] = mode
        return FileList(files=files, rejected=rejected, mode=mode)
    raise FileListError(
        "The model did not give a usable file list. Tried " + "; ".join(tried) + "."
    )


def _checked(
    entries: list[tuple[str, str]], max_files: int
) -> tuple[list[FileSpec], list[Rejected]]:
    check = check_paths(path for path, _ in entries)
    purposes: dict[str, str] = {}
    for path, purpose in entries:
        with contextlib.suppress(ValueError):
            purposes.setdefault(normalize_path(path), purpose)
    files = [FileSpec(p, purposes.get(p, "")) for p in check.accepted]
    rejected = list(check.rejected)
    # "html", "css", "js" listed beside `textstats.py` (the built-in model, as headings of its
    # list): a kind of file or a folder, written as a file it was a page of CSS named `css`.
    kinds = [f for f in files if f.path.rsplit("/", 1)[-1].lower() in _KIND_WORDS]
    rejected += [Rejected(f.path, "names a kind of file or a folder, not a file") for f in kinds]
    files = [f for f in files if f not in kinds]
    if len(files) > max_files:
        rejected += [Rejected(f.path, f"more than {max_files} files") for f in files[max_files:]]
        files = files[:max_files]
    return files, rejected


_KIND_WORDS = {
    "html",
    "htm",
    "css",
    "js",
    "javascript",
    "py",
    "python",
    "json",
    "md",
    "markdown",
    "txt",
    "text",
    "ts",
    "jsx",
    "tsx",
    "yaml",
    "yml",
    "toml",
    "sh",
    "sql",
    "csv",
    "xml",
    "src",
    "static",
    "assets",
    "images",
    "img",
    "scripts",
    "styles",
    "templates",
    "lib",
    "tests",
    "frontend",
    "backend",
}
# Words a model sometimes returns as "paths" when it misreads the format (JSON keys, headers).
_NOT_PATHS = {"files", "file", "path", "paths", "purpose", "name", "filename", "description"}


def parse_file_list(raw: str | None, *, allow_lines: bool = True) -> list[tuple[str, str]]:
    """(path, purpose) pairs out of JSON, a JSON list, fenced JSON, or a plain list of lines.

    Reading loose lines is for plain-text replies only: a structured reply that is broken JSON
    (cut off half-way, say) would yield a partial list, which is worse than asking again.
    """
    if not raw or not raw.strip():
        return []
    data = _first_json(raw)
    if data is not None:
        return _from_json(data)
    body = strip_code_fences(raw, "files.json").lstrip()
    if not allow_lines or body.startswith(("{", "[")):
        return []
    return _from_lines(raw)


def _first_json(raw: str) -> object | None:
    text = strip_code_fences(raw, "files.json").strip()
    for candidate in (text, raw):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if _from_json(value):
            return value
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", raw):
        try:
            value, _ = decoder.raw_decode(raw, match.start())
        except ValueError:
            continue
        if _from_json(value):
            return value
    return None


def _from_json(data: object, depth: int = 0) -> list[tuple[str, str]]:
    if depth > 4:
        return []
    if isinstance(data, dict):
        for key in ("files", "file_paths", "paths", "files_to_edit", "file_list"):
            if key in data:
                return _from_json(data[key], depth + 1)
        if isinstance(data.get("path"), str):
            return [(data["path"], str(data.get("purpose", "")))]
        # A tool call written out as JSON: {"name": ..., "arguments": {...} or "{...}"}.
        for value in data.values():
            if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
                try:
                    value = json.loads(value)
                except ValueError:
                    continue
            if isinstance(value, (dict, list)) and (found := _from_json(value, depth + 1)):
                return found
        # {"a.py": "purpose", ...}: only keys that look like file names.
        return [
            (k, v)
            for k, v in data.items()
            if isinstance(v, str) and k.lower() not in _NOT_PATHS and PATH_TOKEN.fullmatch(k)
        ]
    if isinstance(data, list):
        out: list[tuple[str, str]] = []
        for item in data:
            if isinstance(item, str):
                out.append((item, ""))
            elif isinstance(item, dict):
                path = (
                    item.get("path") or item.get("file") or item.get("name") or item.get("filename")
                )
                if isinstance(path, str):
                    out.append((path, str(item.get("purpose") or item.get("description") or "")))
        return [(p, d) for p, d in out if p.strip().lower() not in _NOT_PATHS]
    return []


def _from_lines(raw: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in raw.splitlines():
        stripped = line.strip().lstrip("-*+0123456789.) ").strip()
        if not stripped or stripped.startswith(("#", "```", "|---", "| ---")):
            continue
        match = PATH_TOKEN.search(stripped)
        if not match:
            continue
        path = (match.group(1) or match.group(2)).strip()
        if path.lower() in _NOT_PATHS or " " in path:
            continue
        rest = stripped[match.end() :].strip(" `|:-–—\t")
        out.append((path, rest))
    return out


# A brief plan's file line: "- `path` — its job" (prompts/plan_brief.md), the path first.
_PLAN_FILE_LINE = re.compile(r"^\s*[-*+]\s+`([^`\s]+)`\s*(?:[—–:]|-{1,2})\s*(.*)$")


def files_in_plan(plan: str) -> list[tuple[str, str]]:
    """(path, job) of each line of a brief plan that starts with a file's path. A brief plan
    names every file this way, so its list needs no request of its own (~10 s on the built-in
    model); [] when some line is not a file (no extension and not a well-known name)."""
    out = []
    for line in plan.splitlines():
        if m := _PLAN_FILE_LINE.match(line):
            path = m.group(1)
            if not PATH_TOKEN.fullmatch(path) or path.lower() in _NOT_PATHS:
                return []
            out.append((path, m.group(2).strip()))
    return out


async def make_file_list(
    spec: str,
    plan: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> FileList:
    """Step 2: the files to write, checked for safety (rejections come with reasons). With a
    brief plan, read from the plan's file lines when it has them (no request)."""
    spec = validate_spec(spec)
    settings = await prepare(settings)
    listed = files_in_plan(plan) if settings.plan_style == "brief" else []
    files, rejected = _checked(listed, settings.max_files) if listed else ([], [])
    if files:
        result = FileList(files=files, rejected=rejected, mode="plan")
    else:
        async with using_client(settings, client) as c:
            result = await specify_files(c, settings, spec, plan, emit=emit)
    # A file the description names is the project's; then what it rules out, then what no one
    # asked for (steps/smallest.py).
    kept, ruled_out = spec_file_limits(spec, with_named(spec, result.files, settings.max_files))
    kept, unasked = smallest_project(spec, kept, one_page_file=settings.plan_style == "brief")
    result = FileList(
        files=kept, rejected=[*result.rejected, *ruled_out, *unasked], mode=result.mode
    )
    emit(FileListDone(files=tuple(result.files), rejected=tuple(result.rejected), mode=result.mode))
    return result
