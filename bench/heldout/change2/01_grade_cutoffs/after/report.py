import sys

from grades import describe, letter


def read_class(path):
    students = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, score = line.rsplit(" ", 1)
            students.append((name, int(score)))
    return students


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "class.txt"
    students = read_class(path)
    counts = {}
    for name, score in students:
        print(f"{name}: {describe(score)}")
        g = letter(score)
        counts[g] = counts.get(g, 0) + 1
    print("---")
    print(" ".join(f"{g}={counts.get(g, 0)}" for g in "ABCDF"))


if __name__ == "__main__":
    main()
