import re
import sys
from collections import Counter

LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.+)$")


def summarize(lines):
    counts = Counter()
    skipped = 0
    errors = Counter()
    first_seen = {}
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        m = LINE.match(line.strip())
        if not m:
            skipped += 1
            continue
        level, msg = m.group(3), m.group(4).strip()
        counts[level] += 1
        if level in ("ERROR", "CRITICAL"):
            errors[msg] += 1
            first_seen.setdefault(msg, len(first_seen))
    out = ["%s: %d" % (lv, counts[lv]) for lv in LEVELS]
    out.append("skipped: %d" % skipped)
    if errors:
        best = max(errors, key=lambda m: (errors[m], -first_seen[m]))
        out.append("most common error: %s (%d)" % (best, errors[best]))
    else:
        out.append("most common error: none")
    return out


if __name__ == "__main__":
    print("\n".join(summarize(sys.stdin)))
