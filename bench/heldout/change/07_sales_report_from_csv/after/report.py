"""Summary figures for sales.csv."""
import csv
from collections import defaultdict


def main():
    orders = 0
    units = 0
    revenue = 0.0
    by_region = defaultdict(float)
    with open("sales.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            n = int(row["units"])
            money = n * float(row["unit_price"])
            orders += 1
            units += n
            revenue += money
            by_region[row["region"]] += money
    print(f"orders: {orders}")
    print(f"units: {units}")
    print(f"revenue: {revenue:.2f}")
    print(f"top region: {max(by_region, key=by_region.get)}")


if __name__ == "__main__":
    main()
