import sys

UNITS = {
    "tsp": 4.92892,
    "tbsp": 14.7868,
    "cup": 236.588,
    "floz": 29.5735,
    "ml": 1.0,
    "l": 1000.0,
}


def convert(amount, src, dst):
    return amount * UNITS[src] / UNITS[dst]


def main(argv):
    if len(argv) != 3:
        print("usage: python kitchen.py AMOUNT FROM_UNIT TO_UNIT", file=sys.stderr)
        return 1
    raw, src, dst = argv[0], argv[1].lower(), argv[2].lower()
    try:
        amount = float(raw)
    except ValueError:
        print("error: amount must be a number, got %r" % raw, file=sys.stderr)
        return 1
    if amount < 0 or amount != amount:
        print("error: amount must not be negative", file=sys.stderr)
        return 1
    for u, orig in ((src, argv[1]), (dst, argv[2])):
        if u not in UNITS:
            print("Unknown unit: %s" % orig, file=sys.stderr)
            return 2
    print("%s %s = %.2f %s" % (raw, src, convert(amount, src, dst), dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
