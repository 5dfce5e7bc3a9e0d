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
res = {}
try:
    import morse
except BaseException as e:
    print(json.dumps({"import_error": "%s: %s" % (type(e).__name__, e)})); sys.exit(0)
def call(name, arg):
    fn = getattr(morse, name, None)
    if fn is None:
        return ["missing", None]
    try:
        return ["ok", fn(arg)]
    except ValueError as e:
        return ["ValueError", str(e)]
    except BaseException as e:
        return ["other", "%s: %s" % (type(e).__name__, e)]
res["enc"] = call("encode", "Hello World 73")
res["dec"] = call("decode", ".... . .-.. .-.. --- / .-- --- .-. .-.. -.. / --... ...--")
res["enc_bad"] = call("encode", "a#b")
res["dec_bad"] = call("decode", "...... ---")
print(json.dumps(res))
'''


def cli(proj, args, want_out=None, want_rc=0, err_has=None):
    p = run_py(proj, ["morse.py"] + args)
    cmd = "python morse.py " + " ".join(repr(a) if " " in a else a for a in args)
    if p.returncode != want_rc:
        raise Fail("`%s` exited %d, expected %d (stderr: %s)" % (cmd, p.returncode, want_rc, short(p.stderr)))
    if want_out is not None:
        got = [l.strip() for l in p.stdout.strip().splitlines()]
        if got != [want_out]:
            raise Fail("`%s` printed %r, expected %r" % (cmd, short(p.stdout), want_out))
    if err_has is not None:
        if err_has not in p.stderr:
            raise Fail("`%s` stderr %r does not mention %r" % (cmd, short(p.stderr), err_has))
        if "Traceback" in p.stderr:
            raise Fail("`%s` crashed with a traceback instead of an error message" % cmd)


def check(proj):
    need_file(proj, "morse.py")
    cli(proj, ["encode", "SOS help"], "... --- ... / .... . .-.. .--.")
    cli(proj, ["decode", "... --- ... / .... . .-.. .--."], "SOS HELP")
    cli(proj, ["encode", "Go  2 it 0"], "--. --- / ..--- / .. - / -----")
    cli(proj, ["decode", "-- --- .-. ... . / -.-. --- -.. . / .---- ----."], "MORSE CODE 19")
    cli(proj, ["encode", "a#b"], want_rc=1, err_has="#")
    cli(proj, ["decode", "... ...... ..."], want_rc=1, err_has="......")
    tmp = tempfile.mkdtemp(prefix="chk05_")
    try:
        hp = os.path.join(tmp, "h.py")
        with open(hp, "w") as fh:
            fh.write(HARNESS)
        p = run_py(proj, [hp, proj])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if p.returncode != 0 or not p.stdout.strip():
        raise Fail("importing morse failed: %s" % short(p.stderr[-300:]))
    try:
        res = json.loads(p.stdout.strip().splitlines()[-1])
    except ValueError:
        raise Fail("importing morse printed output on import: %s" % short(p.stdout))
    if p.stdout.strip().count("\n"):
        raise Fail("importing morse printed something: %s" % short(p.stdout))
    if "import_error" in res:
        raise Fail("import morse failed: %s" % res["import_error"])
    want = {
        "enc": ["ok", ".... . .-.. .-.. --- / .-- --- .-. .-.. -.. / --... ...--"],
        "dec": ["ok", "HELLO WORLD 73"],
    }
    for k, w in want.items():
        if res[k] != w:
            raise Fail("morse.%s(...) returned %r, expected %r" % ({"enc": "encode", "dec": "decode"}[k], res[k][1], w[1]))
    for k in ("enc_bad", "dec_bad"):
        if res[k][0] != "ValueError":
            raise Fail("morse.%s with bad input should raise ValueError, got %s %r" % ({"enc_bad": "encode", "dec_bad": "decode"}[k], res[k][0], res[k][1]))
    return "encode/decode CLI, error exits, and importable encode()/decode() with ValueError all behave as specified"


if __name__ == "__main__":
    main(check)
