"""A tiny bookshelf kept in books.txt (one book per line: title|author|pages)."""

import sys

SHELF = "books.txt"


def load():
    books = []
    try:
        with open(SHELF) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                title, author, pages = line.split("|")
                books.append({"title": title, "author": author, "pages": int(pages)})
    except FileNotFoundError:
        pass
    return books


def save(books):
    with open(SHELF, "w") as f:
        for b in books:
            f.write(f"{b['title']}|{b['author']}|{b['pages']}\n")


def cmd_list(books, args):
    if not books:
        print("Shelf is empty")
        return
    for i, b in enumerate(books, 1):
        print(f"{i}. {b['title']} by {b['author']} ({b['pages']} pages)")


def cmd_add(books, args):
    if len(args) != 3:
        print("usage: shelf.py add TITLE AUTHOR PAGES")
        sys.exit(1)
    title, author, pages = args
    books.append({"title": title, "author": author, "pages": int(pages)})
    save(books)
    print(f"Added {title}")


def cmd_by(books, args):
    if len(args) != 1:
        print("usage: shelf.py by AUTHOR")
        sys.exit(1)
    found = [b for b in books if b["author"].lower() == args[0].lower()]
    for b in found:
        print(b["title"])
    print(f"{len(found)} book(s)")


COMMANDS = {"list": cmd_list, "add": cmd_add, "by": cmd_by}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print("usage: shelf.py list | add TITLE AUTHOR PAGES | by AUTHOR")
        sys.exit(1)
    COMMANDS[sys.argv[1]](load(), sys.argv[2:])


if __name__ == "__main__":
    main()
