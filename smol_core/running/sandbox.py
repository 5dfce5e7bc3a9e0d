"""The one way generated code is run: over a temporary copy, with limits, isolated where it can be.

Generated code is hostile until proven otherwise. A `Sandbox` copies the project into a fresh
temporary folder and runs commands there, never in the project or the output folder and never
in the studio's process:
- the environment is built from nothing (no key, nothing `SMOL_*`/`OPENAI_*`), HOME and TMPDIR
  inside the temporary folder;
- limits on CPU time, address space, file size (and processes: RLIMIT_NPROC for a normal user,
  the pids cgroup for root, which RLIMIT_NPROC does not bind), a wall-clock timeout that kills
  the whole process group, output capped and marked when cut;
- on Linux, new user, mount, PID and network namespaces through util-linux `unshare` (on every
  Debian): every mount is remounted read-only except the temporary folder, the network is a
  private loopback that is down, and the namespace's processes die with it. Where that is not
  possible `isolation()` says why, and the caller decides (the examples are then not run unless
  the person allows it).

A run can be watched and stopped: `on_output` gets the output as it comes (what the cap keeps,
from the reader threads), and setting the sandbox's `cancel` event kills the process group of
the command running and keeps any later one from starting.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..paths import normalize_path

# Runs inside the new namespaces before the command: the temporary folder becomes its own mount
# (so it stays writable), then every mount, that one excepted, is made read-only. Any failure
# stops the run (fail closed): the command never starts half-isolated.
_INIT = r"""
set -e
W="$1"; shift
mount --bind "$W" "$W"
for m in $(awk '{print $5}' /proc/self/mountinfo | sort -r -u); do
  [ "$m" = "$W" ] && continue
  mount -o remount,bind,ro "$m"
