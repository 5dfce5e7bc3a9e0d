"""Earthquake summary for my notes.

    python quakes.py
"""

# (time, place, magnitude, depth in km)
QUAKES = [
    ("2019-07-04 17:33", "12 km SW of Searles Valley, CA", 6.4, 10.7),
    ("2019-07-06 03:19", "18 km W of Searles Valley, CA", 7.1, 8.0),
    ("2020-01-07 08:24", "Indios, Puerto Rico", 6.4, 9.0),
    ("2020-03-18 13:09", "6 km NNE of Magna, Utah", 5.7, 9.0),
    ("2021-08-14 12:29", "Nippes Haiti", 7.2, 10.0),
    ("2022-09-19 18:05", "Michoacan, Mexico", 7.6, 15.1),
    ("2023-02-06 01:17", "Pazarcik Turkey", 7.8, 10.0),
    ("2023-08-12 19:33", "Pahala, Hawaii", 4.1, 32.8),
    ("2023-10-07 06:41", "Herat Afghanistan", 6.3, 14.0),
    ("2024-01-01 07:10", "Noto Peninsula, Japan", 7.5, 10.0),
    ("2024-04-05 14:23", "Whitehouse Station, NJ", 4.8, 4.7),
    ("2024-06-21 02:03", "Ridgecrest, CA", 3.9, 6.2),
]


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
    for line in summary(QUAKES):
        print(line)


if __name__ == "__main__":
    main()
