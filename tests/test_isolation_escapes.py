"""Generated code trying to get out of its isolation, the way issue 31 found it could: one test per
escape, each run through `--run FOLDER -- python evil.py` as root (the way CI and most containers
run) with each of the two ways the run gives up its mount powers, and through the sandbox as an
ordinary user (a person's laptop) made for the test with `useradd`.

Every hostile program runs only inside the isolation: where this machine gives none (or no
second user can be made) the test is skipped with the reason, never run bare. Each prints a
`[isolation]` line with what was tried and what got through (RELIABILITY.md quotes them).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import smol_core.running.sandbox as sandbox
from smol_core.cli import main as cli_main
from smol_core.running.sandbox import isolation
from smol_core.studio.history import default_db_path
from tests.harness import ROOT

isolated = pytest.mark.skipif(
    isolation() != "namespaces", reason=f"no isolation on this machine: {isolation()}"
)
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (CI runs as root)")
MARK = "SMOL-ISOLATION-SECRET-" + uuid.uuid4().hex[:10]


# ------------------------------------------------------------------------------ the escapes
# Each is a program that prints one JSON line with what it managed, given `PLACES` (a JSON dict
# of host paths the test set up), and a check of what it printed against the host.

REMOUNT = r"""
import json, os, subprocess
places = json.loads(PLACES)
def run(*args):
    return subprocess.run(list(args), capture_output=True).returncode
tried = {"remount / rw": run("mount", "-o", "remount,bind,rw", "/"),
         "remount / rw (plain)": run("mount", "-o", "remount,rw", "/")}
for line in open("/proc/self/mountinfo"):  # every mount, as the escape found in issue 31 did
    point = line.split()[4]
    tried["remount " + point] = run("mount", "-o", "remount,bind,rw", point)
tried["from a nested user namespace"] = run("unshare", "-rm", "sh", "-c",
                                            "mount -o remount,bind,rw /")
tried["bind the real root"] = run("mount", "--bind", "/proc/1/root", "/tmp")
wrote = []
for target in places["victims"]:
    try:
        with open(target, "w") as f:
            f.write("REWRITTEN BY THE RUN")
        wrote.append(target)
    except OSError:
        pass
print(json.dumps({"worked": [k for k, v in tried.items() if v == 0], "tried": len(tried),
                  "wrote": wrote}))
"""

CGROUP = r"""
import json, os, subprocess, time
try:
    os.makedirs("/tmp/cg", exist_ok=True)
except OSError:
    pass
tried = []
for args in (["mount", "-o", "remount,rw", "/sys/fs/cgroup"],
             ["mount", "-o", "remount,bind,rw", "/sys/fs/cgroup/pids"],
             ["mount", "-t", "cgroup", "-o", "pids", "none", "/tmp/cg"],
             ["mount", "-t", "cgroup2", "none", "/tmp/cg"]):
    tried.append(subprocess.run(args, capture_output=True).returncode)
moved = ""
for procs in ("/sys/fs/cgroup/pids/cgroup.procs", "/sys/fs/cgroup/cgroup.procs",
              "/tmp/cg/cgroup.procs"):
    try:
        with open(procs, "r+") as f:  # only a cgroup's own file: never one made here
            f.write(str(os.getpid()))
        moved = procs
        break
    except OSError:
        pass
started = 0
for _ in range(300):
    try:
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
        started += 1
    except OSError:
        break
print(json.dumps({"worked": sum(c == 0 for c in tried), "moved": moved, "started": started}))
"""

SOCKETS = r"""
import json, socket
places = json.loads(PLACES)
answered = []
for address in places["sockets"]:
    target = "\0" + address[1:] if address.startswith("@") else address
    try:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(2)
        s.connect(target)
        s.sendall(b"hello from the run")
        if s.recv(100):
            answered.append(address)
    except OSError:
        pass
print(json.dumps({"answered": answered, "tried": len(places["sockets"])}))
"""

PROC = r"""
import glob, json, subprocess
places = json.loads(PLACES)
def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)
tried = {"umount -l /proc": run("umount", "-l", "/proc").returncode,
         "umount /proc": run("umount", "/proc").returncode}
