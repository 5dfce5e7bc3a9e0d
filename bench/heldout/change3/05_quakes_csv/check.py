"""Checker for 05_quakes_csv: python check.py PROJECT_DIR"""
import csv
import io
import os
import subprocess
import sys

ORIGINAL_CSV = '''time,place,magnitude,depth_km
2019-07-04 17:33,"12 km SW of Searles Valley, CA",6.4,10.7
2019-07-06 03:19,"18 km W of Searles Valley, CA",7.1,8.0
2020-01-07 08:24,"Indios, Puerto Rico",6.4,9.0
2020-03-18 13:09,"6 km NNE of Magna, Utah",5.7,9.0
2021-08-14 12:29,Nippes Haiti,7.2,10.0
2022-09-19 18:05,"Michoacan, Mexico",7.6,15.1
2023-02-06 01:17,Pazarcik Turkey,7.8,10.0
2023-08-12 19:33,"Pahala, Hawaii",4.1,32.8
2023-10-07 06:41,Herat Afghanistan,6.3,14.0
2024-01-01 07:10,"Noto Peninsula, Japan",7.5,10.0
2024-04-05 14:23,"Whitehouse Station, NJ",4.8,4.7
2024-06-21 02:03,"Ridgecrest, CA",3.9,6.2
'''

EXPECTED_ORIGINAL = """Earthquakes: 12
Strongest: M7.8 - Pazarcik Turkey (2023-02-06 01:17)
Average magnitude: 6.23
Average depth: 11.6 km
M6.0 or more: 8
Shallow (under 10 km): 5
"""

OTHER_FILES = [
    '''time,place,magnitude,depth_km
2011-03-11 05:46,"Tohoku, Japan",9.1,29.0
2010-02-27 06:34,"Maule, Chile",8.8,22.9
2015-04-25 06:11,Gorkha Nepal,7.8,8.2
2016-11-13 11:02,"Kaikoura, New Zealand",7.8,15.1
2024-02-09 10:00,"Test site, Nevada",6.0,0.5
2018-11-30 17:29,"Anchorage, Alaska",7.1,46.7
2020-10-30 11:51,"Samos, Greece",7.0,21.0
''',
    '''time,place,magnitude,depth_km
2024-05-02 09:15,"3 km N of Tiny Town, ID",2.4,3.0
2024-05-03 10:00,Nowhere,5.9,10
2024-05-04 11:30,"Somewhere, OK",5.95,9.99
''',
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


def ref_report(text):
    quakes = [(r["time"], r["place"], float(r["magnitude"]), float(r["depth_km"]))
              for r in csv.DictReader(io.StringIO(text))]
    strongest = max(quakes, key=lambda q: q[2])
    mags = [q[2] for q in quakes]
    depths = [q[3] for q in quakes]
    return "\n".join([
        f"Earthquakes: {len(quakes)}",
        f"Strongest: M{strongest[2]:.1f} - {strongest[1]} ({strongest[0]})",
        f"Average magnitude: {sum(mags) / len(mags):.2f}",
        f"Average depth: {sum(depths) / len(depths):.1f} km",
        f"M6.0 or more: {sum(1 for m in mags if m >= 6.0)}",
        f"Shallow (under 10 km): {sum(1 for d in depths if d < 10)}",
    ]) + "\n"


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(project, "quakes.py")):
        fail("quakes.py is missing")
    path = os.path.join(project, "quakes.csv")
    if not os.path.isfile(path):
        fail("quakes.csv is missing")
    with open(path, "rb") as f:
        saved = f.read()
    if saved.decode("utf-8", "replace").replace("\r\n", "\n") != ORIGINAL_CSV:
        fail("quakes.csv was changed")
    assert ref_report(ORIGINAL_CSV) == EXPECTED_ORIGINAL

    r = run(project, ["quakes.py"])
    if r.returncode != 0:
        fail(f"quakes.py crashed: {r.stderr.strip()[-400:]}")
    if r.stdout != EXPECTED_ORIGINAL:
        fail(f"quakes.py output changed: {r.stdout!r}, expected {EXPECTED_ORIGINAL!r}")

    try:
        for n, text in enumerate(OTHER_FILES, 1):
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            r = run(project, ["quakes.py"])
            if r.returncode != 0:
                fail(f"quakes.py crashed on another quakes.csv (#{n}): {r.stderr.strip()[-400:]}")
            want = ref_report(text)
            if r.stdout != want:
                fail(f"with another quakes.csv (#{n}) quakes.py printed {r.stdout!r}, expected {want!r}")
    finally:
        with open(path, "wb") as f:
            f.write(saved)
    print("PASS: quakes.py reads quakes.csv (quoted places, new rows) and prints the same report as before")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:  # a bug in the checker's own reading must not look like a pass
        fail(f"checker error: {exc!r}")
