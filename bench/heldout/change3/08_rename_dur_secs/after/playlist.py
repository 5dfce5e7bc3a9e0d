import tracks


def load(path):
    with open(path, encoding="utf-8") as f:
        return [tracks.parse_track(line) for line in f
                if line.strip() and not line.startswith("#")]


def total_dur_secs(items):
    return sum(t["seconds"] for t in items)


def longer_than(items, limit):
    """Tracks longer than limit, given as 'm:ss'."""
    cutoff = tracks.duration_seconds(limit)
    return [t for t in items if t["seconds"] > cutoff]
