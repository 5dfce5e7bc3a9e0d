"""The one way generated code is run: over a temporary copy, with limits, isolated where it can be.

Generated code is hostile until proven otherwise. A `Sandbox` copies the project into a fresh
temporary folder and runs commands there, never in the project or the output folder and never
in the studio's process:
- the environment is built from nothing (no key, nothing `SMOL_*`/`OPENAI_*`), HOME and TMPDIR
  inside the temporary folder;
- limits on CPU time, address space, file size (and processes: RLIMIT_NPROC for a normal user,
  the pids cgroup for root, which RLIMIT_NPROC does not bind), a wall-clock timeout that kills
  the whole process group, output capped and marked when cut;
- on Linux, new user, mount, PID, network, IPC, UTS and cgroup namespaces (util-linux `unshare`,
  on every Debian) in which the program sees only what it needs, can't change what it sees, and
  can write `Limits.disk_bytes` in all (see `_INIT` below for what and how); the network is a
  loopback of its own. Where that is not possible `isolation()` says why, and the caller decides
  (the examples are then not run unless the person allows it: `WITHOUT_ISOLATION` says what
  they agree to).

A run can be watched and stopped: `on_output` gets the output as it comes (what the cap keeps,
from the reader threads), and setting the sandbox's `cancel` event kills the process group of
the command running and keeps any later one from starting.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..paths import normalize_path
from .sandbox_process import POLL_SECONDS as POLL_SECONDS
from .sandbox_process import (
    Limits,
    RunResult,
    _base_env,
    _Capped,
    _feed,
    _kill_group,
    _limit_child,
    _pids_group,
    _reason,
    _wait,
)
from .sandbox_root import fstab, shown_folders, skeleton

# What the run sees, set up inside new user, mount, PID, network, IPC, UTS and cgroup namespaces
# by the script below (util-linux `unshare`, `mount`, `pivot_root`, `setpriv`), which fails
# closed: any step that fails ends the run with SETUP_FAILED before the command starts.
# - Its files: one tmpfs of `Limits.disk_bytes` (the total it may write, every file counted) as
#   its /tmp, /run and /dev/shm being links into it, holding the copy of the project (copied in,
#   and copied back to the host's copy when the command ends: the next command and the studio see
#   what it left), its HOME and TMPDIR.
# - Its root: a skeleton folder made by this process (`sandbox_root.skeleton`): the interpreter and its
#   libraries (/usr, Python's prefix, a browser's folder) bound read-only, a few /etc files the
#   interpreter needs (dynamic linker cache, time zone, fonts, certificates, a passwd naming only
#   root and nobody), /dev with null, zero, full, random and urandom, and a fresh /proc of its own
#   PID namespace, read-only. No /home, no /root (but Python's own folder, if it is there), no
#   /sys (no cgroup filesystem), no host /tmp or /run (no host UNIX socket); abstract sockets and
#   the host's loopback belong to the host's network namespace, out of reach.
# - `pivot_root` makes that skeleton its whole world (the host's tree is unmounted in its mount
#   namespace, so there is nothing under /proc or any mount to uncover), then it gives up every
#   power over its mounts before the command starts: `setpriv` drops every capability, the
#   bounding set included, with no_new_privs, and its user namespace may make no further user
#   namespace; where `setpriv` is missing, a nested user namespace, which locks every mount it
#   inherits, does the same (`lock()`).
_INIT = r"""
fail() { echo "smol-sandbox: $*" >&2; exit 125; }
W="$1"; IN="$2"; R="$3"; FSTAB="$4"; LOCK="$5"; S2="$6"; shift 6
RUN_PATH="$PATH"  # the program gets its PATH back in stage 2; the tools are in sbin too
PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
# One process mounts it all (`sandbox_root.fstab`): the skeleton on itself, what is shown read-only, the
# devices, and the tmpfs that is its /tmp (its /run and /dev/shm are links into it).
mount --all --fstab "$FSTAB" || fail "could not mount what the run sees"
mkdir "$R/tmp/.run" "$R/tmp/.shm" "$R$IN" || fail "could not make its folders"
cp -a "$W/project" "$W/home" "$W/tmp" "$R$IN/" || fail "could not copy the project in"
ip link set lo up 2>/dev/null
echo sandbox > /proc/sys/kernel/hostname 2>/dev/null
if [ "$LOCK" = setpriv ]; then
  echo 0 > /proc/sys/user/max_user_namespaces || fail "could not forbid user namespaces"
