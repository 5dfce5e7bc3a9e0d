"""Print a hex dump of a file.

    python hexdump.py FILE [--width N]
"""
import argparse


def format_line(offset, chunk, width=16):
    hex_part = " ".join(f"{b:02x}" for b in chunk)
    text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
    return f"{offset:08x}  {hex_part:<{width * 3 - 1}}  |{text}|"


def dump(data, width=16):
    for offset in range(0, len(data), width):
        yield format_line(offset, data[offset:offset + width], width)


def main():
    parser = argparse.ArgumentParser(description="hex dump of a file")
    parser.add_argument("file", help="file to dump")
    parser.add_argument("--width", type=int, default=16,
                        help="bytes per line (default 16)")
    args = parser.parse_args()
    if args.width < 1:
        parser.error("--width must be at least 1")
    with open(args.file, "rb") as f:
        data = f.read()
    for line in dump(data, args.width):
        print(line)
    print(f"{len(data):08x}")


if __name__ == "__main__":
    main()
