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
import json, sys
sys.path.insert(0, sys.argv[1])
import io, contextlib
buf = io.StringIO()
try:
    with contextlib.redirect_stdout(buf):
        import isbn
except BaseException as e:
    print(json.dumps({"import_error": "%s: %s" % (type(e).__name__, e)})); sys.exit(0)
cases = json.loads(sys.argv[2])
out = []
for name, arg in cases:
    fn = getattr(isbn, name, None)
    if fn is None:
        out.append(["missing", None]); continue
    try:
        r = fn(arg)
        out.append(["ok", r if isinstance(r, (bool, str)) else repr(r)])
    except ValueError as e:
        out.append(["ValueError", str(e)])
    except BaseException as e:
        out.append(["other", "%s: %s" % (type(e).__name__, e)])
print(json.dumps({"results": out}))
'''

CASES = [
    ("is_valid_isbn10", "0-306-40615-2", ["ok", True]),
    ("is_valid_isbn10", "0-306-40615-3", ["ok", False]),
    ("is_valid_isbn10", "0-8044-2957-X", ["ok", True]),
    ("is_valid_isbn10", "0-8044-2957-x", ["ok", True]),
    ("is_valid_isbn10", "0 306 40615 2", ["ok", True]),
    ("is_valid_isbn10", "0306406152", ["ok", True]),
    ("is_valid_isbn10", "080442957X", ["ok", True]),
    ("is_valid_isbn10", "X804429570", ["ok", False]),
    ("is_valid_isbn10", "0X30640618", ["ok", False]),
    ("is_valid_isbn10", "030640615", ["ok", False]),
    ("is_valid_isbn10", "03064061522", ["ok", False]),
    ("is_valid_isbn10", "", ["ok", False]),
    ("is_valid_isbn10", "abcdefghij", ["ok", False]),
    ("is_valid_isbn10", "0-306-4O615-2", ["ok", False]),
    ("is_valid_isbn10", "9780306406157", ["ok", False]),
    ("is_valid_isbn13", "978-0-306-40615-7", ["ok", True]),
    ("is_valid_isbn13", "9780306406157", ["ok", True]),
    ("is_valid_isbn13", "978 1 86197 876 9", ["ok", True]),
    ("is_valid_isbn13", "9780306406158", ["ok", False]),
    ("is_valid_isbn13", "978030640615", ["ok", False]),
    ("is_valid_isbn13", "978030640615X", ["ok", False]),
    ("is_valid_isbn13", "0306406152", ["ok", False]),
    ("is_valid_isbn13", "", ["ok", False]),
    ("to_isbn13", "0-306-40615-2", ["ok", "9780306406157"]),
    ("to_isbn13", "0-8044-2957-X", ["ok", "9780804429573"]),
    ("to_isbn13", "1-86197-876-6", ["ok", "9781861978769"]),
    ("to_isbn13", "1-000-00003-6", ["ok", "9781000000030"]),
    ("to_isbn13", "0-306-40615-3", ["ValueError", None]),
    ("to_isbn13", "hello", ["ValueError", None]),
]


def check(proj):
    need_file(proj, "isbn.py")
    tmp = tempfile.mkdtemp(prefix="chk09_")
    try:
        hp = os.path.join(tmp, "h.py")
        with open(hp, "w") as fh:
            fh.write(HARNESS)
        p = run_py(proj, [hp, proj, json.dumps([[n, a] for n, a, _ in CASES])])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        res = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise Fail("could not run the functions of isbn.py: %s" % short(p.stderr[-300:] or p.stdout))
    if "import_error" in res:
        raise Fail("import isbn failed: %s" % res["import_error"])
    for (name, arg, want), got in zip(CASES, res["results"]):
        if got[0] == "missing":
            raise Fail("isbn.py has no function %s" % name)
        if want[0] == "ValueError":
            if got[0] != "ValueError":
                raise Fail("%s(%r) should raise ValueError, got %s %r" % (name, arg, got[0], got[1]))
        elif got != want:
            if got[0] == "ok":
                raise Fail("%s(%r) returned %r, expected %r" % (name, arg, got[1], want[1]))
            raise Fail("%s(%r) raised %s (%s), expected %r" % (name, arg, got[0], got[1], want[1]))
    return "all %d ISBN-10/13 validation and conversion cases behave as specified" % len(CASES)


if __name__ == "__main__":
    main(check)
