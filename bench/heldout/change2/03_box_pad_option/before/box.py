"""Draw a box around one or more lines of text.

    python box.py "hello there" "second line" --char '#'
"""
import argparse


def make_box(lines, char="*"):
    width = max(len(line) for line in lines)
    edge = char * (width + 4)
    out = [edge]
    for line in lines:
        out.append(f"{char} {line.ljust(width)} {char}")
    out.append(edge)
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description="Draw a box around text.")
    parser.add_argument("lines", nargs="+", help="lines of text to put in the box")
    parser.add_argument("--char", default="*", help="character used for the border")
    parser.add_argument("--upper", action="store_true", help="shout the text")
    args = parser.parse_args()
    lines = [line.upper() for line in args.lines] if args.upper else args.lines
    print(make_box(lines, args.char))


if __name__ == "__main__":
    main()