done
cd "$W/project"
exec "$@"
"""
_UNSHARE = ("--user", "--map-root-user", "--mount", "--net", "--pid", "--fork", "--kill-child",
            "--mount-proc")  # fmt: skip
SETUP_FAILED = 125  # the exit status of the init script when isolation could not be set up
STOPPED = "stopped before it ended"  # the reason of a run its `cancel` event ended
POLL_SECONDS = 0.05  # how often a cancellable run looks at its event


@dataclass(frozen=True)
class Limits:
    seconds: float = 20.0  # wall clock, whole process tree
    cpu_seconds: int = 20
    memory_bytes: int = 2 << 30  # address space per process (V8 reserves a lot of it)
    file_bytes: int = 32 << 20
    processes: int = 128
    output_bytes: int = 64 << 10  # per stream kept; the rest is read and dropped


@dataclass(frozen=True)
class RunResult:
    argv: tuple[str, ...]
    exit_code: int | None  # None: it did not end by itself (timeout)
    stdout: str
    stderr: str
    seconds: float
    isolation: str  # "namespaces" or "none: <why>"
    timed_out: bool = False
    cut: bool = False  # output longer than the cap: the start was kept
    reason: str = ""  # why it ended badly, in words (limits, signals)
    stopped: bool = False  # ended by the sandbox's `cancel` event (a person's Stop)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.stopped


@functools.cache
def isolation() -> str:
    """ "namespaces" when commands can be isolated here, else "none: <why>" (tried once)."""
    if not sys.platform.startswith("linux"):
        return f"none: {sys.platform} has no Linux namespaces"
    if not shutil.which("unshare") or not shutil.which("mount"):
        return "none: util-linux `unshare` is not installed"
    with tempfile.TemporaryDirectory(prefix="smol-probe-") as top:
        Path(top, "project").mkdir()
        try:
            done = subprocess.run(
                ["unshare", *_UNSHARE, "sh", "-c", _INIT, "init", top, "true"],
                capture_output=True, text=True, timeout=20, env=_base_env(Path(top)),
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"none: unshare failed ({exc})"
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return f"none: user namespaces are not allowed here ({why})"
    return "namespaces"


def _base_env(top: Path) -> dict[str, str]:
    """The whole environment of a generated program: nothing of the studio's is inherited."""
    python_dir = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join(dict.fromkeys([python_dir, "/usr/local/bin", "/usr/bin", "/bin"])),
        "HOME": str(top / "home"),
        "TMPDIR": str(top / "tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
    }


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
        self.top = Path(tempfile.mkdtemp(prefix="smol-run-"))
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

    def write(self, path: str, content: str | bytes) -> Path:
        """Put a file in the copy (an input file of an example); the path is checked first."""
        clean = normalize_path(path)
        target = self.folder / clean
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():  # something the program made: never write through it
            target.unlink()
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def exists(self, path: str) -> bool:
        try:
            target = self.folder / normalize_path(path)
        except ValueError:
            return False
        return target.exists() and not target.is_symlink()

    def read(self, path: str, limit: int = 64 << 10) -> str | None:
        if not self.exists(path):
            return None
        with open(self.folder / normalize_path(path), "rb") as f:
            return f.read(limit).decode("utf-8", "replace")

    def run(self, argv: Sequence[str], stdin: str = "",
            on_output: Callable[[str], None] | None = None) -> RunResult:  # fmt: skip
        """Run one command in the copy and wait for it (at most `limits.seconds`).
        `on_output` is called with each piece of output (stdout and stderr, as they come, only
        what the cap keeps) from the threads reading them: it must be quick and thread-safe."""
        argv = tuple(argv)
        if not self.isolated and not self.allow_unisolated:
            return RunResult(argv, None, "", "", 0.0, self.isolation,
                             reason=f"not run: no isolation here ({self.isolation[6:]})")  # fmt: skip
        if self.cancel is not None and self.cancel.is_set():
            return RunResult(argv, None, "", "", 0.0, self.isolation, reason=STOPPED,
                             stopped=True)  # fmt: skip
        command = [_interpreter(argv[0]), *argv[1:]] if argv else ["true"]
        if self.isolated:
            command = ["unshare", *_UNSHARE, "sh", "-c", _INIT, "init", str(self.top), *command]
        with _pids_group(self.limits.processes) as group:
            return self._run(argv, command, stdin, group, on_output)

    def _run(self, argv: tuple[str, ...], command: list[str], stdin: str,
             group: Path | None, on_output: Callable[[str], None] | None) -> RunResult:  # fmt: skip
        limits = self.limits
        started = time.monotonic()
        try:
            proc = subprocess.Popen(
                command, cwd=self.folder, env=_base_env(self.top),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True, close_fds=True,
                preexec_fn=functools.partial(_limit_child, limits, group),
            )  # fmt: skip
        except OSError as exc:
            return RunResult(argv, None, "", "", 0.0, self.isolation,
                             reason=f"could not start: {exc.strerror or exc}")  # fmt: skip
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
        if code == SETUP_FAILED and self.isolated and "mount" in stderr:
            reason = "not run: the isolation could not be set up (" + stderr.strip()[-200:] + ")"
        return RunResult(
            argv, code, out.text(), stderr, seconds, self.isolation,
            timed_out=timed_out, cut=out.cut or err.cut, reason=reason, stopped=stopped,
        )  # fmt: skip


def _wait(proc: subprocess.Popen, seconds: float, cancel: threading.Event | None) -> str:
    """Wait for the command: "" when it ended by itself, else "timeout" or "stopped"."""
    if cancel is None:
        try:
            proc.wait(timeout=seconds)
            return ""
        except subprocess.TimeoutExpired:
            return "timeout"
    deadline = time.monotonic() + seconds
    while not cancel.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return "timeout"
        try:
            proc.wait(timeout=min(left, POLL_SECONDS))
            return ""
        except subprocess.TimeoutExpired:
            continue
    return "" if proc.poll() is not None else "stopped"


def _interpreter(name: str) -> str:
    # `python` means the interpreter the studio runs on: the one whose packages are installed.
    if name in ("python", "python3", Path(sys.executable).name):
        return sys.executable
    return name


