"""Check for new2/06_league_table: python check.py PROJECT_DIR"""
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "league.py")):
    fail("league.py is missing")

EXAMPLE = """# week 1
Rovers 3-1 Athletic
City United 0-0 Harbour
Athletic 2-2 City United

Harbour 1-0 Rovers
"""
EXAMPLE_TABLE = [
    "1. Harbour P2 W1 D1 L0 GD+1 Pts4",
    "2. Rovers P2 W1 D0 L1 GD+1 Pts3",
    "3. City United P2 W0 D2 L0 GD+0 Pts2",
    "4. Athletic P2 W0 D1 L1 GD-2 Pts1",
]
SECOND = """Alpha 3-2 Delta
Bravo 1-0 Charlie Town
Delta 1-1 Charlie Town
Alpha beat Bravo
# Foxtrot 9-0 Echo
Foxtrot 0-0 Echo
Echo vs Delta 2-
"""
SECOND_TABLE = [
    "1. Alpha P1 W1 D0 L0 GD+1 Pts3",
    "2. Bravo P1 W1 D0 L0 GD+1 Pts3",
    "3. Echo P1 W0 D1 L0 GD+0 Pts1",
    "4. Foxtrot P1 W0 D1 L0 GD+0 Pts1",
    "5. Delta P2 W0 D1 L1 GD-1 Pts1",
    "6. Charlie Town P2 W0 D1 L1 GD-1 Pts1",
]
SECOND_SKIPPED = ["skipping line 4: Alpha beat Bravo", "skipping line 7: Echo vs Delta 2-"]
BIG = """North End 4-0 South Park
South Park 2-1 East Side
East Side 3-3 North End
West Ham Lane 10-0 South Park
North End 0-1 West Ham Lane
"""
BIG_TABLE = [
    "1. West Ham Lane P2 W2 D0 L0 GD+11 Pts6",
    "2. North End P3 W1 D1 L1 GD+3 Pts4",
    "3. South Park P3 W1 D0 L2 GD-13 Pts3",
    "4. East Side P2 W0 D1 L1 GD-1 Pts1",
]


def run(args):
    try:
        return subprocess.run([sys.executable, "league.py"] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        raise RuntimeError("timed out: league.py " + " ".join(args))


def lines(text):
    return [l.rstrip() for l in text.strip().splitlines() if l.strip()]


TMP = "_check_results.txt"


def table_problem(content, args, want, what, skipped=None):
    with open(os.path.join(P, TMP), "w") as f:
        f.write(content)
    r = run([TMP] + args)
    if r.returncode != 0:
        return "%s: league.py exited with %d: %s" % (what, r.returncode, r.stderr.strip()[-300:])
    if lines(r.stdout) != want:
        return "%s: table was %r, expected %r" % (what, lines(r.stdout), want)
    if skipped is not None:
        err = lines(r.stderr)
        for s in skipped:
            if s not in err:
                return "%s: expected %r on stderr, got %r" % (what, s, err)
        if len([l for l in err if l.startswith("skipping line")]) != len(skipped):
            return "%s: wrong skipped lines on stderr: %r" % (what, err)
    return None


def checks():
    for content, args, want, what, skipped in (
        (EXAMPLE, [], EXAMPLE_TABLE, "example from the spec", []),
        (SECOND, [], SECOND_TABLE, "tie-breaks and bad lines", SECOND_SKIPPED),
        (BIG, [], BIG_TABLE, "double-digit goal differences", []),
        (SECOND, ["--top", "3"], SECOND_TABLE[:3], "--top 3", None),
        (EXAMPLE, ["--top", "1"], EXAMPLE_TABLE[:1], "--top 1", None),
    ):
        problem = table_problem(content, args, want, what, skipped)
        if problem:
            return problem
    missing = "no_such_results_file.txt"
    if os.path.exists(os.path.join(P, missing)):
        return "unexpected " + missing + " in the project"
    r = run([missing])
    if r.returncode != 1 or "error: cannot read " + missing not in r.stderr:
        return "missing file gave exit %d, stderr %r" % (r.returncode, r.stderr.strip()[-200:])
    return None


try:
    try:
        problem = checks()
    except RuntimeError as e:
        problem = str(e)
finally:
    if os.path.exists(os.path.join(P, TMP)):
        os.remove(os.path.join(P, TMP))
if problem:
    fail(problem)
print("PASS: league tables right (points, GD, goals, name order), bad lines reported on stderr, --top and missing file handled")
sys.exit(0)
