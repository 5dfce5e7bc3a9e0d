"""A small command line calculator.

usage: python calc.py add|sub|mul A B
"""
import sys


def fmt(x):
    """Print whole numbers without a trailing .0"""
    if x == int(x):
        return str(int(x))
    return str(x)


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


OPS = {"add": add, "sub": sub, "mul": mul}


def main(argv):
    if len(argv) != 3 or argv[0] not in OPS:
        print(__doc__.strip())
        return 2
    try:
        a, b = float(argv[1]), float(argv[2])
    except ValueError:
        print("error: not a number")
        return 1
    print(fmt(OPS[argv[0]](a, b)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
