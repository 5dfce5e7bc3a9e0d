"""A tiny money ledger kept in ledger.csv (date,amount,description).

    python ledger.py add 2024-03-02 -12.50 "Bus pass"
    python ledger.py list
    python ledger.py balance
    python ledger.py month 2024-03
"""
import csv
import sys

LEDGER = "ledger.csv"


def load(path=LEDGER):
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            row["amount"] = float(row["amount"])
            rows.append(row)
    return rows


def add_entry(date, amount, description, path=LEDGER):
    with open(path, "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow([date, f"{amount:.2f}", description])


def cmd_add(args):
    if len(args) < 3:
        print("usage: python ledger.py add DATE AMOUNT DESCRIPTION")
        return 2
    amount = float(args[1])
    add_entry(args[0], amount, " ".join(args[2:]))
    print(f"Added {amount:+.2f} on {args[0]}")
    return 0


def cmd_list(args):
    for row in load():
        print(f"{row['date']}  {row['amount']:+10.2f}  {row['description']}")
    return 0


def cmd_balance(args):
    total = sum(row["amount"] for row in load())
    print(f"Balance: {total:.2f}")
    return 0


def cmd_month(args):
    if len(args) != 1:
        print("usage: python ledger.py month YYYY-MM")
        return 2
    month = args[0]
    rows = [row for row in load() if row["date"][:7] == month]
    if not rows:
        print(f"No entries for {month}")
        return 0
    money_in = sum(row["amount"] for row in rows if row["amount"] > 0)
    money_out = -sum(row["amount"] for row in rows if row["amount"] < 0)
    print(f"in: {money_in:.2f}")
    print(f"out: {money_out:.2f}")
    print(f"net: {money_in - money_out:.2f}")
    return 0


COMMANDS = {"add": cmd_add, "list": cmd_list, "balance": cmd_balance,
            "month": cmd_month}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print("usage: python ledger.py {" + ",".join(COMMANDS) + "} ...")
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
