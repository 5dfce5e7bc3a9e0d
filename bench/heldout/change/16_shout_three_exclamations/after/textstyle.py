"""Restyle a piece of text.

usage: python textstyle.py STYLE TEXT...
       python textstyle.py --list
"""
import sys


def style_upper(text):
    return text.upper()


def style_lower(text):
    return text.lower()


def style_title(text):
    return text.title()


def style_reverse(text):
    return text[::-1]


def style_shout(text):
    return text.upper() + "!!!"


def style_whisper(text):
    return text.lower() + "..."


def style_snake(text):
    return "_".join(text.lower().split())


def style_kebab(text):
    return "-".join(text.lower().split())


def style_camel(text):
    words = text.split()
    if not words:
        return ""
    return words[0].lower() + "".join(w.capitalize() for w in words[1:])


def style_spaced(text):
    return " ".join(text.replace(" ", ""))


def style_quote(text):
    return f'"{text}"'


def style_initials(text):
    return "".join(w[0].upper() for w in text.split())


STYLES = {
    "upper": style_upper,
    "lower": style_lower,
    "title": style_title,
    "reverse": style_reverse,
    "shout": style_shout,
    "whisper": style_whisper,
    "snake": style_snake,
    "kebab": style_kebab,
    "camel": style_camel,
    "spaced": style_spaced,
    "quote": style_quote,
    "initials": style_initials,
}


def main(argv):
    if argv == ["--list"]:
        print("\n".join(STYLES))
        return 0
    if len(argv) < 2 or argv[0] not in STYLES:
        print(__doc__.strip())
        return 2
    print(STYLES[argv[0]](" ".join(argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