fi
unshare --mount --pid --fork --kill-child sh -c "$S2" stage2 "$R" "$IN" "$LOCK" "$RUN_PATH" "$@"
status=$?
# What it left in the copy and HOME comes back (never through a link it put in their place).
C="$R$IN"
if [ -d "$C/project" ] && [ ! -L "$C/project" ] && [ -d "$C/home" ] && [ ! -L "$C/home" ]; then
  rm -rf "$W/project" "$W/home" && cp -a "$C/project" "$C/home" "$W/"
fi
exit $status
"""
# In a new mount namespace and as PID 1 of a new PID namespace (the outer init, which still sees
# the host, is not even in its /proc): a fresh /proc, the skeleton as /, the mounts locked.
_STAGE2 = r"""
fail() { echo "smol-sandbox: $*" >&2; exit 125; }
R="$1"; IN="$2"; LOCK="$3"; RUN_PATH="$4"; shift 4
if [ "$LOCK" = setpriv ]; then
  mount -t proc -o ro,nosuid,nodev,noexec proc "$R/proc" || fail "proc"
else  # a nested user namespace writes its uid_map under /proc/self: the rest is read-only
  mount -t proc -o nosuid,nodev,noexec proc "$R/proc" || fail "proc"
  for p in sys sysrq-trigger irq bus fs; do
    [ -e "$R/proc/$p" ] || continue
    mount --bind -o ro "$R/proc/$p" "$R/proc/$p" || fail "proc/$p read-only"
  done
fi
cd "$R" && pivot_root . . && umount -l . && cd / || fail "pivot_root"
mount -o remount,bind,ro,nosuid,nodev,noexec / || fail "read-only root"  # runs from binds
cd "$IN/project" || fail "the copy"
PATH="$RUN_PATH"
if [ "$LOCK" = setpriv ]; then
  exec setpriv --no-new-privs --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- "$@"
