"""Tiny two-number calculator.

usage: python ops.py OP X Y
"""
import math
import sys

# ---- operations: every op_NAME(x, y) becomes the command NAME ----


def op_add(x, y):
    return x + y


def op_sub(x, y):
    return x - y


def op_mul(x, y):
    return x * y


def op_div(x, y):
    return x / y if y else float("nan")


def op_mod(x, y):
    return x % y if y else float("nan")


def op_pow(x, y):
    return x ** y


def op_max(x, y):
    return max(x, y)


def op_min(x, y):
    return min(x, y)


def op_avg(x, y):
    return (x + y) / 2


def op_diff(x, y):
    return abs(x - y)


def op_hyp(x, y):
    return math.hypot(x, y)


def op_pct(x, y):
    return x * y / 100


def op_gcd(x, y):
    return math.gcd(int(x), int(y))


# ---- command line ----

OPS = {
    name[3:]: func
    for name, func in sorted(globals().items())
    if name.startswith("op_")
}


def show(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(round(value, 4) if isinstance(value, float) else value)


def main(argv):
    if len(argv) != 3 or argv[0] not in OPS:
        print(__doc__.strip())
        print("ops:", " ".join(OPS))
        return 2
    x, y = float(argv[1]), float(argv[2])
    print(show(OPS[argv[0]](x, y)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
