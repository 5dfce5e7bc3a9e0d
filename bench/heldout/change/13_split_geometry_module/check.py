"""Checker: format_area/format_table moved from geometry.py into new formatting.py;
geometry.py keeps the area functions; both modules import on their own; main.py output unchanged."""
import ast
import json
import os
import subprocess
import sys
from pathlib import Path

MAIN_RUNS = [
    ([], "circle         12.57 sq cm\nrect           12.00 sq cm\ntriangle        7.50 sq cm\n"
         "rect            2.25 sq cm\ntotal          34.32 sq cm\n", 0),
    (["rect", "3", "4"], "12.00 sq cm\n", 0),
    (["circle", "1"], "3.14 sq cm\n", 0),
    (["triangle", "5", "3"], "7.50 sq cm\n", 0),
    (["hex", "2"], "unknown shape hex\n", 1),
]
GEOMETRY_FUNCS = {"circle_area", "rect_area", "triangle_area", "area"}
FORMAT_FUNCS = {"format_area", "format_table"}

PROBE_GEOMETRY = r'''
import json, geometry
print(json.dumps([geometry.area(("triangle", 3, 4)), geometry.rect_area(2, 5),
                  round(geometry.circle_area(1), 4), geometry.triangle_area(1, 1)]))
'''
PROBE_FORMATTING = r'''
import json, formatting
print(json.dumps([formatting.format_area(2), formatting.format_area(0.125),
                  formatting.format_table([("rect", 2, 2), ("circle", 0.5)])]))
'''
WANT_GEOMETRY = [6.0, 10, 3.1416, 0.5]
WANT_FORMATTING = ["2.00 sq cm", "0.12 sq cm",
                   "rect            4.00 sq cm\ncircle          0.79 sq cm\ntotal           4.79 sq cm"]


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args[:1]))
    return p


def top_defs(path):
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError as e:
        fail(f"{path.name} does not parse: {e}")
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def main(project):
    for name in ("geometry.py", "formatting.py", "main.py"):
        if not (project / name).exists():
            fail(f"{name} is missing")
    geo = top_defs(project / "geometry.py")
    fmt = top_defs(project / "formatting.py")
    if not GEOMETRY_FUNCS <= geo:
        fail(f"geometry.py lost functions: {sorted(GEOMETRY_FUNCS - geo)}")
    if geo & FORMAT_FUNCS:
        fail(f"geometry.py still defines {sorted(geo & FORMAT_FUNCS)}")
    if not FORMAT_FUNCS <= fmt:
        fail(f"formatting.py does not define {sorted(FORMAT_FUNCS - fmt)}")
    if fmt & GEOMETRY_FUNCS:
        fail(f"formatting.py re-defines geometry functions {sorted(fmt & GEOMETRY_FUNCS)} instead of importing them")
    for probe, want, mod in ((PROBE_GEOMETRY, WANT_GEOMETRY, "geometry"),
                             (PROBE_FORMATTING, WANT_FORMATTING, "formatting")):
        p = run(project, ["-c", probe])
        if p.returncode != 0:
            fail(f"using {mod} on its own fails: {p.stderr.strip()[-300:]}")
        got = json.loads(p.stdout.strip().splitlines()[-1])
        if got != want:
            fail(f"{mod} functions changed behaviour: got {got!r}, want {want!r}")
    for args, want, code in MAIN_RUNS:
        p = run(project, ["main.py"] + args)
        if p.returncode != code or p.stdout != want:
            fail(f"`main.py {' '.join(args)}` output changed: {p.stdout!r} exit {p.returncode} {p.stderr.strip()[-200:]}")
    print("PASS: formatting.py holds format_area/format_table, geometry.py the maths; main.py output identical")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
