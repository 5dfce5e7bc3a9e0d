"""Print a hex dump of a file.

    python hexdump.py FILE
"""
import argparse


def format_line(offset, chunk):
    hex_part = " ".join(f"{b:02x}" for b in chunk)
    text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
    return f"{offset:08x}  {hex_part:<47}  |{text}|"


def dump(data):
    for offset in range(0, len(data), 16):
        yield format_line(offset, data[offset:offset + 16])


def main():
    parser = argparse.ArgumentParser(description="hex dump of a file")
    parser.add_argument("file", help="file to dump")
    args = parser.parse_args()
    with open(args.file, "rb") as f:
        data = f.read()
    for line in dump(data):
        print(line)
    print(f"{len(data):08x}")


if __name__ == "__main__":
    main()
