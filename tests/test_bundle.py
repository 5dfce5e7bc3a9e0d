"""smol_core.bundle: deterministic zips of safe names; folders that nothing escapes."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smol_core import bundle
from smol_core.bundle import MANIFEST_NAME, WriteReport, build_zip, write_folder
from smol_core.paths import UnsafePath, normalize_path
from tests.kit import snapshot

FILES = {
    "main.py": "from util import greet\n\nprint(greet('world'))\n",
    "pkg/util.py": "def greet(n):\n    return f'hello {n}'\n",
    "docs/café.md": "# Café\r\nwindows line\n",
}


def _read(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {info.filename: zf.read(info) for info in zf.infolist()}


# --- build_zip -------------------------------------------------------------------------------


def test_zip_names_and_contents_read_back() -> None:
    entries = _read(build_zip(FILES))
    assert list(entries) == sorted(FILES)
    for name, text in FILES.items():
        assert entries[name] == text.encode("utf-8")  # "\r\n" and "\n" kept byte for byte


def test_zip_entries_are_deflated_with_fixed_time_and_mode() -> None:
    with zipfile.ZipFile(io.BytesIO(build_zip(FILES))) as zf:
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert (info.external_attr >> 16) & 0o777 == 0o644


def test_zip_is_deterministic_whatever_the_input_order() -> None:
    reordered = dict(reversed(list(FILES.items())))
    manifest = {"b": 1, "a": [1, 2]}
    one = build_zip(FILES, root_folder="app", manifest=manifest)
    assert one == build_zip(reordered, root_folder="app", manifest=dict(reversed(manifest.items())))
    assert one == build_zip(FILES, root_folder="app", manifest=manifest)


def test_zip_root_folder_and_manifest() -> None:
    manifest = {"spec": "a todo app", "model": "m", "files": ["main.py"], "é": "ü"}
    entries = _read(build_zip(FILES, root_folder="my-app", manifest=manifest))
    assert set(entries) == {f"my-app/{n}" for n in FILES} | {f"my-app/{MANIFEST_NAME}"}
    raw = entries[f"my-app/{MANIFEST_NAME}"].decode("utf-8")
    assert json.loads(raw) == manifest
    assert raw == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_zip_names_are_normalised() -> None:
    entries = _read(build_zip({"./src//a.py": "a", "src\\b.py": "b", "`c.py`": "c"}))
    assert entries == {"src/a.py": b"a", "src/b.py": b"b", "c.py": b"c"}


def test_zip_of_nothing_is_a_valid_empty_zip() -> None:
    assert _read(build_zip({})) == {}


def test_zip_accepts_bytes_content() -> None:
    assert _read(build_zip({"logo.bin": b"\x00\xff"})) == {"logo.bin": b"\x00\xff"}


@pytest.mark.parametrize(
    ("files", "cause"),
    [
        ({"../evil.py": "x"}, "outside"),
        ({"/etc/passwd": "x"}, "absolute"),
        ({"C:\\x.py": "x"}, "drive"),
        ({".git/hooks/pre-commit": "x"}, ".git"),
        ({"a\x00.py": "x"}, "control"),
        ({"con.py": "x"}, "reserved"),
        ({"A.py": "x", "a.py": "y"}, "case"),
        ({"a": "x", "a/b.py": "y"}, "already a file"),
    ],
)
def test_zip_refuses_unsafe_names(files: dict[str, str], cause: str) -> None:
    with pytest.raises(ValueError) as info:
        build_zip({"ok.py": "fine", **files})
    message = str(info.value)
    assert cause in message
    bad = [name for name in files if name not in ("A.py", "a")][0]
    assert repr(bad) in message  # the message names the path


def test_zip_refuses_an_unsafe_root_folder() -> None:
    with pytest.raises(ValueError, match="outside"):
        build_zip(FILES, root_folder="../up")


def test_zip_refuses_a_file_named_like_the_manifest() -> None:
    with pytest.raises(ValueError, match="smol-manifest.json"):
        build_zip({"SMOL-manifest.json": "{}"}, manifest={"a": 1})
    assert MANIFEST_NAME in _read(build_zip({MANIFEST_NAME: "{}"}))  # fine without a manifest


def test_zip_problem_says_what_build_zip_would_refuse() -> None:
    # The page checks names on every rerun and builds the zip only on click: the same verdict.
    assert bundle.zip_problem(FILES) is None
    bad = {"ok.py": "x", "../evil.py": "y"}
    with pytest.raises(ValueError) as info:
        build_zip(bad, manifest={})
    assert bundle.zip_problem(bad) == str(info.value)
    assert bundle.zip_problem({"SMOL-manifest.json": "{}"}) is not None
    assert bundle.zip_problem({"SMOL-manifest.json": "{}"}, manifest=False) is None


def test_the_pages_deferred_zip_holds_the_files_as_they_are_at_the_click(tmp_path: Path) -> None:
    from smol_core.project import Project
    from smol_core.settings import Settings
    from smol_core.studio.history import RunStore
    from smol_core.studio.session import Studio

    studio = Studio(RunStore(tmp_path / "h.sqlite3"), "me")
    studio.project = Project(spec="s", contents=dict(FILES))
    settings = Settings(provider="compatible", model="m", base_url="http://127.0.0.1:9/v1")
    build = studio.bundler(settings)  # what the download button is given on a rerun
    studio.project.contents["main.py"] = "print('edited')\n"  # then an edit, then the click
    assert build() == studio.bundle(settings)
    assert _read(build())["main.py"] == b"print('edited')\n"
    assert studio.zip_problem() is None


# --- write_folder ------------------------------------------------------------------------------


@pytest.fixture(params=["dir_fd", "paths"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run each folder test with openat-style writes and with the portable path fallback."""
    if request.param == "dir_fd" and not bundle._USE_DIR_FD:
        pytest.skip("no dir_fd support on this platform")
    monkeypatch.setattr(bundle, "_USE_DIR_FD", request.param == "dir_fd")
    yield request.param


