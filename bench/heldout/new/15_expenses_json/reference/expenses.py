import csv
import json
import sys


def summarize(path):
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return {"total": 0.0, "count": 0, "by_category": {}, "largest": None}
        cols = [h.strip().lower() for h in header]
        i_date, i_cat, i_amt = cols.index("date"), cols.index("category"), cols.index("amount")
        for row in reader:
            lineno = reader.line_num
            if not any(c.strip() for c in row):
                continue
            try:
                amount = float(row[i_amt])
            except (ValueError, IndexError):
                print("skipping line %d" % lineno, file=sys.stderr)
                continue
            rows.append({"date": row[i_date].strip(), "category": row[i_cat].strip(), "amount": amount})
    by_cat = {}
    for r in rows:
        by_cat[r["category"]] = by_cat.get(r["category"], 0.0) + r["amount"]
    largest = None
    for r in rows:
        if largest is None or r["amount"] > largest["amount"]:
            largest = r
    return {
        "total": round(sum(r["amount"] for r in rows), 2),
        "count": len(rows),
        "by_category": {k: round(by_cat[k], 2) for k in sorted(by_cat)},
        "largest": dict(largest, amount=round(largest["amount"], 2)) if largest else None,
    }


def main(argv):
    if len(argv) != 2:
        print("usage: python expenses.py INPUT.csv OUTPUT.json", file=sys.stderr)
        return 2
    src, dst = argv
    try:
        summary = summarize(src)
    except FileNotFoundError:
        print("error: no such file: %s" % src, file=sys.stderr)
        return 1
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2)
        fh.write("\n")
    print("Wrote %s" % dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
