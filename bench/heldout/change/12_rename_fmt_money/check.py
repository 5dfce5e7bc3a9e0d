"""Checker: fmt_money renamed to format_price in money.py, cart.py and receipt.py
(fmt_money_list keeps its name);
after undoing the rename the code is identical (AST) to the original; output unchanged."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

OLD, NEW, DEF_FILE = "fmt_money", "format_price", "money.py"
MAIN = "receipt.py"
RUNS = [
    (["apple:0.99:3", "bread:2.50", "tea:-1.05:2"],
     "3 x apple @ EUR 0.99\n1 x bread @ EUR 2.50\n2 x tea @ -EUR 1.05\n"
     "prices: EUR 0.99, EUR 2.50, -EUR 1.05\nTOTAL EUR 3.37\n", 0),
    (["soap:1.5"], "1 x soap @ EUR 1.50\nprices: EUR 1.50\nTOTAL EUR 1.50\n", 0),
    ([], "Print a receipt.\n\nusage: python receipt.py NAME:PRICE[:QTY] ...\n"
         "example: python receipt.py apple:0.99:3 bread:2.50\n", 2),
]
BEFORE = {
    'money.py': '"""Money helpers. Amounts are whole cents (ints)."""\n\nCURRENCY = "EUR"\n\n\ndef parse_money(text):\n    """\'12.34\' -> 1234"""\n    whole, _, frac = text.strip().partition(".")\n    frac = (frac + "00")[:2]\n    sign = -1 if whole.startswith("-") else 1\n    return sign * (abs(int(whole or "0")) * 100 + int(frac))\n\n\ndef fmt_money(cents):\n    """1234 -> \'EUR 12.34\'"""\n    sign = "-" if cents < 0 else ""\n    cents = abs(cents)\n    return f"{sign}{CURRENCY} {cents // 100}.{cents % 100:02d}"\n\n\ndef fmt_money_list(amounts):\n    return ", ".join(fmt_money(a) for a in amounts)\n',
    'cart.py': '"""A shopping cart."""\nfrom money import fmt_money, parse_money\n\n\nclass Cart:\n    def __init__(self):\n        self.lines = []\n\n    def add(self, name, price_text, qty=1):\n        self.lines.append((name, parse_money(price_text), qty))\n\n    def total(self):\n        return sum(price * qty for _name, price, qty in self.lines)\n\n    def describe(self):\n        return [f"{qty} x {name} @ {fmt_money(price)}" for name, price, qty in self.lines]\n',
    'receipt.py': '"""Print a receipt.\n\nusage: python receipt.py NAME:PRICE[:QTY] ...\nexample: python receipt.py apple:0.99:3 bread:2.50\n"""\nimport sys\n\nimport money as m\nfrom cart import Cart\n\n\ndef main(argv):\n    if not argv:\n        print(__doc__.strip())\n        return 2\n    cart = Cart()\n    for arg in argv:\n        parts = arg.split(":")\n        qty = int(parts[2]) if len(parts) > 2 else 1\n        cart.add(parts[0], parts[1], qty)\n    for line in cart.describe():\n        print(line)\n    print("prices:", m.fmt_money_list([price for _n, price, _q in cart.lines]))\n    print("TOTAL", m.fmt_money(cart.total()))\n    return 0\n\n\nif __name__ == "__main__":\n    sys.exit(main(sys.argv[1:]))\n',
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
        p = run(project, [MAIN] + args)
        if p.returncode != code or p.stdout != want:
            fail(f"`{MAIN} {' '.join(args)}` output changed: {p.stdout!r} exit {p.returncode} {p.stderr.strip()[-200:]}")
    print(f"PASS: {OLD} renamed to {NEW} in all files, nothing else changed, output identical")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
