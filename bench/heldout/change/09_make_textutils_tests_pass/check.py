"""Checker: `python test_textutils.py` exits 0, the test file is unchanged, and the
functions also behave right on cases the test file does not list (no special-casing)."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

TEST_SHA256 = "1a6fdd5816429b9a881e49b313da605c2bb3b3f1a615f50400d9a754aed520ff"

HIDDEN = r'''
import json
from textutils import initials, slugify, truncate, word_count
print(json.dumps([
    slugify("Top 10 Tips!"),
    slugify("  Many   Spaces here  "),
    slugify("C'est la vie"),
    slugify("ALL CAPS TITLE"),
    truncate("abcdefghij", 5),
    truncate("abc", 3),
    truncate("The quick brown fox", 12),
    word_count("  lots   of\nspace\there "),
    initials("grace brewster murray hopper"),
    initials("  alan   turing "),
]))
'''
WANT = ["top-10-tips", "many-spaces-here", "cest-la-vie", "all-caps-title",
        "ab...", "abc", "The quick...", 4, "G.B.M.H.", "A.T."]


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
    test = project / "test_textutils.py"
    if not test.exists():
        fail("test_textutils.py is missing")
    if hashlib.sha256(test.read_bytes()).hexdigest() != TEST_SHA256:
        fail("test_textutils.py was changed (it must stay as it was)")
    p = run(project, ["test_textutils.py"])
    if p.returncode != 0:
        fail(f"`python test_textutils.py` exited {p.returncode}: {(p.stderr.strip() or p.stdout.strip())[-300:]}")
    if "all tests passed" not in p.stdout:
        fail("test script did not print 'all tests passed'")
    p = run(project, ["-c", HIDDEN])
    if p.returncode != 0:
        fail(f"extra checks crashed: {p.stderr.strip()[-300:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    for g, w, i in zip(got, WANT, range(len(WANT))):
        if g != w:
            fail(f"extra check #{i + 1}: got {g!r}, want {w!r}")
    print("PASS: test_textutils.py passes unchanged and the helpers handle unseen cases too")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
