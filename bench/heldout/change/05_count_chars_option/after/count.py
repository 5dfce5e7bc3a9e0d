"""Count lines and words in a text file.

usage: python count.py [--chars] FILE
"""
import argparse


def count(text):
    lines = text.count("\n")
    if text and not text.endswith("\n"):
        lines += 1
    words = len(text.split())
    return lines, words


def main():
    parser = argparse.ArgumentParser(description="count lines and words")
    parser.add_argument("file")
    parser.add_argument("--chars", action="store_true", help="also count characters")
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    lines, words = count(text)
    print(f"lines: {lines}")
    print(f"words: {words}")
    if args.chars:
        print(f"chars: {len(text)}")


if __name__ == "__main__":
    main()
