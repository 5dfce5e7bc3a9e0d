"""Count lines in the Python files of a folder.

usage: python pylines.py FOLDER
"""
import os
import sys


def count_lines(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        return sum(1 for _ in fh)


def main(argv):
    folder = argv[0] if argv else "."
    if not os.path.isdir(folder):
        print("error: %s is not a folder" % folder, file=sys.stderr)
        return 1
    names = sorted(n for n in os.listdir(folder)
                   if n.endswith(".py") and os.path.isfile(os.path.join(folder, n)))
    total = 0
    width = max([len(n) for n in names] + [5])
    for name in names:
        n = count_lines(os.path.join(folder, name))
        total += n
        print("%-*s %6d" % (width, name, n))
    print("%-*s %6d" % (width, "TOTAL", total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
