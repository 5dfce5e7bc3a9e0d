"""Convert between numbers and Roman numerals.

usage: python roman.py 1994      -> MCMXCIV
       python roman.py MCMXCIV   -> 1994
"""
import re
import sys

VALUES = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
LETTERS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(n):
    if not 1 <= n <= 3999:
        raise ValueError("number must be between 1 and 3999")
    out = []
    for value, letters in VALUES:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def from_roman(text):
    text = text.upper()
    if not text or not re.fullmatch(r"[IVXLCDM]+", text):
        raise ValueError(f"not a Roman numeral: {text}")
    total = 0
    for i, ch in enumerate(text):
        value = LETTERS[ch]
        if i + 1 < len(text) and LETTERS[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip())
        return 2
    arg = argv[0]
    try:
        print(to_roman(int(arg)) if arg.isdigit() else from_roman(arg))
    except ValueError as e:
        print(f"error: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
