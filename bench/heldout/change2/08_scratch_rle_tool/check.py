"""Check for change2/08_scratch_rle_tool: python check.py PROJECT_DIR"""
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "rle.py")):
    fail("rle.py is missing")


def run(args):
    try:
        return subprocess.run([sys.executable, "rle.py"] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail("timed out: rle.py " + " ".join(args))


def expect(args, want):
    r = run(args)
    if r.returncode != 0:
        fail("`rle.py %s` exited with %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()[-300:]))
    got = r.stdout.rstrip("\r\n")
    if got != want:
        fail("`rle.py %s` printed %r, expected %r" % (" ".join(args), got, want))


ENCODE = [
    ("aaabccdddd", "3a1b2c4d"),
    ("a", "1a"),
    ("abc", "1a1b1c"),
    ("zzzzzzzzzzzzzz", "14z"),
    ("hello world", "1h1e2l1o1 1w1o1r1l1d"),
    ("aabbaa", "2a2b2a"),
]
DECODE = [
    ("3a1b2c4d", "aaabccdddd"),
    ("12x", "x" * 12),
    ("1a10b", "a" + "b" * 10),
    ("2 1!", "  !"),
    ("1Q", "Q"),
]
for text, code in ENCODE:
    expect(["encode", text], code)
for code, text in DECODE:
    expect(["decode", code], text)

for bad in ("a3", "4", "3a4", "ab"):
    r = run(["decode", bad])
    if r.returncode != 1:
        fail("`rle.py decode %s` exited with %d, expected 1" % (bad, r.returncode))
    if r.stdout.strip():
        fail("`rle.py decode %s` printed %r on stdout, expected nothing" % (bad, r.stdout))
    if not r.stderr.strip():
        fail("`rle.py decode %s` printed no error message on stderr" % bad)

print("PASS: encode/decode right (multi-digit counts, spaces), malformed input gives stderr message and exit 1")
sys.exit(0)
