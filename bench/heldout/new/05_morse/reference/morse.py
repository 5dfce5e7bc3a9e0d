"""Morse code translator.

    python morse.py encode "SOS help"
    python morse.py decode "... --- ... / .... . .-.. .--."
"""
import sys

CODES = {
    "A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.",
    "G": "--.", "H": "....", "I": "..", "J": ".---", "K": "-.-", "L": ".-..",
    "M": "--", "N": "-.", "O": "---", "P": ".--.", "Q": "--.-", "R": ".-.",
    "S": "...", "T": "-", "U": "..-", "V": "...-", "W": ".--", "X": "-..-",
    "Y": "-.--", "Z": "--..",
    "0": "-----", "1": ".----", "2": "..---", "3": "...--", "4": "....-",
    "5": ".....", "6": "-....", "7": "--...", "8": "---..", "9": "----.",
}
REVERSE = {v: k for k, v in CODES.items()}


def encode(text):
    words = []
    for word in text.split():
        letters = []
        for ch in word.upper():
            if ch not in CODES:
                raise ValueError("cannot encode character %r" % ch)
            letters.append(CODES[ch])
        words.append(" ".join(letters))
    return " / ".join(words)


def decode(code):
    words = []
    for word in code.split("/"):
        letters = []
        for sym in word.split():
            if sym not in REVERSE:
                raise ValueError("unknown Morse code %r" % sym)
            letters.append(REVERSE[sym])
        if letters:
            words.append("".join(letters))
    return " ".join(words)


def main(argv):
    if len(argv) != 2 or argv[0] not in ("encode", "decode"):
        print('usage: python morse.py encode|decode "TEXT"', file=sys.stderr)
        return 2
    try:
        print(encode(argv[1]) if argv[0] == "encode" else decode(argv[1]))
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