def _limit_child(limits: Limits, group: Path | None) -> None:
    """In the child, before exec: its own limits (inherited by everything it starts)."""
    if group is not None:
        with contextlib.suppress(OSError):
            (group / "cgroup.procs").write_text(str(os.getpid()))
    cpu = max(1, limits.cpu_seconds)
    for which, value in (
        (resource.RLIMIT_CPU, (cpu, cpu + 1)),
        (resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes)),
        (resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes)),
        (resource.RLIMIT_CORE, (0, 0)),
    ):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, value)
    if os.getuid() != 0:  # counted per user: allow what the user runs now, plus the limit
        with contextlib.suppress(ValueError, OSError):
            mine = _processes_of(os.getuid())
            resource.setrlimit(resource.RLIMIT_NPROC, (mine + limits.processes,) * 2)


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                count += entry.stat().st_uid == uid
    return count


@contextlib.contextmanager
def _pids_group(limit: int):
    """As root, a pids cgroup capping the command's process tree (RLIMIT_NPROC doesn't bind
    root). Yields its folder, or None where there is none to make (not root, no controller)."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        yield None
        return
    group = None
    for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if (base / "cgroup.procs").exists() and (
            base.name == "pids" or "pids" in _read(base / "cgroup.subtree_control")
        ):
            candidate = base / f"smol-run-{uuid.uuid4().hex[:12]}"
            try:
                candidate.mkdir()
                (candidate / "pids.max").write_text(str(limit))
            except OSError:
                with contextlib.suppress(OSError):
                    candidate.rmdir()
                continue
            group = candidate
            break
    try:
        yield group
    finally:
        if group is not None:
            for _ in range(50):  # the tree is dead; the kernel may take a moment to let go
                try:
                    group.rmdir()
                    break
                except OSError:
                    time.sleep(0.02)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _feed(proc: subprocess.Popen, stdin: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        if stdin and proc.stdin:
            proc.stdin.write(stdin.encode("utf-8"))
    with contextlib.suppress(OSError, ValueError):
        if proc.stdin:
            proc.stdin.close()


def _kill_group(proc: subprocess.Popen) -> None:
    """End the whole tree: unshare's --kill-child takes the namespace down with it, and the
    process group catches the rest (without isolation, a child that left the group survives:
    one more reason to isolate)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


class _Capped:
    """Reads a stream to its end in a thread, keeping its first `cap` bytes (and handing what
    it keeps to `on_output` as text, as it comes)."""

    def __init__(self, stream, cap: int, on_output: Callable[[str], None] | None = None) -> None:
        self.cap, self.data, self.cut = cap, bytearray(), False
        self.on_output = on_output
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536):
                room = self.cap - len(self.data)
                if room > 0:
                    self.data += chunk[:room]
                    self._tell(chunk[:room])
                if len(chunk) > max(room, 0):
                    self.cut = True
        with contextlib.suppress(OSError):
            stream.close()

    def _tell(self, kept: bytes) -> None:
        if self.on_output is None:
            return
        try:
            text = self.decoder.decode(kept)
            if text:
                self.on_output(text)
        except Exception:  # a watcher that fails stops watching; the reading goes on
            self.on_output = None

    def join(self) -> None:
        self.thread.join(timeout=5)

    def text(self) -> str:
        text = self.data.decode("utf-8", "replace")
        return text + ("\n[… output cut: longer than the limit …]" if self.cut else "")


def _reason(code: int | None, timed_out: bool, stderr: str, limits: Limits) -> str:
    if timed_out:
        return f"did not finish within {limits.seconds:g} s (stopped)"
    if code is None or code == 0:
        return ""
    if code < 0 or code > 128:
        number = -code if code < 0 else code - 128
        name = {
            signal.SIGXCPU: f"used more than {limits.cpu_seconds} s of CPU time",
            signal.SIGXFSZ: f"wrote a file larger than {limits.file_bytes >> 20} MB",
            signal.SIGKILL: "was killed",
            signal.SIGSEGV: "crashed (segmentation fault)",
        }.get(number)  # type: ignore[call-overload]
        if name:
            return name
        with contextlib.suppress(ValueError):
            return f"was stopped by {signal.Signals(number).name}"
    if "MemoryError" in stderr or "Cannot allocate memory" in stderr or "out of memory" in stderr:
        return f"ran out of memory (limit {limits.memory_bytes >> 20} MB)"
    if "Resource temporarily unavailable" in stderr or "BlockingIOError" in stderr:
        return f"hit the limit of {limits.processes} processes"
    return f"exit status {code}"
