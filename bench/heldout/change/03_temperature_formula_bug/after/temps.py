"""Command line temperature converter.

usage: python temps.py c2f|f2c|c2k|k2c VALUE
"""
import sys

from convert import c_to_f, c_to_k, f_to_c, k_to_c

CONVERSIONS = {
    "c2f": c_to_f,
    "f2c": f_to_c,
    "c2k": c_to_k,
    "k2c": k_to_c,
}


def main(argv):
    if len(argv) != 2 or argv[0] not in CONVERSIONS:
        print("usage: python temps.py c2f|f2c|c2k|k2c VALUE")
        return 2
    value = float(argv[1])
    print(f"{CONVERSIONS[argv[0]](value):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
