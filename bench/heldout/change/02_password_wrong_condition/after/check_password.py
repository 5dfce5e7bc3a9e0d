"""Say whether passwords are strong.

usage: python check_password.py [--min N] PASSWORD [PASSWORD ...]
"""
import argparse

DEFAULT_MIN = 8


def is_strong(pw, min_len=DEFAULT_MIN):
    long_enough = len(pw) >= min_len
    has_digit = any(c.isdigit() for c in pw)
    return long_enough and has_digit


def describe(pw, min_len=DEFAULT_MIN):
    if is_strong(pw, min_len):
        return f"{pw}: strong"
    return f"{pw}: weak"


def main():
    parser = argparse.ArgumentParser(description="check password strength")
    parser.add_argument("--min", type=int, default=DEFAULT_MIN, help="minimum length")
    parser.add_argument("passwords", nargs="+")
    args = parser.parse_args()
    for pw in args.passwords:
        print(describe(pw, args.min))


if __name__ == "__main__":
    main()
