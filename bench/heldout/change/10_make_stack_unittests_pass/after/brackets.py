"""Check that brackets in a piece of text are balanced.

usage: python brackets.py TEXT
"""
import sys

from stack import Stack

PAIRS = {")": "(", "]": "[", "}": "{"}


def is_balanced(text):
    s = Stack()
    for ch in text:
        if ch in "([{":
            s.push(ch)
        elif ch in PAIRS:
            if s.is_empty() or s.pop() != PAIRS[ch]:
                return False
    return s.is_empty()


if __name__ == "__main__":
    text = " ".join(sys.argv[1:])
    print("balanced" if is_balanced(text) else "not balanced")
