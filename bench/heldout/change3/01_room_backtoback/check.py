"""Checker for 01_room_backtoback: python check.py PROJECT_DIR"""
import json
import os
import subprocess
import sys

ORIGINAL_BOOKINGS = """# room start-end title
Blue 9:00-10:30 Weekly sync
Blue 10:30-11:00 Design review
Blue 10:45-12:00 Hiring panel
Green 9:00-9:30 Standup
Green 9:30-10:00 1:1 Sam
Green 13:00-14:00 Vendor call
Orange 13:30-14:30 Budget
Orange 14:30-15:00 Retro
"""

# bookings used for a second sheet (not in the request)
SHEET = """Lab 8:00-8:45 Calibration
Lab 8:45-9:15 Sample prep
Lab 9:14-9:40 Microscope
Lab 11:00-12:00 Cleaning
Lab 12:00-12:30 Lunch talk
Attic 8:00-17:00 Storage audit
Attic 12:15-12:20 Quick chat
Cellar 7:05-7:55 Wine count
Cellar 7:55-8:05 Handover
Cellar 8:05-9:00 Delivery
Lab 10:00-11:00 Training
"""


def fail(msg):
    msg = " | ".join(str(msg).splitlines())
    if len(msg) > 1200:
        msg = msg[:1200] + " ..."
    print(f"FAIL: {msg}")
    sys.exit(1)


def run(project, args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        return subprocess.run([sys.executable] + args, cwd=project, env=env,
                              capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail(f"timed out: {' '.join(args)}")


def ref_parse(line):
    room, span, title = line.strip().split(" ", 2)
    s, e = span.split("-")
    tm = lambda t: int(t.split(":")[0]) * 60 + int(t.split(":")[1])
    return room, tm(s), tm(e), title


def ref_report(text):
    items = [ref_parse(l) for l in text.splitlines() if l.strip() and not l.startswith("#")]
    ft = lambda m: f"{m // 60}:{m % 60:02d}"
    out = []
    n = 0
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            a, b = items[i], items[j]
            if a[0] == b[0] and a[1] < b[2] and b[1] < a[2]:
                n += 1
                out.append(f"CLASH {a[0]}: {a[3]} ({ft(a[1])}-{ft(a[2])}) / "
                           f"{b[3]} ({ft(b[1])}-{ft(b[2])})")
    if n:
        out.append(f"{n} clash(es) in {len(items)} bookings")
    else:
        out.append(f"No clashes in {len(items)} bookings")
    return "\n".join(out) + "\n"


OVERLAP_CASES = [
    # (room_a, start_a, end_a, room_b, start_b, end_b)
    ("X", 600, 660, "X", 660, 720),   # back to back
    ("X", 660, 720, "X", 600, 660),   # back to back, other order
    ("X", 480, 525, "X", 525, 555),
    ("X", 600, 661, "X", 660, 720),   # one minute overlap
    ("X", 660, 720, "X", 600, 661),
    ("X", 600, 720, "X", 630, 640),   # inside
    ("X", 630, 640, "X", 600, 720),
    ("X", 600, 660, "X", 600, 660),   # identical
    ("X", 600, 660, "X", 700, 760),   # gap
    ("X", 600, 660, "Y", 630, 700),   # other room
    ("X", 600, 660, "Y", 660, 700),
    ("X", 0, 1439, "X", 1439, 1440),
]


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    for name in ("booking.py", "rooms.py"):
        if not os.path.isfile(os.path.join(project, name)):
            fail(f"{name} is missing")

    # 1. overlaps() itself
    code = (
        "import json, booking\n"
        "cases = json.loads(%r)\n"
        "res = []\n"
        "for ra, sa, ea, rb, sb, eb in cases:\n"
        "    a = {'room': ra, 'start': sa, 'end': ea, 'title': 'a'}\n"
        "    b = {'room': rb, 'start': sb, 'end': eb, 'title': 'b'}\n"
        "    res.append(bool(booking.overlaps(a, b)))\n"
        "print(json.dumps(res))\n"
    ) % json.dumps(OVERLAP_CASES)
    r = run(project, ["-c", code])
    if r.returncode != 0:
        fail(f"calling booking.overlaps failed: {r.stderr.strip()[-300:]}")
    try:
        got = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        fail(f"could not read overlaps results: {r.stdout!r}")
    for case, g in zip(OVERLAP_CASES, got):
        ra, sa, ea, rb, sb, eb = case
        want = ra == rb and sa < eb and sb < ea
        if g != want:
            fail(f"overlaps({ra} {sa}-{ea}, {rb} {sb}-{eb}) gave {g}, expected {want}")

    # 2. the command on the user's own sheet
    path = os.path.join(project, "bookings.txt")
    with open(path, encoding="utf-8") as f:
        if f.read() != ORIGINAL_BOOKINGS:
            fail("bookings.txt was changed")
    r = run(project, ["rooms.py"])
    if r.returncode != 0:
        fail(f"rooms.py crashed: {r.stderr.strip()[-300:]}")
    if r.stdout != ref_report(ORIGINAL_BOOKINGS):
        fail(f"rooms.py on bookings.txt printed {r.stdout!r}, expected {ref_report(ORIGINAL_BOOKINGS)!r}")

    # 3. another sheet given as argument
    tmp = os.path.join(project, "_check_sheet.txt")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(SHEET)
        r = run(project, ["rooms.py", "_check_sheet.txt"])
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if r.returncode != 0:
        fail(f"rooms.py on another sheet crashed: {r.stderr.strip()[-300:]}")
    if r.stdout != ref_report(SHEET):
        fail(f"rooms.py on another sheet printed {r.stdout!r}, expected {ref_report(SHEET)!r}")

    # 4. a sheet without clashes
    tmp = os.path.join(project, "_check_sheet2.txt")
    sheet2 = "Blue 9:00-9:30 A\nBlue 9:30-10:00 B\nBlue 10:00-10:05 C\nRed 9:00-10:00 D\n"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(sheet2)
        r = run(project, ["rooms.py", "_check_sheet2.txt"])
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if r.stdout != "No clashes in 4 bookings\n":
        fail(f"a clash-free sheet printed {r.stdout!r}, expected 'No clashes in 4 bookings'")

    print("PASS: back-to-back bookings no longer clash, real overlaps still reported, output format unchanged")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
