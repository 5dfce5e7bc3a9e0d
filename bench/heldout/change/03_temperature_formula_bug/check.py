"""Checker: f2c gives correct Celsius; c2f, c2k, k2c and output format unchanged."""
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
    for name in ("temps.py", "convert.py"):
        if not (project / name).exists():
            fail(f"{name} is missing")
    cases = [
        ("f2c", "212", "100.0"),
        ("f2c", "32", "0.0"),
        ("f2c", "-40", "-40.0"),
        ("f2c", "98.6", "37.0"),
        ("f2c", "50", "10.0"),
        ("c2f", "100", "212.0"),
        ("c2f", "-40", "-40.0"),
        ("c2f", "37", "98.6"),
        ("c2k", "0", "273.1"),   # 273.15 formatted with .1f
        ("k2c", "300", "26.9"),  # 26.85 -> .1f
    ]
    for cmd, val, want in cases:
        p = run(project, ["temps.py", cmd, val])
        got = p.stdout.strip()
        if p.returncode != 0 or got != want:
            fail(f"`temps.py {cmd} {val}` printed {got!r} (exit {p.returncode}), want {want!r} {p.stderr.strip()[-200:]}")
    p = run(project, ["temps.py", "x2y", "1"])
    if p.returncode != 2 or "usage" not in p.stdout:
        fail("unknown conversion no longer prints usage with exit 2")
    # the module function itself must be right too (the CLI should not patch around it)
    code = "import convert; print(repr(convert.f_to_c(212.0)), repr(convert.f_to_c(59.0)))"
    p = run(project, ["-c", code])
    try:
        a, b = (float(x) for x in p.stdout.split())
    except ValueError:
        fail(f"cannot call convert.f_to_c: {p.stderr.strip()[-300:]}")
    if abs(a - 100) > 1e-9 or abs(b - 15) > 1e-9:
        fail(f"convert.f_to_c(212)={a}, f_to_c(59)={b}; want 100 and 15")
    print("PASS: f2c correct in convert.f_to_c and CLI; other conversions unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
