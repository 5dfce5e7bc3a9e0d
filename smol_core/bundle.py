"""Deliver generated files: an in-memory ZIP, or a folder on disk that nothing escapes.

Every path goes through `smol_core.paths` first (the names come from a model). Writing to
disk additionally never follows a symbolic link that already sits under the root: on POSIX
each folder is opened relative to its parent with O_NOFOLLOW (so a link swapped in midway
is refused too), elsewhere each component is checked with lstat. Files are written to a
temporary file in the target folder and moved into place with os.replace, which replaces
the directory entry (never writes through an existing hard link).
"""

from __future__ import annotations

import io
import json
import os
import secrets
import stat
import zipfile
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from .paths import Rejected, UnsafePath, check_paths, normalize_path, safe_repr

__all__ = ["MANIFEST_NAME", "WriteReport", "build_zip", "write_folder", "zip_problem"]

MANIFEST_NAME = "smol-manifest.json"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # earliest time ZIP can store; fixed for reproducible bytes
# Deflate level 4: on source code, half the time of zlib's default 6 for ~4 % more bytes
# (100 files of 50 KB: ~70 vs ~125 ms, 1.26 vs 1.21 MB; `python -m bench.page_cost`).
ZIP_LEVEL = 4
_FILE_MODE = 0o644

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# Open folders relative to their parent (openat & co) where the platform can: race-free.
_USE_DIR_FD = bool(
    _O_NOFOLLOW and _O_DIRECTORY and {os.open, os.mkdir, os.stat, os.unlink} <= os.supports_dir_fd
)
_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: Windows junctions and links