nested = run("unshare", "-rm", "--", "sh", "-c", "umount -l /proc && cat /proc/*/cmdline")
tried["umount from a nested user namespace"] = nested.returncode
def seen():
    text = []
    for path in glob.glob("/proc/*/cmdline"):
        try:
            text.append(open(path, "rb").read().replace(b"\0", b" ").decode("utf-8", "replace"))
        except OSError:
            pass
    return text
lines = seen()
print(json.dumps({"worked": [k for k, v in tried.items() if v == 0], "tried": len(tried),
                  "processes": len(lines), "marker": any(places["marker"] in t for t in lines)
                  or places["marker"] in nested.stdout}))
"""

FILES = r"""
import json, os
places = json.loads(PLACES)
got = {}
for path in places["secrets"]:
    try:
        with open(path, "rb") as f:
            got[path] = f.read(4096).decode("utf-8", "replace")
    except OSError as e:
        got[path] = "refused: " + (e.strerror or str(e))
listed = {}
for folder in ("/root", "/home", "/etc"):
    try:
        listed[folder] = sorted(os.listdir(folder))
    except OSError as e:
        listed[folder] = "refused: " + (e.strerror or str(e))
print(json.dumps({"got": got, "listed": listed}))
"""

DISK = r"""
import json, os
chunk = b"x" * (1 << 20)
written, files = 0, []
places = ["."] * 10 + [os.environ["HOME"], os.environ["TMPDIR"], "/tmp", "/dev/shm", "/run"]
for i, place in enumerate(places):
    path = os.path.join(place, f"fill-{i}")
    try:
        with open(path, "wb") as f:
            files.append(path)
            for _ in range(30):  # 30 MB a file: under the 32 MB cap on one file
                f.write(chunk)
                f.flush()
                written += len(chunk)
    except OSError:
        pass
for path in files:  # what it leaves behind is copied back: leave nothing
    try:
        os.remove(path)
    except OSError:
        pass
print(json.dumps({"written_mb": written >> 20}))
"""


# ------------------------------------------------------------------------ running them
@dataclass
class Outcome:
    data: dict
    stdout: str
    stderr: str
    seconds: float


def _parse(stdout: str, stderr: str, seconds: float) -> Outcome:
    for line in reversed(stdout.strip().splitlines()):
        with contextlib.suppress(ValueError):
            found = json.loads(line)
            if isinstance(found, dict):
                return Outcome(found, stdout, stderr, seconds)
    raise AssertionError(f"the program printed no result:\n{stdout[-2000:]}\n{stderr[-2000:]}")


@dataclass
class Runner:
    """Runs a hostile program in the sandbox as someone: root through `--run`, or a user."""

    who: str
    home: Path  # where this person's own files are
    run: Callable[[str, dict], Outcome]
    uid: int = 0
    cleanup: list[Path] = field(default_factory=list)

    def place(self, path: Path, text: str, mode: int = 0o600) -> Path:
        """A file of this person's (owned by them), removed after the test."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.chown(path, self.uid, self.uid)
        path.chmod(mode)
        self.cleanup.append(path)
        return path


def _program(code: str, places: dict) -> str:
    return code.replace("PLACES", repr(json.dumps(places)))


def _root_runner(tmp_path: Path) -> Runner:
    def run(code: str, places: dict) -> Outcome:
        folder = Path(places.get("folder") or tmp_path / "folder")
        folder.mkdir(exist_ok=True)
        (folder / "evil.py").write_text(_program(code, places))
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        cli_main(["--run", str(folder), "--", "python", "evil.py"], out, err)
        return _parse(out.getvalue(), err.getvalue(), time.monotonic() - started)

    return Runner("root", Path.home(), run)


# As an ordinary user: the sandbox module run by the system's Python (the studio's may be under
# /root), which needs nothing but the standard library.
USER_RUNNER = """
import json, sys
sys.path.insert(0, {root!r})
from smol_core.running.sandbox import Sandbox, isolation
where = isolation()
if where != "namespaces":
    print(json.dumps({{"skip": where}}))
    sys.exit(0)
with Sandbox({{"evil.py": sys.stdin.read()}}) as box:
    r = box.run(["python", "evil.py"])
print(json.dumps({{"stdout": r.stdout, "stderr": r.stderr, "seconds": r.seconds}}))
"""


