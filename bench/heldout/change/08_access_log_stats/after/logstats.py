"""Print summary figures for access.log."""
from collections import Counter


def main():
    requests = errors = sent = 0
    paths = Counter()
    with open("access.log", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            request = line.split('"')[1]
            status, size = line.split('"')[2].split()
            requests += 1
            if int(status) >= 400:
                errors += 1
            if size != "-":
                sent += int(size)
            paths[request.split()[1]] += 1
    print(f"requests: {requests}")
    print(f"errors: {errors}")
    print(f"bytes: {sent}")
    print(f"busiest path: {paths.most_common(1)[0][0]}")


if __name__ == "__main__":
    main()
