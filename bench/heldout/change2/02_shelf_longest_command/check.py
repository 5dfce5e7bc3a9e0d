"""Check for change2/02_shelf_longest_command: python check.py PROJECT_DIR"""

import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
BOOKS = os.path.join(P, "books.txt")


def run(args):
    try:
        return subprocess.run(
            [sys.executable, "shelf.py"] + args, cwd=P, capture_output=True, text=True, timeout=15
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError("timed out: shelf.py " + " ".join(args))


def lines(r):
    return [l.rstrip() for l in r.stdout.strip().splitlines()]


if not os.path.isfile(os.path.join(P, "shelf.py")):
    fail("shelf.py is missing")
if not os.path.isfile(BOOKS):
    fail("books.txt is missing")

with open(BOOKS, "rb") as f:
    original = f.read()


def put(text):
    with open(BOOKS, "w") as f:
        f.write(text)


def checks():
    # the user's own shelf
    put(original.decode())
    r = run(["longest"])
    if r.returncode != 0:
        return "shelf.py longest exited with %d: %s" % (r.returncode, r.stderr.strip()[-300:])
    if lines(r) != ["Longest: Middlemarch (880 pages)"]:
        return "shelf.py longest printed %r, expected 'Longest: Middlemarch (880 pages)'" % r.stdout
    # another shelf, with a tie for the most pages (first one in the file wins)
    put("Small|A|100\nBig One|B Writer|950\nSlim|C|50\nBig Two|D Writer|950\n")
    r = run(["longest"])
    if r.returncode != 0 or lines(r) != ["Longest: Big One (950 pages)"]:
        return "with a tie, longest printed %r, expected 'Longest: Big One (950 pages)'" % r.stdout
    # a one-book shelf
    put("Only|Someone|12\n")
    r = run(["longest"])
    if r.returncode != 0 or lines(r) != ["Longest: Only (12 pages)"]:
        return "with one book, longest printed %r" % r.stdout
    # empty shelf
    put("")
    r = run(["longest"])
    if r.returncode != 0 or lines(r) != ["Shelf is empty"]:
        return "on an empty shelf, longest printed %r (exit %d), expected 'Shelf is empty'" % (
            r.stdout + r.stderr[-200:],
            r.returncode,
        )
    # old commands still work
    put(original.decode())
    r = run(["list"])
    want = [
        "1. The Hobbit by J. R. R. Tolkien (310 pages)",
        "2. Dune by Frank Herbert (412 pages)",
        "3. Beloved by Toni Morrison (324 pages)",
        "4. Middlemarch by George Eliot (880 pages)",
        "5. Emma by Jane Austen (474 pages)",
    ]
    if r.returncode != 0 or lines(r) != want:
        return "shelf.py list changed: %r" % r.stdout
    r = run(["by", "jane austen"])
    if r.returncode != 0 or lines(r) != ["Emma", "1 book(s)"]:
        return "shelf.py by changed: %r" % r.stdout
    r = run(["add", "Ulysses", "James Joyce", "1010"])
    if r.returncode != 0 or lines(r) != ["Added Ulysses"]:
        return "shelf.py add changed: %r" % (r.stdout + r.stderr[-200:])
    r = run(["longest"])
    if r.returncode != 0 or lines(r) != ["Longest: Ulysses (1010 pages)"]:
        return "after add, longest printed %r, expected 'Longest: Ulysses (1010 pages)'" % r.stdout
    return None


try:
    try:
        problem = checks()
    except RuntimeError as e:
        problem = str(e)
finally:
    with open(BOOKS, "wb") as f:
        f.write(original)

if problem:
    fail(problem)
print(
    "PASS: longest prints 'Longest: TITLE (N pages)', first wins ties, empty shelf handled; other commands unchanged"
)
sys.exit(0)
