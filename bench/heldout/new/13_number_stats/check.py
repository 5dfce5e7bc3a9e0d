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


NUM_RE = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")

CASES = [
    # (stdin lines, count, average, min, max)
    (["4", "8", "15", "16", "23", "42"], 6, 18.0, 4.0, 42.0),
    (["2.5", "-1", "3.5"], 3, 5.0 / 3, -1.0, 3.5),
    (["7"], 1, 7.0, 7.0, 7.0),
    (["10", "20", "30", "40", "-25"], 5, 15.0, -25.0, 40.0),
]


def numbers_in(text):
    return [float(x) for x in NUM_RE.findall(text)]


def find(vals, target, tol):
    return any(abs(v - target) <= tol for v in vals)


def check_entry(proj, entry):
    rel = os.path.relpath(entry, proj)
    for lines, count, avg, lo, hi in CASES:
        stdin = "\n".join(lines) + "\n"
        p = run_py(proj, [entry], stdin=stdin)
        if p.returncode != 0 or "Traceback" in p.stderr:
            raise Fail("%s reading %r exited %d: %s" % (rel, lines, p.returncode, short(p.stderr[-200:])))
        out = p.stdout
        # drop any prompt text that echoes nothing numeric; look at all numbers shown
        vals = numbers_in(out)
        low = out.lower()
        for what, target, tol in (("count", count, 0), ("average", avg, 0.006), ("smallest", lo, 1e-9), ("largest", hi, 1e-9)):
            if not find(vals, target, tol):
                raise Fail("%s for input %r should show the %s %g; output: %s" % (rel, lines, what, target, short(out)))
        # the wrong "average" numbers must not be the only ones shown: check a labelled line when labels exist
        for label_re, target, tol in ((r"av(?:erage|g)|mean", avg, 0.006), (r"min|smallest|lowest", lo, 1e-9),
                                      (r"max|largest|biggest|highest", hi, 1e-9), (r"count|how many|numbers? read|total numbers|^n\b", count, 0)):
            labelled = [l for l in low.splitlines() if re.search(label_re, l)]
            if len(labelled) == 1 and not find(numbers_in(labelled[0]), target, tol):
                raise Fail("%s: line %r should show %g for input %r" % (rel, labelled[0].strip(), target, lines))
    return "%s prints count, average, smallest and largest correctly for %d inputs" % (rel, len(CASES))


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
