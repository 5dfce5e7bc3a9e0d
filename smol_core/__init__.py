"""smol studio's core: spec → plan → file list → files → bundle, over any OpenAI-compatible API.

UI-free: the Streamlit page, the CLI and library users all drive the same pipeline. Names are
loaded on first use, so `import smol_core.paths` alone doesn't pull in the openai client.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "plan": "api",
    "specify_file_paths": "api",
    "generate_code": "api",
    "generate_code_sync": "api",
    "SmolError": "errors",
    "Event": "events",
    "Project": "project",
    "events_of": "runs",
    "generate_files": "steps.code",
    "make_file_list": "steps.file_list",
    "make_plan": "steps.plan",
    "run_all": "runs",
    "propose_examples": "runs",
    "change_project": "changes",
    "import_folder": "importing",
    "import_zip": "importing",
    "improve_folder": "improve",
    "write_file": "steps.code",
    "FileSpec": "records",
    "Settings": "settings",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'smol_core' has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
