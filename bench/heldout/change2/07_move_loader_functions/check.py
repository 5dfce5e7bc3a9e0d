"""Check for change2/07_move_loader_functions: python check.py PROJECT_DIR"""
import ast
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

ORIGINAL_GARDEN = '"""Which house plants need water today?\n\nplants.txt has one plant per line: name,every,last\n(water every N days, last watered on day number `last`).\n\n    python garden.py 14        # what to do on day 14\n"""\nimport sys\n\n\ndef parse_line(line):\n    name, every, last = [part.strip() for part in line.split(",")]\n    return {"name": name, "every": int(every), "last": int(last)}\n\n\ndef load_plants(path):\n    plants = []\n    with open(path) as f:\n        for line in f:\n            line = line.strip()\n            if line and not line.startswith("#"):\n                plants.append(parse_line(line))\n    return plants\n\n\ndef next_watering(plant):\n    return plant["last"] + plant["every"]\n\n\ndef status(plant, today):\n    due = next_watering(plant)\n    if due < today:\n        return f"overdue by {today - due} day(s)"\n    if due == today:\n        return "water today"\n    return f"fine, next on day {due}"\n\n\ndef main():\n    today = int(sys.argv[1]) if len(sys.argv) > 1 else 0\n    plants = load_plants("plants.txt")\n    width = max(len(p["name"]) for p in plants)\n    for plant in sorted(plants, key=next_watering):\n        print(f"{plant[\'name\']:<{width}}  {status(plant, today)}")\n    thirsty = sum(1 for p in plants if next_watering(p) <= today)\n    print(f"{thirsty} of {len(plants)} plant(s) need water")\n\n\nif __name__ == "__main__":\n    main()\n'
EXPECTED = {'None': 'Fern         fine, next on day 14\nBasil        fine, next on day 15\nMonstera     fine, next on day 16\nSnake plant  fine, next on day 19\nCactus       fine, next on day 23\n0 of 5 plant(s) need water\n', '14': 'Fern         water today\nBasil        fine, next on day 15\nMonstera     fine, next on day 16\nSnake plant  fine, next on day 19\nCactus       fine, next on day 23\n1 of 5 plant(s) need water\n', '16': 'Fern         overdue by 2 day(s)\nBasil        overdue by 1 day(s)\nMonstera     water today\nSnake plant  fine, next on day 19\nCactus       fine, next on day 23\n3 of 5 plant(s) need water\n', '30': 'Fern         overdue by 16 day(s)\nBasil        overdue by 15 day(s)\nMonstera     overdue by 14 day(s)\nSnake plant  overdue by 11 day(s)\nCactus       overdue by 7 day(s)\n5 of 5 plant(s) need water\n'}  # day argument (None = no argument) -> output of the original garden.py
MOVED = ("parse_line", "load_plants")
KEPT = ("next_watering", "status", "main")


def run(args):
    try:
        return subprocess.run([sys.executable] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail("timed out: " + " ".join(args))


def parse(name):
    path = os.path.join(P, name)
    if not os.path.isfile(path):
        fail(name + " is missing")
    with open(path) as f:
        try:
            return ast.parse(f.read())
        except SyntaxError as e:
            fail(name + " does not parse: " + str(e))


def functions(tree):
    return {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def body_dump(fn):
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # a docstring may be added or dropped
    return ast.dump(fn.args) + "".join(ast.dump(s) for s in body)


if not os.path.isfile(os.path.join(P, "plants.txt")):
    fail("plants.txt is missing")
garden = parse("garden.py")
plantfile = parse("plantfile.py")
orig = functions(ast.parse(ORIGINAL_GARDEN))
g_funcs, p_funcs = functions(garden), functions(plantfile)

for name in MOVED:
    if name in g_funcs:
        fail("garden.py still defines " + name)
    top = [n.name for n in plantfile.body if isinstance(n, ast.FunctionDef)]
    if name not in top:
        fail("plantfile.py does not define " + name + " at top level")
    if body_dump(p_funcs[name]) != body_dump(orig[name]):
        fail(name + " was changed while moving it")
for name in KEPT:
    if name not in [n.name for n in garden.body if isinstance(n, ast.FunctionDef)]:
        fail("garden.py no longer defines " + name)
for name in ("next_watering", "status"):
    if body_dump(g_funcs[name]) != body_dump(orig[name]):
        fail(name + " in garden.py was changed")
imports_plantfile = any(
    (isinstance(n, ast.ImportFrom) and n.module == "plantfile")
    or (isinstance(n, ast.Import) and any(a.name == "plantfile" for a in n.names))
    for n in ast.walk(garden))
if not imports_plantfile:
    fail("garden.py does not import from plantfile")

for day, want in EXPECTED.items():
    args = ["garden.py"] + ([day] if day != "None" else [])
    r = run(args)
    if r.returncode != 0:
        fail("`python %s` exited with %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()[-300:]))
    if r.stdout != want:
        fail("`python %s` output changed: %r" % (" ".join(args), r.stdout))

probe = ("import json, plantfile; print(json.dumps([plantfile.parse_line(' Ivy , 4, 8 '), "
         "plantfile.load_plants('plants.txt')[0]]))")
r = run(["-c", probe])
if r.returncode != 0:
    fail("using plantfile on its own failed: " + r.stderr.strip()[-300:])
try:
    got = json.loads(r.stdout.strip().splitlines()[-1])
except Exception:
    fail("could not read plantfile results: " + r.stdout[-200:])
if got != [{"name": "Ivy", "every": 4, "last": 8}, {"name": "Fern", "every": 3, "last": 11}]:
    fail("plantfile functions give %r" % got)

print("PASS: parse_line/load_plants moved unchanged to plantfile.py, garden.py imports them and prints the same for four days")
sys.exit(0)
