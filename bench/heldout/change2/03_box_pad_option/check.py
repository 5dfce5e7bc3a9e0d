"""Check for change2/03_box_pad_option: python check.py PROJECT_DIR"""
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "box.py")):
    fail("box.py is missing")


def run(args):
    try:
        return subprocess.run([sys.executable, "box.py"] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail("timed out: box.py " + " ".join(args))


def box(lines, char="*", pad=1, upper=False):
    if upper:
        lines = [l.upper() for l in lines]
    width = max(len(l) for l in lines)
    edge = char * (width + 2 * pad + 2)
    return [edge] + [char + " " * pad + l.ljust(width) + " " * pad + char for l in lines] + [edge]


def expect(args, want, what):
    r = run(args)
    if r.returncode != 0:
        fail("%s: `box.py %s` exited with %d: %s" % (what, " ".join(args), r.returncode,
                                                     r.stderr.strip()[-300:]))
    got = [l.rstrip() for l in r.stdout.rstrip("\n").split("\n")]
    while got and got[0] == "":
        got.pop(0)
    if got != [l.rstrip() for l in want]:
        fail("%s: `box.py %s` printed\n%s\nexpected\n%s" % (what, " ".join(args), r.stdout,
                                                           "\n".join(want)))


# output without --pad must be unchanged
expect(["hello"], box(["hello"]), "no --pad")
expect(["hi", "longer line"], box(["hi", "longer line"]), "no --pad")
expect(["abc", "--char", "#"], box(["abc"], "#"), "no --pad")
expect(["--upper", "quiet", "x"], box(["quiet", "x"], upper=True), "no --pad")
# with --pad
expect(["hi", "--pad", "3"], box(["hi"], pad=3), "--pad 3")
expect(["--pad", "0", "tight"], box(["tight"], pad=0), "--pad 0")
expect(["--pad", "1", "same"], box(["same"], pad=1), "--pad 1")
expect(["one", "three", "--pad", "2", "--char", "="], box(["one", "three"], "=", 2), "--pad 2 --char =")
expect(["--upper", "--pad", "4", "ab"], box(["ab"], pad=4, upper=True), "--pad 4 --upper")
expect(["x", "--pad=5"], box(["x"], pad=5), "--pad=5")

r = run(["--help"])
if r.returncode != 0 or "--pad" not in r.stdout:
    fail("--help does not mention --pad")

print("PASS: --pad N widens the box by N spaces each side; output without --pad unchanged")
sys.exit(0)
