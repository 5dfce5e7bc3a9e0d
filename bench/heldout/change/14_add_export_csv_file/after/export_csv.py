"""Export contacts.json to contacts.csv."""
import csv
import json


def main():
    with open("contacts.json", encoding="utf-8") as f:
        contacts = json.load(f)
    contacts = sorted(contacts, key=lambda c: c["name"].lower())
    with open("contacts.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "email", "phone"])
        for c in contacts:
            writer.writerow([c["name"], c["email"], c.get("phone", "")])
    print(f"exported {len(contacts)} contacts")


if __name__ == "__main__":
    main()
