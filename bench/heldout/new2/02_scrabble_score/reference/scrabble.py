import sys

VALUES = {}
for letters, points in [("aeioulnstr", 1), ("dg", 2), ("bcmp", 3), ("fhvwy", 4),
                        ("k", 5), ("jx", 8), ("qz", 10)]:
    for ch in letters:
        VALUES[ch] = points


def score(word):
    return sum(VALUES.get(ch, 0) for ch in word.lower())


if __name__ == "__main__":
    words = sys.argv[1:] or [input("Word: ")]
    for word in words:
        print(f"{word}: {score(word)}")
