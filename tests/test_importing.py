"""Importing a zip or a folder: hostile archives are refused as a whole, with a reason, and
nothing is written; dependencies and caches are skipped; binary files are kept as bytes."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from smol_core.importing import ImportRefused, Limits, import_folder, import_zip
from tests.kit import snapshot
from tests.zips import Entry, build, zeros_deflated


def plain_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def refused(data: bytes, tmp_path: Path, **limits) -> str:
    """The reason an archive is refused; and proof that nothing was written anywhere near."""
    before = snapshot(tmp_path)
    with pytest.raises(ImportRefused) as caught:
        import_zip(data, Limits(**limits) if limits else Limits())
    assert snapshot(tmp_path) == before
    assert not (tmp_path.parent / "evil.py").exists()
    return str(caught.value)


def test_a_zip_is_read_with_its_top_folder_dropped_and_caches_skipped():
    data = plain_zip(
        {
            "proj-main/app.py": b"print('hi')\r\n",
            "proj-main/pkg/util.py": b"X = 1\n",
            "proj-main/logo.png": b"\x89PNG\r\n\x1a\n\0\0binary",
            "proj-main/node_modules/left-pad/index.js": b"module.exports = 1\n",
            "proj-main/.git/HEAD": b"ref: refs/heads/main\n",
            "proj-main/pkg/__pycache__/util.cpython-311.pyc": b"\0\0",
            "proj-main/env/pyvenv.cfg": b"home = /usr\n",
            "proj-main/env/lib/site.py": b"x = 1\n",
        }
    )
    got = import_zip(data)
    assert got.texts == {"app.py": "print('hi')\r\n", "pkg/util.py": "X = 1\n"}
    assert got.binary == {"logo.png": b"\x89PNG\r\n\x1a\n\0\0binary"}
    reasons = " ".join(f"{r.path} {r.reason}" for r in got.skipped)
    for part in ("node_modules/", ".git/", "__pycache__/", "virtual environment"):
        assert part in reasons


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../evil.py", "outside the project folder"),
        ("ok/../../evil.py", "outside the project folder"),
        ("..\\evil.py", "outside the project folder"),
        ("/etc/evil.py", "absolute path"),
        ("C:/evil.py", "drive letter"),
        ("//server/share/evil.py", "network"),
        ("node_modules/../../evil.py", "outside the project folder"),  # behind a skipped folder
        ("C:/node_modules/evil.js", "drive letter"),
    ],
)
def test_zip_slip_and_absolute_names_are_refused(tmp_path, name, words):
    data = build([Entry("fine.py", b"x = 1\n"), Entry(name, b"import os\n")])
    assert words in refused(data, tmp_path)


def test_a_symlink_entry_is_refused(tmp_path):
    data = build(
        [Entry("fine.py", b"x = 1\n"), Entry("link.py", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)]
    )
    assert "symbolic link" in refused(data, tmp_path)


def test_a_device_entry_is_refused(tmp_path):
    data = build([Entry("dev", b"", mode=stat.S_IFCHR | 0o644)])
    assert "device" in refused(data, tmp_path)


def test_a_one_gigabyte_bomb_is_refused_before_unpacking(tmp_path):
    body, crc = zeros_deflated(100)  # 100 MB of zeros in ~100 KB
    entries = [Entry(f"part{i}.txt", deflated=body, crc=crc, size=100 << 20) for i in range(10)]
    data = build(entries)
    assert len(data) < 2_000_000  # 1 GB when unpacked
    assert "unpacks to" in refused(data, tmp_path)


def test_a_bomb_of_many_small_high_ratio_files_is_refused(tmp_path):
    body, crc = zeros_deflated(4)  # each under the per-file cap, ~1000:1
    entries = [Entry(f"part{i}.txt", deflated=body, crc=crc, size=4 << 20) for i in range(250)]
    reason = refused(build(entries), tmp_path)
    assert "times its size" in reason


def test_a_bomb_that_lies_about_its_size_is_stopped_while_reading(tmp_path):
    body, crc = zeros_deflated(50)
    data = build([Entry("small.txt", deflated=body, crc=crc, size=1000)])
    assert "lies about its size" in refused(data, tmp_path)


def test_a_total_over_the_cap_is_refused(tmp_path):
    entries = [Entry(f"f{i}.txt", b"a" * 1000) for i in range(20)]
    assert "unpacks to 20,000 bytes" in refused(build(entries), tmp_path, total_bytes=10_000)


def test_one_hundred_thousand_entries_are_refused(tmp_path):
    empty = Entry("x", deflated=b"\x03\x00", crc=0, size=0)
    entries = [Entry(f"f{i}.txt", deflated=empty.deflated, crc=0, size=0) for i in range(100_000)]
    reason = refused(build(entries), tmp_path)
    assert "100,000 entries" in reason


def test_too_many_files_are_refused(tmp_path):
    entries = [Entry(f"f{i}.txt", b"x") for i in range(30)]
    assert "30 files" in refused(build(entries), tmp_path, files=20)


def test_not_a_zip_is_refused_with_a_reason(tmp_path):
    assert "not a zip" in refused(b"PK\x03\x04 nonsense", tmp_path)


def test_a_case_clash_is_refused(tmp_path):
    data = build([Entry("App.py", b"a\n"), Entry("app.py", b"b\n")])
    assert "case" in refused(data, tmp_path)


# ------------------------------------------------------------------------------------ folder
def test_a_folder_is_read_without_following_links(tmp_path):
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "main.py").write_text("import pkg\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "data.bin").write_bytes(b"\0\1\2")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "i.js").write_text("1")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    os.symlink(secret, root / "link.txt")
    os.symlink(tmp_path, root / "outside")
    os.mkfifo(root / "pipe")
    got = import_folder(root)
    assert got.texts == {"main.py": "import pkg\n", "pkg/__init__.py": ""}
    assert got.binary == {"data.bin": b"\0\1\2"}
    assert "do not read" not in repr(got)
    reasons = {r.path.split(" ")[0]: r.reason for r in got.skipped}
    assert "symbolic link" in reasons["link.txt"] and "symbolic link" in reasons["outside"]
    assert "not a regular file" in reasons["pipe"]
    assert "node_modules/" in reasons


def test_a_folder_over_the_file_cap_is_refused(tmp_path):
    for i in range(12):
        (tmp_path / f"f{i}.txt").write_text("x")
    with pytest.raises(ImportRefused, match="more than 10 files"):
        import_folder(tmp_path, Limits(files=10))
