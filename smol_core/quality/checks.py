"""Cheap checks of generated files: the small, checkable reasons generated code fails.

Each finding is plain data (file, line, message, kind). Checks never run the generated code:
they parse it (Python's compiler and pyflakes, json/tomllib, html.parser) and, for JavaScript,
ask `node --check` when node is on the machine.
"""

from __future__ import annotations

import ast
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from ..records import Finding

NODE = shutil.which("node")

# Kinds, most serious first. "missing-file" findings name a file that should be added; every
# other kind is fixed by writing its own file again (repair.REPAIRABLE).
KINDS = (
    "syntax", "undefined-name", "missing-module", "missing-name", "missing-file",
    "dom-id", "script-unloaded", "script-early", "script-module", "inline-script",
    "js-global", "stub", "unused", "entry-point", "manifest", "permission",
)  # fmt: skip


@dataclass(frozen=True)
class CheckReport:
    findings: dict[str, list[Finding]]  # path → its findings (every checked path is a key)
    notes: tuple[str, ...] = ()  # what could not be checked here, e.g. "node not found"

    @property
    def clean(self) -> bool:
        return not any(self.findings.values())

    def count(self) -> int:
        return sum(len(v) for v in self.findings.values())


def check_project(
    files: Mapping[str, str], plan: str = "", spec: str = "", *, use_node: bool = True
) -> CheckReport:
    """Check every file; cross-file references are checked against the whole project."""
    project = _Project(dict(files), plan, spec)
    notes: list[str] = []
    findings: dict[str, list[Finding]] = {}
    js = [p for p in files if _ext(p) in (".js", ".mjs", ".cjs")]
    if js and use_node and not NODE:
        notes.append("JavaScript syntax not checked: node is not installed on this machine.")
    for path, content in files.items():
        ext = _ext(path)
        found: list[Finding] = []
        if ext == ".py":
            found = _check_python(path, content, project)
        elif ext == ".json":
            found = _check_json(path, content, project)
        elif ext == ".toml":
            found = _check_toml(path, content)
        elif ext in (".html", ".htm"):
            found = _check_html(path, content, project)
        elif ext in (".js", ".mjs", ".cjs"):
            found = _check_js(path, content, project, use_node and bool(NODE))
        findings[path] = found
    return CheckReport(findings, tuple(notes))


def referenced_paths(path: str, content: str, files: Mapping[str, str]) -> set[str]:
    """The project files `path` refers to: the modules a Python file imports, what a page
    loads (scripts, styles, images), the modules a script imports."""
    project = _Project(dict(files), "", "")
    ext = _ext(path)
    found: set[str | None] = set()
    if ext == ".py":
        facts = _python_facts(path, content)
        for _, module, level, names in facts.imports:
            if module:
                found.add(_module_file(project, path, module, level))
            else:
                found |= {_module_file(project, path, name, level) for name in names}
    elif ext in (".html", ".htm"):
        refs = [ref for _, _, ref in _HtmlScan.of(content).refs if _local(ref)]
        found |= {project.lower.get(_resolve(path, ref).lower()) for ref in refs}
    elif ext in (".js", ".mjs"):
        for ref in re.findall(r"""(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""", content):
            found.add(project.lower.get(_resolve(path, ref).lower()))
    return {p for p in found if p and p != path}


# ------------------------------------------------------------------------------ the project
class _Project:
    def __init__(self, files: dict[str, str], plan: str, spec: str):
        self.files = files
        self.lower = {p.lower(): p for p in files}
        self.text = f"{spec}\n{plan}"
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


def _is_node(js: str) -> bool:
    return bool(re.search(r"\brequire\(|module\.exports|process\.argv", js))


def _line_of(content: str, pos: int) -> int:
    return content.count("\n", 0, pos) + 1


def _ext(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _local(ref: str) -> bool:
    ref = ref.strip()
    return bool(ref) and not re.match(r"^([a-z][a-z0-9+.-]*:|//|#|\{|\$)", ref, re.I)


def _resolve(base_file: str, ref: str) -> str:
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    if ref.startswith("/"):
        return posixpath.normpath(ref.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), ref))


def _missing_file(path: str, line: int | None, what: str, target: str) -> Finding:
    return Finding(path, line, f"{what} `{target}`, which is not in the file list", "missing-file",
                   target)  # fmt: skip


