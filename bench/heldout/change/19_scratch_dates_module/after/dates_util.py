"""Date helpers. Dates are 'YYYY-MM-DD' strings.

usage: python dates_util.py DATE1 DATE2   -> days between them
"""
import sys
from datetime import date, timedelta


def parse(text):
    return date.fromisoformat(text)


def days_between(a, b):
    return abs((parse(b) - parse(a)).days)


def add_days(d, n):
    return (parse(d) + timedelta(days=n)).isoformat()


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip())
        return 2
    for arg in argv:
        try:
            parse(arg)
        except ValueError:
            print(f"error: bad date {arg}")
            return 1
    print(days_between(argv[0], argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
