"""Speculative decoding on the built-in model, per kind of request, side by side in one run:
each speculation setting gets its own server and the same requests at temperature 0. Prints
the time, the tokens written and drafted/accepted (llama.cpp's own `timings`), the server's
RSS, and whether each text is the same as with speculation off.

    python -m bench.speculation [--settings off,ngram-mod,ngram-simple] [--draft-max 64]
                                [--kinds fresh,rewrite,function]
    python -m bench.speculation --settings off,draft=PATH.gguf --draft-max 8   # a draft model

The requests are the studio's own: a fresh file of a 3-file project (the per-file prompt),
a whole-file rewrite of a ~90-line file with a one-line change (`change_whole`), and the
same change written as the changed function only (`change_functions`). Needs
`pip install -r requirements-local.txt`; ~8 minutes; run it alone.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import openai

from bench.common import Figure, report
from bench.local_model import rss_mib
from smol_core.model import local_server
from smol_core.prompts import file_messages, render
from smol_core.records import FileSpec

SPEC = (
    "A Python command-line tool, standard library only, in exactly three files. "
    "`storage.py` loads and saves a list of notes (strings) in notes.json with `load_notes()` "
    "and `save_notes(notes)`. `notes.py` is the entry point: `python notes.py add TEXT` adds a "
    "note, `python notes.py list` prints them numbered. `README.md` explains the two commands."
)
PLAN = (
    "- `storage.py`: `load_notes()` returns the list in notes.json ([] when the file is "
    "missing); `save_notes(notes)` writes it as JSON.\n- `notes.py`: argparse-free entry "
    "point: `add TEXT` appends and saves, `list` prints `1. text` lines.\n- `README.md`: usage."
)
FILES = [
    FileSpec("storage.py", "load/save notes"),
    FileSpec("notes.py", "entry point"),
    FileSpec("README.md", "usage"),
]


def inventory(helpers: int = 16, fixed: bool = False) -> str:
    """A ~90-line module where one line is wrong (total_value ignores qty)."""
    lines = ['"""A small inventory: items are dicts with name, price and qty."""', "", ""]
    for i in range(helpers):
        lines += [
            f"def helper_{i}(items):",
            f'    """Items whose qty is over {i}."""',
            f"    return [item for item in items if item['qty'] > {i}]",
            "",
            "",
        ]
    body = "item['price'] * item['qty']" if fixed else "item['price']"
    lines += [
        "def total_value(items):",
        f"    return sum({body} for item in items)",
        "",
        "",
        'if __name__ == "__main__":',
        "    stock = [{'name': 'pen', 'price': 2, 'qty': 10}, "
        "{'name': 'cup', 'price': 5, 'qty': 10}]",
        "    print(f'total value: {total_value(stock)}')",
        "",
    ]
    return "\n".join(lines)


# A one-line change said plainly (the 1.5B model can't infer the fix from "it ignores qty").
REQUEST = (
    "In total_value, multiply each item's price by its qty, so that `python inventory.py` "
    "prints `total value: 70`."
)


def requests(kinds: list[str]) -> dict[str, list[dict]]:
    system = {"role": "system", "content": render("system")}
    current = "```python\n" + inventory() + "\n```"
    asks = {
        "fresh": file_messages(SPEC, PLAN, FILES, "notes.py"),
        "rewrite": [
            system,
            {
                "role": "user",
                "content": render(
                    "change_whole",
                    request=REQUEST,
                    path="inventory.py",
                    what="price times qty in total_value",
                    current=current,
                ),
            },
        ],
        "function": [
            system,
            {
                "role": "user",
                "content": render(
                    "change_functions",
                    request=REQUEST,
                    path="inventory.py",
                    what="price times qty in total_value",
                    current=current,
                ),
            },
        ],
    }
    return {k: asks[k] for k in kinds}


def one_setting(name: str, draft_max: int, asks: dict[str, list[dict]]) -> dict:
    local_server.stop_local_server()
    if name.startswith("draft="):  # a draft model's GGUF: llama.cpp's draft-simple
        config = local_server.LocalServerConfig(
            speculation="off", draft_max=draft_max, draft_model=Path(name[6:])
        )
    else:
        config = local_server.LocalServerConfig(speculation=name, draft_max=draft_max)
    url = local_server.start_local_server(config)
    client = openai.OpenAI(base_url=url, api_key="local", max_retries=0, timeout=900)
    out: dict = {"rss": rss_mib(local_server.local_server_pid() or 0)}
    for kind, messages in asks.items():
        # A warm-up request with the same prefix, so each timed request prefills the same part
        # whatever ran before it; the figure is then decode, speculation's share.
        client.chat.completions.create(
            model="local", messages=messages, max_tokens=1, temperature=0
        )
        t0 = time.perf_counter()
        resp = client.chat.completions.create(
            model="local", messages=messages, max_tokens=1200, temperature=0
        )
        wall = time.perf_counter() - t0
        t = (resp.model_extra or {}).get("timings", {})
        out[kind] = {
            "wall": wall,
            "text": resp.choices[0].message.content or "",
            "n": t.get("predicted_n", 0),
            "tps": t.get("predicted_per_second", 0.0),
            "draft": t.get("draft_n", 0),
            "accepted": t.get("draft_n_accepted", 0),
        }
        r = out[kind]
        print(
            f"  {name:<13} {kind:<9} {wall:6.1f}s {r['n']:5d} tokens {r['tps']:5.1f} tok/s "
            f"drafted {r['draft']} accepted {r['accepted']}",
            flush=True,
        )
    return out


def main(argv: list[str] | None = None) -> list[Figure]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--settings", default="off,ngram-mod,ngram-simple")
    p.add_argument("--draft-max", type=int, default=64)
    p.add_argument("--kinds", default="fresh,rewrite,function")
    args = p.parse_args(argv)
    asks = requests(args.kinds.split(","))
    names = args.settings.split(",")
    results: dict[str, dict] = {}
    try:
        for name in names:
            results[name] = one_setting(name, args.draft_max, asks)
    finally:
        local_server.stop_local_server()
    base = results[names[0]]
    figures: list[Figure] = []
    for name in names[1:]:
        for kind in asks:
            a, b = base[kind], results[name][kind]
            same = "same text" if a["text"] == b["text"] else "TEXT DIFFERS"
            figures.append(
                Figure(
                    f"{kind}: {names[0]} / {name} (draft_max {args.draft_max})",
                    f"{a['wall'] / max(b['wall'], 1e-9):.2f}x ({a['wall']:.1f} s vs {b['wall']:.1f} s; "
                    f"{b['n']} tokens, {b['accepted']}/{b['draft']} drafted accepted; {same})",
                    "",
                    None,
                )
            )
    for name in names:
        figures.append(
            Figure(f"server RSS, {name}", f"{results[name]['rss'] or 0:.0f} MiB", "", None)
        )
    report("speculative decoding on the built-in model (python -m bench.speculation)", figures)
    return figures


if __name__ == "__main__":
    main()
