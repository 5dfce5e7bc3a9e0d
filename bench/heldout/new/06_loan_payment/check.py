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


def same(got, want, tol):
    """Lines equal; with tol, the money on Total lines may differ by up to tol
    (the spec does not say whether monthly interest is rounded to cents)."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g == w:
            continue
        if not tol or not w.startswith("Total"):
            return False
        label = w.rsplit(" ", 1)[0]
        m = re.fullmatch(re.escape(label) + r" (-?\d+\.\d\d)", g)
        if not m or abs(float(m.group(1)) - float(w.rsplit(" ", 1)[1])) > tol:
            return False
    return True


def expect(proj, args, want, tol=0.0):
    p = run_py(proj, ["loan.py"] + args)
    cmd = "python loan.py " + " ".join(args)
    if p.returncode != 0:
        raise Fail("`%s` exited %d: %s" % (cmd, p.returncode, short(p.stderr)))
    got = [" ".join(l.split()) for l in lines_of(p.stdout) if l.strip()]
    if not same(got, want, tol):
        raise Fail("`%s` printed %r, expected %r" % (cmd, got, want))


def model(principal, rate, years, extra=None):
    n = years * 12
    r = rate / 100 / 12
    pay = principal / n if r == 0 else principal * r / (1 - (1 + r) ** -n)
    pay = round(pay, 2)
    lines = ["Monthly payment: %.2f" % pay]
    if extra is None:
        total = pay * n
        return lines + ["Total paid: %.2f" % total, "Total interest: %.2f" % (total - principal)]
    bal, months, total = principal, 0, 0.0
    while bal > 1e-9:
        bal += bal * r
        step = min(pay + extra, bal)
        bal -= step
        total += step
        months += 1
    return lines + ["Total paid: %.2f" % total, "Total interest: %.2f" % (total - principal),
                    "Paid off in %d months" % months]


def check(proj):
    need_file(proj, "loan.py")
    expect(proj, ["--principal", "200000", "--rate", "5", "--years", "30"],
           ["Monthly payment: 1073.64", "Total paid: 386510.40", "Total interest: 186510.40"])
    expect(proj, ["--principal", "15000", "--rate", "7.5", "--years", "5"], model(15000, 7.5, 5))
    expect(proj, ["--years", "2", "--principal", "12000", "--rate", "0"],
           ["Monthly payment: 500.00", "Total paid: 12000.00", "Total interest: 0.00"])
    expect(proj, ["--principal", "10000", "--rate", "6", "--years", "1", "--extra", "200"], model(10000, 6, 1, 200), tol=0.10)
    expect(proj, ["--principal", "1200", "--rate", "0", "--years", "1", "--extra", "50"],
           ["Monthly payment: 100.00", "Total paid: 1200.00", "Total interest: 0.00", "Paid off in 8 months"])
    for bad in (["--principal", "0", "--rate", "5", "--years", "30"],
                ["--principal", "1000", "--rate", "-1", "--years", "3"],
                ["--principal", "1000", "--rate", "3", "--years", "0"]):
        p = run_py(proj, ["loan.py"] + bad)
        if p.returncode != 1 or not p.stderr.strip() or "Traceback" in p.stderr:
            raise Fail("`python loan.py %s` should print an error to stderr and exit 1; got exit %d, stderr %r"
                       % (" ".join(bad), p.returncode, short(p.stderr)))
    p = run_py(proj, ["loan.py", "--principal", "1000", "--rate", "3"])
    if p.returncode == 0:
        raise Fail("`python loan.py` without --years exited 0; expected a usage error")
    return "payments, totals, zero rate, --extra payoff and error exits match the spec"


if __name__ == "__main__":
    main(check)