def test_write_folder_writes_files_and_creates_the_root(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "new" / "project"
    report = write_folder(root, FILES)
    assert isinstance(report, WriteReport)
    assert report.root == root.resolve()
    assert report.written == list(FILES)
    assert report.rejected == []
    for name, text in FILES.items():
        assert (root / name).read_bytes() == text.encode("utf-8")
    assert not [p for p in root.rglob("*") if p.name.startswith(".smol-")]  # no temp files left


def test_write_folder_keeps_unrelated_files_and_overwrites_targets(
    tmp_path: Path, mode: str
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    (tmp_path / "main.py").write_text("old")
    report = write_folder(tmp_path, {"main.py": "new\n"})
    assert report.written == ["main.py"]
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert (tmp_path / "main.py").read_bytes() == b"new\n"


def test_write_folder_reports_unsafe_names_and_writes_the_rest(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "root"
    files = {
        "../escape.py": "x",
        "/abs.py": "x",
        "ok.py": "fine",
        "OK.py": "dup",
        ".git/hooks/post-checkout": "x",
    }
    report = write_folder(root, files)
    assert report.written == ["ok.py"]
    assert {r.path for r in report.rejected} == {
        "../escape.py",
        "/abs.py",
        "OK.py",
        ".git/hooks/post-checkout",
    }
    assert all(r.reason for r in report.rejected)
    assert snapshot(tmp_path) == {"root": "dir", "root/ok.py": b"fine"}


def test_write_folder_normalises_names(tmp_path: Path, mode: str) -> None:
    report = write_folder(tmp_path, {"a\\b.py": "x", "./c//d.py": "y"})
    assert report.written == ["a/b.py", "c/d.py"]
    assert (tmp_path / "a" / "b.py").read_text() == "x"


def test_symlinked_folder_inside_root_is_never_followed(tmp_path: Path, mode: str) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    report = write_folder(root, {"link/evil.py": "x", "link/deeper/evil.py": "x", "fine.py": "y"})
    assert report.written == ["fine.py"]
    assert [r.path for r in report.rejected] == ["link/evil.py", "link/deeper/evil.py"]
    assert all("symbolic link" in r.reason for r in report.rejected)
    assert list(outside.iterdir()) == []


def test_symlinked_file_inside_root_is_never_written_through(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me")
    (root / "config.py").symlink_to(secret)
    report = write_folder(root, {"config.py": "pwned"})
    assert report.written == []
    assert "symbolic link" in report.rejected[0].reason
    assert secret.read_text() == "keep me"
    assert (root / "config.py").is_symlink()


def test_dangling_symlink_is_refused_too(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.py").symlink_to(tmp_path / "would-be-created.py")
    report = write_folder(root, {"a.py": "x"})
    assert report.written == [] and "symbolic link" in report.rejected[0].reason
    assert not (tmp_path / "would-be-created.py").exists()


def test_hard_link_to_outside_is_replaced_not_written_through(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    os.link(outside, root / "a.py")
    report = write_folder(root, {"a.py": "new"})
    assert report.written == ["a.py"]
    assert outside.read_text() == "keep me"
    assert (root / "a.py").read_text() == "new"


def test_existing_file_where_a_folder_is_needed(tmp_path: Path, mode: str) -> None:
    (tmp_path / "src").write_text("a file")
    report = write_folder(tmp_path, {"src/a.py": "x"})
    assert report.written == []
    assert "not a folder" in report.rejected[0].reason


def test_existing_folder_where_a_file_is_needed(tmp_path: Path, mode: str) -> None:
    (tmp_path / "a.py").mkdir()
    report = write_folder(tmp_path, {"a.py": "x"})
    assert report.written == []
    assert "folder" in report.rejected[0].reason


def test_content_that_is_not_valid_text_is_refused(tmp_path: Path, mode: str) -> None:
    report = write_folder(tmp_path, {"a.py": "x\ud800", "b.py": "ok"})
    assert report.written == ["b.py"]
    assert "not valid text" in report.rejected[0].reason
    assert not (tmp_path / "a.py").exists()


def test_newlines_are_written_exactly(tmp_path: Path, mode: str) -> None:
    write_folder(tmp_path, {"a.txt": "one\ntwo\n", "b.txt": "crlf\r\nkept"})
    assert (tmp_path / "a.txt").read_bytes() == b"one\ntwo\n"
    assert (tmp_path / "b.txt").read_bytes() == b"crlf\r\nkept"


def test_symlinked_root_is_followed_once(tmp_path: Path, mode: str) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    report = write_folder(tmp_path / "alias", {"a.py": "x"})
    assert report.root == real.resolve()
    assert (real / "a.py").read_text() == "x"


def test_root_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(OSError):
        write_folder(tmp_path / "f", {"a.py": "x"})


def test_last_check_catches_a_target_resolving_outside(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    assert bundle._outside(str(root.resolve()), "link/a.py")
    assert bundle._outside(str(root.resolve()), "a/b.py") is None


# --- properties ----------------------------------------------------------------------------------

_NAME = st.one_of(
    st.sampled_from(
        ["..", ".", "", "link", "linkfile", "a", "A", "b.py", ".git", "con", "x ", "\\", "C:", "é"]
    ),
    st.text(max_size=6),
)
_PATH = st.one_of(st.lists(_NAME, min_size=1, max_size=5).map("/".join), st.text(max_size=20))
_FILE_MAPS = st.dictionaries(_PATH, st.text(max_size=20), max_size=8)


@settings(max_examples=120, deadline=None)
@given(_FILE_MAPS, st.booleans())
def test_write_folder_never_writes_outside_the_root(
    files: dict[str, str], use_dir_fd: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        parent = Path(tmp).resolve()
        root, outside = parent / "root", parent / "outside"
        root.mkdir()
        outside.mkdir()
        (outside / "sentinel.txt").write_text("untouched")
        # Planted links pointing out of the root: neither may be followed.
        (root / "link").symlink_to(outside, target_is_directory=True)
        (root / "linkfile").symlink_to(outside / "sentinel.txt")
        before = {k: v for k, v in snapshot(parent).items() if not k.startswith("root/")}

        saved = bundle._USE_DIR_FD
        bundle._USE_DIR_FD = use_dir_fd and saved
        try:
            report = write_folder(root, files)
        finally:
            bundle._USE_DIR_FD = saved

        after = {k: v for k, v in snapshot(parent).items() if not k.startswith("root/")}
        assert after == before
        assert (root / "link").is_symlink() and (root / "linkfile").is_symlink()
        for path in report.written:
            target = root / path
            assert target.is_file() and not target.is_symlink()
            assert target.resolve().is_relative_to(root)
            assert target.read_bytes() == files[next(k for k in files if _same(k, path))].encode()
        assert len(report.written) + len(report.rejected) == len(files)
        assert not [p for p in root.rglob(".smol-*")]


def _same(raw: str, path: str) -> bool:
    try:
        return normalize_path(raw) == path
    except UnsafePath:
        return False
