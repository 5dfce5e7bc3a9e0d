"""The folder that becomes an isolated run's whole root (sandbox.py's init script pivots into
it): mount points, links, the devices and the few /etc files a program needs, and the fstab of
what is bound into it read-only (/usr, Python's prefix, a browser's folder) and its one tmpfs."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from .sandbox_process import Limits

DEVICES = ("null", "zero", "full", "random", "urandom")
_TOP_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# /etc as the program sees it: these, copied when the host has them, and a passwd, group, hosts,
# nsswitch.conf and hostname of its own. Nothing with a secret (shadow, ssl/private, ssh, …).
_ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "mime.types",
    "os-release",
    "debian_version",
    "alternatives",
    "fonts",
    "ssl/certs",
    "ssl/openssl.cnf",
    "ca-certificates.conf",
    "python3",
    f"python3.{sys.version_info[1]}",
    "chromium",
    "chromium.d",
    "gai.conf",
    "protocols",
    "services",
)


def fstab(root: Path, shown: Sequence[str], limits: Limits) -> str:
    """What the init script mounts, in order, in one `mount --all --fstab`."""

    def field(path: str) -> str:  # fstab's own escapes: space, tab, newline, backslash
        return "".join(f"\\{ord(c):03o}" if c in " \t\n\\" else c for c in path)

    r = str(root)
    lines = [f"{field(r)} {field(r)} none bind 0 0"]
    lines += [f"{field(p)} {field(r + p)} none bind,ro,nosuid,nodev 0 0" for p in shown]
    lines += [f"/dev/{n} {field(r)}/dev/{n} none bind 0 0" for n in DEVICES]
    lines.append(
        f"smol-files {field(r)}/tmp tmpfs size={limits.disk_bytes},"
        f"nr_inodes={limits.files},mode=0755 0 0"
    )
    return "\n".join(lines) + "\n"


def _covered(path: str, shown: Sequence[str]) -> bool:
    return any(path == s or path.startswith(s.rstrip("/") + "/") for s in shown)


@functools.cache
def shown_folders(extra: tuple[str, ...]) -> tuple[str, ...]:
    """The host folders a run may read (read-only): /usr, the top-level folders that are not
    links into it, Python's prefixes (where the interpreter and its packages are), `extra`."""
    shown = ["/usr"]
    for name in _TOP_LINKS:
        path = Path("/", name)
        if path.is_dir() and not path.is_symlink():
            shown.append(str(path))
    home = os.path.realpath(os.path.expanduser("~"))
    wanted = [
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        *extra,
        "/var/cache/fontconfig",
    ]
    for folder in wanted:
        real = os.path.realpath(folder)
        if real in ("/", home) or "\n" in real or not os.path.isdir(real):
            continue  # never the whole disk or a person's home
        if not _covered(real, shown):
            shown = [s for s in shown if not _covered(s, [real])] + [real]
    return tuple(shown)


_SKELETONS: dict[tuple[str, ...], Path] = {}
_SKELETON_LOCK = threading.Lock()


def skeleton(shown: tuple[str, ...]) -> Path:
    """The folder that becomes the program's root (made once per process and set of folders,
    again if something removed it): mount points, links and the /etc it may read."""
    with _SKELETON_LOCK:
        made = _SKELETONS.get(shown)
        if made is not None and (made / "etc" / "passwd").exists():
            return made
        root = Path(tempfile.mkdtemp(prefix="smol-root-"))
        for sub in ("proc", "dev", "tmp", "etc"):
            (root / sub).mkdir(parents=True)
        (root / "run").symlink_to("/tmp/.run")  # one tmpfs, one cap for all it writes
        (root / "dev" / "shm").symlink_to("/tmp/.shm")
        for folder in shown:
            (root / folder.lstrip("/")).mkdir(parents=True, exist_ok=True)
        for name in _TOP_LINKS:
            path = Path("/", name)
            if path.is_symlink():
                (root / name).symlink_to(os.readlink(path))
        for name in DEVICES:
            (root / "dev" / name).touch()
        for name, target in (
            ("fd", "/proc/self/fd"),
            ("stdin", "/proc/self/fd/0"),
            ("stdout", "/proc/self/fd/1"),
            ("stderr", "/proc/self/fd/2"),
        ):
            (root / "dev" / name).symlink_to(target)
        _copy_etc(root / "etc")
        atexit.register(shutil.rmtree, root, True)
        _SKELETONS[shown] = root
        return root


def _copy_etc(etc: Path) -> None:
    for name in _ETC:
        source, target = Path("/etc", name), etc / name
        with contextlib.suppress(OSError, shutil.Error):
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink() or source.is_file():
                shutil.copy2(source, target, follow_symlinks=False)
            elif source.is_dir():
                shutil.copytree(source, target, symlinks=True)
    (etc / "passwd").write_text(
        "root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    )
    (etc / "group").write_text("root:x:0:\nnogroup:x:65534:\n")
    (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n")
    (etc / "nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files\n")
    (etc / "hostname").write_text("sandbox\n")
