"""Tabletop dice roller: python roll.py 3d6 1d20+4"""
import random
import re
import sys

PATTERN = re.compile(r"^\s*(\d*)d(\d+)\s*([+-]\s*\d+)?\s*$", re.IGNORECASE)


def roll(expr):
    m = PATTERN.match(expr)
    if not m:
        raise ValueError("can't understand %r (try something like 3d6 or 1d20+4)" % expr)
    count = int(m.group(1) or 1)
    sides = int(m.group(2))
    mod = int(m.group(3).replace(" ", "")) if m.group(3) else 0
    if count < 1 or sides < 1:
        raise ValueError("need at least one die with at least one side")
    rolls = [random.randint(1, sides) for _ in range(count)]
    return rolls, mod, sum(rolls) + mod


def main(argv):
    if not argv:
        print("usage: python roll.py NdS[+M] ...   e.g. python roll.py 3d6 1d20+4", file=sys.stderr)
        return 2
    for expr in argv:
        try:
            rolls, mod, total = roll(expr)
        except ValueError as e:
            print("error: %s" % e, file=sys.stderr)
            return 1
        modtxt = ""
        if mod:
            modtxt = " %s %d" % ("+" if mod > 0 else "-", abs(mod))
        print("%s: rolls %s%s -> total %d" % (expr, ", ".join(map(str, rolls)), modtxt, total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
