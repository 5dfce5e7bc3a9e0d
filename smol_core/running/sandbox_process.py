"""One command as a process of its own, for `sandbox`: its environment built from nothing, its
limits (set in the child before exec, a pids cgroup as root), waited for with a timeout and a
cancel event, its whole process group killed, its output read to a cap, and why it ended badly
said in words."""

from __future__ import annotations

import codecs
import contextlib
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.05  # how often a cancellable run looks at its event


@dataclass(frozen=True)
class Limits:
    seconds: float = 20.0  # wall clock, whole process tree
    cpu_seconds: int = 20
    memory_bytes: int = 2 << 30  # address space per process (V8 reserves a lot of it)
    file_bytes: int = 32 << 20
    processes: int = 128
    output_bytes: int = 64 << 10  # per stream kept; the rest is read and dropped
    disk_bytes: int = 256 << 20  # all it writes together: the copy, HOME, /tmp, /run, /dev/shm
    files: int = 65536  # how many files and folders it may have at once


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
    if "No space left on device" in stderr:
        return f"wrote more than it may ({limits.disk_bytes >> 20} MB in all, or {limits.files:,} files)"
    if "MemoryError" in stderr or "Cannot allocate memory" in stderr or "out of memory" in stderr:
        return f"ran out of memory (limit {limits.memory_bytes >> 20} MB)"
    if "Resource temporarily unavailable" in stderr or "BlockingIOError" in stderr:
        return f"hit the limit of {limits.processes} processes"
    return f"exit status {code}"
