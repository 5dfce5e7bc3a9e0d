"""Checker: count.py --chars adds `chars: N`; output without the option is unchanged."""
import os
import subprocess
import sys
from pathlib import Path


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


def main(project):
    if not (project / "count.py").exists():
        fail("count.py is missing")
    sample = project / "_check_sample.txt"
    text = "héllo world\nsecond  line here\n\nlast line without newline"
    try:
        sample.write_text(text, encoding="utf-8")
        p = run(project, ["count.py", sample.name])
        if p.returncode != 0 or p.stdout != "lines: 4\nwords: 9\n":
            fail(f"output without --chars changed: {p.stdout!r} exit {p.returncode} {p.stderr.strip()[-200:]}")

        for args in (["--chars", sample.name], [sample.name, "--chars"]):
            p = run(project, ["count.py"] + args)
            if p.returncode != 0:
                fail(f"`count.py {' '.join(args)}` exited {p.returncode}: {p.stderr.strip()[-300:]}")
            got = [l.strip() for l in p.stdout.splitlines() if l.strip()]
            want = ["lines: 4", "words: 9", f"chars: {len(text)}"]
            if got != want:
                fail(f"`count.py {' '.join(args)}` printed {got!r}, want {want!r}")

        p = run(project, ["count.py", "poem.txt"])
        if p.stdout != "lines: 4\nwords: 14\n":
            fail(f"poem.txt without --chars printed {p.stdout!r}")
        p = run(project, ["count.py", "--chars", "poem.txt"])
        n = len((project / "poem.txt").read_text(encoding="utf-8"))
        got = [l.strip() for l in p.stdout.splitlines() if l.strip()]
        if got != ["lines: 4", "words: 14", f"chars: {n}"]:
            fail(f"poem.txt with --chars printed {got!r}, want chars: {n}")
    finally:
        sample.unlink(missing_ok=True)
    print("PASS: --chars prints chars: N (either position); default output unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
