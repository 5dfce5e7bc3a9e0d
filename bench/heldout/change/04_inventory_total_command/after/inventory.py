"""Keep track of stock in inventory.json.

usage:
    python inventory.py show
    python inventory.py add NAME QTY
    python inventory.py remove NAME QTY
    python inventory.py total
"""
import json
import sys

DATA = "inventory.json"


def load():
    try:
        with open(DATA, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(stock):
    with open(DATA, "w", encoding="utf-8") as f:
        json.dump(stock, f, indent=2, sort_keys=True)


def show(stock, args):
    if not stock:
        print("(empty)")
    for name in sorted(stock):
        print(f"{name}: {stock[name]}")
    return 0


def add(stock, args):
    name, qty = args[0], int(args[1])
    stock[name] = stock.get(name, 0) + qty
    save(stock)
    print(f"{name}: {stock[name]}")
    return 0


def remove(stock, args):
    name, qty = args[0], int(args[1])
    if stock.get(name, 0) < qty:
        print(f"not enough {name}")
        return 1
    stock[name] -= qty
    if stock[name] == 0:
        del stock[name]
    save(stock)
    print(f"{name}: {stock.get(name, 0)}")
    return 0


def total(stock, args):
    print(f"total: {sum(stock.values())}")
    return 0


COMMANDS = {"show": show, "add": add, "remove": remove, "total": total}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 2
    return COMMANDS[argv[0]](load(), argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
