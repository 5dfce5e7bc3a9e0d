"""A request that moves functions to another module is carried out exactly, without the model:
read from the request's words, cut from the source, pasted with the imports they need, and
every importer sent to the new home."""

from __future__ import annotations

import subprocess
import sys

import pytest

from smol_core.steps.change_move import apply_moves
from smol_core.steps.move_asked import Move, moves_asked
from tests.change_kit import plan_reply
from tests.test_improve import cli, srv  # noqa: F401 - the fixture, used by name

GEOMETRY = (
    "import math\n"
    "from typing import Sequence\n"
    "\n"
    "\n"
    "def area(r: float) -> float:\n"
    "    return math.pi * r * r\n"
    "\n"
    "\n"
    "# Two decimals, as the report shows them.\n"
    "def format_area(a: float) -> str:\n"
    '    return f"{a:.2f}"\n'
    "\n"
    "\n"
    "def format_table(rows: Sequence[float]) -> str:\n"
    '    return "\\n".join(format_area(r) for r in rows)\n'
)
MAIN = (
    "from geometry import area, format_table\n"
    "\n"
    "\n"
    "def main() -> None:\n"
    "    print(format_table([area(1), area(2)]))\n"
    "\n"
    "\n"
    'if __name__ == "__main__":\n'
    "    main()\n"
)
NOTES = "def note(text: str) -> str:\n    return text.strip()\n"
PROJECT = {"geometry.py": GEOMETRY, "main.py": MAIN, "notes.py": NOTES}
FORMATTING = (
    "from typing import Sequence\n"
    "\n"
    "\n"
    "# Two decimals, as the report shows them.\n"
    "def format_area(a: float) -> str:\n"
    '    return f"{a:.2f}"\n'
    "\n"
    "\n"
    "def format_table(rows: Sequence[float]) -> str:\n"
    '    return "\\n".join(format_area(r) for r in rows)\n'
)
TWO = ("format_area", "format_table")


@pytest.mark.parametrize(
    "request_text",
    [
        "Move `format_area` and `format_table` from geometry.py into formatting.py.",
        "move the functions format_area, format_table to a new module formatting.py",
        "Split geometry.py in two: keep the shape functions in geometry.py and move "
        "`format_area` and `format_table` into a new module formatting.py. Update main.py so "
        "it prints the same.",
        "Please move format_area() and format_table() out of geometry.py into formatting.py",
        "extract `format_area`, `format_table` into formatting.py",
        "Put format_area and format_table in their own file `formatting.py`.",
    ],
)
def test_a_move_is_read_from_many_phrasings(request_text):
    assert moves_asked(request_text, PROJECT) == [Move(TWO, "geometry.py", "formatting.py")]


def test_a_move_of_one_and_of_two_targets_is_read():
    assert moves_asked("put `format_area` in its own file fmt.py", PROJECT) == [
        Move(("format_area",), "geometry.py", "fmt.py")
    ]
    assert moves_asked("move `note` into text.py and `area` into shapes.py", PROJECT) == [
        Move(("note",), "notes.py", "text.py"),
        Move(("area",), "geometry.py", "shapes.py"),
    ]


@pytest.mark.parametrize(
    "request_text",
    [
        "Move format_area to the end of the file.",  # no target module
        "move `format_area` and `note` into formatting.py",  # from two files: which source?
        "move `missing` into formatting.py",  # defined nowhere
        "Rename format_area to fmt_area in geometry.py",
    ],
)
def test_an_unclear_move_is_not_read(request_text):
    assert moves_asked(request_text, PROJECT) == []


def test_a_move_cuts_pastes_with_the_imports_needed_and_leaves_other_files_alone():
    got = apply_moves(PROJECT, [Move(TWO, "geometry.py", "formatting.py")])
    assert got is not None
    assert got["formatting.py"] == FORMATTING  # the comment above the def goes with it
    # Gone from the source, with the import only they used; `math` stays for `area`.
    assert got["geometry.py"] == (
        "import math\n\n\ndef area(r: float) -> float:\n    return math.pi * r * r\n"
    )
    assert got["main.py"] == MAIN.replace(
        "from geometry import area, format_table\n",
        "from geometry import area\nfrom formatting import format_table\n",
    )
    assert "notes.py" not in got  # untouched: not even written again


def test_the_source_imports_back_a_moved_name_it_still_uses():
    source = GEOMETRY + "\n\ndef report() -> str:\n    return format_area(area(1))\n"
    got = apply_moves({"geometry.py": source}, [Move(TWO, "geometry.py", "formatting.py")])
    assert got is not None
    assert got["geometry.py"] == (
        "import math\n"
        "from formatting import format_area\n"
        "\n"
        "\n"
        "def area(r: float) -> float:\n"
        "    return math.pi * r * r\n"
        "\n"
        "\n"
        "def report() -> str:\n"
        "    return format_area(area(1))\n"
    )


