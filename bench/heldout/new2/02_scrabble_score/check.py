"""Check for new2/02_scrabble_score (vague spec): python check.py PROJECT_DIR

The spec names no file and no way of giving the word, so the check finds the entry
point itself (a .py file with a __main__ guard or that reads sys.argv / input()) and
tries the word as a command-line argument first, then on stdin. It accepts any output
in which the right score appears as a whole number.
"""
import os
import re
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])

VALUES = {}
for letters, points in [("aeioulnstr", 1), ("dg", 2), ("bcmp", 3), ("fhvwy", 4),
                        ("k", 5), ("jx", 8), ("qz", 10)]:
    for ch in letters:
        VALUES[ch] = points


def score(word):
    return sum(VALUES[ch] for ch in word.lower())


def candidates():
    found = []
    for root, dirs, files in os.walk(P):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "venv", ".venv")]
        for name in sorted(files):
            if not name.endswith(".py") or name.startswith("test"):
                continue
            path = os.path.join(root, name)
            try:
                text = open(path, encoding="utf-8", errors="replace").read()
            except OSError:
                continue
            if "__main__" in text or "sys.argv" in text or "input(" in text or "argparse" in text:
                found.append(os.path.relpath(path, P))
    return found


def run(script, args, stdin):
    try:
        return subprocess.run([sys.executable, script] + args, cwd=P, input=stdin,
                              capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired:
        return None


def numbers(text):
    return [int(n) for n in re.findall(r"(?<!\d)(?<!\d\.)\d+(?!\d)(?!\.\d)", text)]


def score_shown(script, word):
    """Returns the output if the right score is shown, else None."""
    want = score(word)
    for args, stdin in (([word], ""), ([], word + "\n")):
        r = run(script, args, stdin)
        if r is not None and r.returncode == 0 and want in numbers(r.stdout):
            return r.stdout
    return None


WORDS = ["quiz", "hello", "Jukebox", "CABBAGE", "fizzy", "street"]
scripts = candidates()
if not scripts:
    fail("no runnable .py file found")
last = ""
for script in scripts:
    for word in WORDS:
        if score_shown(script, word) is None:
            r = run(script, [word], "")
            last = "%s: the score of %r should be %d; output was %r" % (
                script, word, score(word), (r.stdout + r.stderr)[-200:] if r else "timeout")
            break
    else:
        print("PASS: %s shows the right Scrabble score for %s" % (script, ", ".join(WORDS)))
        sys.exit(0)
fail(last)
