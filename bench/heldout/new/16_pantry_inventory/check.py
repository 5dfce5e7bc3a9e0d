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


def inv(proj, args, want_rc=0):
    p = run_py(proj, ["inventory.py"] + args)
    cmd = "python inventory.py " + " ".join(os.path.basename(a) if os.sep in a else a for a in args)
    if want_rc == 0 and p.returncode != 0:
        raise Fail("`%s` exited %d: %s" % (cmd, p.returncode, short(p.stderr[-200:])))
    if want_rc != 0 and p.returncode == 0:
        raise Fail("`%s` exited 0, expected an error status" % cmd)
    if want_rc not in (0, None) and p.returncode != want_rc:
        raise Fail("`%s` exited %d, expected %d" % (cmd, p.returncode, want_rc))
    if "Traceback" in p.stderr:
        raise Fail("`%s` crashed: %s" % (cmd, short(p.stderr[-200:])))
    return cmd, [" ".join(l.split()) for l in p.stdout.splitlines() if l.strip()], p.stderr


def expect(proj, args, want_lines):
    cmd, got, _ = inv(proj, args)
    if got != want_lines:
        raise Fail("`%s` printed %r, expected %r" % (cmd, got, want_lines))


def file_is(path, want):
    try:
        with open(path, encoding="utf-8") as fh:
            got = json.load(fh)
    except (OSError, ValueError) as e:
        raise Fail("%s is missing or not valid JSON: %s" % (os.path.basename(path), e))
    if got != want:
        raise Fail("%s contains %r, expected %r" % (os.path.basename(path), got, want))


def check(proj):
    need_file(proj, "inventory.py")
    tmp = tempfile.mkdtemp(prefix="chk16_")
    default = os.path.join(proj, "inventory.json")
    backup = None
    if os.path.exists(default):
        backup = os.path.join(tmp, "backup.json")
        shutil.move(default, backup)
    try:
        # default file in the current directory, exactly the spec's example
        expect(proj, ["add", "apples", "5"], ["apples: 5"])
        expect(proj, ["add", "Rice", "2"], ["rice: 2"])
        expect(proj, ["remove", "apples", "2"], ["apples: 3"])
        expect(proj, ["list"], ["apples: 3", "rice: 2"])
        file_is(default, {"apples": 3, "rice": 2})

        f = os.path.join(tmp, "pantry.json")
        F = ["--file", f]
        expect(proj, F + ["list"], ["(empty)"])
        expect(proj, F + ["add", "Pasta", "4"], ["pasta: 4"])
        expect(proj, F + ["add", "pasta", "1"], ["pasta: 5"])
        expect(proj, F + ["add", "beans", "3"], ["beans: 3"])
        file_is(f, {"pasta": 5, "beans": 3})
        _, _, err = inv(proj, F + ["remove", "beans", "4"], want_rc=1)
        if "Not enough beans (have 3)" not in err:
            raise Fail("removing too many beans should print 'Not enough beans (have 3)' on stderr, got %r" % short(err))
        file_is(f, {"pasta": 5, "beans": 3})
        _, _, err = inv(proj, F + ["remove", "pears", "1"], want_rc=1)
        if "No such item: pears" not in err:
            raise Fail("removing an unknown item should print 'No such item: pears' on stderr, got %r" % short(err))
        expect(proj, F + ["remove", "beans", "3"], ["beans: 0"])
        file_is(f, {"pasta": 5})
        for bad in (["add", "pasta", "0"], ["add", "pasta", "-2"], ["add", "pasta", "lots"], ["remove", "pasta", "1.5"]):
            _, _, err = inv(proj, F + bad, want_rc=None)
            if not err.strip():
                raise Fail("`inventory.py %s` should print an error on stderr" % " ".join(bad))
        file_is(f, {"pasta": 5})
        # a hand-edited file is read as-is
        with open(f, "w") as fh:
            json.dump({"zucchini": 1, "flour": 2, "eggs": 12}, fh)
        expect(proj, F + ["list"], ["eggs: 12", "flour: 2", "zucchini: 1"])
        expect(proj, F + ["remove", "eggs", "12"], ["eggs: 0"])
        expect(proj, F + ["list"], ["flour: 2", "zucchini: 1"])
    finally:
        if os.path.exists(default):
            os.remove(default)
        if backup:
            shutil.move(backup, default)
        shutil.rmtree(tmp, ignore_errors=True)
    return "add/remove/list, default and --file JSON files, lowercase names, zero-delete and error cases all match"


if __name__ == "__main__":
    main(check)
