"""Run with: python test_textutils.py"""
from textutils import initials, slugify, truncate, word_count


def test_slugify():
    assert slugify("Hello World") == "hello-world"
    assert slugify("  Python   is  fun ") == "python-is-fun"
    assert slugify("What's new?") == "whats-new"
    assert slugify("Rock & Roll") == "rock-roll"
    assert slugify("well-known fact") == "well-known-fact"
    assert slugify("Version 2 Released") == "version-2-released"


def test_truncate():
    assert truncate("short", 10) == "short"
    assert truncate("exactly10!", 10) == "exactly10!"
    assert truncate("hello world", 8) == "hello..."
    assert len(truncate("a" * 50, 20)) == 20
    assert truncate("a" * 50, 20).endswith("...")


def test_word_count():
    assert word_count("one two  three") == 3
    assert word_count("") == 0


def test_initials():
    assert initials("ada lovelace") == "A.L."
    assert initials("Guido van Rossum") == "G.V.R."
    assert initials("plato") == "P."
    assert initials("") == ""


if __name__ == "__main__":
    test_slugify()
    test_truncate()
    test_word_count()
    test_initials()
    print("all tests passed")
