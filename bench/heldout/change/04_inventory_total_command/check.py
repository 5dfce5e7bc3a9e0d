"""Checker: new `total` command prints `total: N`; show/add/remove keep working."""
import json
import os
import subprocess
import sys
from pathlib import Path


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


def lines(p):
    return [l.strip() for l in p.stdout.splitlines() if l.strip()]


def main(project):
    if not (project / "inventory.py").exists():
        fail("inventory.py is missing")
    data = project / "inventory.json"
    backup = data.read_bytes() if data.exists() else None
    try:
        data.write_text(json.dumps({"cups": 4, "plates": 9, "spoons": 20}), encoding="utf-8")
        p = run(project, ["inventory.py", "total"])
        if p.returncode != 0:
            fail(f"`total` exited {p.returncode}: {p.stderr.strip()[-300:]}")
        if lines(p) != ["total: 33"]:
            fail(f"`total` printed {lines(p)!r}, want ['total: 33'] (reads inventory.json, not fixed numbers)")

        p = run(project, ["inventory.py", "show"])
        if lines(p) != ["cups: 4", "plates: 9", "spoons: 20"]:
            fail(f"`show` output changed: {lines(p)!r}")

        p = run(project, ["inventory.py", "add", "forks", "6"])
        if p.returncode != 0 or lines(p) != ["forks: 6"]:
            fail(f"`add` output changed: {lines(p)!r} {p.stderr.strip()[-200:]}")
        p = run(project, ["inventory.py", "remove", "plates", "9"])
        if p.returncode != 0 or lines(p) != ["plates: 0"]:
            fail(f"`remove` output changed: {lines(p)!r}")
        p = run(project, ["inventory.py", "remove", "cups", "99"])
        if p.returncode != 1 or lines(p) != ["not enough cups"]:
            fail(f"`remove` too many changed: {lines(p)!r} exit {p.returncode}")
        p = run(project, ["inventory.py", "total"])
        if lines(p) != ["total: 30"]:
            fail(f"`total` after add/remove printed {lines(p)!r}, want ['total: 30']")

        data.write_text("{}", encoding="utf-8")
        p = run(project, ["inventory.py", "total"])
        if p.returncode != 0 or lines(p) != ["total: 0"]:
            fail(f"`total` on an empty inventory printed {lines(p)!r} exit {p.returncode}, want ['total: 0']")
        p = run(project, ["inventory.py", "show"])
        if lines(p) != ["(empty)"]:
            fail(f"`show` on empty inventory changed: {lines(p)!r}")
        p = run(project, ["inventory.py", "bogus"])
        if p.returncode != 2:
            fail("unknown command no longer exits with 2")
    finally:
        if backup is None:
            data.unlink(missing_ok=True)
        else:
            data.write_bytes(backup)
    print("PASS: `total` sums the stock; show/add/remove unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
