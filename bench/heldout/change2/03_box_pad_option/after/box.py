"""Draw a box around one or more lines of text.

    python box.py "hello there" "second line" --char '#'
"""
import argparse


def make_box(lines, char="*", pad=1):
    width = max(len(line) for line in lines)
    edge = char * (width + 2 * pad + 2)
    space = " " * pad
    out = [edge]
    for line in lines:
        out.append(f"{char}{space}{line.ljust(width)}{space}{char}")
    out.append(edge)
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description="Draw a box around text.")
    parser.add_argument("lines", nargs="+", help="lines of text to put in the box")
    parser.add_argument("--char", default="*", help="character used for the border")
    parser.add_argument("--pad", type=int, default=1,
                        help="spaces between the text and the border (default 1)")
    parser.add_argument("--upper", action="store_true", help="shout the text")
    args = parser.parse_args()
    lines = [line.upper() for line in args.lines] if args.upper else args.lines
    print(make_box(lines, args.char, args.pad))


if __name__ == "__main__":
    main()
