"""Checker (from nothing): dates_util.py has days_between/add_days and a command line."""
import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = r'''
import json, dates_util as d
print(json.dumps([
    d.days_between("2024-01-01", "2024-03-01"),
    d.days_between("2024-03-01", "2024-01-01"),
    d.days_between("2023-01-01", "2023-03-01"),
    d.days_between("2020-05-05", "2020-05-05"),
    d.days_between("1999-12-31", "2000-01-01"),
    d.add_days("2024-02-27", 3),
    d.add_days("2023-12-25", 10),
    d.add_days("2024-01-01", -1),
    d.add_days("2024-06-15", 0),
    d.add_days("2000-01-01", 366),
]))
'''
WANT = [60, 60, 59, 0, 1, "2024-03-01", "2024-01-04", "2023-12-31", "2024-06-15", "2001-01-01"]


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


def main(project):
    if not (project / "dates_util.py").exists():
        fail("dates_util.py is missing")
    p = run(project, ["-c", PROBE])
    if p.returncode != 0:
        fail(f"calling days_between/add_days failed: {p.stderr.strip()[-300:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    if got != WANT:
        fail(f"function results {got!r}, want {WANT!r}")
    for args, want in ((["2024-01-01", "2024-03-01"], "60"), (["2025-12-25", "2025-01-01"], "358"),
                       (["2024-07-04", "2024-07-04"], "0")):
        p = run(project, ["dates_util.py"] + args)
        if p.returncode != 0 or p.stdout.strip() != want:
            fail(f"`dates_util.py {' '.join(args)}` printed {p.stdout.strip()!r} exit {p.returncode}, want {want!r}")
    for args, bad in ((["2024-02-30", "2024-03-01"], "2024-02-30"), (["2024-01-01", "tomorrow"], "tomorrow")):
        p = run(project, ["dates_util.py"] + args)
        if "Traceback" in p.stderr:
            fail(f"`dates_util.py {' '.join(args)}` crashes instead of printing an error")
        if p.returncode != 1 or p.stdout.strip() != f"error: bad date {bad}":
            fail(f"`dates_util.py {' '.join(args)}` printed {p.stdout.strip()!r} exit {p.returncode}, want 'error: bad date {bad}' exit 1")
    print("PASS: days_between/add_days correct; command line prints days and rejects bad dates")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
