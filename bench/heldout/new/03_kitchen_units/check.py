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


def one_line(proj, args, expected):
    p = run_py(proj, ["kitchen.py"] + args)
    cmd = "python kitchen.py " + " ".join(args)
    if p.returncode != 0:
        raise Fail("`%s` exited %d: %s" % (cmd, p.returncode, short(p.stderr)))
    out = lines_of(p.stdout)
    if len(out) != 1:
        raise Fail("`%s` printed %d lines, expected exactly one: %s" % (cmd, len(out), short(p.stdout)))
    got = " ".join(out[0].split())
    if got != expected:
        raise Fail("`%s` printed %r, expected %r" % (cmd, out[0], expected))


def error_case(proj, args, want_rc=None, want_msg=None):
    p = run_py(proj, ["kitchen.py"] + args)
    cmd = "python kitchen.py " + " ".join(args)
    if p.returncode == 0:
        raise Fail("`%s` exited 0; expected an error status" % cmd)
    if "Traceback" in p.stderr:
        raise Fail("`%s` crashed with a traceback instead of an error message: %s" % (cmd, short(p.stderr[-200:])))
    if want_rc is not None and p.returncode != want_rc:
        raise Fail("`%s` exited %d, expected %d" % (cmd, p.returncode, want_rc))
    if want_msg is not None and want_msg not in p.stderr:
        raise Fail("`%s` stderr %r does not contain %r" % (cmd, short(p.stderr), want_msg))
    if not p.stderr.strip() and want_msg is None and args:
        raise Fail("`%s` printed no error on stderr" % cmd)


def check(proj):
    need_file(proj, "kitchen.py")
    one_line(proj, ["2", "cup", "ml"], "2 cup = 473.18 ml")
    one_line(proj, ["3", "tsp", "tbsp"], "3 tsp = 1.00 tbsp")
    one_line(proj, ["0.5", "L", "cup"], "0.5 l = 2.11 cup")
    one_line(proj, ["1", "TBSP", "Tsp"], "1 tbsp = 3.00 tsp")
    one_line(proj, ["12", "floz", "l"], "12 floz = 0.35 l")
    one_line(proj, ["250", "ml", "cup"], "250 ml = 1.06 cup")
    one_line(proj, ["1.5", "cup", "tbsp"], "1.5 cup = 24.00 tbsp")
    error_case(proj, ["2", "pint", "ml"], want_rc=2, want_msg="Unknown unit: pint")
    error_case(proj, ["2", "cup", "gallon"], want_rc=2, want_msg="Unknown unit: gallon")
    error_case(proj, ["abc", "cup", "ml"])
    error_case(proj, ["-3", "cup", "ml"])
    error_case(proj, [])
    return "conversions, rounding, case-insensitive units and error exits match the spec"


if __name__ == "__main__":
    main(check)
