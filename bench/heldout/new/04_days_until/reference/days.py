import argparse
import datetime as dt
import sys


def parse_date(text):
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        print("Invalid date: %s" % text, file=sys.stderr)
        sys.exit(1)


def describe(target, start):
    diff = (target - start).days
    if diff == 0:
        return "That's today!"
    n = abs(diff)
    word = "day" if n == 1 else "days"
    return "%d %s %s %s" % (n, word, "until" if diff > 0 else "since", target.isoformat())


def main():
    ap = argparse.ArgumentParser(description="Days until or since a date.")
    ap.add_argument("date", help="target date, YYYY-MM-DD")
    ap.add_argument("--from", dest="start", help="start date, YYYY-MM-DD (default: today)")
    args = ap.parse_args()
    target = parse_date(args.date)
    start = parse_date(args.start) if args.start else dt.date.today()
    print(describe(target, start))


if __name__ == "__main__":
    main()
