import argparse
import csv
import sys


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def cell(s):
    return s.strip().replace("|", "\\|")


def to_markdown(rows, align_numbers=False):
    header = [c.strip() for c in rows[0]]
    width = len(header)
    body = []
    for r in rows[1:]:
        r = [c.strip() for c in r][:width]
        r += [""] * (width - len(r))
        body.append(r)
    seps = []
    for i in range(width):
        vals = [r[i] for r in body if r[i] != ""]
        numeric = align_numbers and vals and all(is_number(v) for v in vals)
        seps.append("---:" if numeric else "---")
    lines = ["| " + " | ".join(cell(c) for c in header) + " |",
             "| " + " | ".join(seps) + " |"]
    for r in body:
        lines.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(lines) + "\n", len(body)


def main():
    ap = argparse.ArgumentParser(description="Convert CSV to a Markdown table")
    ap.add_argument("csvfile")
    ap.add_argument("-o", "--output")
    ap.add_argument("--align-numbers", action="store_true")
    a = ap.parse_args()
    try:
        with open(a.csvfile, newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    except FileNotFoundError:
        print("error: file not found: %s" % a.csvfile, file=sys.stderr)
        return 1
    if not rows:
        print("error: %s is empty" % a.csvfile, file=sys.stderr)
        return 1
    table, n = to_markdown(rows, a.align_numbers)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fh:
            fh.write(table)
        print("Wrote %d rows to %s" % (n, a.output))
    else:
        sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
