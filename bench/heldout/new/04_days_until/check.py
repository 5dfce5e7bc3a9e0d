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


import datetime as dt


def expect(proj, args, want):
    p = run_py(proj, ["days.py"] + args)
    cmd = "python days.py " + " ".join(args)
    if p.returncode != 0:
        raise Fail("`%s` exited %d: %s" % (cmd, p.returncode, short(p.stderr)))
    got = [" ".join(l.split()) for l in lines_of(p.stdout) if l.strip()]
    if got != [want]:
        raise Fail("`%s` printed %r, expected %r" % (cmd, short(p.stdout), want))


def check(proj):
    need_file(proj, "days.py")
    expect(proj, ["2025-12-25", "--from", "2025-12-01"], "24 days until 2025-12-25")
    expect(proj, ["2025-01-01", "--from", "2025-03-01"], "59 days since 2025-01-01")
    expect(proj, ["2025-06-02", "--from", "2025-06-01"], "1 day until 2025-06-02")
    expect(proj, ["2025-06-01", "--from", "2025-06-01"], "That's today!")
    expect(proj, ["2023-12-31", "--from", "2024-01-01"], "1 day since 2023-12-31")
    expect(proj, ["2024-03-01", "--from", "2024-02-01"], "29 days until 2024-03-01")
    expect(proj, ["2030-01-01", "--from", "2020-01-01"], "3653 days until 2030-01-01")
    today = dt.date.today()
    fut = today + dt.timedelta(days=10)
    if dt.date.today() == today:
        expect(proj, [fut.isoformat()], "10 days until %s" % fut.isoformat())
        expect(proj, [today.isoformat()], "That's today!")
    for bad_args, bad in ((["2025-02-30"], "2025-02-30"), (["hello"], "hello"),
                          (["2025-01-01", "--from", "2025-13-01"], "2025-13-01")):
        p = run_py(proj, ["days.py"] + bad_args)
        cmd = "python days.py " + " ".join(bad_args)
        if p.returncode != 1:
            raise Fail("`%s` exited %d, expected 1" % (cmd, p.returncode))
        if "Invalid date: %s" % bad not in p.stderr:
            raise Fail("`%s` stderr %r lacks 'Invalid date: %s'" % (cmd, short(p.stderr), bad))
    p = run_py(proj, ["days.py"])
    if p.returncode == 0:
        raise Fail("`python days.py` with no arguments exited 0")
    if not re.search(r"usage|days\.py", p.stdout + p.stderr, re.I):
        raise Fail("`python days.py` with no arguments printed no usage message: %r" % short(p.stdout + p.stderr))
    return "until/since/today wording, default --from, invalid dates and no-argument usage all match"


if __name__ == "__main__":
    main(check)
