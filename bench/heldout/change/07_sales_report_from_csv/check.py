"""Checker: report.py reads sales.csv and prints orders/units/revenue/top region.

Runs on the shipped sales.csv and on a second, different sales.csv (so fixed numbers fail).
shop.py must still behave as before.
"""
import csv
import io
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

OTHER_CSV = """date,region,product,units,unit_price
2024-04-01,West,blender,5,79.00
2024-04-01,North,mug,1,4.25
2024-04-02,East,kettle,2,24.50
2024-04-02,West,toaster,1,39.99
2024-04-03,South,mug,3,4.25
2024-04-03,East,mug,7,4.25
2024-04-04,West,kettle,1,24.50
"""


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args))
    return p


def expected(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    by_region = defaultdict(float)
    for r in rows:
        by_region[r["region"]] += int(r["units"]) * float(r["unit_price"])
    return {
        "orders": len(rows),
        "units": sum(int(r["units"]) for r in rows),
        "revenue": sum(by_region.values()),
        "top region": max(by_region, key=by_region.get),
    }


def figure(out, label):
    m = re.search(r"^\s*" + re.escape(label) + r"\s*:\s*(.+?)\s*$", out, re.I | re.M)
    if not m:
        fail(f"no line `{label}: ...` in output {out!r}")
    return m.group(1)


def number(out, label):
    raw = figure(out, label)
    m = re.fullmatch(r"[$€£]?\s*(-?[\d,]*\.?\d+)", raw)
    if not m:
        fail(f"`{label}` is not a number: {raw!r}")
    return float(m.group(1).replace(",", ""))


def check_once(project, csv_text, what):
    p = run(project, ["report.py"])
    if p.returncode != 0:
        fail(f"report.py exited {p.returncode} on {what}: {p.stderr.strip()[-300:]}")
    want = expected(csv_text)
    out = p.stdout
    if number(out, "orders") != want["orders"]:
        fail(f"{what}: orders {figure(out, 'orders')!r}, want {want['orders']}")
    if number(out, "units") != want["units"]:
        fail(f"{what}: units {figure(out, 'units')!r}, want {want['units']}")
    if abs(number(out, "revenue") - want["revenue"]) > 0.006:
        fail(f"{what}: revenue {figure(out, 'revenue')!r}, want {want['revenue']:.2f}")
    if figure(out, "top region").strip().lower() != want["top region"].lower():
        fail(f"{what}: top region {figure(out, 'top region')!r}, want {want['top region']}")


def main(project):
    if not (project / "report.py").exists():
        fail("report.py is missing")
    data = project / "sales.csv"
    if not data.exists():
        fail("sales.csv is missing")
    original = data.read_bytes()
    try:
        check_once(project, original.decode("utf-8"), "the shipped sales.csv")
        data.write_text(OTHER_CSV, encoding="utf-8")
        check_once(project, OTHER_CSV, "a different sales.csv")
    finally:
        data.write_bytes(original)
    p = run(project, ["shop.py"])
    if p.returncode != 0 or p.stdout.splitlines()[:1] != ["blender: Countertop blender"]:
        fail(f"shop.py no longer works: {p.stdout[:200]!r}")
    print("PASS: report.py prints correct labelled figures for the shipped and a different sales.csv")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
