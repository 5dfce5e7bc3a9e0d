"""Helpers for the meeting-room booking sheet."""


def parse_time(text):
    """'9:30' -> minutes since midnight."""
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def fmt_time(minutes):
    return f"{minutes // 60}:{minutes % 60:02d}"


def parse_booking(line):
    """'Blue 9:00-10:30 Weekly sync' -> dict."""
    room, span, title = line.strip().split(" ", 2)
    start, end = span.split("-")
    return {
        "room": room,
        "start": parse_time(start),
        "end": parse_time(end),
        "title": title,
    }


def overlaps(a, b):
    """True if two bookings need the same room at the same time."""
    if a["room"] != b["room"]:
        return False
    return a["start"] < b["end"] and b["start"] < a["end"]


def find_clashes(bookings):
    clashes = []
    for i in range(len(bookings)):
        for j in range(i + 1, len(bookings)):
            if overlaps(bookings[i], bookings[j]):
                clashes.append((bookings[i], bookings[j]))
    return clashes
