"""Check for change2/01_grade_cutoffs: python check.py PROJECT_DIR"""

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


def run(args):
    try:
        return subprocess.run(
            [sys.executable] + args, cwd=P, capture_output=True, text=True, timeout=15
        )
    except subprocess.TimeoutExpired:
        fail("timed out: " + " ".join(args))


def expected_letter(s):
    if s >= 90:
        return "A"
    if s >= 80:
        return "B"
    if s >= 70:
        return "C"
    if s >= 60:
        return "D"
    return "F"


for name in ("grades.py", "report.py", "class.txt"):
    if not os.path.isfile(os.path.join(P, name)):
        fail(name + " is missing")

# 1. letter() for every score 0..100
code = "import json, grades; print(json.dumps([grades.letter(s) for s in range(101)]))"
r = run(["-c", code])
if r.returncode != 0:
    fail("importing grades / calling letter() failed: " + r.stderr.strip()[-300:])
try:
    got = json.loads(r.stdout.strip().splitlines()[-1])
except Exception:
    fail("could not read letter() results")
for s in range(101):
    if got[s] != expected_letter(s):
        fail(f"letter({s}) is {got[s]!r}, expected {expected_letter(s)!r}")

# 2. the report on the class file that ships with the project
EXPECTED = """Ana Lopez: 94 (A)
Ben Ito: 90 (A)
Carla Moss: 80 (B)
Dev Patel: 79 (C)
Eli Grant: 70 (C)
Fay Young: 61 (D)
Gus Hale: 60 (D)
Hana Sato: 42 (F)
---
A=2 B=1 C=2 D=2 F=1"""
r = run(["report.py"])
if r.returncode != 0:
    fail("report.py exited with " + str(r.returncode) + ": " + r.stderr.strip()[-300:])
if [l.rstrip() for l in r.stdout.strip().splitlines()] != EXPECTED.splitlines():
    fail("report.py output differs from expected:\n" + r.stdout)

# 3. the report on another class file (given as an argument)
tmp = os.path.join(P, "_check_class_tmp.txt")
try:
    with open(tmp, "w") as f:
        f.write("Zoe 100\nYan 89\nXia 59\nWes 0\nVal 85\n")
    r = run(["report.py", "_check_class_tmp.txt"])
finally:
    if os.path.exists(tmp):
        os.remove(tmp)
want = [
    "Zoe: 100 (A)",
    "Yan: 89 (B)",
    "Xia: 59 (F)",
    "Wes: 0 (F)",
    "Val: 85 (B)",
    "---",
    "A=1 B=2 C=0 D=0 F=2",
]
if r.returncode != 0 or [l.rstrip() for l in r.stdout.strip().splitlines()] != want:
    fail("report.py on a second class file gave:\n" + r.stdout + r.stderr[-300:])

print("PASS: cutoffs 90/80/70/60 now give the higher grade; report output correct")
sys.exit(0)
