"""Print a receipt.

usage: python receipt.py NAME:PRICE[:QTY] ...
example: python receipt.py apple:0.99:3 bread:2.50
"""
import sys

import money as m
from cart import Cart


def main(argv):
    if not argv:
        print(__doc__.strip())
        return 2
    cart = Cart()
    for arg in argv:
        parts = arg.split(":")
        qty = int(parts[2]) if len(parts) > 2 else 1
        cart.add(parts[0], parts[1], qty)
    for line in cart.describe():
        print(line)
    print("prices:", m.fmt_money_list([price for _n, price, _q in cart.lines]))
    print("TOTAL", m.fmt_money(cart.total()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
