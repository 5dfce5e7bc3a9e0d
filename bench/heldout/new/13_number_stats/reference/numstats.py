import sys


def main():
    nums = []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            nums.append(float(line))
        except ValueError:
            print("skipping %r: not a number" % line, file=sys.stderr)
    if not nums:
        print("No numbers given.")
        return 1

    def fmt(x):
        return ("%.4f" % x).rstrip("0").rstrip(".")

    print("Count:   %d" % len(nums))
    print("Average: %s" % fmt(sum(nums) / len(nums)))
    print("Min:     %s" % fmt(min(nums)))
    print("Max:     %s" % fmt(max(nums)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