def test_an_import_of_a_moved_name_with_others_is_split_and_an_alias_kept():
    files = {
        "geometry.py": GEOMETRY,
        "cli.py": "from geometry import area, format_area as fa, format_table\n\nprint(fa(area(2)))\n",
    }
    got = apply_moves(files, [Move(TWO, "geometry.py", "formatting.py")])
    assert got is not None
    assert got["cli.py"] == (
        "from geometry import area\n"
        "from formatting import format_area as fa, format_table\n"
        "\n"
        "print(fa(area(2)))\n"
    )


def test_a_module_attribute_use_is_sent_to_the_new_module_in_code_only():
    report = (
        "import geometry\n"
        "\n"
        "\n"
        "def line(r):\n"
        "    # geometry.format_area rounds\n"
        "    return f'geometry.format_area: {geometry.format_area(geometry.area(r))}'\n"
    )
    got = apply_moves(
        {"geometry.py": GEOMETRY, "report.py": report},
        [Move(TWO, "geometry.py", "formatting.py")],
    )
    assert got is not None
    assert got["report.py"] == (
        "import geometry\n"
        "import formatting\n"
        "\n"
        "\n"
        "def line(r):\n"
        "    # geometry.format_area rounds\n"
        "    return f'geometry.format_area: {formatting.format_area(geometry.area(r))}'\n"
    )


def test_what_the_moved_code_uses_of_what_stays_is_imported_back_unless_that_is_a_cycle():
    source = GEOMETRY.replace('f"{a:.2f}"', "f'{a:.{DIGITS}f}'").replace(
        "import math\n", "import math\n\nDIGITS = 2\n"
    )
    got = apply_moves({"geometry.py": source}, [Move(TWO, "geometry.py", "fmt.py")])
    assert got is not None
    assert got["fmt.py"].startswith("from typing import Sequence\nfrom geometry import DIGITS\n")
    assert "DIGITS = 2" in got["geometry.py"] and "def format_area" not in got["geometry.py"]
    # The source still calls a moved function, and the moved code needs what stays: each
    # module would import the other.
    cycle = source + "\n\ndef report() -> str:\n    return format_table([area(1)])\n"
    assert apply_moves({"geometry.py": cycle}, [Move(TWO, "geometry.py", "fmt.py")]) is None


def test_a_move_into_an_existing_module_goes_before_its_main_guard():
    got = apply_moves(PROJECT, [Move(("format_table",), "geometry.py", "main.py")])
    assert got is not None  # it needs format_area, left in geometry.py: imported from there
    assert "from geometry import format_area" in got["main.py"]
    got = apply_moves(PROJECT, [Move(TWO, "geometry.py", "main.py")])
    assert got is not None
    main = got["main.py"]
    assert main.startswith("from geometry import area\nfrom typing import Sequence\n\n\ndef")
    # After its own definitions, before the guard that calls them.
    assert main.index("def main") < main.index("def format_area") < main.index("__main__")


def test_moving_functions_to_a_new_module_through_improve_asks_the_model_nothing_for_them(
    srv,  # noqa: F811 - the fixture
    tmp_path,
):
    root = tmp_path / "geo"
    root.mkdir()
    for path, text in PROJECT.items():
        (root / path).write_text(text)

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "main.py"], cwd=root, capture_output=True, text=True, check=True
        )
        return done.stdout

    before = run()
    # The model plans the source and the new module, and forgets main.py.
    srv.add_fault(
        plan_reply(
            ("geometry.py", "change", "keep the shape functions"),
            ("formatting.py", "add", "format_area and format_table"),
        ),
        kind="change",
    )
    request = (
        "Split geometry.py in two: keep the shape functions in geometry.py and move "
        "`format_area` and `format_table` into a new module formatting.py. Update main.py so "
        "it prints the same."
    )
    code, out, err = cli("--improve", str(root), "--prompt", request, "--edit-format", "whole")
    assert code == 0, err
    geometry = (root / "geometry.py").read_text()
    assert "def area" in geometry and "def format_" not in geometry
    assert (root / "formatting.py").read_text() == FORMATTING
    assert "from formatting import format_table" in (root / "main.py").read_text()
    assert (root / "notes.py").read_text() == NOTES
    assert run() == before
    # The plan was asked for; not one file of the move.
    assert [r.kind for r in srv.requests] == ["change"]
    assert "checks: 0 finding(s)" in err
