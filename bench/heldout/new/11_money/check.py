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
import json, sys, io, contextlib
sys.path.insert(0, sys.argv[1])
try:
    with contextlib.redirect_stdout(io.StringIO()):
        import money
except BaseException as e:
    print(json.dumps({"import_error": "%s: %s" % (type(e).__name__, e)})); sys.exit(0)
out = []
for name, args in json.loads(sys.argv[2]):
    fn = getattr(money, name, None)
    if fn is None:
        out.append(["missing", None]); continue
    try:
        r = fn(*args)
        if isinstance(r, float):
            out.append(["float", r])
        else:
            out.append(["ok", r if isinstance(r, (int, str, list)) else repr(r)])
    except ValueError as e:
        out.append(["ValueError", str(e)])
    except BaseException as e:
        out.append(["other", "%s: %s" % (type(e).__name__, e)])
print(json.dumps({"results": out}))
'''

CASES = [
    ("parse_money", ["$1,234.50"], 123450),
    ("parse_money", ["12"], 1200),
    ("parse_money", ["0.5"], 50),
    ("parse_money", ["-$3.25"], -325),
    ("parse_money", ["$-3.25"], -325),
    ("parse_money", ["  $7.05 "], 705),
    ("parse_money", ["0.10"], 10),
    ("parse_money", ["$19.99"], 1999),
    ("parse_money", ["4.35"], 435),
    ("parse_money", ["1,000,000"], 100000000),
    ("parse_money", ["1.234"], "ValueError"),
    ("parse_money", [""], "ValueError"),
    ("parse_money", ["abc"], "ValueError"),
    ("parse_money", ["1.2.3"], "ValueError"),
    ("format_money", [123450], "$1,234.50"),
    ("format_money", [5], "$0.05"),
    ("format_money", [-325], "-$3.25"),
    ("format_money", [100000000], "$1,000,000.00"),
    ("format_money", [0], "$0.00"),
    ("format_money", [99999], "$999.99"),
    ("format_money", [-123456789], "-$1,234,567.89"),
    ("split_evenly", [1000, 3], [334, 333, 333]),
    ("split_evenly", [5, 4], [2, 1, 1, 1]),
    ("split_evenly", [900, 3], [300, 300, 300]),
    ("split_evenly", [1001, 4], [251, 250, 250, 250]),
    ("split_evenly", [2, 5], [1, 1, 0, 0, 0]),
    ("split_evenly", [700, 1], [700]),
    ("split_evenly", [100, 0], "ValueError"),
]


def check(proj):
    need_file(proj, "money.py")
    tmp = tempfile.mkdtemp(prefix="chk11_")
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
        raise Fail("could not call the functions of money.py: %s" % short(p.stderr[-300:] or p.stdout))
    if "import_error" in res:
        raise Fail("import money failed: %s" % res["import_error"])
    for (name, args, want), got in zip(CASES, res["results"]):
        call = "%s(%s)" % (name, ", ".join(repr(a) for a in args))
        if got[0] == "missing":
            raise Fail("money.py has no function %s" % name)
        if want == "ValueError":
            if got[0] != "ValueError":
                raise Fail("%s should raise ValueError, got %s %r" % (call, got[0], got[1]))
        elif got[0] == "float":
            raise Fail("%s returned a float %r; cents must be integers" % (call, got[1]))
        elif got != ["ok", want]:
            raise Fail("%s gave %s %r, expected %r" % (call, got[0], got[1], want))
    return "parse_money, format_money and split_evenly pass all %d cases" % len(CASES)


if __name__ == "__main__":
    main(check)