@pytest.fixture(scope="module")
def ordinary_user() -> Iterator[pwd.struct_passwd]:
    """A second user of this machine, made for these tests and removed after them."""
    if os.geteuid() != 0:
        pytest.skip("making a second user needs root; run as root to test an ordinary user")
    python = "/usr/bin/python3"
    if not shutil.which("useradd") or not Path(python).exists():
        pytest.skip("no useradd or no /usr/bin/python3 here to run the sandbox as another user")
    name = "smoliso" + uuid.uuid4().hex[:6]
    made = subprocess.run(
        ["useradd", "--create-home", "--shell", "/bin/sh", name], capture_output=True, text=True
    )
    if made.returncode != 0:
        pytest.skip(f"could not make a user: {made.stderr.strip()[:200]}")
    try:
        user = pwd.getpwnam(name)
        probe = _as_user(
            user,
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "from smol_core.running.sandbox import isolation; "
            "print(isolation())",
        )
        if probe.returncode != 0:
            pytest.skip(f"the user can't load the sandbox from {ROOT}: {probe.stderr[-200:]}")
        if probe.stdout.strip() != "namespaces":
            pytest.skip(f"no isolation for an ordinary user here: {probe.stdout.strip()}")
        yield user
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def _as_user(user: pwd.struct_passwd, code: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "setpriv",
            f"--reuid={user.pw_uid}",
            f"--regid={user.pw_gid}",
            "--init-groups",
            "/usr/bin/python3",
            "-c",
            code,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=user.pw_dir,
        env={
            "HOME": user.pw_dir,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "USER": user.pw_name,
        },
    )


def _user_runner(user: pwd.struct_passwd) -> Runner:
    def run(code: str, places: dict) -> Outcome:
        started = time.monotonic()
        done = _as_user(user, USER_RUNNER.format(root=str(ROOT)), _program(code, places))
        seconds = time.monotonic() - started
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if "skip" in result:
            pytest.skip(f"no isolation for the user: {result['skip']}")
        return _parse(result["stdout"], result["stderr"], seconds)

    return Runner("an ordinary user", Path(user.pw_dir), run, uid=user.pw_uid)


@pytest.fixture(params=["root/setpriv", "root/userns", "user"])
def runner(request, tmp_path, monkeypatch) -> Iterator[Runner]:
    """Who runs the hostile program: root, with each of the two locks, or an ordinary user."""
    if isolation() != "namespaces":
        pytest.skip(f"no isolation on this machine: {isolation()}")
    if request.param == "user":
        made = _user_runner(request.getfixturevalue("ordinary_user"))
    else:
        if os.geteuid() != 0:
            pytest.skip("the root runs need root (CI runs as root)")
        # raising=False: the same tests can be run against code older than the two locks.
        monkeypatch.setattr(sandbox, "lock", lambda: request.param.split("/")[1], raising=False)
        made = _root_runner(tmp_path)
        made.who = request.param
    try:
        yield made
    finally:
        for path in made.cleanup:
            with contextlib.suppress(OSError):
                path.unlink()


# ---------------------------------------------------------------------------------- tests
def test_remounting_read_write_changes_no_file_of_the_host(runner: Runner, tmp_path):
    """Issue 31: `mount -o remount,bind,rw /` exited 0 and the program rewrote a file of the
    folder given to `--run` (as an ordinary user: a file in the user's home)."""
    folder = runner.home / f".smol-iso-{uuid.uuid4().hex[:8]}" if runner.uid else tmp_path / "f"
    victims = [
        runner.place(folder / "app.py", "print('original')\n", 0o644),
        runner.place(
            runner.home / f".smol-iso-notes-{uuid.uuid4().hex[:8]}.txt", "my own notes\n", 0o644
        ),
    ]
    if not runner.uid:
        victims.append(
            runner.place(
                ROOT / "test-artifacts" / "isolation" / "victim.txt", "a file outside /tmp\n", 0o644
            )
        )
    try:
        got = runner.run(REMOUNT, {"victims": [str(v) for v in victims], "folder": str(folder)})
    finally:
        texts = {str(v): v.read_text() for v in victims}
        shutil.rmtree(folder, ignore_errors=True)
    assert not got.data["wrote"] and all("REWRITTEN" not in t for t in texts.values()), texts
    assert not got.data["worked"], got.data
    print(
        f"\n[isolation] remount read-write ({runner.who}): {got.data['tried']} remounts tried, "
        f"0 worked; {len(victims)} host files rewritten 0, {got.seconds:.2f} s"
    )


