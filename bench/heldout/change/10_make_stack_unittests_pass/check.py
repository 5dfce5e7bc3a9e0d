"""Checker: `python test_stack.py` exits 0 with the test file unchanged; extra Stack
behaviour checks; brackets.py command line still works."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

TEST_SHA256 = "6140388cbee3b9c073103bd42678b848a59ef7f4e50f2df7dcba386c3686e9b2"

HIDDEN = r'''
import json
from stack import Stack
s = Stack()
for i in range(100):
    s.push(i)
out = [s.peek(), s.peek(), len(s), s.pop(), s.pop(), len(s)]
t = Stack()
t.push(None)
t.push([1, 2])
out += [t.peek(), t.pop(), t.pop(), t.is_empty()]
try:
    t.pop()
    out.append("no error")
except IndexError as e:
    out.append(str(e))
t.push("again")
out += [t.pop(), len(t)]
print(json.dumps(out))
'''
WANT = [99, 99, 100, 99, 98, 98, [1, 2], [1, 2], None, True, "pop from empty stack", "again", 0]


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args[:1]))
    return p


def main(project):
    test = project / "test_stack.py"
    if not test.exists():
        fail("test_stack.py is missing")
    if hashlib.sha256(test.read_bytes()).hexdigest() != TEST_SHA256:
        fail("test_stack.py was changed (it must stay as it was)")
    p = run(project, ["test_stack.py"])
    if p.returncode != 0:
        fail(f"`python test_stack.py` exited {p.returncode}: {p.stderr.strip()[-400:]}")
    if "Ran 7 tests" not in p.stderr:
        fail(f"expected the 7 tests to run: {p.stderr.strip()[-200:]}")
    p = run(project, ["-c", HIDDEN])
    if p.returncode != 0:
        fail(f"extra Stack checks crashed: {p.stderr.strip()[-300:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    if got != WANT:
        fail(f"extra Stack checks: got {got!r}, want {WANT!r}")
    for text, want in (("{[()()]}", "balanced"), ("([)]", "not balanced"), ("((", "not balanced")):
        p = run(project, ["brackets.py", text])
        if p.returncode != 0 or p.stdout.strip() != want:
            fail(f"`brackets.py {text}` printed {p.stdout.strip()!r}, want {want!r}")
    print("PASS: test_stack.py passes unchanged; Stack is LIFO with peek; brackets.py works")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
