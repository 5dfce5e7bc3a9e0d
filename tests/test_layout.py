"""The house in layers: smol_core's imports point one way, down the layers below, and no
module grows past a size a reader can hold. Counted from the source, imports made inside
functions included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "smol_core"
MAX_LINES = 450


# smol_core's layers, top to bottom: a module imports its own layer's modules and those of the
# layers below it, never one above. Each entry is a module or a package (all of it), named
# under smol_core; "__init__" is the package's own face.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # What a person or a program drives: the page's session, the CLI, the library API, and the
    # words both faces use for what running showed.
    ("faces", ("__init__", "__main__", "api", "cli", "cli_progress", "report", "studio")),
    # A whole run, or a change to a project, made of steps.
    ("orchestration", ("runs", "changes", "improve")),
    # Every request to the model, and what each is told (the heal loop and repairs included).
    ("steps", ("steps",)),
    # Reading the spec's English into examples; changes to the code made without the model.
    ("spec and fixes", ("spec_reading", "fixes")),
    # Generated code run: the sandbox, the examples run and judged, the browser.
    ("running", ("running",)),
    # The one data model, folded from the events.
    ("project", ("project",)),
    # Reading the generated code (checks); talking to a model.
    ("quality and model", ("quality", "model")),
    ("prompts", ("prompts",)),
    # Plain data and the ground every layer stands on: records, events, settings, safe paths.
    (
        "ground",
        (
            "records",
            "events",
            "usage",
            "settings",
            "errors",
            "paths",
            "diffs",
            "bundle",
            "importing",
        ),
    ),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The smol_core modules `path` imports, anywhere in the file."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:  # `from . import chat` imports the module chat
                    found.add(sub)
                elif target in known:
                    found.add(target)
    found.discard(me)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(path, set(mods)) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each as the path that closes it (depth-first, colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def layer_of(module: str) -> int | None:
    """The index in LAYERS (0 = top) of the entry that holds `module`, None if none does."""
    name = module.removeprefix("smol_core").lstrip(".") or "__init__"
    for index, (_, entries) in enumerate(LAYERS):
        if any(name == e or name.startswith(f"{e}.") for e in entries):
            return index
    return None


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Every import that runs back up: from a module to one on a higher layer."""
    found = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            here, there = layer_of(module), layer_of(target)
            if here is not None and there is not None and there < here:
                found.append(f"{module} ({LAYERS[here][0]}) -> {target} ({LAYERS[there][0]})")
    return found


def test_the_cycle_finder_sees_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_are_counted():
    edges = graph()
    # runs.py is the orchestration: it reaches the steps and the repairs, never the reverse.
    assert "smol_core.steps.repair" in edges["smol_core.runs"]
    assert "smol_core.runs" not in edges["smol_core.steps.repair"]
    # client.py starts the built-in model from inside a function.
    assert "smol_core.model.local_server" in edges["smol_core.model.client"]


def test_no_import_cycle_in_smol_core():
    assert cycles(graph()) == []


def test_the_core_never_imports_streamlit():
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(getattr(node, "module", None) or "")
                assert not any(n.split(".")[0] == "streamlit" for n in names), name


def test_no_module_is_over_the_size_limit():
    sizes = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in modules().items()}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def test_every_module_stands_on_one_layer():
    assert [name for name in modules() if layer_of(name) is None] == []
    entries = [e for _, layer in LAYERS for e in layer]
    assert len(entries) == len(set(entries))
    named = {n.removeprefix("smol_core").lstrip(".") or "__init__" for n in modules()}
    # No entry is left standing for a module that moved away.
    assert [e for e in entries if not any(n == e or n.startswith(f"{e}.") for n in named)] == []


def test_the_layer_check_sees_an_import_running_up():
    edges = {"smol_core.records": {"smol_core.runs"}, "smol_core.runs": {"smol_core.records"}}
    assert upward(edges) == ["smol_core.records (ground) -> smol_core.runs (orchestration)"]


def test_every_import_points_down_the_layers():
    assert upward(graph()) == []
