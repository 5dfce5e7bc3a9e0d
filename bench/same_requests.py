"""Do two checkouts ask the model the same thing? The check of a refactor that must not change
behaviour (the house's move into rooms, issue 34).

    python -m bench.same_requests BASE NEW [--run-examples]

Each checkout's CLI writes the 9 `bench.quality` specs against one scripted server (the same
canned answers for both), and every request it sent is compared, byte for byte, spec by spec
(the sandbox's temporary folder name aside, which differs from run to run). With
`--run-examples` the canned code is also run and repaired, so the repair prompts are compared
too. Identical requests to the same answers mean the same projects: the model can't tell the
two apart.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.quality.specs import SPECS
from tests.conftest import FILES, PLAN
from tests.scripted_server import ScriptedServer

_TEMP = re.compile(r"smol-run-\w+")


def asked(root: Path, run_examples: bool) -> dict[str, tuple[int, list[str]]]:
    """Per spec: the CLI's exit status and the bodies of the requests it sent, sorted (files
    are written concurrently: their order is not the studio's to keep)."""
    out = {}
    for spec in SPECS:
        server = ScriptedServer(plan_text=PLAN, files=dict(FILES))
        server.start()
        try:
            with tempfile.TemporaryDirectory() as folder:
                env = dict(
                    os.environ,
                    OPENAI_BASE_URL=server.base_url,
                    OPENAI_API_KEY="sk-scripted-0000",
                    SMOL_RUN_EXAMPLES="1" if run_examples else "0",
                    PYTHONPATH=str(root),
                )
                env.pop("SMOL_PROVIDER", None)
                command = [sys.executable, "-m", "smol_core", "--prompt", spec.text]
                command += ["--out", f"{folder}/project", "--model", "scripted-model"]
                done = subprocess.run(
                    command, cwd=root, env=env, capture_output=True, text=True, timeout=600
                )
            bodies = [
                _TEMP.sub("smol-run-X", json.dumps(r.body, sort_keys=True)) for r in server.requests
            ]
            out[spec.name] = (done.returncode, sorted(bodies))
        finally:
            server.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("base", type=Path)
    p.add_argument("new", type=Path)
    p.add_argument("--run-examples", action="store_true", help="run and repair the code too")
    args = p.parse_args(argv)
    base, new = (asked(r.resolve(), args.run_examples) for r in (args.base, args.new))
    same = 0
    for name, (code, bodies) in base.items():
        other_code, other = new[name]
        equal = (code, bodies) == (other_code, other)
        same += equal
        verdict = "identical" if equal else "DIFFER"
        print(f"{name:14} exit {code}/{other_code}  requests {len(bodies)}/{len(other)}  {verdict}")
        for a, b in zip(bodies, other, strict=False):
            if a != b:
                diff = difflib.unified_diff(a.split("\\n"), b.split("\\n"), lineterm="", n=0)
                print("\n".join(list(diff)[:12]))
                break
    print(f"{same}/{len(base)} specs: the same requests, byte for byte")
    return 0 if same == len(base) else 1


if __name__ == "__main__":
    sys.exit(main())
