"""Start from code you have: a zip or a folder read into memory, safely.

An archive is someone else's file: its names can point outside the project ("../x", "/etc/x"),
its entries can be links or devices, and it can unpack to far more than it weighs (a zip bomb).
Such an archive is refused as a whole, with the reason in plain words; nothing is ever written
here (the caller writes, and only after a successful import). Dependencies and caches
(`.git/`, `node_modules/`, virtual environments, `__pycache__`…) are skipped, not refused.
Files that are not UTF-8 text are kept aside as bytes: they are never sent to a model.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SmolError
from .paths import Rejected, UnsafePath, check_paths, normalize_path, safe_repr

# Folders never imported: other tools' state, dependencies, caches, our own versions.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".smol",
        ".idea",
        ".vscode",
    }
)
SKIPPED_FILES = frozenset({".DS_Store", "Thumbs.db", "smol-manifest.json"})
SKIPPED_SUFFIXES = (".pyc", ".pyo")


class ImportRefused(SmolError):
    """The archive or folder is not imported at all; the message says why."""


@dataclass(frozen=True)
class Limits:
    """Caps on what an import may hold (an archive's own numbers are checked before reading)."""

    entries: int = 20_000  # entries in an archive, skipped ones included
    files: int = 1_000  # files kept
    file_bytes: int = 5_000_000
    total_bytes: int = 50_000_000
    ratio: int = 100  # unpacked / packed, for an entry over `ratio_from` bytes
    ratio_from: int = 1_000_000


@dataclass
class Imported:
    """The project read in: text files, other files kept as bytes, and what was left out."""

    texts: dict[str, str] = field(default_factory=dict)
    binary: dict[str, bytes] = field(default_factory=dict)
    skipped: list[Rejected] = field(default_factory=list)  # left out on purpose, with why

    @property
    def paths(self) -> list[str]:
        return sorted([*self.texts, *self.binary])


def skip_reason(parts: list[str]) -> str | None:
    """Why a file at these path parts is not imported (a dependency, a cache), or None."""
    for part in parts[:-1]:
        if part in SKIPPED_DIRS:
            return f"inside {part}/ (dependencies, caches and tool state are not imported)"
    name = parts[-1]
    if name in SKIPPED_FILES or name.endswith(SKIPPED_SUFFIXES):
        return "a cache or tool file"
    return None


def _venvs(names: list[list[str]]) -> set[tuple[str, ...]]:
    """Folders that are virtual environments: they hold a pyvenv.cfg."""
    return {tuple(parts[:-1]) for parts in names if parts[-1] == "pyvenv.cfg" and len(parts) > 1}


def _in_venv(parts: list[str], venvs: set[tuple[str, ...]]) -> bool:
    return any(tuple(parts[:n]) in venvs for n in range(1, len(parts)))


def _sort_in(result: Imported, path: str, data: bytes) -> None:
    """Text if it is UTF-8 without NUL bytes (read exactly, line ends kept); bytes otherwise."""
    if b"\0" not in data:
        try:
            result.texts[path] = data.decode("utf-8")
            return
        except UnicodeDecodeError:
            pass
    result.binary[path] = data


def _summarize_skips(skipped: list[tuple[str, str]]) -> list[Rejected]:
    """One line per skipped folder, not one per file in node_modules."""
    by_reason = Counter(reason for _, reason in skipped)
    out: list[Rejected] = []
    seen: set[str] = set()
    for path, reason in skipped:
        if not reason.startswith("inside "):
            out.append(Rejected(path, reason))
            continue
        if reason in seen:
            continue
        seen.add(reason)
        n = by_reason[reason]
        shown = path if n == 1 else f"{path} and {n - 1} more"
        out.append(Rejected(shown, reason))
    return out


# ------------------------------------------------------------------------------------- zip
_BAD_TYPES = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a device file",
    stat.S_IFBLK: "a device file",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


def import_zip(data: bytes | str | os.PathLike, limits: Limits = Limits()) -> Imported:
    """The files of a zip, or ImportRefused saying why the archive is refused as a whole."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(f"This is not a zip archive that can be read ({exc}).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.entries:
            raise ImportRefused(
                f"The archive has {len(infos):,} entries; the limit is {limits.entries:,}."
            )
        wanted, skipped = _check_entries(infos, limits)
        result = Imported(skipped=skipped)
        total = 0
        for info, path in wanted:
            total += _read_capped(archive, info, path, result, limits, total)
    return result


def _check_entries(
    infos: list[zipfile.ZipInfo], limits: Limits
) -> tuple[list[tuple[zipfile.ZipInfo, str]], list[Rejected]]:
    """Every name and header checked before a byte is unpacked; the entries to read, and
    what is skipped."""
    files: list[zipfile.ZipInfo] = []
    skipped: list[tuple[str, str]] = []
    for info in infos:
        if info.is_dir():
            continue
        parts = info.filename.replace("\\", "/").split("/")
        # Skipped unread, so its name can't do harm, as long as it stays inside (checked below
        # otherwise); .git/ names are refused by the path rules, hence this check of our own.
        harmless = not info.filename.startswith(("/", "\\")) and ".." not in parts
        harmless = harmless and ":" not in parts[0]
        if harmless and (reason := skip_reason(parts)):
            skipped.append((info.filename, reason))  # never read: its name doesn't matter
        else:
            files.append(info)
    for info in files:
        shown = safe_repr(info.filename, 60)
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if kind in _BAD_TYPES:
            raise ImportRefused(
                f"{shown} is {_BAD_TYPES[kind]}; archives with links or special files are refused."
            )
        if info.flag_bits & 0x1:
            raise ImportRefused(f"{shown} is encrypted; encrypted archives are refused.")
        try:
            normalize_path(info.filename)
        except UnsafePath as exc:
            raise ImportRefused(f"The name {shown} {exc.reason}; the archive is refused.") from None
        if info.file_size > limits.file_bytes:
            raise ImportRefused(
                f"{shown} unpacks to {info.file_size:,} bytes; the limit per file "
                f"is {limits.file_bytes:,}."
            )
        packed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_from and info.file_size / packed > limits.ratio:
            raise ImportRefused(
                f"{shown} unpacks to {info.file_size // packed:,} times its size "
                "(a zip bomb?); the archive is refused."
            )
    names = [normalize_path(i.filename) for i in files]
    declared = sum(i.file_size for i in files)
    if declared > limits.total_bytes:
        raise ImportRefused(
            f"The archive unpacks to {declared:,} bytes; the limit is {limits.total_bytes:,}."
        )
    # One top folder around everything (the usual "project-main/") is not part of the names.
    tops = {n.split("/", 1)[0] for n in names}
    strip = len(tops) == 1 and all("/" in n for n in names)
    names = [n.split("/", 1)[1] if strip else n for n in names]
    check = check_paths(names)
    if check.rejected:
        r = check.rejected[0]
        raise ImportRefused(f"The name {safe_repr(r.path, 60)} {r.reason}; the archive is refused.")
    venvs = _venvs([n.split("/") for n in names])
    keep: list[tuple[zipfile.ZipInfo, str]] = []
    for info, name in zip(files, names, strict=True):
        parts = name.split("/")
        reason = skip_reason(parts) or (
            "inside a virtual environment" if _in_venv(parts, venvs) else None
        )
        if reason:
            skipped.append((name, reason))
        else:
            keep.append((info, name))
    if len(keep) > limits.files:
        raise ImportRefused(
            f"The archive holds {len(keep):,} files; the limit is {limits.files:,}."
        )
    return keep, _summarize_skips(skipped)


def _read_capped(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: str,
    result: Imported,
    limits: Limits,
    total: int,
) -> int:
    """Read one entry, never more than its declared size or the caps (headers can lie)."""
    cap = min(info.file_size, limits.file_bytes, limits.total_bytes - total)
    shown = safe_repr(path, 60)
    try:
        with archive.open(info) as fh:
            data = fh.read(cap + 1)
    except zipfile.BadZipFile as exc:  # a CRC that doesn't match: damaged, or lying about size
        raise ImportRefused(
            f"{shown} is damaged or lies about its size ({exc}); the archive is refused."
        ) from None
    except (NotImplementedError, OSError, EOFError, ValueError) as exc:
        raise ImportRefused(f"{shown} could not be unpacked ({exc}).") from None
    if len(data) > cap:
        raise ImportRefused(
            f"{shown} unpacks to more than it declares or the limits allow; the archive is refused."
        )
    _sort_in(result, path, data)
    return len(data)


# ------------------------------------------------------------------------------------ folder
def import_folder(root: str | os.PathLike, limits: Limits = Limits()) -> Imported:
    """The files under `root`: links and special files are left out (never followed),
    dependencies and caches skipped; ImportRefused when over the caps."""
    root = Path(root)
    if not root.is_dir():
        raise ImportRefused(f"{root} is not a folder.")
    result = Imported()
    skipped: list[tuple[str, str]] = []
    found: list[tuple[str, Path, os.stat_result]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root).parts
        venv = "pyvenv.cfg" in filenames and bool(rel_dir)
        for name in list(dirnames):
            full = Path(dirpath, name)
            if name in SKIPPED_DIRS or venv:
                skipped.append(
                    (
                        "/".join([*rel_dir, name]) + "/",
                        "dependencies, caches and tool state are not imported",
                    )
                )
                dirnames.remove(name)
            elif full.is_symlink():
                skipped.append(("/".join([*rel_dir, name]), "a symbolic link (never followed)"))
                dirnames.remove(name)
        if venv:
            skipped.append(("/".join(rel_dir) + "/", "a virtual environment"))
            dirnames.clear()
            continue
        for name in filenames:
            rel = "/".join([*rel_dir, name])
            st = os.lstat(Path(dirpath, name))
            reason = skip_reason([*rel_dir, name])
            if stat.S_ISLNK(st.st_mode):
                reason = "a symbolic link (never followed)"
            elif not stat.S_ISREG(st.st_mode):
                reason = "not a regular file (a device, pipe or socket)"
            elif st.st_size > limits.file_bytes:
                reason = f"larger than {limits.file_bytes:,} bytes"
            if reason:
                skipped.append((rel, reason))
            else:
                found.append((rel, Path(dirpath, name), st))
        if len(found) > limits.files:
            raise ImportRefused(f"{root} holds more than {limits.files:,} files.")
    check = check_paths(rel for rel, _, _ in found)
    for r in check.rejected:
        skipped.append((r.path, r.reason))
    accepted = set(check.accepted)
    total = 0
    for rel, full, st in found:
        if rel not in accepted:
            continue
        total += st.st_size
        if total > limits.total_bytes:
            raise ImportRefused(f"{root} holds more than {limits.total_bytes:,} bytes of files.")
        _sort_in(result, rel, _read_no_follow(full, limits.file_bytes))
    result.skipped = _summarize_skips(skipped)
    return result


def _read_no_follow(path: Path, cap: int) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise ImportRefused(f"{path.name} grew past {cap:,} bytes while being read.")
    return data
