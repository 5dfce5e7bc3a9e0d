"""Checker (from nothing): roman.py converts numbers <-> Roman numerals, errors exit 1."""
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


def to_roman(n):
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


def main(project):
    if not (project / "roman.py").exists():
        fail("roman.py is missing")
    numbers = [1, 3, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999, 444, 1666, 3888]
    for n in numbers:
        p = run(project, ["roman.py", str(n)])
        if p.returncode != 0 or p.stdout.strip() != to_roman(n):
            fail(f"`roman.py {n}` printed {p.stdout.strip()!r} exit {p.returncode}, want {to_roman(n)!r} {p.stderr.strip()[-200:]}")
        r = to_roman(n)
        arg = r.lower() if n % 2 else r
        p = run(project, ["roman.py", arg])
        if p.returncode != 0 or p.stdout.strip() != str(n):
            fail(f"`roman.py {arg}` printed {p.stdout.strip()!r} exit {p.returncode}, want {n} {p.stderr.strip()[-200:]}")
    for bad in ("0", "4000", "hello", "12ab", "MMXZ"):
        p = run(project, ["roman.py", bad])
        if "Traceback" in p.stderr:
            fail(f"`roman.py {bad}` crashes instead of printing an error")
        out = p.stdout.strip().lower()
        if p.returncode != 1 or not out.startswith("error:"):
            fail(f"`roman.py {bad}` printed {p.stdout.strip()!r} exit {p.returncode}, want a line starting with 'error:' and exit 1")
    print("PASS: roman.py converts both ways (any case) and rejects bad input with error/exit 1")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
