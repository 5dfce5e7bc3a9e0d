"""Check the booking sheet for clashes: python rooms.py [FILE]"""
import sys

from booking import find_clashes, fmt_time, parse_booking


def load(path):
    with open(path, encoding="utf-8") as f:
        return [parse_booking(line) for line in f
                if line.strip() and not line.startswith("#")]


def describe(b):
    return f"{b['title']} ({fmt_time(b['start'])}-{fmt_time(b['end'])})"


def main(argv):
    path = argv[0] if argv else "bookings.txt"
    bookings = load(path)
    clashes = find_clashes(bookings)
    for a, b in clashes:
        print(f"CLASH {a['room']}: {describe(a)} / {describe(b)}")
    if clashes:
        print(f"{len(clashes)} clash(es) in {len(bookings)} bookings")
    else:
        print(f"No clashes in {len(bookings)} bookings")


if __name__ == "__main__":
    main(sys.argv[1:])
