"""Which house plants need water today?

plants.txt has one plant per line: name,every,last
(water every N days, last watered on day number `last`).

    python garden.py 14        # what to do on day 14
"""
import sys

from plantfile import load_plants


def next_watering(plant):
    return plant["last"] + plant["every"]


def status(plant, today):
    due = next_watering(plant)
    if due < today:
        return f"overdue by {today - due} day(s)"
    if due == today:
        return "water today"
    return f"fine, next on day {due}"


def main():
    today = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    plants = load_plants("plants.txt")
    width = max(len(p["name"]) for p in plants)
    for plant in sorted(plants, key=next_watering):
        print(f"{plant['name']:<{width}}  {status(plant, today)}")
    thirsty = sum(1 for p in plants if next_watering(p) <= today)
    print(f"{thirsty} of {len(plants)} plant(s) need water")


if __name__ == "__main__":
    main()
