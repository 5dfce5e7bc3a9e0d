"""Checker: calc.py div works, handles zero; add/sub/mul, usage and bad numbers unchanged."""
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


def main(project):
    if not (project / "calc.py").exists():
        fail("calc.py is missing")
    cases = [
        (["div", "7", "2"], 0, "3.5"),
        (["div", "8", "2"], 0, "4"),
        (["div", "-9", "4"], 0, "-2.25"),
        (["div", "0", "5"], 0, "0"),
        (["add", "2", "3"], 0, "5"),
        (["add", "0.5", "0.25"], 0, "0.75"),
        (["sub", "2", "5"], 0, "-3"),
        (["mul", "2.5", "4"], 0, "10"),
        (["mul", "3", "x"], 1, "error: not a number"),
    ]
    for args, code, want in cases:
        p = run(project, ["calc.py"] + args)
        got = p.stdout.strip()
        if p.returncode != code or got != want:
            fail(f"`calc.py {' '.join(args)}` printed {got!r} exit {p.returncode}, want {want!r} exit {code} {p.stderr.strip()[-200:]}")
    for args in (["div", "5", "0"], ["div", "0", "0"], ["div", "3", "0.0"]):
        p = run(project, ["calc.py"] + args)
        if "Traceback" in p.stderr:
            fail(f"`calc.py {' '.join(args)}` crashes")
        if p.returncode != 1 or p.stdout.strip() != "error: division by zero":
            fail(f"`calc.py {' '.join(args)}` printed {p.stdout.strip()!r} exit {p.returncode}, want 'error: division by zero' exit 1")
    p = run(project, ["calc.py", "pow", "2", "3"])
    if p.returncode != 2 or "usage" not in p.stdout:
        fail("unknown command no longer prints usage with exit 2")
    p = run(project, ["calc.py", "div", "1"])
    if p.returncode != 2:
        fail("wrong number of arguments no longer exits with 2")
    print("PASS: div works with the same number format, zero handled; other commands unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
