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


import string

SYMBOLS = "!@#$%^&*-_=+?"
LOW, UP, DIG = string.ascii_lowercase, string.ascii_uppercase, string.digits


def pw_lines(proj, args, n, length, groups):
    p = run_py(proj, ["passgen.py"] + args)
    if p.returncode != 0:
        raise Fail("`python passgen.py %s` exited %d: %s" % (" ".join(args), p.returncode, short(p.stderr)))
    out = [l.strip() for l in p.stdout.strip().splitlines() if l.strip()]
    if len(out) != n:
        raise Fail("`passgen.py %s` printed %d non-empty lines, expected %d: %s" % (" ".join(args), len(out), n, short(p.stdout)))
    allowed = "".join(groups)
    for pw in out:
        if len(pw) != length:
            raise Fail("`passgen.py %s`: password %r has length %d, expected %d" % (" ".join(args), pw, len(pw), length))
        bad = [c for c in pw if c not in allowed]
        if bad:
            raise Fail("`passgen.py %s`: password %r has characters not allowed: %r" % (" ".join(args), pw, "".join(bad)))
        for g in groups:
            if not any(c in g for c in pw):
                raise Fail("`passgen.py %s`: password %r lacks a character from group %r" % (" ".join(args), pw, g[:12]))
    return out


def check(proj):
    need_file(proj, "passgen.py")
    pw_lines(proj, [], 1, 16, [LOW, UP, DIG, SYMBOLS])
    pw_lines(proj, ["--length", "12", "--count", "3", "--no-symbols"], 3, 12, [LOW, UP, DIG])
    pw_lines(proj, ["--count", "4", "--length", "8", "--no-digits"], 4, 8, [LOW, UP, SYMBOLS])
    pw_lines(proj, ["--no-symbols", "--no-digits", "--length", "6", "--count", "5"], 5, 6, [LOW, UP])
    many = pw_lines(proj, ["--length", "4", "--count", "30"], 30, 4, [LOW, UP, DIG, SYMBOLS])
    if len(set(many)) < 20:
        raise Fail("30 generated passwords of length 4 had only %d distinct values; not random" % len(set(many)))
    p = run_py(proj, ["passgen.py", "--length", "3"])
    if p.returncode == 0:
        raise Fail("`passgen.py --length 3` exited 0; expected a non-zero status")
    if not p.stderr.strip():
        raise Fail("`passgen.py --length 3` printed no error message on stderr")
    return "lengths, counts, character groups, --no-symbols/--no-digits and --length 3 error all behave as specified"


if __name__ == "__main__":
    main(check)
