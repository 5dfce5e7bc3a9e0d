"""Earthquake summary for my notes.

    python quakes.py

The data lives in quakes.csv (time,place,magnitude,depth_km).
"""
import csv

DATA_FILE = "quakes.csv"


def load(path=DATA_FILE):
    """Rows of quakes.csv as (time, place, magnitude, depth in km)."""
    quakes = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            quakes.append((row["time"], row["place"],
                           float(row["magnitude"]), float(row["depth_km"])))
    return quakes


def summary(quakes):
    strongest = max(quakes, key=lambda q: q[2])
    mags = [q[2] for q in quakes]
    depths = [q[3] for q in quakes]
    return [
        f"Earthquakes: {len(quakes)}",
        f"Strongest: M{strongest[2]:.1f} - {strongest[1]} ({strongest[0]})",
        f"Average magnitude: {sum(mags) / len(mags):.2f}",
        f"Average depth: {sum(depths) / len(depths):.1f} km",
        f"M6.0 or more: {sum(1 for m in mags if m >= 6.0)}",
        f"Shallow (under 10 km): {sum(1 for d in depths if d < 10)}",
    ]


def main():
    for line in summary(load()):
        print(line)


if __name__ == "__main__":
    main()
