"""usage: python main.py             (table for shapes.txt)
       python main.py KIND DIM...   (one shape, e.g. rect 3 4)"""
import sys

from geometry import area, format_area, format_table


def read_shapes(path):
    shapes = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts and not parts[0].startswith("#"):
                shapes.append((parts[0], *map(float, parts[1:])))
    return shapes


def main(argv):
    if argv:
        shape = (argv[0], *map(float, argv[1:]))
        try:
            print(format_area(area(shape)))
        except ValueError as e:
            print(e)
            return 1
        return 0
    print(format_table(read_shapes("shapes.txt")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
