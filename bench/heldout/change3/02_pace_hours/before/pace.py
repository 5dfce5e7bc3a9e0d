"""Running pace from distance and finish time.

    python pace.py DISTANCE_KM TIME

TIME can be minutes (45), mm:ss (25:40) or h:mm:ss.
"""
import sys


def parse_time(text):
    """Finish time -> seconds."""
    parts = [int(p) for p in text.split(":")]
    if len(parts) == 1:
        return parts[0] * 60
    return parts[0] * 60 + parts[1]


def fmt(seconds):
    seconds = round(seconds)
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    if h:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"


def main(argv):
    if len(argv) != 2:
        print("usage: python pace.py DISTANCE_KM TIME")
        return 2
    km = float(argv[0])
    total = parse_time(argv[1])
    pace = total / km
    speed = km / (total / 3600)
    print(f"Distance: {km:g} km")
    print(f"Time: {fmt(total)}")
    print(f"Pace: {fmt(pace)} /km")
    print(f"Speed: {speed:.2f} km/h")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
