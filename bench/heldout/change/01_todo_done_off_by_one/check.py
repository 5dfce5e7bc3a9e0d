"""Checker: `todo.py done N` must remove task N (1-based, as listed); add/list keep working."""
import os
import subprocess
import sys
from pathlib import Path


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args))
    return p


def tasks_in(project):
    path = project / "todo.txt"
    if not path.exists():
        return []
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def main(project):
    if not (project / "todo.py").exists():
        fail("todo.py is missing")
    data = project / "todo.txt"
    backup = data.read_bytes() if data.exists() else None
    try:
        data.write_text("alpha\nbravo\ncharlie\ndelta\n", encoding="utf-8")
        p = run(project, ["todo.py", "list"])
        lines = [l.strip() for l in p.stdout.splitlines() if l.strip()]
        if lines != ["1. alpha", "2. bravo", "3. charlie", "4. delta"]:
            fail(f"`list` output changed: {lines!r}")

        p = run(project, ["todo.py", "done", "2"])
        if p.returncode != 0:
            fail(f"`done 2` exited {p.returncode}: {p.stderr.strip()[-300:]}")
        if "bravo" not in p.stdout:
            fail(f"`done 2` should report the removed task 'bravo', printed {p.stdout.strip()!r}")
        if tasks_in(project) != ["alpha", "charlie", "delta"]:
            fail(f"after `done 2` todo.txt holds {tasks_in(project)!r}, expected alpha, charlie, delta")

        p = run(project, ["todo.py", "done", "3"])  # the last one
        if p.returncode != 0:
            fail(f"`done 3` on the last task exited {p.returncode}: {p.stderr.strip()[-300:]}")
        if tasks_in(project) != ["alpha", "charlie"]:
            fail(f"after `done 3` todo.txt holds {tasks_in(project)!r}, expected alpha, charlie")

        p = run(project, ["todo.py", "done", "1"])
        if p.returncode != 0 or tasks_in(project) != ["charlie"]:
            fail(f"`done 1` did not remove the first task: {tasks_in(project)!r}")

        p = run(project, ["todo.py", "done", "5"])
        if "Traceback" in p.stderr:
            fail("`done 5` with only one task crashes instead of saying 'no such task'")
        if "no such task" not in p.stdout or p.returncode != 1:
            fail(f"`done 5` should print 'no such task' and exit 1, got {p.returncode} {p.stdout.strip()!r}")
        if tasks_in(project) != ["charlie"]:
            fail("`done 5` changed the list")

        p = run(project, ["todo.py", "add", "walk", "dog"])
        if p.returncode != 0 or tasks_in(project) != ["charlie", "walk dog"]:
            fail(f"`add` no longer works: {tasks_in(project)!r}")

        data.write_text("", encoding="utf-8")
        p = run(project, ["todo.py", "list"])
        if "nothing to do" not in p.stdout:
            fail("`list` on an empty file no longer says 'nothing to do'")
    finally:
        if backup is None:
            data.unlink(missing_ok=True)
        else:
            data.write_bytes(backup)
    print("PASS: done N removes task N (first, middle, last), bad N handled, add/list unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:  # a crash in the project's output handling is a failure, not a checker error
        fail(f"checker hit an error: {e!r}")
