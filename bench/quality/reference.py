"""Hand-written projects for each spec: a correct one (its checker must pass it) and broken
ones (its checker must fail them, each for the reason given). They are how the benchmark is
trusted: `tests/test_bench_quality.py` runs them, and so does `python -m bench.quality.reference`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

CORRECT: dict[str, dict[str, str]] = {
    "fizzbuzz": {
        "fizzbuzz.py": """\
import sys


def fizzbuzz(n):
    for i in range(1, n + 1):
        if i % 15 == 0:
            print("FizzBuzz")
        elif i % 3 == 0:
            print("Fizz")
        elif i % 5 == 0:
            print("Buzz")
        else:
            print(i)


if __name__ == "__main__":
    fizzbuzz(int(sys.argv[1]))
""",
        "README.md": "# FizzBuzz\n\n`python fizzbuzz.py 15`\n",
    },
    "wordcount": {
        "counter.py": "def count_words(text: str) -> int:\n    return len(text.split())\n",
        "wc.py": """\
import sys

from counter import count_words

with open(sys.argv[1], encoding="utf-8") as fh:
    print(count_words(fh.read()))
""",
    },
    "temperature": {
        "conversions.py": """\
def c_to_f(c: float) -> float:
    return c * 9 / 5 + 32


def f_to_c(f: float) -> float:
    return (f - 32) * 5 / 9
""",
        "convert.py": """\
import argparse

from conversions import c_to_f, f_to_c

parser = argparse.ArgumentParser()
parser.add_argument("value", type=float)
parser.add_argument("--to", choices=["c", "f"], required=True)
args = parser.parse_args()
result = c_to_f(args.value) if args.to == "f" else f_to_c(args.value)
print(round(result, 1))
""",
    },
    "stats": {
        "mathstats.py": """\
def summarize(numbers):
    return {"min": min(numbers), "max": max(numbers), "mean": sum(numbers) / len(numbers)}
""",
        "stats.py": """\
import sys

from mathstats import summarize

s = summarize([int(a) for a in sys.argv[1:]])
print(f"min={s['min']} max={s['max']} mean={s['mean']:.2f}")
""",
    },
    "slugify": {
        "textutils.py": """\
import re


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
""",
        "README.md": "# textutils\n\n`from textutils import slugify`\n",
    },
    "counter_page": {
        "index.html": """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Counter</title></head>
<body>
  <span id="count">0</span>
  <button id="increment">+1</button>
  <button id="reset">Reset</button>
  <script src="app.js"></script>
</body></html>
""",
        "app.js": """\
let count = 0;
const shown = document.getElementById("count");
document.getElementById("increment").addEventListener("click", () => {
  count += 1;
  shown.textContent = count;
});
document.getElementById("reset").addEventListener("click", () => {
  count = 0;
  shown.textContent = count;
});
""",
    },
    "todo_page": {
        "index.html": """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>To do</title>
<script src="todo.js" defer></script></head>
<body>
  <input id="new-item"> <button id="add">Add</button>
  <ul id="items"></ul>
  <p>Total: <span id="total">0</span></p>
</body></html>
""",
        "todo.js": """\
const input = document.getElementById("new-item");
const list = document.getElementById("items");
const total = document.getElementById("total");
document.getElementById("add").addEventListener("click", () => {
  const text = input.value.trim();
  if (!text) return;
  const li = document.createElement("li");
  li.textContent = text;
  list.appendChild(li);
  input.value = "";
  total.textContent = list.children.length;
});
""",
    },
    "extension": {
        "manifest.json": """\
{
  "manifest_version": 3,
  "name": "Click counter",
  "version": "1.0",
  "permissions": ["storage"],
  "action": {"default_popup": "popup.html"}
}
""",
        "popup.html": """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"></head>
<body>
  <button id="count">Count</button> <span id="clicks">0</span>
  <script src="popup.js"></script>
</body></html>
""",
        "popup.js": """\
const span = document.getElementById("clicks");
chrome.storage.local.get("clicks", (data) => {
  span.textContent = data.clicks || 0;
});
document.getElementById("count").addEventListener("click", () => {
  chrome.storage.local.get("clicks", (data) => {
    const clicks = (data.clicks || 0) + 1;
    chrome.storage.local.set({ clicks }, () => {
      span.textContent = clicks;
    });
  });
});
""",
    },
    "server": {
        "server.py": """\
import argparse
import json
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body, content_type):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            self._send(200, "ok", "text/plain")
        elif url.path == "/add":
            q = parse_qs(url.query)
            result = int(q["a"][0]) + int(q["b"][0])
            self._send(200, json.dumps({"result": result}), "application/json")
        else:
            self._send(404, "not found", "text/plain")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    HTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
