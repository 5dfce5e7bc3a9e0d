import argparse
import sys


def shift_text(text, shift):
    out = []
    for ch in text:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description="Caesar cipher")
    parser.add_argument("command", choices=["encode", "decode", "crack"])
    parser.add_argument("text")
    parser.add_argument("--shift", default="13")
    args = parser.parse_args()
    if args.command == "crack":
        for s in range(26):
            print(f"{s:02d}: {shift_text(args.text, -s)}")
        return
    try:
        shift = int(args.shift)
    except ValueError:
        shift = -1
    if not 0 <= shift <= 25:
        print("error: shift must be between 0 and 25", file=sys.stderr)
        sys.exit(2)
    if args.command == "encode":
        print(shift_text(args.text, shift))
    else:
        print(shift_text(args.text, -shift))


if __name__ == "__main__":
    main()
