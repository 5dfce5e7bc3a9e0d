"""Vigenere cipher on the command line.

    python vigenere.py encrypt KEY "some text"
    python vigenere.py decrypt KEY "some text"
"""
import sys


def shift_text(key, text, direction):
    shifts = [ord(ch) - ord("a") for ch in key.lower()]
    out = []
    i = 0
    for ch in text:
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            base = ord("a") if ch.islower() else ord("A")
            step = shifts[i % len(shifts)] * direction
            out.append(chr((ord(ch) - base + step) % 26 + base))
            i += 1
        else:
            out.append(ch)
    return "".join(out)


def encrypt(key, text):
    return shift_text(key, text, 1)


def decrypt(key, text):
    return shift_text(key, text, -1)


def main(argv):
    if len(argv) != 3 or argv[0] not in ("encrypt", "decrypt"):
        print("usage: python vigenere.py encrypt|decrypt KEY TEXT", file=sys.stderr)
        return 1
    mode, key, text = argv
    if not key or not all("a" <= ch <= "z" or "A" <= ch <= "Z" for ch in key):
        print("error: the key must be letters only", file=sys.stderr)
        return 1
    print(encrypt(key, text) if mode == "encrypt" else decrypt(key, text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
