"""Editor language for a file, by its name (ace mode names; st.code accepts most of them)."""

from __future__ import annotations

from pathlib import PurePosixPath

_BY_SUFFIX = {
    ".py": "python",
    ".pyw": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "jsx",
    ".ts": "typescript",
    ".tsx": "tsx",
    ".html": "html",
    ".htm": "html",
    ".css": "css",
    ".scss": "scss",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".sh": "sh",
    ".bash": "sh",
    ".sql": "sql",
    ".go": "golang",
    ".rs": "rust",
    ".java": "java",
    ".kt": "kotlin",
    ".c": "c_cpp",
    ".h": "c_cpp",
    ".cpp": "c_cpp",
    ".hpp": "c_cpp",
    ".cc": "c_cpp",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".swift": "swift",
    ".xml": "xml",
    ".svg": "svg",
    ".ini": "ini",
    ".cfg": "ini",
    ".txt": "text",
    ".vue": "html",
    ".svelte": "html",
    ".lua": "lua",
}
_BY_NAME = {"dockerfile": "dockerfile", "makefile": "makefile", "procfile": "sh"}

# st.code highlights with other names for a few languages.
_CODE_NAMES = {
    "golang": "go",
    "c_cpp": "cpp",
    "sh": "bash",
    "text": None,
    "jsx": "javascript",
    "tsx": "typescript",
}


def ace_mode(path: str) -> str:
    p = PurePosixPath(path)
    return _BY_NAME.get(p.name.lower()) or _BY_SUFFIX.get(p.suffix.lower(), "text")


def code_language(path: str) -> str | None:
    mode = ace_mode(path)
    return _CODE_NAMES.get(mode, mode)