def test_the_process_limit_can_not_be_left_through_the_cgroup_filesystem(runner: Runner):
    """Issue 31: remount the pids cgroup read-write, move to the root cgroup, start 300
    processes against a limit of 128."""
    if runner.uid:
        pytest.skip("as an ordinary user the process limit is RLIMIT_NPROC, not a cgroup")
    got = runner.run(CGROUP, {})
    assert not got.data["moved"] and got.data["worked"] == 0, got.data
    assert got.data["started"] < sandbox.Limits().processes, got.data
    print(
        f"\n[isolation] leave the pids cgroup ({runner.who}): 4 mounts and 3 moves tried, 0 "
        f"worked; {got.data['started']} of 300 processes started (limit "
        f"{sandbox.Limits().processes}), {got.seconds:.2f} s"
    )


@contextlib.contextmanager
def _listeners(paths: list[str]) -> Iterator[list[str]]:
    """UNIX sockets of the host (a path, or "@name" for an abstract one) that answer whatever
    connects; yields the list of those that were connected to."""
    reached: list[str] = []
    servers = []
    for address in paths:
        s = socket.socket(socket.AF_UNIX)
        s.bind("\0" + address[1:] if address.startswith("@") else address)
        if not address.startswith("@"):
            os.chmod(address, 0o777)
        s.listen(5)
        s.settimeout(0.2)
        servers.append((address, s))
    stop = threading.Event()

    def serve(address: str, s: socket.socket) -> None:
        while not stop.is_set():
            try:
                conn, _ = s.accept()
            except OSError:
                continue
            reached.append(address)
            with contextlib.suppress(OSError):
                conn.recv(100)
                conn.sendall(b"the host answers")
            conn.close()

    threads = [threading.Thread(target=serve, args=pair, daemon=True) for pair in servers]
    for t in threads:
        t.start()
    try:
        yield reached
    finally:
        stop.set()
        for t in threads:
            t.join(2)
        for address, s in servers:
            s.close()
            if not address.startswith("@"):
                with contextlib.suppress(OSError):
                    os.unlink(address)


