"""Record bird sightings in birds.csv.

    python birds.py add 2024-05-01 Robin 3 "Back garden"
    python birds.py show
"""
import csv
import sys

FILE = "birds.csv"
FIELDS = ["date", "species", "count", "site"]


def add(date, species, count, site):
    with open(FILE, "a", newline="") as f:
        csv.writer(f).writerow([date, species, int(count), site])
    print(f"Saved {count} x {species}")


def show():
    with open(FILE, newline="") as f:
        for row in csv.DictReader(f):
            print(f"{row['date']}  {row['species']:<16} {row['count']:>3}  {row['site']}")


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "add":
        add(*sys.argv[2:])
    elif len(sys.argv) == 2 and sys.argv[1] == "show":
        show()
    else:
        print("usage: birds.py add DATE SPECIES COUNT SITE | show")
        sys.exit(1)


if __name__ == "__main__":
    main()
