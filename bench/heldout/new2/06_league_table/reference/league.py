import argparse
import re
import sys

LINE = re.compile(r"(.+?) (\d+)-(\d+) (.+)")


def read_results(path):
    matches = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            m = LINE.fullmatch(line)
            if not m:
                print(f"skipping line {n}: {line}", file=sys.stderr)
                continue
            matches.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)))
    return matches


def table(matches):
    teams = {}

    def row(name):
        return teams.setdefault(name, {"P": 0, "W": 0, "D": 0, "L": 0, "F": 0, "A": 0})

    for home, hg, ag, away in matches:
        for name, gf, ga in ((home, hg, ag), (away, ag, hg)):
            r = row(name)
            r["P"] += 1
            r["F"] += gf
            r["A"] += ga
            if gf > ga:
                r["W"] += 1
            elif gf == ga:
                r["D"] += 1
            else:
                r["L"] += 1
    rows = []
    for name, r in teams.items():
        pts = 3 * r["W"] + r["D"]
        rows.append((name, r, pts, r["F"] - r["A"]))
    rows.sort(key=lambda x: (-x[2], -x[3], -x[1]["F"], x[0]))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--top", type=int)
    args = parser.parse_args()
    try:
        matches = read_results(args.results)
    except OSError:
        print(f"error: cannot read {args.results}", file=sys.stderr)
        sys.exit(1)
    rows = table(matches)
    if args.top is not None:
        rows = rows[:args.top]
    for pos, (name, r, pts, gd) in enumerate(rows, 1):
        print(f"{pos}. {name} P{r['P']} W{r['W']} D{r['D']} L{r['L']} GD{gd:+d} Pts{pts}")


if __name__ == "__main__":
    main()
