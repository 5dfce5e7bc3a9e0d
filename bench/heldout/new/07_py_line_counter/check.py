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


FILES = {
    "alpha.py": 3,
    "beta_tool.py": 11,
    "gamma.py": 6,
}
OTHER = {"notes.txt": 40, "data.csv": 25}


def make_folder():
    d = tempfile.mkdtemp(prefix="chk07_")
    for name, n in list(FILES.items()) + list(OTHER.items()):
        with open(os.path.join(d, name), "w") as fh:
            for i in range(n):
                fh.write("x%d = %d\n" % (i, i * 7 + 100) if name.endswith(".py") else "row %d\n" % (i + 100))
    return d


def nums(line):
    return [int(x) for x in re.findall(r"(?<![\w.])\d+(?![\w])", line)]


def check_entry(proj, entry, folder):
    rel = os.path.relpath(entry, proj)
    p = run_py(proj, [entry, folder])
    if p.returncode != 0:
        raise Fail("`python %s FOLDER` exited %d: %s" % (rel, p.returncode, short(p.stderr[-200:])))
    out = p.stdout
    lines = out.splitlines()
    for name, n in FILES.items():
        hit = [l for l in lines if name in l]
        if not hit:
            raise Fail("`python %s FOLDER` output does not mention %s: %s" % (rel, name, short(out)))
        if not any(n in nums(l.replace(name, " ")) for l in hit):
            raise Fail("%s has %d lines but the output line says %r" % (name, n, hit[0].strip()))
    for name in OTHER:
        if name in out:
            raise Fail("output lists the non-Python file %s" % name)
    total = sum(FILES.values())
    tl = [l for l in lines if re.search(r"total", l, re.I)]
    if not any(total in nums(l) for l in tl):
        raise Fail("no line with 'total' showing %d: %s" % (total, short(out)))
    return "%s lists each .py file with its line count and the total (%d)" % (rel, total)


def check(proj):
    folder = make_folder()
    try:
        first = None
        for entry in entry_candidates(proj)[:3]:
            try:
                return check_entry(proj, entry, folder)
            except Fail as e:
                first = first or e
        raise first
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(check)