""",
        "README.md": "# server\n\n`python server.py --port 8000`\n",
    },
}

# (spec, what is wrong, files changed from CORRECT: path -> new content, None = deleted)
BROKEN: list[tuple[str, str, dict[str, str | None]]] = [
    (
        "fizzbuzz",
        "prints 15 instead of FizzBuzz",
        {"fizzbuzz.py": CORRECT["fizzbuzz"]["fizzbuzz.py"].replace("i % 15 == 0", "i % 45 == 0")},
    ),
    ("fizzbuzz", "the file is missing", {"fizzbuzz.py": None}),
    (
        "wordcount",
        "counts characters",
        {"counter.py": "def count_words(text):\n    return len(text)\n"},
    ),
    (
        "wordcount",
        "imports a name counter.py lacks",
        {"wc.py": CORRECT["wordcount"]["wc.py"].replace("import count_words", "import words")},
    ),
    (
        "temperature",
        "prints a label",
        {
            "convert.py": CORRECT["temperature"]["convert.py"].replace(
                "print(round(result, 1))", "print('Result:', round(result, 1))"
            )
        },
    ),
    (
        "temperature",
        "syntax error",
        {"conversions.py": "def c_to_f(c):\n    return c * 9 / 5 + 32\ndef f_to_c(f)\n    pass\n"},
    ),
    (
        "stats",
        "mean not to two decimals",
        {"stats.py": CORRECT["stats"]["stats.py"].replace(":.2f", "")},
    ),
    ("stats", "runs forever", {"stats.py": "while True:\n    pass\n"}),
    (
        "slugify",
        "keeps non-ascii letters",
        {
            "textutils.py": "import re\n\ndef slugify(text):\n    return re.sub(r'[\\W_]+', '-', text.lower()).strip('-')\n"
        },
    ),
    (
        "slugify",
        "prints on import",
        {"textutils.py": CORRECT["slugify"]["textutils.py"] + "\nprint(slugify('Hello World'))\n"},
    ),
    (
        "counter_page",
        "script runs before the DOM exists",
        {
            "index.html": CORRECT["counter_page"]["index.html"]
            .replace('<script src="app.js"></script>\n', "")
            .replace("<title>", '<script src="app.js"></script><title>')
        },
    ),
    (
        "counter_page",
        "reset does nothing",
        {"app.js": CORRECT["counter_page"]["app.js"].replace("count = 0;\n  shown", "shown")},
    ),
    (
        "todo_page",
        "adds blank items",
        {"todo.js": CORRECT["todo_page"]["todo.js"].replace("if (!text) return;", "")},
    ),
    (
        "todo_page",
        "wrong input id",
        {"index.html": CORRECT["todo_page"]["index.html"].replace('id="new-item"', 'id="item"')},
    ),
    (
        "extension",
        "manifest version 2",
        {
            "manifest.json": CORRECT["extension"]["manifest.json"].replace(
                '"manifest_version": 3', '"manifest_version": 2'
            )
        },
    ),
    ("extension", "popup script missing", {"popup.js": None}),
    (
        "extension",
        "inline script",
        {
            "popup.html": CORRECT["extension"]["popup.html"].replace(
                '<script src="popup.js"></script>', "<script>var x = 1;</script>"
            )
        },
    ),
    (
        "extension",
        "does not persist the count",
        {
            "popup.js": 'let n = 0;\nconst s = document.getElementById("clicks");\ns.textContent = n;\n'
            'document.getElementById("count").addEventListener("click", () => {\n'
            "  n += 1;\n  s.textContent = n;\n});\n"
        },
    ),
    (
        "server",
        "no 404",
        {
            "server.py": CORRECT["server"]["server.py"].replace(
                'self._send(404, "not found"', 'self._send(200, "not found"'
            )
        },
    ),
    (
        "server",
        "ignores --port",
        {
            "server.py": CORRECT["server"]["server.py"].replace(
                '("127.0.0.1", args.port)', '("127.0.0.1", 1)'
            )
        },
    ),
]


def materialize(folder: Path, files: dict[str, str | None]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        if content is None:
            continue
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return folder


def broken_files(spec: str, changes: dict[str, str | None]) -> dict[str, str | None]:
    files: dict[str, str | None] = dict(CORRECT[spec])
    files.update(changes)
    return {p: c for p, c in files.items() if c is not None}


def self_check() -> int:
    """Every checker passes its correct project and fails every broken one."""
    from .specs import BY_NAME

    bad = 0
    with tempfile.TemporaryDirectory(prefix="smol-quality-ref-") as tmp:
        for name, files in CORRECT.items():
            folder = materialize(Path(tmp, name, "correct"), files)
            verdict = BY_NAME[name].check(folder)
            bad += not verdict.passed
            print(
                f"{name:<13} correct          {'ok  ' if verdict.passed else 'BAD '} {verdict.reason}"
            )
        for i, (name, what, changes) in enumerate(BROKEN):
            folder = materialize(Path(tmp, name, f"broken{i}"), broken_files(name, changes))
            verdict = BY_NAME[name].check(folder)
            bad += verdict.passed
            print(
                f"{name:<13} {what[:16]:<16} {'BAD ' if verdict.passed else 'ok  '} {verdict.reason}"
            )
            shutil.rmtree(folder, ignore_errors=True)
    print("all checkers trusted" if not bad else f"{bad} checker result(s) wrong")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(self_check())
