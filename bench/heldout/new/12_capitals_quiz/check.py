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


COUNTRIES = ["France", "Japan", "Canada", "Australia", "Egypt"]


def play(proj, answers):
    stdin = "".join(a + "\n" for a in answers)
    p = run_py(proj, ["quiz.py"], stdin=stdin)
    if p.returncode != 0 or "Traceback" in p.stderr:
        raise Fail("quiz.py with answers %r exited %d: %s" % (answers, p.returncode, short(p.stderr[-200:])))
    return p.stdout


def expect_sequence(out, items, what):
    pos = 0
    for it in items:
        i = out.find(it, pos)
        if i < 0:
            raise Fail("%s: expected %r (in order) in output: %s" % (what, it, short(out[pos:pos + 200])))
        pos = i + len(it)
    return pos


def final_lines(out):
    return [l.strip() for l in out.strip().splitlines() if l.strip()]


def check(proj):
    need_file(proj, "quiz.py")
    # Example session from the spec
    out = play(proj, ["paris", "Kyoto", "quit"])
    expect_sequence(out, ["What is the capital of France?", "Correct!",
                          "What is the capital of Japan?", "Wrong! The answer is Tokyo.",
                          "What is the capital of Canada?"], "example session")
    if "Australia" in out:
        raise Fail("after 'quit' the quiz still asked about Australia")
    last = final_lines(out)[-1]
    if not last.endswith("Score: 1/2"):
        raise Fail("example session should end with 'Score: 1/2', last line was %r" % last)
    # Full game, sloppy case and spaces, one wrong
    out = play(proj, ["  PARIS ", "tokyo", "Toronto", "canberra  ", "Cairo"])
    seq = []
    for c, verdict in zip(COUNTRIES, ["Correct!", "Correct!", "Wrong! The answer is Ottawa.", "Correct!", "Correct!"]):
        seq += ["What is the capital of %s?" % c, verdict]
    expect_sequence(out, seq, "full game")
    if out.count("Correct!") != 4:
        raise Fail("full game with 4 right answers printed 'Correct!' %d times" % out.count("Correct!"))
    last = final_lines(out)[-1]
    if not last.endswith("Score: 4/5"):
        raise Fail("full game should end with 'Score: 4/5', last line was %r" % last)
    if "Perfect score!" in out:
        raise Fail("printed 'Perfect score!' for 4/5")
    # Perfect game
    out = play(proj, ["Paris", "Tokyo", "Ottawa", "Canberra", "Cairo"])
    lines = final_lines(out)
    if len(lines) < 2 or not lines[-2].endswith("Score: 5/5") or lines[-1] != "Perfect score!":
        raise Fail("perfect game should end with 'Score: 5/5' then 'Perfect score!', got %r" % lines[-2:])
    # EOF after two answers
    out = play(proj, ["Lyon", "Tokyo"])
    expect_sequence(out, ["Wrong! The answer is Paris.", "Correct!"], "EOF game")
    last = final_lines(out)[-1]
    if not last.endswith("Score: 1/2"):
        raise Fail("input ending after 2 answers should end with 'Score: 1/2', last line was %r" % last)
    # quit right away
    out = play(proj, ["QUIT"])
    last = final_lines(out)[-1]
    if not last.endswith("Score: 0/0"):
        raise Fail("typing quit first should end with 'Score: 0/0', last line was %r" % last)
    return "questions in order, verdicts, quit, EOF, score and perfect-score lines all match"


if __name__ == "__main__":
    main(check)
