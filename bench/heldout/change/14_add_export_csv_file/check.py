"""Checker: new export_csv.py writes contacts.csv (header, rows sorted by name case-insensitively,
empty phone when missing) and prints `exported N contacts`; contacts.py unchanged and working."""
import ast
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

OTHER = [
    {"name": "zoe Quinn", "email": "zq@example.com", "phone": "+44 20 7946 0000"},
    {"name": "Bob O'Neil", "email": "bob@example.com"},
    {"name": "alice Ray", "email": "alice@example.com", "phone": "555-1234"},
    {"name": "Bea Ito", "email": "bea@example.jp", "phone": ""},
]
BEFORE = {
    'contacts.py': '"""Address book stored in contacts.json.\n\nusage:\n    python contacts.py list\n    python contacts.py add NAME EMAIL [PHONE]\n    python contacts.py find TEXT\n"""\nimport json\nimport sys\n\nDB = "contacts.json"\n\n\ndef load():\n    try:\n        with open(DB, encoding="utf-8") as f:\n            return json.load(f)\n    except FileNotFoundError:\n        return []\n\n\ndef save(contacts):\n    with open(DB, "w", encoding="utf-8") as f:\n        json.dump(contacts, f, indent=2)\n\n\ndef show(c):\n    phone = c.get("phone") or "-"\n    return f"{c[\'name\']} <{c[\'email\']}> {phone}"\n\n\ndef main(argv):\n    contacts = load()\n    if argv[:1] == ["list"]:\n        for c in sorted(contacts, key=lambda c: c["name"].lower()):\n            print(show(c))\n    elif argv[:1] == ["add"] and len(argv) in (3, 4):\n        c = {"name": argv[1], "email": argv[2]}\n        if len(argv) == 4:\n            c["phone"] = argv[3]\n        contacts.append(c)\n        save(contacts)\n        print("added", show(c))\n    elif argv[:1] == ["find"] and len(argv) == 2:\n        text = argv[1].lower()\n        for c in contacts:\n            if text in c["name"].lower() or text in c["email"].lower():\n                print(show(c))\n    else:\n        print(__doc__.strip())\n        return 2\n    return 0\n\n\nif __name__ == "__main__":\n    sys.exit(main(sys.argv[1:]))\n',
}


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args))
    return p


def check_export(project, contacts, what):
    out = project / "contacts.csv"
    out.unlink(missing_ok=True)
    p = run(project, ["export_csv.py"])
    if p.returncode != 0:
        fail(f"export_csv.py exited {p.returncode} on {what}: {p.stderr.strip()[-300:]}")
    if p.stdout.strip().splitlines()[-1:] != [f"exported {len(contacts)} contacts"]:
        fail(f"{what}: printed {p.stdout.strip()!r}, want 'exported {len(contacts)} contacts'")
    if not out.exists():
        fail(f"{what}: contacts.csv was not written")
    with open(out, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r]
    want = [["name", "email", "phone"]] + [
        [c["name"], c["email"], c.get("phone", "")]
        for c in sorted(contacts, key=lambda c: c["name"].lower())]
    if rows != want:
        fail(f"{what}: contacts.csv rows {rows!r}, want {want!r}")


def main(project):
    if not (project / "export_csv.py").exists():
        fail("export_csv.py is missing")
    src = (project / "contacts.py").read_text(encoding="utf-8")
    if ast.dump(ast.parse(src)) != ast.dump(ast.parse(BEFORE["contacts.py"])):
        fail("contacts.py was changed")
    db = project / "contacts.json"
    csv_path = project / "contacts.csv"
    original = db.read_bytes()
    csv_before = csv_path.read_bytes() if csv_path.exists() else None
    try:
        check_export(project, json.loads(original), "the shipped contacts.json")
        db.write_text(json.dumps(OTHER), encoding="utf-8")
        check_export(project, OTHER, "a different contacts.json")
        p = run(project, ["contacts.py", "list"])
        want = ["alice Ray <alice@example.com> 555-1234", "Bea Ito <bea@example.jp> -",
                "Bob O'Neil <bob@example.com> -", "zoe Quinn <zq@example.com> +44 20 7946 0000"]
        if p.stdout.splitlines() != want:
            fail(f"`contacts.py list` changed: {p.stdout!r}")
    finally:
        db.write_bytes(original)
        if csv_before is None:
            csv_path.unlink(missing_ok=True)
        else:
            csv_path.write_bytes(csv_before)
    print("PASS: export_csv.py writes the right contacts.csv for two data sets; contacts.py unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
