"""Check for change2/06_rename_calc_score: python check.py PROJECT_DIR"""
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

ORIGINAL = {'scoring.py': '"""Scoring rules for the weekly archery club shoot."""\n\nBULLSEYE_BONUS = 5\n\n\ndef calc_score(arrows):\n    """Points for one round: sum of the arrows plus a bonus per bullseye (10)."""\n    total = sum(arrows)\n    total += BULLSEYE_BONUS * arrows.count(10)\n    return total\n\n\ndef best_round(rounds):\n    return max(calc_score(r) for r in rounds)\n', 'leaderboard.py': 'import scoring\n\n\ndef rank(players):\n    """players: dict name -> list of rounds. Returns (name, total) best first."""\n    rows = []\n    for name, rounds in players.items():\n        total = sum(scoring.calc_score(r) for r in rounds)\n        rows.append((name, total))\n    rows.sort(key=lambda row: (-row[1], row[0]))\n    return rows\n\n\ndef format_board(rows):\n    lines = []\n    for place, (name, total) in enumerate(rows, 1):\n        lines.append(f"{place}. {name:<8} {total:>4}")\n    return "\\n".join(lines)\n', 'main.py': 'from leaderboard import format_board, rank\nfrom scoring import best_round, calc_score\n\nPLAYERS = {\n    "Mira": [[10, 9, 9], [8, 10, 7]],\n    "Jonas": [[7, 7, 6], [10, 10, 9]],\n    "Ruth": [[9, 9, 9], [9, 8, 9]],\n}\n\n\ndef main():\n    print(format_board(rank(PLAYERS)))\n    print()\n    for name, rounds in PLAYERS.items():\n        first = calc_score(rounds[0])\n        print(f"{name}: first round {first}, best round {best_round(rounds)}")\n\n\nif __name__ == "__main__":\n    main()\n'}
EXPECTED_OUTPUT = '1. Mira       63\n2. Jonas      59\n3. Ruth       53\n\nMira: first round 33, best round 33\nJonas: first round 20, best round 39\nRuth: first round 27, best round 27\n'
OLD, NEW = "calc_score", "compute_score"


class Back(ast.NodeTransformer):
    """Rename NEW back to OLD so the result can be compared with the original."""

    def visit_Name(self, node):
        if node.id == NEW:
            node.id = OLD
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr == NEW:
            node.attr = OLD
        return node

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        if node.name == NEW:
            node.name = OLD
        return node

    def visit_alias(self, node):
        if node.name == NEW:
            node.name = OLD
        if node.asname == NEW:
            node.asname = OLD
        return node


def identifiers(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.alias):
            yield node.name
            if node.asname:
                yield node.asname
        elif isinstance(node, ast.arg):
            yield node.arg


for name, original in ORIGINAL.items():
    path = os.path.join(P, name)
    if not os.path.isfile(path):
        fail(name + " is missing")
    with open(path) as f:
        text = f.read()
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        fail(name + " does not parse: " + str(e))
    if OLD in set(identifiers(tree)):
        fail("%s still uses the name %s" % (name, OLD))
    if OLD in text:
        fail("%s still mentions %s" % (name, OLD))
    if NEW not in set(identifiers(tree)):
        fail("%s does not use %s" % (name, NEW))
    if ast.dump(Back().visit(tree)) != ast.dump(ast.parse(original)):
        fail("%s changed in more than the rename" % name)

try:
    r = subprocess.run([sys.executable, "main.py"], cwd=P, capture_output=True, text=True,
                       timeout=15)
except subprocess.TimeoutExpired:
    fail("timed out: main.py")
if r.returncode != 0:
    fail("main.py exited with %d: %s" % (r.returncode, r.stderr.strip()[-300:]))
if r.stdout != EXPECTED_OUTPUT:
    fail("main.py prints something different from before: " + r.stdout)

print("PASS: calc_score renamed to compute_score in scoring.py, leaderboard.py and main.py; nothing else changed; same output")
sys.exit(0)