# -------------------------------------------------------------------------------------- Python
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class _PythonFacts:
    """What one Python file says by itself: a pure function of its path and text, so it is
    worked out once per version of a file (parsing and pyflakes are ~95% of a check's time)."""

    syntax: Finding | None
    undefined: tuple[Finding, ...]
    imports: tuple[tuple[int, str, int, tuple[str, ...]], ...]  # (line, module, level, names)
    runs_something: bool
    stubs: tuple[tuple[int, str], ...] = ()  # (line, name) of functions with an empty body
    unused: tuple[tuple[int, str], ...] = ()  # top-level functions/classes the file never uses


_FACTS: OrderedDict[tuple[str, str], _PythonFacts] = OrderedDict()
_NAMES: OrderedDict[str, frozenset[str] | None] = OrderedDict()
_SCANS: OrderedDict[str, _HtmlScan] = OrderedDict()
_MEMO_SIZE = 512  # file versions remembered (small entries: findings, names)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _remember(cache: OrderedDict, key, make):
    try:
        cache.move_to_end(key)
        return cache[key]
    except KeyError:
        value = cache[key] = make()
        while len(cache) > _MEMO_SIZE:
            cache.popitem(last=False)
        return value


def _python_facts(path: str, content: str) -> _PythonFacts:
    return _remember(_FACTS, (path, _digest(content)), lambda: _analyse_python(path, content))


def _analyse_python(path: str, content: str) -> _PythonFacts:
    try:
        tree = ast.parse(content, filename=path)
        compile(tree, path, "exec")
    except SyntaxError as exc:
        found = Finding(path, exc.lineno, f"does not compile: {exc.msg}", "syntax")
        return _PythonFacts(found, (), (), False)
    from pyflakes import checker, messages

    undefined = []
    flakes = checker.Checker(tree, filename=path)
    for msg in sorted(flakes.messages, key=lambda m: m.lineno):
        if isinstance(msg, (messages.UndefinedName, messages.UndefinedLocal)):
            name = msg.message_args[0]
            undefined.append(Finding(path, msg.lineno, f"uses `{name}`, which is never defined "
                                     "or imported", "undefined-name", name))  # fmt: skip
    imports = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports += [(node.lineno, alias.name, 0, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = tuple(a.name for a in node.names)
            imports.append((node.lineno, node.module or "", node.level, names))
    return _PythonFacts(None, tuple(undefined), tuple(imports), _runs_something(tree),
                        tuple(_python_stubs(tree)), tuple(_python_unused(tree)))  # fmt: skip


def _python_unused(tree: ast.Module) -> list[tuple[int, str]]:
    used: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            used.add(n.id)
        elif isinstance(n, ast.Attribute):
            used.add(n.attr)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            used.add(n.value)  # getattr(module, "name"), a route table of names
    return [
        (node.lineno, node.name)
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and not node.decorator_list
        and node.name not in used
        and not node.name.startswith("_")
    ]


def _python_stubs(tree: ast.Module) -> list[tuple[int, str]]:
    """Top-level functions whose body is only `pass`, `...` or a docstring: left unwritten.
    Methods are skipped (abstract methods and protocols are empty on purpose)."""
    out = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.decorator_list:
            continue
        body = [b for b in node.body if not (isinstance(b, ast.Expr)
                and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str))]  # fmt: skip
        empty = all(
            isinstance(b, ast.Pass) or (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant)
                                        and b.value.value is Ellipsis)
            for b in body
        )  # fmt: skip
        if empty:
            out.append((node.lineno, node.name))
    return out


def _check_python(path: str, content: str, project: _Project) -> list[Finding]:
    facts = _python_facts(path, content)
    if facts.syntax is not None:
        return [facts.syntax]
    out = list(facts.undefined)
    out += _check_imports(path, facts.imports, project)
    out += [_stub(path, line, name) for line, name in facts.stubs]
    if path in project.run_targets() and not project.imported(path):
        # A script's own function or class that nothing calls: usually something not wired up
        # (a request handler never given to the server, a command never dispatched).
        for line, name in facts.unused:
            if name == "main" and not facts.runs_something:
                continue  # the entry-point finding says it better
            if not project.mentioned_elsewhere(path, name):
                out.append(_unused(path, line, name))
    if path in project.run_targets() and not facts.runs_something:
        out.append(Finding(path, None, "is meant to be run, but running it does nothing (no "
                           "`if __name__ == \"__main__\":` and no top-level call): end it with "
                           "`if __name__ == \"__main__\":` that reads the command-line arguments "
                           "the description gives and calls the code", "entry-point"))  # fmt: skip
    return out


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


