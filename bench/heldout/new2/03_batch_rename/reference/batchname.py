import argparse
import os
import sys


def plan(folder, prefix, start):
    names = [n for n in os.listdir(folder)
             if not n.startswith(".") and os.path.isfile(os.path.join(folder, n))]
    names.sort(key=lambda n: (n.lower(), n))
    pairs = []
    for i, name in enumerate(names, start):
        dot = name.rfind(".")
        ext = name[dot:] if dot > 0 else ""
        pairs.append((name, f"{prefix}_{i:03d}{ext}"))
    return pairs


def main():
    parser = argparse.ArgumentParser(description="Rename files to numbered names.")
    parser.add_argument("folder")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--start", type=int, default=1)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(args.folder):
        print(f"error: no such folder: {args.folder}", file=sys.stderr)
        sys.exit(1)
    pairs = plan(args.folder, args.prefix, args.start)
    for old, new in pairs:
        print(f"{old} -> {new}")
        if not args.dry_run:
            os.rename(os.path.join(args.folder, old), os.path.join(args.folder, new))
    word = "Would rename" if args.dry_run else "Renamed"
    print(f"{word} {len(pairs)} file(s)")


if __name__ == "__main__":
    main()
