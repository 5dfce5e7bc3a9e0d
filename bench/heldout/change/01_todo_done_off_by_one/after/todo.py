"""Tiny to-do list kept in todo.txt (one task per line)."""
import sys

FILE = "todo.txt"


def load():
    try:
        with open(FILE, encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f if line.strip()]
    except FileNotFoundError:
        return []


def save(tasks):
    with open(FILE, "w", encoding="utf-8") as f:
        for t in tasks:
            f.write(t + "\n")


def cmd_add(args):
    tasks = load()
    tasks.append(" ".join(args))
    save(tasks)
    print("added:", tasks[-1])


def cmd_list(args):
    tasks = load()
    if not tasks:
        print("nothing to do")
    for i, t in enumerate(tasks, 1):
        print(f"{i}. {t}")


def cmd_done(args):
    tasks = load()
    n = int(args[0])
    if n < 1 or n > len(tasks):
        print("no such task:", n)
        return 1
    removed = tasks.pop(n - 1)
    save(tasks)
    print("done:", removed)


COMMANDS = {"add": cmd_add, "list": cmd_list, "done": cmd_done}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print("usage: todo.py add TEXT | list | done N")
        return 2
    return COMMANDS[argv[0]](argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
