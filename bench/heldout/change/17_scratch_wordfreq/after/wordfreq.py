"""Most common words in a text file.

usage: python wordfreq.py FILE [-n N]
"""
import argparse
import re
from collections import Counter


def top_words(text, n):
    counts = Counter(re.findall(r"[a-z]+", text.lower()))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def main():
    parser = argparse.ArgumentParser(description="most common words")
    parser.add_argument("file")
    parser.add_argument("-n", type=int, default=10)
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    for word, count in top_words(text, args.n):
        print(word, count)


if __name__ == "__main__":
    main()
