"""Check for change2/04_bird_tally_script: python check.py PROJECT_DIR"""
import ast
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
DATA = os.path.join(P, "birds.csv")

ORIGINAL_BIRDS_PY = '"""Record bird sightings in birds.csv.\n\n    python birds.py add 2024-05-01 Robin 3 "Back garden"\n    python birds.py show\n"""\nimport csv\nimport sys\n\nFILE = "birds.csv"\nFIELDS = ["date", "species", "count", "site"]\n\n\ndef add(date, species, count, site):\n    with open(FILE, "a", newline="") as f:\n        csv.writer(f).writerow([date, species, int(count), site])\n    print(f"Saved {count} x {species}")\n\n\ndef show():\n    with open(FILE, newline="") as f:\n        for row in csv.DictReader(f):\n            print(f"{row[\'date\']}  {row[\'species\']:<16} {row[\'count\']:>3}  {row[\'site\']}")\n\n\ndef main():\n    if len(sys.argv) == 6 and sys.argv[1] == "add":\n        add(*sys.argv[2:])\n    elif len(sys.argv) == 2 and sys.argv[1] == "show":\n        show()\n    else:\n        print("usage: birds.py add DATE SPECIES COUNT SITE | show")\n        sys.exit(1)\n\n\nif __name__ == "__main__":\n    main()\n'

for name in ("tally.py", "birds.py", "birds.csv"):
    if not os.path.isfile(os.path.join(P, name)):
        fail(name + " is missing")

with open(os.path.join(P, "birds.py")) as f:
    try:
        if ast.dump(ast.parse(f.read())) != ast.dump(ast.parse(ORIGINAL_BIRDS_PY)):
            fail("birds.py was changed")
    except SyntaxError:
        fail("birds.py no longer parses")


def run(args):
    try:
        return subprocess.run([sys.executable] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        raise RuntimeError("timed out: " + " ".join(args))


def summary_problem(csv_text, want):
    with open(DATA, "w", newline="") as f:
        f.write(csv_text)
    r = run(["tally.py"])
    if r.returncode != 0:
        return "tally.py exited with %d: %s" % (r.returncode, r.stderr.strip()[-300:])
    got = [l.strip() for l in r.stdout.splitlines() if l.strip()]
    for line in want:
        if got.count(line) != 1:
            return "expected the line %r in the output of tally.py, got %r" % (line, got)
    return None


CASES = [
    (None, ["Sightings: 10", "Birds: 25", "Species: 5", "Top species: Goldfinch"]),
    ("date,species,count,site\n"
     "2024-06-01,Swift,5,Roof\n"
     "2024-06-01,Jackdaw,2,Church\n"
     "2024-06-03,Starling,7,Roof\n"
     "2024-06-04,Jackdaw,5,Park\n"
     "2024-06-09,Swift,2,Park\n"
     "2024-06-10,Heron,1,River\n",
     ["Sightings: 6", "Birds: 22", "Species: 4", "Top species: Jackdaw"]),
    ("date,species,count,site\n"
     "2024-07-01,Kestrel,1,Field\n"
     "2024-07-02,Kestrel,12,Field\n"
     "2024-07-03,Barn owl,3,Barn\n",
     ["Sightings: 3", "Birds: 16", "Species: 2", "Top species: Kestrel"]),
]

with open(DATA, "rb") as f:
    original = f.read()
problem = None
try:
    for text, want in CASES:
        try:
            problem = summary_problem(original.decode() if text is None else text, want)
        except RuntimeError as e:
            problem = str(e)
        if problem:
            break
finally:
    with open(DATA, "wb") as f:
        f.write(original)

if problem:
    fail(problem)
print("PASS: tally.py prints correct Sightings/Birds/Species/Top species (tie alphabetical) for three data files; birds.py unchanged")
sys.exit(0)
