"""Run-length encoding on the command line.

    python rle.py encode aaabccdddd   ->  3a1b2c4d
    python rle.py decode 3a1b2c4d     ->  aaabccdddd
"""
import re
import sys


def encode(text):
    out = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        out.append(f"{j - i}{text[i]}")
        i = j
    return "".join(out)


def decode(code):
    if not re.fullmatch(r"(?:[0-9]+[^0-9])*", code):
        raise ValueError(f"malformed input: {code}")
    return "".join(ch * int(n) for n, ch in re.findall(r"([0-9]+)([^0-9])", code))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("encode", "decode"):
        print("usage: rle.py encode TEXT | decode CODE", file=sys.stderr)
        sys.exit(1)
    try:
        result = encode(sys.argv[2]) if sys.argv[1] == "encode" else decode(sys.argv[2])
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    print(result)


if __name__ == "__main__":
    main()
