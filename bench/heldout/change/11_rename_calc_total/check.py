"""Checker: calc_total renamed to order_total in orders.py, report.py and main.py;
after undoing the rename the code is identical (AST) to the original; output unchanged."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

OLD, NEW, DEF_FILE = "calc_total", "order_total", "orders.py"
RUNS = [
    ([], "A100: 2 item(s), net 15.00, gross 18.00\nA101: 1 item(s), net 45.00, gross 54.00\n"
         "A102: 3 item(s), net 11.59, gross 13.91\nall orders: 71.59\nbiggest: A101\n", 0),
    (["A102"], "A102 total: 11.59\n", 0),
    (["Z9"], "unknown order Z9\n", 1),
]
BEFORE = {
    'orders.py': '"""Order data and pricing."""\n\nTAX_RATE = 0.2\n\nORDERS = {\n    "A100": [("notebook", 2, 3.50), ("pen", 10, 0.80)],\n    "A101": [("backpack", 1, 45.00)],\n    "A102": [("pen", 3, 0.80), ("ruler", 1, 1.20), ("stapler", 1, 7.99)],\n}\n\n\ndef calc_total(items, with_tax=False):\n    """Sum of quantity * price for a list of (name, qty, price)."""\n    total = sum(qty * price for _name, qty, price in items)\n    if with_tax:\n        total *= 1 + TAX_RATE\n    return round(total, 2)\n\n\ndef biggest_order():\n    return max(ORDERS, key=lambda oid: calc_total(ORDERS[oid]))\n',
    'report.py': '"""Text report of all orders."""\nfrom orders import ORDERS, calc_total\n\n\ndef order_line(order_id):\n    items = ORDERS[order_id]\n    net = calc_total(items)\n    gross = calc_total(items, with_tax=True)\n    return f"{order_id}: {len(items)} item(s), net {net:.2f}, gross {gross:.2f}"\n\n\ndef full_report():\n    lines = [order_line(oid) for oid in sorted(ORDERS)]\n    grand = sum(calc_total(ORDERS[oid]) for oid in ORDERS)\n    lines.append(f"all orders: {grand:.2f}")\n    return "\\n".join(lines)\n',
    'main.py': '"""usage: python main.py [ORDER_ID]"""\nimport sys\n\nimport orders\nimport report\n\n\ndef main(argv):\n    if argv:\n        oid = argv[0]\n        if oid not in orders.ORDERS:\n            print(f"unknown order {oid}")\n            return 1\n        print(f"{oid} total: {orders.calc_total(orders.ORDERS[oid]):.2f}")\n        return 0\n    print(report.full_report())\n    print(f"biggest: {orders.biggest_order()}")\n    return 0\n\n\nif __name__ == "__main__":\n    sys.exit(main(sys.argv[1:]))\n',
}


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args))
    return p


def names_in(src):
    """Every identifier the code uses or defines (f-string insides included)."""
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return set()
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, ast.alias):
            out.add(n.name.split(".")[-1])
            if n.asname:
                out.add(n.asname)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.keyword) and n.arg:
            out.add(n.arg)
    return out


def main(project):
    after = {}
    for name in BEFORE:
        path = project / name
        if not path.exists():
            fail(f"{name} is missing")
        after[name] = path.read_text(encoding="utf-8")
        try:
            ast.parse(after[name])
        except SyntaxError as e:
            fail(f"{name} does not parse: {e}")
    for path in sorted(project.rglob("*.py")):
        if OLD in names_in(path.read_text(encoding="utf-8")):
            fail(f"{path.relative_to(project)} still uses the old name {OLD}")
    for name, src in after.items():
        if NEW not in names_in(src):
            fail(f"{name} does not use {NEW}")
    tree = ast.parse(after[DEF_FILE])
    if not any(isinstance(n, ast.FunctionDef) and n.name == NEW for n in tree.body):
        fail(f"{DEF_FILE} does not define {NEW}()")
    for name, src in after.items():
        undone = re.sub(r"\b" + NEW + r"\b", OLD, src)
        if ast.dump(ast.parse(undone)) != ast.dump(ast.parse(BEFORE[name])):
            fail(f"{name} has changes other than the rename")
    for args, want, code in RUNS:
        p = run(project, ["main.py"] + args)
        if p.returncode != code or p.stdout != want:
            fail(f"`main.py {' '.join(args)}` output changed: {p.stdout!r} exit {p.returncode} {p.stderr.strip()[-200:]}")
    print(f"PASS: {OLD} renamed to {NEW} in all files, nothing else changed, output identical")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