def test_unix_sockets_of_the_host_do_not_answer(runner: Runner, tmp_path):
    """Issue 31: a listener at /tmp/…/x.sock got the program's bytes and answered."""
    folder = Path("/tmp") / f"smol-iso-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    folder.chmod(0o777)
    paths = [str(folder / "x.sock"), f"@smol-iso-{uuid.uuid4().hex[:8]}"]
    if not runner.uid:
        paths.append(f"/run/smol-iso-{uuid.uuid4().hex[:8]}.sock")
    try:
        with _listeners(paths) as reached:
            got = runner.run(SOCKETS, {"sockets": paths})
            time.sleep(0.3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert not reached and not got.data["answered"], (reached, got.data)
    print(
        f"\n[isolation] host UNIX sockets ({runner.who}): {len(paths)} tried (under /tmp"
        f"{', /run' if not runner.uid else ''}, abstract), 0 answered, {got.seconds:.2f} s"
    )


def test_unmounting_proc_shows_no_process_of_the_host(runner: Runner):
    """Issue 31: `umount -l /proc` showed the host's process list and command lines."""
    marker = "smol-host-process-" + uuid.uuid4().hex[:10]
    host = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", marker])
    try:
        got = runner.run(PROC, {"marker": marker})
    finally:
        host.kill()
        host.wait()
    assert not got.data["marker"], got.data
    assert not got.data["worked"], got.data
    print(
        f"\n[isolation] unmount /proc ({runner.who}): {got.data['tried']} unmounts tried, 0 "
        f"worked; the host's processes seen 0 (the run sees {got.data['processes']} of its "
        f"own), {got.seconds:.2f} s"
    )


def test_files_of_the_host_are_not_there_to_read(runner: Runner):
    """Issue 31: /etc/shadow (as root), /root/…, a secrets.toml, the studio's history."""
    tag = uuid.uuid4().hex[:8]
    secrets = [
        runner.place(runner.home / f".smol-iso-secret-{tag}", f"{MARK} in the home folder"),
        runner.place(
            runner.home / f"smol-iso-{tag}" / ".streamlit" / "secrets.toml",
            f'OPENAI_API_KEY = "{MARK}"\n',
        ),
    ]
    history = (
        runner.home / ".local/share/smol-studio/history.sqlite3"
        if runner.uid
        else default_db_path().parent / f"isolation-{tag}.sqlite3"
    )
    if not history.exists():
        history.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(history)) as db:
            db.execute("create table runs (spec text)")
            db.execute("insert into runs values (?)", (f"{MARK} a person's spec",))
            db.commit()
        os.chown(history, runner.uid, runner.uid)
        runner.cleanup.append(history)
    secrets.append(history)
    if not runner.uid:
        secrets.append(
            runner.place(
                ROOT / f".smol-iso-{tag}" / ".streamlit" / "secrets.toml",
                f'OPENAI_API_KEY = "{MARK}"\n',
            )
        )
    paths = [str(p) for p in secrets] + (["/etc/shadow"] if not runner.uid else [])
    try:
        got = runner.run(FILES, {"secrets": paths})
    finally:
        for tmp in (runner.home / f"smol-iso-{tag}", ROOT / f".smol-iso-{tag}"):
            shutil.rmtree(tmp, ignore_errors=True)
    shadow = Path("/etc/shadow").read_text().splitlines()[0] if not runner.uid else "\0"
    read = {p: t for p, t in got.data["got"].items() if not t.startswith("refused")}
    assert MARK not in got.stdout and shadow not in got.stdout, read
    assert not read, read
    listed = got.data["listed"]
    assert not isinstance(listed["/home"], list) or not listed["/home"], listed
    assert "shadow" not in listed["/etc"] and "ssh" not in listed["/etc"], listed
    print(
        f"\n[isolation] host files ({runner.who}): {len(paths)} tried (home, secrets.toml, "
        f"the history database{', /etc/shadow, the studio folder' if not runner.uid else ''}),"
        f" 0 read; /home {listed['/home'] if isinstance(listed['/home'], list) else 'absent'}"
        f", /etc has {len(listed['/etc'])} entries, {got.seconds:.2f} s"
    )


def test_the_total_written_is_capped_not_only_each_file(runner: Runner):
    """Issue 31: one file is capped (32 MB), the total was not (32 × 31 MB in 0.13 s)."""
    got = runner.run(DISK, {})
    cap = getattr(sandbox.Limits(), "disk_bytes", 0) >> 20
    assert got.data["written_mb"] <= 260, got.data
    print(
        f"\n[isolation] fill the disk ({runner.who}): 15 files of 30 MB tried (10 in the copy, "
        f"1 each in HOME, TMPDIR, /tmp, /dev/shm, /run); {got.data['written_mb']} MB written (cap "
        f"{cap} MB in all), {got.seconds:.2f} s"
    )


