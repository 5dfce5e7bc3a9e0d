"""Check for new2/05_dedupe_lines (vague spec): python check.py PROJECT_DIR

The spec names no file, so the check finds the entry point itself: a .py file with a
__main__ guard or that reads stdin. Text is piped in with no arguments. Blank lines at
the very start or end of the output are ignored, and trailing spaces on each line.
"""
import os
import random
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])


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
            if "__main__" in text or "stdin" in text or "input(" in text or "fileinput" in text:
                found.append(os.path.relpath(path, P))
    return found


def run(script, text):
    try:
        return subprocess.run([sys.executable, script], cwd=P, input=text, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        return None


def first_seen(lines):
    seen, out = set(), []
    for l in lines:
        if l not in seen:
            seen.add(l)
            out.append(l)
    return out


def cleaned(stdout):
    lines = [l.rstrip() for l in stdout.split("\n")]
    while lines and lines[0] == "":
        lines.pop(0)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


rng = random.Random(7)
big = ["item %d" % rng.randrange(300) for _ in range(20000)]
CASES = [
    ["banana", "apple", "banana", "cherry", "apple", "banana"],
    ["b", "a", "b", "c", "a"],
    ["same", "same", "same"],
    ["one line only"],
    ["x y z", "x y", "x y z", "done", "x y"],
    ["10", "9", "10", "1", "9", "100"],
    big,
]

scripts = candidates()
if not scripts:
    fail("no runnable .py file found")
problem = ""
for script in scripts:
    for lines in CASES:
        r = run(script, "\n".join(lines) + "\n")
        want = first_seen(lines)
        if r is None:
            problem = "%s timed out on %d lines" % (script, len(lines))
            break
        if r.returncode != 0:
            problem = "%s exited with %d: %s" % (script, r.returncode, r.stderr.strip()[-200:])
            break
        got = cleaned(r.stdout)
        if got != want:
            problem = "%s printed %r for input %r, expected %r" % (
                script, got[:8], lines[:8], want[:8])
            break
    else:
        # the last line may come without a newline at the end
        r = run(script, "red\nblue\nred\ngreen")
        if r is not None and r.returncode == 0 and cleaned(r.stdout) == ["red", "blue", "green"]:
            print("PASS: %s prints each line once, first-seen order, for %d inputs" % (script, len(CASES) + 1))
            sys.exit(0)
        problem = "%s on input without a final newline printed %r" % (script, r.stdout if r else "timeout")
fail(problem)
