"""Checker: a password is strong only if long enough AND has a digit; --min and output format unchanged."""
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


def verdicts(project, args):
    p = run(project, ["check_password.py"] + args)
    if p.returncode != 0:
        fail(f"`check_password.py {' '.join(args)}` exited {p.returncode}: {p.stderr.strip()[-300:]}")
    return [l.strip() for l in p.stdout.splitlines() if l.strip()]


def main(project):
    if not (project / "check_password.py").exists():
        fail("check_password.py is missing")
    cases = {
        "abc1": "weak",          # digit but short
        "abcdefghij": "weak",    # long but no digit
        "abcdefg1": "strong",    # exactly 8 with digit
        "abcdef1": "weak",       # 7 with digit
        "12345678": "strong",
        "short": "weak",
        "longpassword42": "strong",
    }
    got = verdicts(project, list(cases))
    want = [f"{pw}: {v}" for pw, v in cases.items()]
    if got != want:
        fail(f"default rules wrong: got {got!r}, want {want!r}")

    # --min still works
    cases_min = {"ab1": "weak", "abc1": "strong", "abcd": "weak", "a1b2c3": "strong"}
    got = verdicts(project, ["--min", "4"] + list(cases_min))
    want = [f"{pw}: {v}" for pw, v in cases_min.items()]
    if got != want:
        fail(f"--min 4 rules wrong: got {got!r}, want {want!r}")

    got = verdicts(project, ["--min", "12", "abcdefghij1", "abcdefghijk1"])
    if got != ["abcdefghij1: weak", "abcdefghijk1: strong"]:
        fail(f"--min 12 rules wrong: got {got!r}")
    print("PASS: strong requires length AND digit; --min and output format unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
