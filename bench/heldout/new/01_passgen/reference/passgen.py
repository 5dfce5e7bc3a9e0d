import argparse
import secrets
import string
import sys

SYMBOLS = "!@#$%^&*-_=+?"


def generate(length, groups):
    alphabet = "".join(groups)
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in g for c in pw) for g in groups):
            return pw


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate random passwords.")
    ap.add_argument("--length", type=int, default=16)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--no-symbols", action="store_true")
    ap.add_argument("--no-digits", action="store_true")
    args = ap.parse_args(argv)
    if args.length < 4:
        print("error: --length must be at least 4", file=sys.stderr)
        return 1
    if args.count < 1:
        print("error: --count must be at least 1", file=sys.stderr)
        return 1
    groups = [string.ascii_lowercase, string.ascii_uppercase]
    if not args.no_digits:
        groups.append(string.digits)
    if not args.no_symbols:
        groups.append(SYMBOLS)
    for _ in range(args.count):
        print(generate(args.length, groups))
    return 0


if __name__ == "__main__":
    sys.exit(main())
