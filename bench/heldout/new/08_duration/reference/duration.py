import sys


def humanize(seconds):
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    parts = []
    if h:
        parts.append("%dh" % h)
    if m:
        parts.append("%dm" % m)
    if s or not parts:
        parts.append("%ds" % s)
    return " ".join(parts)


def main(argv):
    if len(argv) != 1:
        print("usage: python duration.py SECONDS", file=sys.stderr)
        return 2
    try:
        print(humanize(int(argv[0])))
    except ValueError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
