"""Address book stored in contacts.json.

usage:
    python contacts.py list
    python contacts.py add NAME EMAIL [PHONE]
    python contacts.py find TEXT
"""
import json
import sys

DB = "contacts.json"


def load():
    try:
        with open(DB, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return []


def save(contacts):
    with open(DB, "w", encoding="utf-8") as f:
        json.dump(contacts, f, indent=2)


def show(c):
    phone = c.get("phone") or "-"
    return f"{c['name']} <{c['email']}> {phone}"


def main(argv):
    contacts = load()
    if argv[:1] == ["list"]:
        for c in sorted(contacts, key=lambda c: c["name"].lower()):
            print(show(c))
    elif argv[:1] == ["add"] and len(argv) in (3, 4):
        c = {"name": argv[1], "email": argv[2]}
        if len(argv) == 4:
            c["phone"] = argv[3]
        contacts.append(c)
        save(contacts)
        print("added", show(c))
    elif argv[:1] == ["find"] and len(argv) == 2:
        text = argv[1].lower()
        for c in contacts:
            if text in c["name"].lower() or text in c["email"].lower():
                print(show(c))
    else:
        print(__doc__.strip())
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
