"""Track lines look like:  Artist - Title | 3:45"""


def duration_seconds(text):
    """'3:45' -> 225"""
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + int(seconds)


def fmt_dur(seconds):
    """225 -> '3:45', 4500 -> '1:15:00'"""
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def parse_track(line):
    info, length = line.rsplit("|", 1)
    artist, title = info.split(" - ", 1)
    return {
        "artist": artist.strip(),
        "title": title.strip(),
        "seconds": duration_seconds(length),
    }
