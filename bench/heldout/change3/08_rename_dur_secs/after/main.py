"""python main.py [PLAYLIST] [M:SS]"""
import sys

import playlist
from tracks import duration_seconds, fmt_dur


def main(argv):
    path = argv[0] if argv else "mix.txt"
    items = playlist.load(path)
    for number, t in enumerate(items, 1):
        print(f"{number:2}. {t['artist']} - {t['title']} ({fmt_dur(t['seconds'])})")
    print(f"Total: {fmt_dur(playlist.total_dur_secs(items))}")
    if len(argv) > 1:
        limit = duration_seconds(argv[1])
        count = len(playlist.longer_than(items, argv[1]))
        print(f"Longer than {fmt_dur(limit)}: {count}")


if __name__ == "__main__":
    main(sys.argv[1:])
