"""The page in parts (issue 34), read from the source like test_layout.py: streamlit_app.py
only orders the sections, each section a module of ui/ of a size a reader can hold; the page
reaches the core only through its public names (a `_private` one is the core's own business),
and the core never reaches back into the page."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "streamlit_app.py"
PAGE = ROOT / "ui"
ENTRY_LINES = 200
PAGE_MODULE_LINES = 400


def page_files() -> list[Path]:
    return [ENTRY, *sorted(PAGE.rglob("*.py"))]


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(source: str) -> list[str]:
    """Private names the source takes from smol_core: imported (`from smol_core.x import _y`,
    `import smol_core._x`) or reached as an attribute (`thing._y`) of anything."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("smol_core"):
            parts = (node.module or "").split(".")
            found += [f"{node.module}.{a.name}" for a in node.names if private(a.name)]
            found += [node.module or ""] if any(private(p) for p in parts) else []
        elif isinstance(node, ast.Import):
            found += [
                a.name
                for a in node.names
                if a.name.startswith("smol_core") and any(map(private, a.name.split(".")))
            ]
        elif isinstance(node, ast.Attribute) and private(node.attr):
            found.append(f"{ast.unparse(node.value)}.{node.attr}")
    return found


def test_the_entry_point_only_orders_the_sections():
    assert lines(ENTRY) < ENTRY_LINES, f"streamlit_app.py has {lines(ENTRY)} lines"
    defined = [n.name for n in ast.parse(ENTRY.read_text()).body if isinstance(n, ast.FunctionDef)]
    assert defined == ["main"], "the sections live in ui/, not in the entry point"


def test_every_section_is_a_module_of_the_page_package_of_a_readable_size():
    modules = {p.stem for p in PAGE.glob("*.py")}
    for section in (
        "sidebar",
        "spec",
        "plan",
        "files",
        "examples_step",
        "workspace",
        "tree",
        "editor",
        "preview",
        "console",
        "examples_pane",
        "versions",
        "changed",
    ):
        assert section in modules, f"no ui/{section}.py"
    too_big = {p.name: lines(p) for p in PAGE.rglob("*.py") if lines(p) > PAGE_MODULE_LINES}
    assert not too_big, too_big


def test_the_page_takes_no_private_name_from_the_core():
    for path in page_files():
        assert not private_uses(path.read_text(encoding="utf-8")), (
            path.name,
            private_uses(path.read_text(encoding="utf-8")),
        )


def test_the_private_name_check_sees_each_way_in():
    assert private_uses("from smol_core.studio.versions import _freeze, Versions") == [
        "smol_core.studio.versions._freeze"
    ]
    assert private_uses("import smol_core.studio._hidden") == ["smol_core.studio._hidden"]
    assert private_uses("made._cause()") == ["made._cause"]
    assert private_uses("from smol_core.studio.versions import JobVersions\nx.__class__") == []


def test_the_core_never_imports_the_page():
    for path in sorted((ROOT / "smol_core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            assert not any(n.split(".")[0] in ("ui", "streamlit_app") for n in names), path