# Import names whose distribution is called something else.
_DIST_ALIASES = {"yaml": "pyyaml", "bs4": "beautifulsoup4", "PIL": "pillow", "cv2": "opencv_python",
                 "sklearn": "scikit_learn", "dotenv": "python_dotenv"}  # fmt: skip


def _check_imports(
    path: str, imports: tuple[tuple[int, str, int, tuple[str, ...]], ...], project: _Project
) -> list[Finding]:
    out: list[Finding] = []
    reqs = project.requirements()
    for lineno, module, level, names in imports:
        if not module:  # `from . import a, b`: each name is a module of the package
            for name in names:
                if _module_file(project, path, name, level) is None:
                    out.append(_missing_import(path, lineno, "." * level + name))
            continue
        found = _module_file(project, path, module, level)
        if found is None:
            top = module.split(".")[0]
            if level == 0 and top in STDLIB:
                continue
            meant_local = level > 0 or _looks_local(top, project)
            dist = _DIST_ALIASES.get(top, top).lower().replace("-", "_")
            if not meant_local and (dist in reqs or top.lower() in reqs):
                continue
            if meant_local:
                target = posixpath.join(posixpath.dirname(path), *module.split(".")) + ".py"
                out.append(_missing_file(path, lineno, f"imports `{module}` from", target))
            elif not reqs and not _has_requirements(project):
                # A third-party package with nowhere to declare it: the file to add.
                out.append(_missing_file(path, lineno, f"imports the package `{top}`; "
                                         "list it in", "requirements.txt"))  # fmt: skip
            else:
                out.append(_missing_import(path, lineno, module))
            continue
        exported = top_level_names(project.files[found])
        if exported is None:
            continue
        for name in names:
            if name == "*" or name in exported or _module_file(project, found, name, 1):
                continue
            out.append(Finding(path, lineno, f"imports `{name}` from `{found}`, which "
                               "does not define it", "missing-name"))  # fmt: skip
    return out


def _unused(path: str, line: int, name: str) -> Finding:
    return Finding(path, line, f"defines `{name}`, but nothing in the project uses it: wire it "
                   "up where the description needs it, or remove it", "unused", name)  # fmt: skip


def _stub(path: str, line: int, name: str) -> Finding:
    return Finding(path, line, f"`{name}` is empty (only a comment, `pass` or `...`): write its "
                   "code", "stub", name)  # fmt: skip


def _missing_import(path: str, line: int, module: str) -> Finding:
    return Finding(path, line, f"imports `{module}`, which is neither a file of the project, the "
                   "standard library, nor listed in requirements.txt", "missing-module")  # fmt: skip


def _has_requirements(project: _Project) -> bool:
    return any(
        PurePosixPath(p).name.lower() in ("requirements.txt", "pyproject.toml")
        for p in project.files
    )


def _looks_local(top: str, project: _Project) -> bool:
    """The plan or spec names `<top>.py`: the model meant a project file and forgot it."""
    return bool(re.search(rf"\b{re.escape(top)}\.py\b", project.text))


def top_level_names(source: str) -> frozenset[str] | None:
    def find() -> frozenset[str] | None:
        names = _find_top_level_names(source)
        return None if names is None else frozenset(names)

    return _remember(_NAMES, _digest(source), find)


def _find_top_level_names(source: str) -> set[str] | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                names |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            # Conditional definitions (try/except imports, platform branches) count too.
            inner = ast.Module(body=list(ast.iter_child_nodes(node)), type_ignores=[])
            names |= _find_top_level_names(ast.unparse(inner)) or set()
    return names


def _runs_something(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Call, ast.Await)):
            return True
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return True
        if isinstance(node, (ast.For, ast.While, ast.With, ast.Try, ast.Assign)) and any(
            isinstance(n, ast.Call) for n in ast.walk(node)
        ):
            return True
    return False


# ------------------------------------------------------------------------------ JSON and TOML
def _check_json(path: str, content: str, project: _Project) -> list[Finding]:
    try:
        data = json.loads(content)
    except ValueError as exc:
        return [Finding(path, getattr(exc, "lineno", None), f"is not valid JSON: {exc.msg}",
                        "syntax")]  # fmt: skip
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
            out.append(Finding(path, None, f"the scripts use `chrome.{api}`, but the manifest's "
                               f"permissions lack `\"{api}\"`", "permission", api))  # fmt: skip
    return out


