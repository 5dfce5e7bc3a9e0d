"""Checker: op_sub is clamped at zero; every other top-level statement of ops.py
(the other 12 functions, OPS, show, main, imports) is byte-for-byte unchanged."""
import ast
import json
import os
import subprocess
import sys
from pathlib import Path

TARGET = "op_sub"
BEFORE = {
    'ops.py': '"""Tiny two-number calculator.\n\nusage: python ops.py OP X Y\n"""\nimport math\nimport sys\n\n# ---- operations: every op_NAME(x, y) becomes the command NAME ----\n\n\ndef op_add(x, y):\n    return x + y\n\n\ndef op_sub(x, y):\n    return x - y\n\n\ndef op_mul(x, y):\n    return x * y\n\n\ndef op_div(x, y):\n    return x / y if y else float("nan")\n\n\ndef op_mod(x, y):\n    return x % y if y else float("nan")\n\n\ndef op_pow(x, y):\n    return x ** y\n\n\ndef op_max(x, y):\n    return max(x, y)\n\n\ndef op_min(x, y):\n    return min(x, y)\n\n\ndef op_avg(x, y):\n    return (x + y) / 2\n\n\ndef op_diff(x, y):\n    return abs(x - y)\n\n\ndef op_hyp(x, y):\n    return math.hypot(x, y)\n\n\ndef op_pct(x, y):\n    return x * y / 100\n\n\ndef op_gcd(x, y):\n    return math.gcd(int(x), int(y))\n\n\n# ---- command line ----\n\nOPS = {\n    name[3:]: func\n    for name, func in sorted(globals().items())\n    if name.startswith("op_")\n}\n\n\ndef show(value):\n    if isinstance(value, float) and value.is_integer():\n        value = int(value)\n    return str(round(value, 4) if isinstance(value, float) else value)\n\n\ndef main(argv):\n    if len(argv) != 3 or argv[0] not in OPS:\n        print(__doc__.strip())\n        print("ops:", " ".join(OPS))\n        return 2\n    x, y = float(argv[1]), float(argv[2])\n    print(show(OPS[argv[0]](x, y)))\n    return 0\n\n\nif __name__ == "__main__":\n    sys.exit(main(sys.argv[1:]))\n',
}

PROBE = r'''
import json, ops
print(json.dumps([ops.op_sub(5, 3), ops.op_sub(3, 5), ops.op_sub(2, 2), ops.op_sub(-1, -4),
                  ops.op_sub(0.5, 0.25), ops.op_sub(-3, 1), ops.op_sub(1e9, 1)]))
'''
WANT_PROBE = [2, 0, 0, 3, 0.25, 0, 999999999.0]
CLI = [
    ("sub 5 3", "2"), ("sub 3 5", "0"), ("sub 2 2", "0"), ("sub 0.5 2", "0"), ("sub 7.5 0.25", "7.25"),
    ("add 2 -5", "-3"), ("diff 3 5", "2"), ("min -2 1", "-2"), ("div 1 0", "nan"), ("hyp 3 4", "5"),
    ("pct 15 80", "12"), ("pow 2 0.5", "1.4142"), ("mod 7 3", "1"), ("gcd 12 18", "6"),
    ("avg 1 2", "1.5"), ("mul -2 3", "-6"), ("max -1 -7", "-1"),
]


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


def segments(src):
    """(key, exact source text) for each top-level statement, in order."""
    out = []
    for node in ast.parse(src).body:
        key = getattr(node, "name", None) or ast.dump(node)[:60]
        out.append((key, ast.get_source_segment(src, node)))
    return out


def main(project):
    path = project / "ops.py"
    if not path.exists():
        fail("ops.py is missing")
    src = path.read_text(encoding="utf-8")
    try:
        after = segments(src)
    except SyntaxError as e:
        fail(f"ops.py does not parse: {e}")
    before = segments(BEFORE["ops.py"])
    if TARGET not in [k for k, _ in after]:
        fail(f"{TARGET} is gone from ops.py")
    rest_before = [(k, s) for k, s in before if k != TARGET]
    rest_after = [(k, s) for k, s in after if k != TARGET]
    if [k for k, _ in rest_after] != [k for k, _ in rest_before]:
        fail(f"top-level statements other than {TARGET} were added, removed or reordered")
    for (k, s_before), (_, s_after) in zip(rest_before, rest_after):
        if s_before != s_after:
            fail(f"{k} was changed (only {TARGET} may change)")
    p = run(project, ["-c", PROBE])
    if p.returncode != 0:
        fail(f"calling ops.{TARGET} failed: {p.stderr.strip()[-300:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    if got != WANT_PROBE:
        fail(f"{TARGET} results {got!r}, want {WANT_PROBE!r}")
    for args, want in CLI:
        p = run(project, ["ops.py"] + args.split())
        if p.returncode != 0 or p.stdout.strip() != want:
            fail(f"`ops.py {args}` printed {p.stdout.strip()!r} exit {p.returncode}, want {want!r}")
    print(f"PASS: {TARGET} clamps at 0; all other functions and code byte-for-byte unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
