import argparse
import json
import os
import sys


def load(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        text = fh.read().strip()
    return json.loads(text) if text else {}


def save(path, data):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(dict(sorted(data.items())), fh, indent=2)
        fh.write("\n")


def positive_int(text):
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("quantity must be a positive whole number, got %r" % text)
    if n < 1:
        raise argparse.ArgumentTypeError("quantity must be a positive whole number, got %r" % text)
    return n


def main(argv=None):
    ap = argparse.ArgumentParser(description="Pantry inventory")
    ap.add_argument("--file", default="inventory.json")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("add", "remove"):
        sp = sub.add_parser(name)
        sp.add_argument("item")
        sp.add_argument("qty", type=positive_int)
    sub.add_parser("list")
    args = ap.parse_args(argv)

    data = load(args.file)
    if args.cmd == "list":
        if not data:
            print("(empty)")
        for name in sorted(data):
            print("%s: %d" % (name, data[name]))
        return 0

    item = args.item.lower()
    if args.cmd == "add":
        data[item] = data.get(item, 0) + args.qty
        save(args.file, data)
        print("%s: %d" % (item, data[item]))
        return 0

    if item not in data:
        print("No such item: %s" % item, file=sys.stderr)
        return 1
    if data[item] < args.qty:
        print("Not enough %s (have %d)" % (item, data[item]), file=sys.stderr)
        return 1
    left = data[item] - args.qty
    if left == 0:
        del data[item]
    else:
        data[item] = left
    save(args.file, data)
    print("%s: %d" % (item, left))
    return 0


if __name__ == "__main__":
    sys.exit(main())
