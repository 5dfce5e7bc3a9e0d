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


PEOPLE = "name,age,city\nAda,36,London\nLinus,28,Helsinki\n"
PEOPLE_MD = [["name", "age", "city"], "SEP", ["Ada", "36", "London"], ["Linus", "28", "Helsinki"]]

TRICKY = ('city , country,population,note\n'
          '"Paris, France",France, 2102650 ,capital\n'
          '\n'
          'Lyon,France,513275\n'
          'Odd|Name,Nowhere,12,a|b,EXTRA\n'
          '"  Quoted  ",Spain,,\n')
TRICKY_MD = [["city", "country", "population", "note"], "SEP",
             ["Paris, France", "France", "2102650", "capital"],
             ["Lyon", "France", "513275", ""],
             ["Odd\\|Name", "Nowhere", "12", "a\\|b"],
             ["Quoted", "Spain", "", ""]]


def split_row(line):
    line = line.strip()
    if not (line.startswith("|") and line.endswith("|")) or len(line) < 2:
        return None
    inner = line[1:-1]
    cells, cur, i = [], "", 0
    while i < len(inner):
        if inner[i] == "\\" and i + 1 < len(inner) and inner[i + 1] == "|":
            cur += "\\|"
            i += 2
            continue
        if inner[i] == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += inner[i]
        i += 1
    cells.append(cur.strip())
    return cells


def compare(text, want, what, seps=None):
    lines = [l for l in text.splitlines() if l.strip()]
    if len(lines) != len(want):
        raise Fail("%s: expected %d table lines, got %d: %s" % (what, len(want), len(lines), short(text, 300)))
    for n, (line, w) in enumerate(zip(lines, want), 1):
        cells = split_row(line)
        if cells is None:
            raise Fail("%s: line %d is not a Markdown table row: %r" % (what, n, line))
        if w == "SEP":
            ncol = len(want[0])
            if len(cells) != ncol:
                raise Fail("%s: separator row has %d cells, expected %d: %r" % (what, len(cells), ncol, line))
            exp = seps or ["---"] * ncol
            for c, e in zip(cells, exp):
                ok = re.fullmatch(r"-{3,}:", c) if e == "---:" else re.fullmatch(r"-{3,}", c)
                if not ok:
                    raise Fail("%s: separator row %r should be like %r" % (what, line, "| " + " | ".join(exp) + " |"))
        elif cells != w:
            raise Fail("%s: line %d has cells %r, expected %r" % (what, n, cells, w))


def check(proj):
    need_file(proj, "csv2md.py")
    tmp = tempfile.mkdtemp(prefix="chk17_")
    try:
        people = os.path.join(tmp, "people.csv")
        tricky = os.path.join(tmp, "cities.csv")
        with open(people, "w", newline="") as fh:
            fh.write(PEOPLE)
        with open(tricky, "w", newline="") as fh:
            fh.write(TRICKY)

        p = run_py(proj, ["csv2md.py", people])
        if p.returncode != 0:
            raise Fail("`python csv2md.py people.csv` exited %d: %s" % (p.returncode, short(p.stderr[-200:])))
        compare(p.stdout, PEOPLE_MD, "people.csv")
        exact = [l.rstrip() for l in p.stdout.strip().splitlines()]
        if exact[:2] != ["| name | age | city |", "| --- | --- | --- |"]:
            raise Fail("people.csv header lines %r differ from the spec's example" % exact[:2])

        p = run_py(proj, ["csv2md.py", tricky])
        if p.returncode != 0:
            raise Fail("`python csv2md.py cities.csv` exited %d: %s" % (p.returncode, short(p.stderr[-200:])))
        compare(p.stdout, TRICKY_MD, "cities.csv (quotes, pipes, short/long rows, blank line)")

        p = run_py(proj, ["csv2md.py", "--align-numbers", tricky])
        if p.returncode != 0:
            raise Fail("`csv2md.py --align-numbers cities.csv` exited %d: %s" % (p.returncode, short(p.stderr[-200:])))
        compare(p.stdout, TRICKY_MD, "--align-numbers cities.csv", seps=["---", "---", "---:", "---"])

        p = run_py(proj, ["csv2md.py", people, "--align-numbers"])
        compare(p.stdout, PEOPLE_MD, "people.csv --align-numbers", seps=["---", "---:", "---"])

        out = os.path.join(tmp, "table.md")
        p = run_py(proj, ["csv2md.py", people, "-o", out])
        if p.returncode != 0:
            raise Fail("`csv2md.py people.csv -o table.md` exited %d: %s" % (p.returncode, short(p.stderr[-200:])))
        if "Wrote 2 rows to %s" % out not in p.stdout:
            raise Fail("-o should print 'Wrote 2 rows to %s', got %r" % (out, short(p.stdout)))
        if "| Ada |" in p.stdout:
            raise Fail("-o also printed the table to stdout")
        if not os.path.isfile(out):
            raise Fail("-o did not create the output file")
        with open(out, encoding="utf-8") as fh:
            compare(fh.read(), PEOPLE_MD, "file written by -o")
        out2 = os.path.join(tmp, "t2.md")
        p = run_py(proj, ["csv2md.py", "--output", out2, tricky])
        if p.returncode != 0 or "Wrote 4 rows to %s" % out2 not in p.stdout:
            raise Fail("--output should print 'Wrote 4 rows to %s', got exit %d %r" % (out2, p.returncode, short(p.stdout + p.stderr)))

        p = run_py(proj, ["csv2md.py", os.path.join(tmp, "missing.csv")])
        if p.returncode != 1 or not p.stderr.strip() or "Traceback" in p.stderr:
            raise Fail("missing input should print an error to stderr and exit 1; got exit %d, stderr %r" % (p.returncode, short(p.stderr)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "tables, quoting, escaping, padding/cutting, --align-numbers, -o/--output and missing-file error all match"


if __name__ == "__main__":
    main(check)
