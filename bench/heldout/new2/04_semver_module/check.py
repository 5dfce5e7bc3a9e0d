"""Check for new2/04_semver_module: python check.py PROJECT_DIR"""
import json
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "semver.py")):
    fail("semver.py is missing")

# (expression, expected): expected is a JSON value, or "ValueError" for a raised ValueError
CASES = [
    ('parse("1.2.3")', [1, 2, 3]),
    ('parse("v1.2.3")', [1, 2, 3]),
    ('parse("0.0.0")', [0, 0, 0]),
    ('parse("10.200.3000")', [10, 200, 3000]),
    ('type(parse("4.5.6")).__name__', "tuple"),
    ('[type(x).__name__ for x in parse("4.5.6")]', ["int", "int", "int"]),
    ('parse("1.2")', "ValueError"),
    ('parse("1.2.3.4")', "ValueError"),
    ('parse("01.2.3")', "ValueError"),
    ('parse("1.2.07")', "ValueError"),
    ('parse("1.x.3")', "ValueError"),
    ('parse("")', "ValueError"),
    ('parse("V1.2.3")', "ValueError"),
    ('parse(" 1.2.3")', "ValueError"),
    ('parse("1.2.3 ")', "ValueError"),
    ('parse("1.2.3-beta")', "ValueError"),
    ('parse("1..3")', "ValueError"),
    ('parse("-1.2.3")', "ValueError"),
    ('compare("1.10.0", "1.9.9")', 1),
    ('compare("1.9.9", "1.10.0")', -1),
    ('compare("v2.0.0", "2.0.0")', 0),
    ('compare("2.0.0", "10.0.0")', -1),
    ('compare("3.1.4", "3.1.5")', -1),
    ('compare("3.2.0", "3.1.99")', 1),
    ('compare("1.2", "1.2.0")', "ValueError"),
    ('bump("1.4.2", "minor")', "1.5.0"),
    ('bump("v0.9.9", "major")', "1.0.0"),
    ('bump("1.4.2", "patch")', "1.4.3"),
    ('bump("v9.9.9", "patch")', "9.9.10"),
    ('bump("2.3.4", "major")', "3.0.0"),
    ('bump("1.4.2", "build")', "ValueError"),
    ('bump("1.4", "patch")', "ValueError"),
    ('latest(["1.2.0", "v1.10.0", "1.9.0"])', "v1.10.0"),
    ('latest(["0.1.0"])', "0.1.0"),
    ('latest(["2.0.0", "v2.0.0", "1.0.0"])', "2.0.0"),
    ('latest(["v2.0.0", "2.0.0"])', "v2.0.0"),
    ('latest(["0.0.9", "0.0.10", "0.0.2"])', "0.0.10"),
    ('latest([])', "ValueError"),
]

PROBE = r"""
import json, sys
from semver import parse, compare, bump, latest
cases = json.loads(sys.stdin.read())
out = []
for expr in cases:
    try:
        v = eval(expr)
        out.append(["ok", list(v) if isinstance(v, tuple) else v])
    except ValueError:
        out.append(["err", "ValueError"])
    except Exception as e:
        out.append(["err", type(e).__name__ + ": " + str(e)[:100]])
print(json.dumps(out))
"""
try:
    r = subprocess.run([sys.executable, "-c", PROBE], cwd=P, input=json.dumps([c[0] for c in CASES]),
                       capture_output=True, text=True, timeout=15)
except subprocess.TimeoutExpired:
    fail("timed out importing/using semver")
if r.returncode != 0:
    fail("importing semver failed: " + r.stderr.strip()[-300:])
try:
    results = json.loads(r.stdout.strip().splitlines()[-1])
except Exception:
    fail("could not read results: " + r.stdout[-300:])
for (expr, want), (kind, got) in zip(CASES, results):
    if want == "ValueError":
        if kind != "err" or got != "ValueError":
            fail("%s should raise ValueError, got %r" % (expr, got))
    elif kind != "ok" or got != want:
        fail("%s gave %r, expected %r" % (expr, got, want))

print("PASS: parse/compare/bump/latest give the specified results and raise ValueError for %d invalid inputs"
      % sum(1 for c in CASES if c[1] == "ValueError"))
sys.exit(0)
