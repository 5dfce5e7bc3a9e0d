"""Checker (from nothing): wordfreq.py FILE [-n N] prints `word count` lines, most common first,
case-insensitive, punctuation stripped, ties alphabetical, default 10."""
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

TEXT = """The cat sat on the mat. The dog sat on the log!
A cat, a dog, and a bird? THE END... Dog days; cat naps: bird songs.
Is it the cat or the dog? It is the bird.
"""
TEXT2 = "Zeta beta. alpha ZETA; Beta gamma delta, epsilon eta theta iota kappa lambda mu nu xi omicron pi"


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


def expected(text, n):
    counts = Counter(re.findall(r"[a-z]+", text.lower()))
    return [f"{w} {c}" for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def got_lines(p):
    return [" ".join(l.split()) for l in p.stdout.splitlines() if l.strip()]


def main(project):
    if not (project / "wordfreq.py").exists():
        fail("wordfreq.py is missing")
    files = {"_wf_sample1.txt": TEXT, "_wf_sample2.txt": TEXT2}
    try:
        for name, text in files.items():
            (project / name).write_text(text, encoding="utf-8")
        cases = [
            (["_wf_sample1.txt"], expected(TEXT, 10)),
            (["_wf_sample1.txt", "-n", "3"], expected(TEXT, 3)),
            (["-n", "1", "_wf_sample1.txt"], expected(TEXT, 1)),
            (["_wf_sample2.txt"], expected(TEXT2, 10)),
            (["_wf_sample2.txt", "-n", "100"], expected(TEXT2, 100)),
        ]
        for args, want in cases:
            p = run(project, ["wordfreq.py"] + args)
            if p.returncode != 0:
                fail(f"`wordfreq.py {' '.join(args)}` exited {p.returncode}: {p.stderr.strip()[-300:]}")
            if got_lines(p) != want:
                fail(f"`wordfreq.py {' '.join(args)}` printed {got_lines(p)!r}, want {want!r}")
    finally:
        for name in files:
            (project / name).unlink(missing_ok=True)
    print("PASS: wordfreq.py counts words case-insensitively, strips punctuation, orders ties, honours -n")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
