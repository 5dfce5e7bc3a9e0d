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


from itertools import combinations

INT_RE = re.compile(r"(?<![\w.])-?\d+(?![\w])")


def ints(text):
    # ignore the echoed expression such as "3d6" / "1d20+4"
    text = re.sub(r"\d*[dD]\d+(\s*[+-]\s*\d+)?", " ", text)
    return [int(x) for x in INT_RE.findall(text)]


def attempt(proj, entry, expr):
    """Run the roller for one expression, by argument first, then via stdin."""
    outs = []
    p = run_py(proj, [entry, expr], stdin="")
    outs.append(("argument", p.stdout if p.returncode == 0 else ""))
    p2 = run_py(proj, [entry], stdin=expr + "\n")
    text = p2.stdout
    if "Traceback" in text:
        text = text.split("Traceback")[0]
    outs.append(("stdin", text))
    return outs


def has_total(text, n_dice, sides, mod):
    vals = ints(text)
    lo, hi = n_dice + mod, n_dice * sides + mod
    for i, t in enumerate(vals):
        if not (lo <= t <= hi):
            continue
        others = [v for j, v in enumerate(vals) if j != i and 1 <= v <= sides]
        if len(others) < n_dice:
            continue
        if len(others) > 12:
            others = others[:12]
        for combo in combinations(others, n_dice):
            if sum(combo) + mod == t:
                return True
    return False


def check_entry(proj, entry):
    rel = os.path.relpath(entry, proj)
    mode = None
    for expr, nd, sd, mod in [("4d6", 4, 6, 0), ("3d1", 3, 1, 0), ("2d1+4", 2, 1, 4), ("2d8+3", 2, 8, 3)]:
        ok = False
        shown = ""
        for how, text in attempt(proj, entry, expr):
            shown = shown or text
            if mode and how != mode:
                continue
            if has_total(text, nd, sd, mod):
                ok, mode = True, how
                break
        if not ok:
            raise Fail("%s: for %s found no total that equals the shown dice plus modifier (output: %s)" % (rel, expr, short(shown)))
    seen = set()
    for _ in range(8):
        for how, text in attempt(proj, entry, "1d20"):
            if how == mode:
                vals = [v for v in ints(text) if 1 <= v <= 20]
                if not vals:
                    raise Fail("%s: 1d20 showed no result between 1 and 20 (output: %s)" % (rel, short(text)))
                seen.add(tuple(vals))
    if len(seen) < 3:
        raise Fail("%s: 8 rolls of 1d20 gave only %d different results; not random" % (rel, len(seen)))
    return "%s (%s input) shows each die and a correct total, with modifiers, and rolls randomly" % (rel, mode)


def check(proj):
    first = None
    for entry in entry_candidates(proj)[:3]:
        try:
            return check_entry(proj, entry)
        except Fail as e:
            first = first or e
    raise first


if __name__ == "__main__":
    main(check)
