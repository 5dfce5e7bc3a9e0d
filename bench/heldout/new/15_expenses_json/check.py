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


SPEC_CSV = """date,category,amount
2024-03-01,groceries,54.20
2024-03-02,transport,2.75
2024-03-02,groceries,12.05
2024-03-05,rent,950
2024-03-07,transport,2.75
"""
SPEC_JSON = {"total": 1021.75, "count": 5,
             "by_category": {"groceries": 66.25, "rent": 950.0, "transport": 5.5},
             "largest": {"date": "2024-03-05", "category": "rent", "amount": 950.0}}

CSV2 = """date,category,amount
2024-04-01,utilities,80.10
2024-04-02,books,19.99
2024-04-03,coffee,abc
2024-04-03,coffee,3.40
2024-04-04,books,
2024-04-05,utilities,80.10
2024-04-06,coffee,3.30
2024-04-07,books,0.1
2024-04-08,books,0.2
"""
JSON2 = {"total": 187.19, "count": 7,
         "by_category": {"books": 20.29, "coffee": 6.7, "utilities": 160.2},
         "largest": {"date": "2024-04-01", "category": "utilities", "amount": 80.1}}


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 0.001
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def run_case(proj, tmp, csv_text, want, name, warn_lines=()):
    src = os.path.join(tmp, name + ".csv")
    dst = os.path.join(tmp, name + "_summary.json")
    with open(src, "w", newline="") as fh:
        fh.write(csv_text)
    p = run_py(proj, ["expenses.py", src, dst])
    if p.returncode != 0:
        raise Fail("`python expenses.py %s.csv OUT` exited %d: %s" % (name, p.returncode, short(p.stderr[-200:])))
    if ("Wrote %s" % dst) not in p.stdout:
        raise Fail("stdout should say 'Wrote %s', got %r" % (dst, short(p.stdout)))
    if not os.path.isfile(dst):
        raise Fail("output JSON file was not created")
    try:
        with open(dst, encoding="utf-8") as fh:
            raw = fh.read()
        got = json.loads(raw)
    except ValueError as e:
        raise Fail("output is not valid JSON (%s): %s" % (e, short(raw)))
    if not same(got, want):
        for k in want:
            if k not in got or not same(got[k], want[k]):
                raise Fail("%s: key %r is %r, expected %r" % (name, k, got.get(k, "<missing>"), want[k]))
        raise Fail("%s: JSON has extra or different keys: %r" % (name, sorted(got)))
    if list(got["by_category"]) != sorted(got["by_category"]):
        raise Fail("%s: by_category keys are not sorted: %r" % (name, list(got["by_category"])))
    for n in warn_lines:
        if not re.search(r"skipping line %d\b" % n, p.stderr):
            raise Fail("%s: stderr should contain 'skipping line %d', got %r" % (name, n, short(p.stderr)))


def check(proj):
    need_file(proj, "expenses.py")
    tmp = tempfile.mkdtemp(prefix="chk15_")
    try:
        run_case(proj, tmp, SPEC_CSV, SPEC_JSON, "spec_example")
        run_case(proj, tmp, CSV2, JSON2, "with_bad_rows", warn_lines=(4, 6))
        missing = os.path.join(tmp, "nope.csv")
        out = os.path.join(tmp, "never.json")
        p = run_py(proj, ["expenses.py", missing, out])
        if p.returncode != 1:
            raise Fail("missing input file: exit status %d, expected 1" % p.returncode)
        if not p.stderr.strip() or "Traceback" in p.stderr:
            raise Fail("missing input file: expected an error message on stderr, got %r" % short(p.stderr))
        if os.path.exists(out):
            raise Fail("missing input file: the output file was created anyway")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "summary JSON (totals, sorted categories, largest), bad-row warnings and missing-file error all correct"


if __name__ == "__main__":
    main(check)
