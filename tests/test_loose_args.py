"""A parser asking every subcommand for every argument takes the ones a command left out as
optional, from argparse's own error, without a model request; kept only if it does better."""

from __future__ import annotations

from smol_core.events import FileDone
from smol_core.fixes.loose_args import OPTIONAL, optional_arguments
from tests.test_trim_output import _run, isolated

KV = """import argparse, json, os, sys

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["set", "get"])
    parser.add_argument("name")
    parser.add_argument(
        "value",
        help="the value to keep",
    )
    args = parser.parse_args()
    data = json.load(open("store.json")) if os.path.exists("store.json") else {}
    if args.command == "set":
        data[args.name] = args.value
        json.dump(data, open("store.json", "w"))
        print("ok")
    elif args.name in data:
        print(data[args.name])
    else:
        print("not found")
        sys.exit(1)

main()
"""
ERROR = (
    "Error output:\nusage: kv.py [-h]\nkv.py: error: the following arguments are required: value"
)


def test_the_arguments_argparse_says_are_missing_become_optional():
    fixed = optional_arguments("kv.py", KV, ERROR)
    assert fixed is not None and fixed.why == OPTIONAL
    assert '        help="the value to keep", nargs="?",\n    )' in fixed.source  # its layout kept
    commented = optional_arguments("kv.py", 'p.add_argument("value"  # what to keep\n)\n', ERROR)
    assert commented is not None  # after the argument, not inside the comment
    assert commented.source == 'p.add_argument("value", nargs="?"  # what to keep\n)\n'
    assert fixed.source.count('nargs="?"') == 1  # `name` was given: it stays required
    # Two named at once; one already optional, an option, or another error: left alone.
    both = optional_arguments("kv.py", KV, ERROR.replace(": value", ": name, value"))
    assert both is not None and both.source.count('nargs="?"') == 2
    assert optional_arguments("kv.py", fixed.source, ERROR) is None
    assert optional_arguments("kv.py", KV, "IndexError: list index out of range") is None
    assert optional_arguments("kv.js", KV, ERROR) is None
    assert optional_arguments("kv.py", "def (:\n", ERROR) is None


SPEC = (
    "A key-value store, `kv.py`. `python kv.py set name Ada` prints `ok`; "
    "`python kv.py get name` prints `Ada`."
)


@isolated
def test_a_subcommand_missing_an_argument_passes_without_a_request(make_server):
    server = make_server(plan_text="- `kv.py` — the store.\n", files={"kv.py": KV})
    events, project = _run(server, SPEC)
    assert project.examples_state() == "passing"
    notes = [n for e in events if isinstance(e, FileDone) for n in e.fixed]
    assert any(n.startswith(OPTIONAL) for n in notes)
    assert [r.path for r in server.requests if r.kind == "code"] == ["kv.py"]  # no repair asked