# Extension APIs that exist only with the permission of the same name (chrome.tabs mostly works
# without one).
_PERMISSION_APIS = ("storage", "alarms", "notifications", "contextMenus", "scripting",
                    "downloads", "bookmarks", "history", "cookies", "identity", "sidePanel")  # fmt: skip


# ---------------------------------------------------------------------------------------- HTML
class _HtmlScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[int, str, str]] = []  # (line, what, ref)
        self.id_order: dict[str, int] = {}  # id → how many tags came before its element
        self.scripts: list[tuple[int, str, int, bool]] = []  # (line, src, order, waits)
        self.classic: set[str] = set()  # srcs loaded as classic scripts (not type="module")
        self.inline: list[int] = []  # lines of inline scripts and on*="..." handlers
        self._order = 0
        self._in_script = False

    @classmethod
    def of(cls, content: str) -> _HtmlScan:
        """The page's facts, parsed once per version of its text (read them, never change them):
        a check of a project asks for each page's scan several times."""
        return _remember(_SCANS, _digest(content), lambda: cls._parse(content))

    @classmethod
    def _parse(cls, content: str) -> _HtmlScan:
        scan = cls()
        try:
            scan.feed(content)
            scan.close()
        except Exception:  # noqa: BLE001 - html.parser is lenient; a crash means "no facts"
            pass
        return scan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        names = {k for k, _ in attrs}
        line = self.getpos()[0]
        self._order += 1
        if "id" in a:
            self.ids.add(a["id"])
            self.id_order.setdefault(a["id"], self._order)
        if any(k.startswith("on") for k in a):
            self.inline.append(line)
        self._in_script = tag == "script" and "src" not in a and a.get("type", "js").lower() in (
            "js", "text/javascript", "module", "application/javascript")  # fmt: skip
        if tag == "script" and "src" in a:
            self.refs.append((line, "a script", a["src"]))
            waits = bool(names & {"defer", "async"}) or a.get("type", "").lower() == "module"
            self.scripts.append((line, a["src"], self._order, waits))
            if a.get("type", "").lower() != "module":
                self.classic.add(a["src"])
        elif tag == "link" and "href" in a and "stylesheet" in a.get("rel", "").lower():
            self.refs.append((line, "a stylesheet", a["href"]))
        elif tag == "img" and "src" in a:
            self.refs.append((line, "an image", a["src"]))

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(self.getpos()[0])

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def _plan_dom_ids(plan: str) -> set[str]:
    """DOM ids the plan names: `#result`, id="result", or "id `result`"."""
    ids = set(re.findall(r"`#([A-Za-z][\w-]*)`", plan))
    ids |= set(re.findall(r"\bid=[\"']([A-Za-z][\w-]*)[\"']", plan))
    ids |= set(re.findall(r"\bid\s*[:=]?\s*`([A-Za-z][\w-]*)`", plan, re.I))
    return ids


def _check_html(path: str, content: str, project: _Project) -> list[Finding]:
    scan = _HtmlScan.of(content)
    out: list[Finding] = []
    for line, what, ref in scan.refs:
        if _local(ref):
            target = _resolve(path, ref)
            if not project.has(target):
                out.append(_missing_file(path, line, f"loads {what}", target))
    out += _script_findings(path, scan, project)
    if scan.inline and project.is_extension():
        out.append(Finding(path, scan.inline[0], "has inline JavaScript (a <script> with code, or "
                           "an on...= attribute), which Chrome blocks in extension pages: move it "
                           "into the page's .js file", "inline-script"))  # fmt: skip
    htmls = [p for p in project.files if _ext(p) in (".html", ".htm")]
    if len(htmls) == 1:
        # With one page, every id the plan names for the DOM must be in it.
        for missing in sorted(_plan_dom_ids(project.plan) - project.html_ids()):
            out.append(Finding(path, None, f"has no element with id `{missing}`, which the plan "
                               "names", "dom-id"))  # fmt: skip
    return out


_WAITS_FOR_PAGE = re.compile(
    r"DOMContentLoaded|\bonload\b|addEventListener\(\s*['\"]load['\"]|readyState|\$\(\s*(document|function)"
)


