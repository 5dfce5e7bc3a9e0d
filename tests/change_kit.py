"""Scripting change requests on the scripted server: a classifier that knows their asks, a
five-file project, and replies in the shapes the change step reads."""

from __future__ import annotations

import json
import re

from smol_core.project import Project
from smol_core.records import FileSpec
from tests.scripted_server import Fault, classify, message_text

FIVE = {
    "app.py": "from store import load, save\nfrom report import summary\n\n\ndef main() -> None:\n"
    "    items = load()\n    print(summary(items))\n    save(items)\n\n\n"
    'if __name__ == "__main__":\n    main()\n',
    "store.py": "import json\n\nPATH = 'items.json'\n\n\ndef load() -> list:\n"
    "    try:\n        with open(PATH) as fh:\n            return json.load(fh)\n"
    "    except FileNotFoundError:\n        return []\n\n\ndef save(items: list) -> None:\n"
    "    with open(PATH, 'w') as fh:\n        json.dump(items, fh)\n",
    "report.py": "def summary(items: list) -> str:\n    return f'{len(items)} items'\n",
    "util.py": "def clean(text: str) -> str:\n    return text.strip()\n",
    "README.md": "# Items\n\nRun `python app.py`.\n",
}


def change_classify(body):
    """The default classifier, plus the change request's two asks (by their last message)."""
    users = [
        message_text(m.get("content")) for m in body.get("messages", []) if m.get("role") == "user"
    ]
    last = users[-1] if users else ""
    if "Decide which files to change" in last:
        return "change", None
    if m := re.search(r"Edit the file `([^`]+)`", last):
        return "edit", m.group(1)
    return classify(body)


def five() -> Project:
    return Project(
        spec="an item tracker",
        plan="# Plan\n",
        files=[FileSpec(p, f"{p} purpose") for p in FIVE],
        contents=dict(FIVE),
    )


def plan_reply(*items: tuple[str, str, str]) -> Fault:
    files = [{"path": p, "action": a, "what": w} for p, a, w in items]
    return Fault.text(json.dumps({"files": files}))


def blocks(*pairs: tuple[str, str]) -> str:
    return "".join(f"<<<<<<< SEARCH\n{s}=======\n{r}>>>>>>> REPLACE\n" for s, r in pairs)
