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


HARNESS = r'''
import json, sys, importlib.util, io, contextlib
proj, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, proj)
sys.path.insert(0, __import__("os").path.dirname(path))
try:
    with contextlib.redirect_stdout(io.StringIO()):
        spec = importlib.util.spec_from_file_location("target_mod", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    fn = getattr(mod, "chunked")
except BaseException as e:
    print(json.dumps({"import_error": "%s: %s" % (type(e).__name__, e)})); sys.exit(0)
def call(items, size):
    try:
        r = fn(items, size)
        r = [list(piece) for piece in r]
        return ["ok", r]
    except ValueError as e:
        return ["ValueError", str(e)]
    except BaseException as e:
        return ["other", "%s: %s" % (type(e).__name__, e)]
cases = json.loads(sys.argv[3])
print(json.dumps({"results": [call(i, s) for i, s in cases]}))
'''

CASES = [
    ([1, 2, 3, 4, 5, 6, 7], 3, ["ok", [[1, 2, 3], [4, 5, 6], [7]]]),
    ([1, 2, 3, 4, 5, 6], 2, ["ok", [[1, 2], [3, 4], [5, 6]]]),
    (["a", "b", "c"], 5, ["ok", [["a", "b", "c"]]]),
    (["a", "b", "c"], 1, ["ok", [["a"], ["b"], ["c"]]]),
    ([9, 8, 7, 6], 4, ["ok", [[9, 8, 7, 6]]]),
    ([], 3, ["ok", []]),
    ([1, 2, 3], 0, ["ValueError", None]),
    ([1, 2, 3], -2, ["ValueError", None]),
]


def candidates(proj):
    out = []
    for p in py_files(proj, max_depth=3):
        if re.search(r"^\s*def\s+chunked\s*\(", read_text(p), re.M):
            out.append(p)
    return sorted(out, key=lambda p: (os.path.relpath(p, proj).count(os.sep), p))


def check(proj):
    cands = candidates(proj)
    if not cands:
        raise Fail("no Python file defines a function chunked(...)")
    path = cands[0]
    rel = os.path.relpath(path, proj)
    tmp = tempfile.mkdtemp(prefix="chk10_")
    try:
        hp = os.path.join(tmp, "h.py")
        with open(hp, "w") as fh:
            fh.write(HARNESS)
        p = run_py(proj, [hp, proj, path, json.dumps([[i, s] for i, s, _ in CASES])])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        res = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise Fail("could not call chunked from %s: %s" % (rel, short(p.stderr[-300:] or p.stdout)))
    if "import_error" in res:
        raise Fail("loading %s failed: %s" % (rel, res["import_error"]))
    for (items, size, want), got in zip(CASES, res["results"]):
        if want[0] == "ValueError":
            if got[0] != "ValueError":
                raise Fail("chunked(%r, %r) should raise ValueError, got %s %r" % (items, size, got[0], got[1]))
        elif got != want:
            raise Fail("chunked(%r, %r) gave %s %r, expected %r" % (items, size, got[0], got[1], want[1]))
    return "chunked() in %s splits correctly (incl. short last piece, empty list) and raises ValueError for size <= 0" % rel


if __name__ == "__main__":
    main(check)