def _script_findings(path: str, scan: _HtmlScan, project: _Project) -> list[Finding]:
    """The page's own script never loaded, or loaded before the elements it looks up."""
    out: list[Finding] = []
    loaded = {_resolve(path, src) for _, src, _, _ in scan.scripts if _local(src)}
    for js in project.page_scripts_of(path):
        if js not in loaded and not project.loaded_elsewhere(js):
            out.append(Finding(path, None, f"never loads `{js}`, the script written for it "
                               f'(add `<script src="...">`)', "script-unloaded", js))  # fmt: skip
    for line, src, order, waits in scan.scripts:
        target = _resolve(path, src) if _local(src) else None
        content = project.files.get(project.lower.get((target or "").lower(), ""))
        if waits or content is None or _WAITS_FOR_PAGE.search(content):
            continue
        later = [
            name for m in _ID_USES.finditer(content)
            if scan.id_order.get(name := m.group(1) or m.group(2), 0) > order
        ]  # fmt: skip
        if later:
            out.append(Finding(path, line, f"loads `{src}` before the element `#{later[0]}` it "
                               "looks up exists (move the tag to the end of the body, or add "
                               "`defer`)", "script-early", target))  # fmt: skip
    return out


# ---------------------------------------------------------------------------------- JavaScript
_ID_USES = re.compile(
    r"""getElementById\(\s*['"]([\w-]+)['"]\s*\)|querySelector(?:All)?\(\s*['"]#([\w-]+)['"]\s*\)"""
)


_JS_FUNCTION = re.compile(r"^function\s+([\w$]+)\s*\(", re.M)  # top-level declarations
# `function name(args) { }` with nothing but comments inside.
_JS_STUB = re.compile(r"\bfunction\s+([\w$]+)\s*\([^)]*\)\s*\{(?:\s|//[^\n]*|/\*.*?\*/)*\}", re.S)
# Top-level declarations of globals a page can't redeclare ([LegacyUnforgeable] properties).
_GLOBAL_REDECLARED = re.compile(r"^(const|let|class)\s+(document|window|location|top)\b", re.M)
_MODULE_SYNTAX = re.compile(r"^[ \t]*(export|import)\b(?!\s*\()", re.M)


def _page_script_findings(path: str, content: str, project: _Project) -> list[Finding]:
    """What a script a page loads with a plain `<script src>` must not do."""
    out: list[Finding] = []
    if m := _MODULE_SYNTAX.search(content):
        out.append(Finding(path, _line_of(content, m.start()), f"uses `{m.group(1)}`, but the "
                           "page loads it as a plain `<script src>`, where import/export is an "
                           "error: write it without them", "script-module"))  # fmt: skip
    for m in _GLOBAL_REDECLARED.finditer(content):
        out.append(Finding(path, _line_of(content, m.start()), f"declares `{m.group(2)}`, which "
                           "the browser already defines: the page stops with \"Identifier has "
                           "already been declared\"; use the browser's own", "js-global"))  # fmt: skip
    for m in _JS_FUNCTION.finditer(content):
        name = m.group(1)
        uses = len(re.findall(rf"(?<![\w$]){re.escape(name)}(?![\w$])", content))
        if uses == 1 and not project.mentioned_elsewhere(path, name):
            out.append(_unused(path, _line_of(content, m.start()), name))
    return out


def _check_js(path: str, content: str, project: _Project, use_node: bool) -> list[Finding]:
    out: list[Finding] = []
    if use_node:
        out += _node_check(path, content)
    if path in project.classic_scripts():
        out += _page_script_findings(path, content, project)
    for m in _JS_STUB.finditer(content):
        out.append(_stub(path, _line_of(content, m.start()), m.group(1)))
    has_html = any(_ext(p) in (".html", ".htm") for p in project.files)
    if has_html and path not in project.content_scripts():
        ids = project.html_ids()
        for m in _ID_USES.finditer(content):
            name = m.group(1) or m.group(2)
            if name not in ids:
                line = _line_of(content, m.start())
                out.append(Finding(path, line, f"looks up the element `#{name}`, which no HTML "
                                   "file of the project has", "dom-id"))  # fmt: skip
    return out


def _node_check(path: str, content: str) -> list[Finding]:
    suffix = ".mjs" if "import " in content or "export " in content else ".js"
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"check{suffix}"
        file.write_text(content, encoding="utf-8")
        try:
            proc = subprocess.run([NODE, "--check", str(file)], capture_output=True, text=True,
                                  timeout=20)  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            return []
    if proc.returncode == 0:
        return []
    lines = proc.stderr.splitlines()
    line = None
    if lines and (m := re.search(r":(\d+)$", lines[0])):
        line = int(m.group(1))
    message = next((ln for ln in lines if "Error" in ln), "syntax error")
    return [Finding(path, line, f"does not parse: {message.strip()}", "syntax")]
