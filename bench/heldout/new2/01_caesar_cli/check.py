"""Check for new2/01_caesar_cli: python check.py PROJECT_DIR"""
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "caesar.py")):
    fail("caesar.py is missing")


def run(args):
    try:
        return subprocess.run([sys.executable, "caesar.py"] + args, cwd=P, capture_output=True,
                              text=True, encoding="utf-8", timeout=15,
                              env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    except subprocess.TimeoutExpired:
        fail("timed out: caesar.py " + " ".join(args))


def shift(text, n):
    out = ""
    for ch in text:
        if "a" <= ch <= "z":
            out += chr((ord(ch) - 97 + n) % 26 + 97)
        elif "A" <= ch <= "Z":
            out += chr((ord(ch) - 65 + n) % 26 + 65)
        else:
            out += ch
    return out


def expect(args, want):
    r = run(args)
    if r.returncode != 0:
        fail("`caesar.py %s` exited with %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()[-300:]))
    got = r.stdout.rstrip("\r\n")
    if got != want:
        fail("`caesar.py %s` printed %r, expected %r" % (" ".join(args), got, want))


expect(["encode", "--shift", "3", "Hello, World!"], "Khoor, Zruog!")
expect(["decode", "--shift", "3", "Khoor, Zruog!"], "Hello, World!")
expect(["encode", "abc"], "nop")
expect(["decode", "Uryyb"], "Hello")
expect(["encode", "--shift", "1", "Zebra zoo"], "Afcsb app")
expect(["encode", "--shift", "25", "The year 2024, ok?"], shift("The year 2024, ok?", 25))
expect(["decode", "--shift", "7", "xyz ABC"], shift("xyz ABC", -7))
expect(["encode", "--shift", "0", "Same-Same"], "Same-Same")
expect(["encode", "--shift", "1", "Grüße 42!"], "Hsüßf 42!")

r = run(["crack", "Khoor"])
if r.returncode != 0:
    fail("`caesar.py crack Khoor` exited with %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
got = [l.rstrip() for l in r.stdout.strip().splitlines()]
want = ["%02d: %s" % (s, shift("Khoor", -s)) for s in range(26)]
if got != want:
    fail("`caesar.py crack Khoor` printed %r..., expected %r..." % (got[:5], want[:5]))
r = run(["crack", "Wkh fdw, 9!"])
got = [l.rstrip() for l in r.stdout.strip().splitlines()]
if r.returncode != 0 or got != ["%02d: %s" % (s, shift("Wkh fdw, 9!", -s)) for s in range(26)]:
    fail("`caesar.py crack 'Wkh fdw, 9!'` printed %r" % got[:5])

for bad in ("26", "-1", "100"):
    r = run(["encode", "--shift", bad, "abc"])
    if r.returncode != 2 or r.stdout.strip() or \
            "error: shift must be between 0 and 25" not in r.stderr:
        fail("`caesar.py encode --shift %s abc` gave exit %d, stdout %r, stderr %r; expected exit 2 "
             "and the error message on stderr" % (bad, r.returncode, r.stdout, r.stderr.strip()[-200:]))
r = run(["decode", "--shift", "x", "abc"])
if r.returncode != 2 or r.stdout.strip() or "shift" not in r.stderr:
    fail("`caesar.py decode --shift x abc` gave exit %d, stdout %r; expected exit 2 and an error on stderr"
         % (r.returncode, r.stdout))

print("PASS: encode/decode/crack outputs right, default shift 13, non-letters unchanged, bad shift exits 2 with the message")
sys.exit(0)
