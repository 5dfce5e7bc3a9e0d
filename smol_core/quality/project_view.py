"""The project as the checks see it: the files, and facts about how they fit together, computed once."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import PurePosixPath

from .common import _ext, _is_node, _local, _resolve
from .html_scan import _HtmlScan
from .python_facts import _python_facts


# ------------------------------------------------------------------------------ the project
class _Project:
    def __init__(self, files: dict[str, str], plan: str, spec: str):
        self.files = files
        self.lower = {p.lower(): p for p in files}
        self.text = f"{spec}\n{plan}"
        self.spec = spec
        self.plan = plan
        self._html_ids: set[str] | None = None
        self._content_scripts: set[str] | None = None
        self._requirements: set[str] | None = None
        self._classic: set[str] | None = None

    def has(self, path: str) -> bool:
        return path.lower() in self.lower

    def requirements(self) -> set[str]:
        if self._requirements is None:
            self._requirements = _requirements(self)
        return self._requirements

    def html_ids(self) -> set[str]:
        if self._html_ids is None:
            ids: set[str] = set()
            for path, content in self.files.items():
                if _ext(path) in (".html", ".htm"):
                    ids |= _HtmlScan.of(content).ids
            # Scripts that build elements give them ids too: count `.id = "x"` as defined.
            for path, content in self.files.items():
                if _ext(path) in (".js", ".mjs", ".cjs"):
                    ids |= set(re.findall(r"\.id\s*=\s*['\"]([\w-]+)['\"]", content))
                    ids |= set(re.findall(r"id=\\?['\"]([\w-]+)\\?['\"]", content))
            self._html_ids = ids
        return self._html_ids

    def content_scripts(self) -> set[str]:
        """Scripts a Chrome extension injects into other sites' pages (their DOM isn't ours)."""
        if self._content_scripts is None:
            found: set[str] = set()
            for path, content in self.files.items():
                if PurePosixPath(path).name == "manifest.json":
                    try:
                        data = json.loads(content)
                    except ValueError:
                        continue
                    base = posixpath.dirname(path)
                    for entry in data.get("content_scripts", []) or []:
                        for js in entry.get("js", []) if isinstance(entry, dict) else []:
                            if isinstance(js, str):
                                found.add(posixpath.normpath(posixpath.join(base, js)))
            self._content_scripts = found
        return self._content_scripts

    def page_scripts_of(self, page: str) -> list[str]:
        """Browser scripts written for `page`: same name beside it (popup.js for popup.html),
        or, when it is the project's only page, every script that uses `document`."""
        htmls = [p for p in self.files if _ext(p) in (".html", ".htm")]
        stem = posixpath.splitext(page)[0]
        out = []
        for path, content in self.files.items():
            if _ext(path) != ".js" or "document." not in content or _is_node(content):
                continue
            if posixpath.splitext(path)[0] == stem or len(htmls) == 1:
                out.append(path)
        return out

    def imported(self, path: str) -> bool:
        """Another Python file of the project imports `path`."""
        for other, content in self.files.items():
            if other != path and _ext(other) == ".py":
                facts = _python_facts(other, content)
                for _, module, level, names in facts.imports:
                    targets = [module] if module else list(names)
                    if any(_module_file(self, other, t, level) == path for t in targets):
                        return True
        return False

    def mentioned_elsewhere(self, path: str, name: str) -> bool:
        word = re.compile(rf"\b{re.escape(name)}\b")
        return any(other != path and word.search(c) for other, c in self.files.items())

    def is_extension(self) -> bool:
        return any(
            PurePosixPath(p).name == "manifest.json" and '"manifest_version"' in c
            for p, c in self.files.items()
        )

    def classic_scripts(self) -> set[str]:
        """Scripts some page loads with a plain `<script src>`: no import/export allowed."""
        if self._classic is None:
            self._classic = {
                _resolve(page, src)
                for page, content in self.files.items()
                if _ext(page) in (".html", ".htm")
                for src in _HtmlScan.of(content).classic
                if _local(src)
            }
        return self._classic

    def loaded_elsewhere(self, script: str) -> bool:
        """Some other file loads `script`: another page, the manifest, or an import."""
        name = PurePosixPath(script).name
        for path, content in self.files.items():
            if path != script and name in content and _ext(path) != ".md":
                if _ext(path) not in (".html", ".htm"):
                    return True  # manifest.json, an import from another script, ...
                scan = _HtmlScan.of(content)
                if any(_local(s) and _resolve(path, s) == script for _, s, _, _ in scan.scripts):
                    return True
        return False

    def run_targets(self) -> set[str]:
        """Files the spec or plan says to run as `python <file>`."""
        return {
            m.lstrip("./") for m in re.findall(r"python3?\s+(?:-m\s+)?([\w./-]+\.py)\b", self.text)
        }

    def run_commands(self, path: str, most: int = 4) -> list[str]:
        """The commands the spec or plan writes out (in backticks) that run `path`, in order,
        each once: a repair told them writes a main block that handles each (a 1.5B model
        given only "reads the arguments" handled one)."""
        out: list[str] = []
        for m in re.finditer(r"`(python3?\s+([\w./-]+\.py)(?:\s[^`\n]*)?)`", self.text):
            command = " ".join(m.group(1).split())
            if m.group(2).lstrip("./") == path and command not in out:
                out.append(command)
        return out[:most]


def _module_file(project: _Project, importer: str, module: str, level: int) -> str | None:
    """The project file a module name refers to, seen from `importer`, if any."""
    parts = module.split(".") if module else []
    here = posixpath.dirname(importer)
    bases = []
    if level:
        base = here
        for _ in range(level - 1):
            base = posixpath.dirname(base)
        bases = [base]
    else:
        # The script's own folder (how `python dir/main.py` resolves), then the project root.
        bases = [here, ""] if here else [""]
    for base in bases:
        stem = posixpath.join(base, *parts) if parts else base
        for candidate in (f"{stem}.py", posixpath.join(stem, "__init__.py")):
            candidate = posixpath.normpath(candidate).lstrip("./") or candidate
            if project.has(candidate):
                return project.lower[candidate.lower()]
    return None


def _requirements(project: _Project) -> set[str]:
    names: set[str] = set()
    for path, content in project.files.items():
        name = PurePosixPath(path).name.lower()
        if name.startswith("requirements") and name.endswith(".txt"):
            for line in content.splitlines():
                m = re.match(r"\s*([A-Za-z0-9_.\-]+)", line)
                if m and not line.lstrip().startswith(("#", "-")):
                    names.add(m.group(1).lower().replace("-", "_"))
        elif name == "pyproject.toml":
            names |= {
                n.lower().replace("-", "_") for n in re.findall(r'"([A-Za-z0-9_.\-]+)', content)
            }
    return names