# ------------------------------------------------------------ what the run still has and can do
@isolated
def test_a_program_still_has_what_it_needs():
    """The interpreter and its standard library, its own copy to write, a HOME and TMPDIR,
    localhost for its own servers, names for users and hosts, the time zone, and what the next
    command (and the studio) see of what it wrote."""
    code = textwrap.dedent("""
        import getpass, json, os, socket, sqlite3, ssl, tempfile, threading, time, urllib.request
        import http.server
        open("out.txt", "w").write("kept")
        os.makedirs("sub", exist_ok=True)
        open("sub/deep.txt", "w").write("deep")
        tempfile.NamedTemporaryFile().write(b"x")
        open(os.path.join(os.environ["HOME"], "h.txt"), "w").write("home")
        server = http.server.HTTPServer(("localhost", 0), http.server.SimpleHTTPRequestHandler)
        threading.Thread(target=server.handle_request, daemon=True).start()
        port = server.server_address[1]
        status = urllib.request.urlopen(f"http://localhost:{port}/out.txt", timeout=5).status
        db = sqlite3.connect("data.db"); db.execute("create table t (x)"); db.commit()
        print(json.dumps({"user": getpass.getuser(), "served": status, "cwd": os.getcwd(),
                          "ssl": ssl.OPENSSL_VERSION[:7], "tz": time.tzname[0]}))
    """)
    with sandbox.Sandbox({"prog.py": code}) as box:
        first = box.run(["python", "prog.py"])
        assert first.ok, first.stderr
        data = json.loads(first.stdout)
        assert data["user"] == "root" and data["served"] == 200, data
        assert box.read("out.txt") == "kept" and box.read("sub/deep.txt") == "deep"
        assert (box.top / "home" / "h.txt").read_text() == "home"
        second = box.run(["python", "-c", "print(open('out.txt').read())"])
        assert second.stdout.strip() == "kept", second.stderr
    print(
        f"\n[isolation] a program's own needs: files kept across commands and read by the "
        f"studio, HOME, TMPDIR, a server on localhost, users, ssl, sqlite: all there "
        f"({first.seconds:.2f} s)"
    )


@isolated
def test_a_link_the_program_leaves_is_never_followed_by_the_studio():
    """The copy comes back to the host: a link in it pointing at a host file must not let the
    studio read (or write) that file for the program."""
    secret = ROOT / "test-artifacts" / "isolation" / f"secret-{uuid.uuid4().hex[:8]}.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(MARK)
    try:
        code = (
            f"import os\nos.symlink({str(secret)!r}, 'out.txt')\n"
            f"os.symlink({str(secret.parent)!r}, 'dir')\n"
        )
        with sandbox.Sandbox({"prog.py": code}) as box:
            assert box.run(["python", "prog.py"]).ok
            assert box.read("out.txt") is None and box.read(f"dir/{secret.name}") is None
            assert not box.exists(f"dir/{secret.name}")
            with pytest.raises(ValueError):
                box.write(f"dir/{secret.name}", "overwritten")
            with pytest.raises(ValueError):
                box.write("dir/made/x.txt", "a folder made outside")
        assert not (secret.parent / "made").exists()
        assert secret.read_text() == MARK
    finally:
        secret.unlink()


def test_a_setup_that_fails_runs_nothing(monkeypatch):
    """Fail closed: an isolation step that fails ends the run before the command starts."""
    if isolation() != "namespaces":
        pytest.skip(f"no isolation on this machine: {isolation()}")
    monkeypatch.setattr(sandbox, "shown_folders", lambda extra: ("/usr", "/no/such/folder"))
    with sandbox.Sandbox({"prog.py": "open('ran.txt', 'w').write('ran')"}) as box:
        result = box.run(["python", "prog.py"])
        assert result.reason.startswith("not run: the isolation could not be set up"), result
        assert not box.exists("ran.txt")


def test_without_isolation_the_cli_says_what_is_and_is_not_protected(monkeypatch, tmp_path):
    """Where the OS can't isolate, `--run` says so before anything runs, with what a run would
    still have (and not) if the person allowed it, and runs nothing."""
    monkeypatch.setattr(sandbox, "isolation", lambda: "none: no user namespaces here (test)")
    (tmp_path / "app.py").write_text("open('ran.txt', 'w').write('ran')\n")
    out, err = io.StringIO(), io.StringIO()
    assert cli_main(["--run", str(tmp_path), "--", "python", "app.py"], out, err) == 1
    said = err.getvalue()
    assert sandbox.WITHOUT_ISOLATION in said and "SMOL_ALLOW_UNISOLATED=true to run it" in said, (
        said
    )
    assert "no user namespaces here (test)" in said and "not run" in said
    assert not (tmp_path / "ran.txt").exists()
