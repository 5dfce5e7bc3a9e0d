"""Checker for 02_pace_hours: python check.py PROJECT_DIR"""
import os
import subprocess
import sys

# (distance, time as typed, seconds) -- none in the request, none on a .5 rounding edge
CASES = [
    ("21.1", "1:45:07", 6307),
    ("42.195", "3:59:59", 14399),
    ("10", "1:00:00", 3600),
    ("50", "5:12:33", 18753),
    ("3", "1:00:01", 3601),
    ("100", "10:05:09", 36309),
    ("15", "2:00:45", 7245),
    # shorter than an hour, must not change
    ("5", "25:40", 1540),
    ("10", "45", 2700),
    ("1.5", "7:03", 423),
    ("8", "0:41:02", 2462),
    ("12", "59:59", 3599),
    ("21.0975", "95", 5700),
]


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


def ref_fmt(seconds):
    seconds = round(seconds)
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def expected(dist, total):
    km = float(dist)
    return (f"Distance: {km:g} km\n"
            f"Time: {ref_fmt(total)}\n"
            f"Pace: {ref_fmt(total / km)} /km\n"
            f"Speed: {km / (total / 3600):.2f} km/h\n")


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(project, "pace.py")):
        fail("pace.py is missing")
    for dist, typed, total in CASES:
        r = run(project, ["pace.py", dist, typed])
        if r.returncode != 0:
            fail(f"pace.py {dist} {typed} exited {r.returncode}: {r.stderr.strip()[-300:]}")
        want = expected(dist, total)
        if r.stdout != want:
            fail(f"pace.py {dist} {typed} printed {r.stdout!r}, expected {want!r}")
    r = run(project, ["pace.py", "10"])
    if r.returncode != 2 or "usage" not in r.stdout:
        fail("pace.py with one argument should still print the usage line and exit 2")
    print("PASS: h:mm:ss times are read correctly; minutes and mm:ss unchanged")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
