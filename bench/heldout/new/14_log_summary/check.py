import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


class Fail(Exception):
    pass


def done(ok, why):
    why = " ".join(str(why).split())[:400]
    print(("PASS: " if ok else "FAIL: ") + why)
    sys.exit(0 if ok else 1)


def child_env(extra=None):
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    if extra:
        env.update(extra)
    return env


def run_py(proj, args, stdin="", timeout=15, env=None):
    """Run `python ARGS` with cwd=proj; never hangs."""
    cmd = [sys.executable] + [str(a) for a in args]
    try:
        return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                              timeout=timeout, cwd=proj, env=env or child_env(),
                              encoding="utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        raise Fail("timed out after %ss: python %s" % (timeout, " ".join(str(a) for a in args)))


def short(s, n=160):
    s = (s or "").strip().replace("\n", "\\n")
    return s if len(s) <= n else s[:n] + "..."


def lines_of(s):
    return [l.rstrip() for l in (s or "").strip("\n").splitlines()]


def need_file(proj, name):
    path = os.path.join(proj, name)
    if not os.path.isfile(path):
        raise Fail("missing file %s" % name)
    return path


SKIP_DIRS = {".git", "__pycache__", "venv", ".venv", "env", "node_modules", "tests", "test", "reference"}
SKIP_NAMES = {"check.py", "setup.py", "conftest.py"}


def py_files(proj, max_depth=2):
    out = []
    for root, dirs, files in os.walk(proj):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        depth = os.path.relpath(root, proj).count(os.sep) + (0 if root == proj else 1)
        if depth > max_depth:
            dirs[:] = []
            continue
        for f in sorted(files):
            if f.endswith(".py") and f not in SKIP_NAMES and not f.startswith("test_") and not f.endswith("_test.py"):
                out.append(os.path.join(root, f))
    return out


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def entry_candidates(proj):
    """Sensible guesses for the runnable script of a project that names no files."""
    pys = py_files(proj)
    if not pys:
        raise Fail("no Python file found in the project")
    mains = [p for p in pys if "__main__" in read_text(p)]
    if not mains:
        mains = [p for p in pys if re.search(r"sys\.argv|argparse|input\(|sys\.stdin", read_text(p))]
    cands = mains or pys
    pref = {"main.py": 0, "cli.py": 1, "app.py": 2, "__main__.py": 3}

    def key(p):
        rel = os.path.relpath(p, proj)
        return (rel.count(os.sep), pref.get(os.path.basename(p), 9), rel)
    return sorted(cands, key=key)


def main(check):
    if len(sys.argv) != 2:
        done(False, "usage: python check.py PROJECT_DIR")
    proj = os.path.abspath(sys.argv[1])
    if not os.path.isdir(proj):
        done(False, "project dir does not exist: %s" % proj)
    try:
        why = check(proj)
    except Fail as e:
        done(False, str(e))
    except Exception as e:  # a checker bug or an unexpected crash shape
        done(False, "unexpected %s: %s" % (type(e).__name__, e))
    done(True, why)


SPEC_LOG = """2024-05-01 12:00:00 INFO Service started
2024-05-01 12:00:03 ERROR Disk full on /dev/sda1
2024-05-01 12:00:04 WARNING Retrying write
this line is garbage
2024-05-01 12:00:05 ERROR Disk full on /dev/sda1
2024-05-01 12:01:00 INFO Write ok
2024-05-01 12:02:00 INFO Service stopped
"""
SPEC_OUT = ["DEBUG: 0", "INFO: 3", "WARNING: 1", "ERROR: 2", "CRITICAL: 0", "skipped: 1",
            "most common error: Disk full on /dev/sda1 (2)"]

LOG2 = """2024-06-10 08:00:00 DEBUG cache warm
2024-06-10 08:00:01 CRITICAL Database unreachable

2024-06-10 08:00:02 ERROR Timeout talking to payments
2024-06-10 08:00:03 error lowercase level is not valid
2024-06-10 08:00:04 NOTICE unknown level
2024-06-10 08:00:05 ERROR Timeout talking to payments
2024-06-10 08:00:06 CRITICAL Database unreachable
2024-06-10 08:00:07 DEBUG cache hit
2024-06-10 08:00:08 DEBUG cache miss
"""
LOG2_OUT = ["DEBUG: 3", "INFO: 0", "WARNING: 0", "ERROR: 2", "CRITICAL: 2", "skipped: 2",
            "most common error: Database unreachable (2)"]

LOG3 = """2024-07-01 09:00:00 INFO all good
2024-07-01 09:00:01 WARNING disk at 80%

2024-07-01 09:00:02 INFO still good
"""
LOG3_OUT = ["DEBUG: 0", "INFO: 2", "WARNING: 1", "ERROR: 0", "CRITICAL: 0", "skipped: 0",
            "most common error: none"]

LOG4 = """2024-07-02 10:00:00 ERROR Printer on fire
2024-07-02 10:00:01 CRITICAL Kernel panic
2024-07-02 10:00:02 ERROR Kernel panic
2024-07-02 10:00:03 ERROR Printer on fire
"""
LOG4_OUT = ["DEBUG: 0", "INFO: 0", "WARNING: 0", "ERROR: 3", "CRITICAL: 1", "skipped: 0",
            "most common error: Printer on fire (2)"]


def expect(proj, log, want, name):
    p = run_py(proj, ["logsum.py"], stdin=log)
    if p.returncode != 0:
        raise Fail("logsum.py on %s exited %d: %s" % (name, p.returncode, short(p.stderr[-200:])))
    got = [" ".join(l.split()) for l in p.stdout.splitlines() if l.strip()]
    if got != want:
        diff = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
        raise Fail("logsum.py on %s: line %d is %r, expected %r (full output %r)"
                   % (name, diff + 1, got[diff] if diff < len(got) else None,
                      want[diff] if diff < len(want) else None, got))


def check(proj):
    need_file(proj, "logsum.py")
    expect(proj, SPEC_LOG, SPEC_OUT, "the spec's example log")
    expect(proj, LOG2, LOG2_OUT, "a log with DEBUG/CRITICAL, bad levels and an empty line")
    expect(proj, LOG3, LOG3_OUT, "a log with no errors")
    expect(proj, LOG4, LOG4_OUT, "a log with a tie broken by first appearance")
    expect(proj, "", ["DEBUG: 0", "INFO: 0", "WARNING: 0", "ERROR: 0", "CRITICAL: 0", "skipped: 0",
                      "most common error: none"], "empty input")
    return "level counts, skipped lines, empty lines, most-common-error and tie-break all match"


if __name__ == "__main__":
    main(check)