@dataclass
class WriteReport:
    """What `write_folder` did: the real root, files written, files refused (with reasons)."""

    root: Path
    written: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def build_zip(
    files: Mapping[str, str] | Mapping[str, str | bytes],
    *,
    root_folder: str | None = None,
    manifest: Mapping | None = None,
    level: int = ZIP_LEVEL,
) -> bytes:
    """A deterministic ZIP (deflated, fixed timestamps, sorted names) of `files`.

    Raises ValueError naming the path and the reason if any name is unsafe or clashes with
    another (nothing is written then). `root_folder` puts everything under one top folder;
    `manifest` is added as smol-manifest.json (sorted keys, indent 2).
    """
    problem = zip_problem(files, manifest=manifest is not None)
    if problem:
        raise ValueError(problem)

    prefix = ""
    if root_folder is not None:
        try:
            prefix = normalize_path(root_folder) + "/"
        except UnsafePath as exc:
            raise ValueError(f"unsafe zip folder {safe_repr(root_folder)}: {exc.reason}") from None

    entries: dict[str, bytes] = {}
    for raw, content in files.items():
        entries[normalize_path(raw)] = _encode(raw, content)
    if manifest is not None:
        text = json.dumps(dict(manifest), sort_keys=True, indent=2, ensure_ascii=False)
        entries[MANIFEST_NAME] = (text + "\n").encode("utf-8")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(prefix + name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # "Unix", so the permission bits read the same everywhere
            info.external_attr = (stat.S_IFREG | _FILE_MODE) << 16
            # The level goes here: with a ZipInfo, writestr ignores the ZipFile's own level.
            zf.writestr(info, entries[name], compresslevel=level)
    return buffer.getvalue()


def zip_problem(names: Iterable[str], *, manifest: bool = True) -> str | None:
    """Why `build_zip` would refuse these file names (unsafe, or clashing), or None.

    Names only, so it costs microseconds where the zip costs milliseconds: the page says it on
    every rerun and builds the zip itself only when the download is clicked.
    """
    listed = list(names)
    if manifest:
        listed.append(MANIFEST_NAME)
    check = check_paths(listed)
    if not check.rejected:
        return None
    problems = "; ".join(f"{safe_repr(r.path)} {r.reason}" for r in check.rejected)
    return f"unsafe file name(s) for the zip: {problems}"


def write_folder(root: Path, files: Mapping[str, str] | Mapping[str, str | bytes]) -> WriteReport:
    """Write `files` under `root` (created if missing, never emptied); never outside it.

    Unsafe or clashing names, and names whose way down passes through a symbolic link or
    a non-folder, are reported in `rejected` instead of written. Existing target files are
    replaced atomically; unrelated files are left alone.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    # The root itself is the caller's choice, so a symlinked root is followed once, here.
    root_real = os.path.realpath(root)
    if not os.path.isdir(root_real):
        raise NotADirectoryError(f"{root} is not a folder")
    report = WriteReport(root=Path(root_real))

    check = check_paths(files)
    report.rejected.extend(check.rejected)
    raw_for: dict[str, str] = {}
    for raw in files:
        with suppress(UnsafePath):
            raw_for.setdefault(normalize_path(raw), raw)

    for path in check.accepted:
        raw = raw_for[path]
        try:
            data = _encode(raw, files[raw])
            reason = _write_one(root_real, path.split("/"), data)
        except ValueError as exc:
            reason = str(exc)
        except OSError as exc:
            reason = f"could not be written ({exc.strerror or exc})"
        if reason is None:
            reason = _outside(root_real, path)
        if reason:
            report.rejected.append(Rejected(raw, reason))
        else:
            report.written.append(path)
    return report


def _encode(raw: str, content: str | bytes) -> bytes:
    if isinstance(content, bytes):
        return content
    if not isinstance(content, str):
        raise ValueError(f"content of {safe_repr(raw)} is not text")
    try:
        return content.encode("utf-8")  # bytes as given: "\n" stays "\n" on every OS
    except UnicodeEncodeError:
        raise ValueError("content is not valid text (it can't be saved as UTF-8)") from None


def _outside(root_real: str, path: str) -> str | None:
    """Last check: does the written file really resolve inside the root?"""
    real = os.path.realpath(os.path.join(root_real, *path.split("/")))
    if not _inside(real, root_real):
        return "resolved outside the project folder (a link appeared while writing)"
    return None


def _inside(real: str, root_real: str) -> bool:
    try:
        return os.path.commonpath([real, root_real]) == root_real
    except ValueError:  # Windows: different drives
        return False


def _write_one(root_real: str, parts: list[str], data: bytes) -> str | None:
    """Write one file; return why not, or None when written."""
    if _USE_DIR_FD:
        return _write_with_dir_fds(root_real, parts, data)
    return _write_with_paths(root_real, parts, data)


def _write_with_dir_fds(root_real: str, parts: list[str], data: bytes) -> str | None:
    fd = os.open(root_real, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        for i, name in enumerate(parts[:-1]):
            where = "/".join(parts[: i + 1])
            st = _lstat(name, fd)
            if st is None:
                with suppress(FileExistsError):  # a race: the check below decides
                    os.mkdir(name, dir_fd=fd)
                st = _lstat(name, fd)
            problem = _folder_problem(st, where)
            if problem:
                return problem
            # O_NOFOLLOW: if a link was swapped in since the lstat, this fails instead.
            child = os.open(name, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = child
        name = parts[-1]
        problem = _file_problem(_lstat(name, fd))
        if problem:
            return problem
        tmp = f".smol-{secrets.token_hex(8)}.tmp"
        tfd = os.open(
            tmp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC,
            _FILE_MODE,
            dir_fd=fd,
        )
        try:
            with os.fdopen(tfd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            raise
        return None
    finally:
        os.close(fd)


def _write_with_paths(root_real: str, parts: list[str], data: bytes) -> str | None:
    # Fallback without openat (Windows): the same checks by path, plus a realpath check of
    # the folder just before writing.
    folder = root_real
    for i, name in enumerate(parts[:-1]):
        folder = os.path.join(folder, name)
        st = _lstat(folder)
        if st is None:
            with suppress(FileExistsError):
                os.mkdir(folder)
            st = _lstat(folder)
        problem = _folder_problem(st, "/".join(parts[: i + 1]))
        if problem:
            return problem
    if not _inside(os.path.realpath(folder), root_real):
        return "its folder resolves outside the project folder"
    target = os.path.join(folder, parts[-1])
    problem = _file_problem(_lstat(target))
    if problem:
        return problem
    tmp = os.path.join(folder, f".smol-{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY
    tfd = os.open(tmp, flags, _FILE_MODE)
    try:
        with os.fdopen(tfd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return None


def _lstat(name: str, dir_fd: int | None = None) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _is_link(st: os.stat_result) -> bool:
    return stat.S_ISLNK(st.st_mode) or bool(getattr(st, "st_file_attributes", 0) & _REPARSE_POINT)


def _folder_problem(st: os.stat_result | None, where: str) -> str | None:
    if st is None:
        return f"folder {where!r} could not be created"
    if _is_link(st):
        return f"folder {where!r} is a symbolic link; links are never followed"
    if not stat.S_ISDIR(st.st_mode):
        return f"{where!r} already exists and is not a folder"
    return None


def _file_problem(st: os.stat_result | None) -> str | None:
    if st is None:
        return None
    if _is_link(st):
        return "an existing symbolic link has this name; links are never written through"
    if stat.S_ISDIR(st.st_mode):
        return "a folder with this name already exists"
    if not stat.S_ISREG(st.st_mode):
        return "something that is not a regular file already has this name"
    return None


def read_folder(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """The text of the listed files under `root`; unsafe names, links out and missing files
    are skipped (a project read back must not read outside its folder either)."""
    root_real = os.path.realpath(root)
    out: dict[str, str] = {}
    for raw in paths:
        try:
            rel = normalize_path(raw)
        except UnsafePath:
            continue
        target = os.path.join(root_real, *rel.split("/"))
        if not _inside(os.path.realpath(target), root_real) or not os.path.isfile(target):
            continue
        with open(target, encoding="utf-8", errors="replace", newline="") as fh:
            out[rel] = fh.read()
    return out