fi
exec unshare --user --map-root-user -- "$@"
"""
_UNSHARE = (
    "--user",
    "--map-root-user",
    "--mount",
    "--net",
    "--pid",
    "--ipc",
    "--uts",
    "--cgroup",
    "--fork",
    "--kill-child",
)
# What a person agrees to when they let generated code run where it can't be isolated.
WITHOUT_ISOLATION = (
    "Without isolation it still runs as a process of its own, with no key of yours in its "
    "environment, over a fresh temporary copy of the files, within limits on time, output and "
    "memory; but it can read and change whatever your account can, and reach the network."
)
SETUP_FAILED = 125  # the exit status of the init script when isolation could not be set up
SETUP_MARK = "smol-sandbox: "  # starts the init script's own messages
STOPPED = "stopped before it ended"  # the reason of a run its `cancel` event ended
# Where the init script looks for its tools first (`pivot_root` and `ip` are in sbin, which an
# ordinary user's PATH may lack); the program itself gets `_base_env`'s PATH.
TOOLS_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_TOOLS = ("unshare", "mount", "umount", "pivot_root", "cp", "mkdir", "rm")


def _which(tool: str) -> str | None:
    return shutil.which(tool, path=TOOLS_PATH + os.pathsep + os.environ.get("PATH", ""))


def lock() -> str:
    """How the run gives up its mount powers: "setpriv" (every capability dropped, util-linux),
    else "userns" (a nested user namespace, which locks the mounts it inherits)."""
    return "setpriv" if _which("setpriv") else "userns"


@functools.cache
def isolation() -> str:
    """ "namespaces" when commands can be isolated here, else "none: <why>" (tried once)."""
    if not sys.platform.startswith("linux"):
        return f"none: {sys.platform} has no Linux namespaces"
    missing = [t for t in _TOOLS if not _which(t)]
    if missing:
        return f"none: `{missing[0]}` (util-linux) is not installed"
    top = Path(os.path.realpath(tempfile.mkdtemp(prefix="smol-probe-")))
    try:
        for sub in ("project", "home", "tmp"):
            (top / sub).mkdir()
        probe = [*_isolated(top, Limits(), ()), "true"]
        try:
            done = subprocess.run(
                probe, capture_output=True, text=True, timeout=20, env=_base_env(_inside(top))
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"none: unshare failed ({exc})"
    finally:
        shutil.rmtree(top, ignore_errors=True)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1][:200]
        if SETUP_MARK in why:
            why = why.split(SETUP_MARK, 1)[1]
            return f"none: the isolation could not be set up here ({why})"
        return f"none: user namespaces are not allowed here ({why})"
    return "namespaces"


def _inside(top: Path) -> Path:
    """Where the run sees its temporary folder: in its own /tmp, under the same name."""
    return Path("/tmp") / top.name


def _isolated(top: Path, limits: Limits, extra: Sequence[str]) -> list[str]:
    """The command prefix that runs what follows isolated over the copy in `top`; `extra`:
    more host folders the program may read (a browser's). Writes its fstab in `top`."""
    shown = shown_folders(tuple(extra))
    root = skeleton(shown)
    table = top / f".fstab-{root.name}"  # one per skeleton: a browser's may differ
    table.write_text(fstab(root, shown, limits))
    return [
        _which("unshare") or "unshare",
        *_UNSHARE,
        "sh",
        "-c",
        _INIT,
        "smol-init",
        str(top),
        str(_inside(top)),
        str(root),
        str(table),
        lock(),
        _STAGE2,
    ]


class Sandbox:
    """A temporary copy of a project; `run` runs commands in it, one after another, so a
    sequence of commands sees what the earlier ones left. Use as a context manager."""

    def __init__(
        self,
        contents: Mapping[str, str | bytes],
        limits: Limits | None = None,
        *,
        allow_unisolated: bool = False,
        cancel: threading.Event | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.isolation = isolation()
        self.allow_unisolated = allow_unisolated
        self.cancel = cancel  # once set: the command running is killed, none other starts
        self.top = Path(os.path.realpath(tempfile.mkdtemp(prefix="smol-run-")))
        self.folder = self.top / "project"
        for sub in ("project", "home", "tmp"):
            (self.top / sub).mkdir()
        for path, text in contents.items():
            self.write(path, text)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        # A program may have left read-only folders behind: make them removable first.
        for dirpath, dirnames, _ in os.walk(self.top):
            for name in dirnames:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(dirpath, name), 0o700)
        shutil.rmtree(self.top, ignore_errors=True)

    @property
    def isolated(self) -> bool:
        return self.isolation == "namespaces"

    @property
    def inside_top(self) -> Path:
        """Where the program sees the temporary folder (its own /tmp, under the same name)."""
        return _inside(self.top) if self.isolated else self.top

    def inside(self, path: Path) -> Path:
        """The path, under the temporary folder, as the program sees it."""
        return self.inside_top / path.relative_to(self.top)

    def command(self, argv: Sequence[str], extra: Sequence[str] = ()) -> list[str]:
        """`argv` as it is started: inside the isolation when there is one. `extra`: more host
        folders it may read (read-only), e.g. a browser's."""
        if not self.isolated:
            return list(argv)
        return [*_isolated(self.top, self.limits, extra), *argv]

    def env(self) -> dict[str, str]:
        return _base_env(self.inside_top)

    def write(self, path: str, content: str | bytes) -> Path:
        """Put a file in the copy (an input file of an example); the path is checked first,
        and never written through a link the program made."""
        clean = normalize_path(path)
        target = self.folder / clean
        if not self._within(target.parent):  # before making any folder on the way
            raise ValueError("leads out of the copy through a link")
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():  # something the program made: never write through it
            target.unlink()
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def _within(self, path: Path) -> bool:
        """The path, links followed, is the copy or inside it."""
        real, folder = os.path.realpath(path), os.path.realpath(self.folder)
        return real == folder or real.startswith(folder + os.sep)

    def exists(self, path: str) -> bool:
        try:
            target = self.folder / normalize_path(path)
        except ValueError:
            return False
        return target.exists() and not target.is_symlink() and self._within(target)

    def read(self, path: str, limit: int = 64 << 10) -> str | None:
        if not self.exists(path):
            return None
        with open(self.folder / normalize_path(path), "rb") as f:
            return f.read(limit).decode("utf-8", "replace")

    def run(
        self, argv: Sequence[str], stdin: str = "", on_output: Callable[[str], None] | None = None
    ) -> RunResult:
        """Run one command in the copy and wait for it (at most `limits.seconds`).
        `on_output` is called with each piece of output (stdout and stderr, as they come, only
        what the cap keeps) from the threads reading them: it must be quick and thread-safe."""
        argv = tuple(argv)
        if not self.isolated and not self.allow_unisolated:
            return RunResult(
                argv,
                None,
                "",
                "",
                0.0,
                self.isolation,
                reason=f"not run: no isolation here ({self.isolation[6:]})",
            )
        if self.cancel is not None and self.cancel.is_set():
            return RunResult(argv, None, "", "", 0.0, self.isolation, reason=STOPPED, stopped=True)
        command = self.command([_interpreter(argv[0]), *argv[1:]] if argv else ["true"])
        with _pids_group(self.limits.processes) as group:
            return self._run(argv, command, stdin, group, on_output)

    def _run(
        self,
        argv: tuple[str, ...],
        command: list[str],
        stdin: str,
        group: Path | None,
        on_output: Callable[[str], None] | None,
    ) -> RunResult:
        limits = self.limits
        started = time.monotonic()
        try:
            proc = subprocess.Popen(
                command,
                cwd=self.folder,
                env=self.env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
                preexec_fn=functools.partial(_limit_child, limits, group),
            )
        except OSError as exc:
            return RunResult(
                argv,
                None,
                "",
                "",
                0.0,
                self.isolation,
                reason=f"could not start: {exc.strerror or exc}",
            )
        out, err = (
            _Capped(proc.stdout, limits.output_bytes, on_output),
            _Capped(proc.stderr, limits.output_bytes, on_output),
        )
        feeder = threading.Thread(target=_feed, args=(proc, stdin), daemon=True)
        feeder.start()
        ending = _wait(proc, limits.seconds, self.cancel)
        timed_out, stopped = ending == "timeout", ending == "stopped"
        _kill_group(proc)
        out.join()
        err.join()
        seconds = round(time.monotonic() - started, 3)
        code = None if timed_out or stopped else proc.returncode
        stderr = err.text()
        reason = STOPPED if stopped else _reason(code, timed_out, stderr, limits)
        if code == SETUP_FAILED and self.isolated and SETUP_MARK in stderr:
            why = stderr[stderr.rindex(SETUP_MARK) + len(SETUP_MARK) :].strip()[:300]
            reason = f"not run: the isolation could not be set up ({why})"
        return RunResult(
            argv,
            code,
            out.text(),
            stderr,
            seconds,
            self.isolation,
            timed_out=timed_out,
            cut=out.cut or err.cut,
            reason=reason,
            stopped=stopped,
        )


def _interpreter(name: str) -> str:
    # `python` means the interpreter the studio runs on: the one whose packages are installed.
    if name in ("python", "python3", Path(sys.executable).name):
        return sys.executable
    return name
