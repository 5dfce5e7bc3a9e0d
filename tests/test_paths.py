"""smol_core.paths: hostile paths are refused with a readable reason; ordinary ones come out clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smol_core.paths import (
    PathCheck,
    Rejected,
    UnsafePath,
    check_paths,
    normalize_path,
    safe_repr,
)

# (raw path, a word the reason must contain)
HOSTILE = [
    # traversal, every spelling
    ("../x.py", "outside"),
    ("..\\x.py", "outside"),
    ("..", "outside"),
    ("../", "outside"),
    ("./../x", "outside"),
    ("a/../../x.py", "outside"),
    ("a\\..\\..\\x.py", "outside"),
    ("src/../../etc/passwd", "outside"),
    ("a/b/../../../c", "outside"),
    ("`../x.py`", "outside"),  # quotes are stripped first, then judged
    ("....//x.py", "only of dots"),  # naive filters that delete "../" leave "../" behind
    (".../x", "only of dots"),
    ("a/....", "only of dots"),
    # absolute
    ("/etc/passwd", "absolute"),
    ("/", "absolute"),
    ("\\Windows\\win.ini", "absolute"),
    ("/./a.py", "absolute"),
    # drive letters
    ("C:foo", "drive"),
    ("C:\\x", "drive"),
    ("c:/x", "drive"),
    ("D:", "drive"),
    ("z:..\\x", "drive"),
    # UNC and device paths
    ("//server/share/x", "network"),
    ("\\\\server\\share", "network"),
    ("\\\\?\\C:\\x", "network"),
    ("\\\\.\\pipe\\x", "network"),
    ("\\/mixed", "network"),
    # control characters
    ("a\x00b.py", "control"),
    ("a\tb.py", "control"),
    ("a\nb.py", "control"),
    ("a\rb.py", "control"),
    ("a\x1bb.py", "control"),
    ("a\x7fb.py", "control"),
    ("a\x85b.py", "control"),
    ("a\x9bb.py", "control"),
    # bidi / zero-width / invisible
    ("a\u202eyp.exe", "formatting"),
    ("a\u200bb.py", "formatting"),
    ("\ufeffa.py", "formatting"),
    ("a\u2066b.py", "formatting"),
    ("a\u00adb.py", "formatting"),
    ("a\u3164b.py", "formatting"),
    # odd spaces and line breaks
    ("a\u00a0b.py", "space"),
    ("a\u2028b.py", "line break"),
    ("a\u3000b.py", "space"),
    # not text
    ("a\ud800b.py", "not ordinary text"),
    ("a\ue000b.py", "not ordinary text"),
    # look-alikes of "." "/" "\"
    ("\u2024\u2024/x.py", "looks like"),
    ("\uff0e\uff0e/x.py", "looks like"),
    ("\u2025/x.py", "looks like"),
    ("a\u2215b.py", "looks like"),
    ("a\u2044b.py", "looks like"),
    ("a\uff0fb.py", "looks like"),
    ("a\uff3cb.py", "looks like"),
    ("a\u29f8b.py", "looks like"),
    ("a\u2216b.py", "looks like"),
    ("a\ufe52py", "looks like"),
    ("a\u0589py", "looks like"),
    ("a\ufe68b", "looks like"),
    ("a\u2488", "looks like"),  # NFKC: "1."
    ("a\u0338b.py", "looks like"),  # combining long solidus overlay
    # Windows-reserved names, any case, with extensions, any component
    ("CON", "reserved"),
    ("con.py", "reserved"),
    ("src/aux.js", "reserved"),
    ("Nul.tar.gz", "reserved"),
    ("PRN.txt", "reserved"),
    ("com1", "reserved"),
    ("COM0.log", "reserved"),
    ("lpt9.txt", "reserved"),
    ("CONIN$", "reserved"),
    ("conout$.txt", "reserved"),
    ("COM\u00b9.py", "reserved"),  # superscript one: Windows treats it as COM1
    ("lpt1/readme.md", "reserved"),
    # Windows aliasing: trailing dot or space
    ("a.py.", "dot or space"),
    ("dir /a.py", "dot or space"),
    ("dir./a.py", "dot or space"),
    # characters Windows refuses
    ("a<b.py", "windows does not allow"),
    ("a>b.py", "windows does not allow"),
    ("a|b.py", "windows does not allow"),
    ("a?b.py", "windows does not allow"),
    ("a*b.py", "windows does not allow"),
    ('a"b.py', "windows does not allow"),
    ("a.py:stream", "windows does not allow"),  # NTFS alternate data stream
    # huge
    ("a" * 256, "255"),
    ("\u00e9" * 128 + ".py", "255"),  # 128 chars, 256 UTF-8 bytes
    ("a/" * 600 + "b", "1024"),
    ("x" * 5000, "1024"),
    # folders, not files
    ("src/", "folder"),
    ("src\\", "folder"),
    ("src/.", "folder"),
    ("src/x/..", "folder"),
    # nothing there
    ("", "empty"),
    ("   ", "empty"),
    ("``", "empty"),
    ("'  '", "empty"),
    (".", "no file name"),
    ("./", "no file name"),
    ("a/..", "no file name"),
    # .git (hooks there would run code), incl. the Windows 8.3 alias
    (".git/hooks/pre-commit", ".git"),
    (".GIT/config", ".git"),
    ("sub/.git/hooks/post-checkout", ".git"),
    ("git~1/hooks/x", ".git"),
    (".git", ".git"),
    # a fixed point only: stripping again would name another file
    ("./ a.py", "space or a quote"),
    ("./'a.py'", "space or a quote"),
]


def test_the_table_is_big_enough() -> None:
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize(("raw", "cause"), HOSTILE, ids=[safe_repr(r, 40) for r, _ in HOSTILE])
def test_hostile_path_is_rejected_with_the_right_reason(raw: str, cause: str) -> None:
    with pytest.raises(UnsafePath) as info:
        normalize_path(raw)
    assert cause in info.value.reason.lower()
    assert info.value.path == raw
    # The message shows the path escaped: no raw control or bidi characters leak out.
    assert str(info.value).isprintable()
    assert len(str(info.value)) < 400


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("src/app.py", "src/app.py"),
        ("`src/app.py`", "src/app.py"),
        ("``src/app.py``", "src/app.py"),
        ('"src/app.py"', "src/app.py"),
        ("'src/app.py'", "src/app.py"),
        ("  src/app.py \n", "src/app.py"),
        ("a\\b.py", "a/b.py"),
        ("./a//b/./c.py", "a/b/c.py"),
        ("a/../b.py", "b.py"),
        ("a/b/../../c.py", "c.py"),
        ("docs/café.md", "docs/café.md"),
        ("docs/cafe\u0301.md", "docs/café.md"),  # NFD → NFC: one spelling per name
        ("数据.py", "数据.py"),
        ("ファイル/説明.md", "ファイル/説明.md"),
        ("ملف.py", "ملف.py"),
        (".env", ".env"),
        (".gitignore", ".gitignore"),
        (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
        ("a..b.py", "a..b.py"),
        ("..hidden", "..hidden"),
        ("console.py", "console.py"),
        ("con_fig.py", "con_fig.py"),
        ("COM10.py", "COM10.py"),
        ("my file.txt", "my file.txt"),
        ("Makefile", "Makefile"),
        ("a/b/c/d/e/f.py", "a/b/c/d/e/f.py"),
        ("'quoted", "'quoted"),  # an unmatched quote is just a character
        ("a" * 255, "a" * 255),
    ],
)
def test_ordinary_paths_come_out_clean(raw: str, expected: str) -> None:
    assert normalize_path(raw) == expected


def test_percent_encoding_stays_literal() -> None:
    # "%2e%2e" is not decoded: it is a file literally named "%2e%2e", which is harmless.
    assert normalize_path("%2e%2e/x.py") == "%2e%2e/x.py"
    assert normalize_path("%2e%2e") == "%2e%2e"
    assert normalize_path("%2F..%2Fetc") == "%2F..%2Fetc"


def test_tilde_is_a_literal_folder_name() -> None:
    # No home-directory expansion: "~" is just a folder inside the project.
    assert normalize_path("~/x.py") == "~/x.py"


def test_non_text_is_rejected() -> None:
    with pytest.raises(UnsafePath):
        normalize_path(b"a.py")  # type: ignore[arg-type]


def test_unsafe_path_is_a_value_error_with_readable_message() -> None:
    with pytest.raises(ValueError, match=r"'\.\./x' goes outside the project folder \('\.\.'\)"):
        normalize_path("../x")


def test_safe_repr_escapes_and_bounds() -> None:
    assert safe_repr("a\u202eb") == "'a\\u202eb'"
    assert len(safe_repr("x" * 1000)) <= 80


# --- check_paths -------------------------------------------------------------------------


def _reasons(check: PathCheck) -> dict[str, str]:
    return {r.path: r.reason for r in check.rejected}


def test_check_paths_keeps_order_and_explains_every_rejection() -> None:
    check = check_paths(["b.py", "../x", "a.py", "/abs", "c/d.py"])
    assert check.accepted == ["b.py", "a.py", "c/d.py"]
    assert [r.path for r in check.rejected] == ["../x", "/abs"]
    assert all(r.reason for r in check.rejected)


@pytest.mark.parametrize(
    ("paths", "accepted", "rejected", "cause"),
    [
        (["A.py", "a.py"], ["A.py"], "a.py", "differ only in case"),
        (["src/App.py", "SRC/app.PY"], ["src/App.py"], "SRC/app.PY", "differ only in case"),
        (["a.py", "./a.py"], ["a.py"], "./a.py", "listed twice"),
        (["a.py", "a.py"], ["a.py"], "a.py", "listed twice"),
        (["a/b.py", "a\\b.py"], ["a/b.py"], "a\\b.py", "listed twice"),
        (["straße.py", "STRASSE.py"], ["straße.py"], "STRASSE.py", "differ only in case"),
        (["a", "a/b.py"], ["a"], "a/b.py", "already a file"),
        (["a/b.py", "a"], ["a/b.py"], "a", "already a folder"),
        (["x/y/z.py", "x/y"], ["x/y/z.py"], "x/y", "already a folder"),
        (["README", "readme/x.md"], ["README"], "readme/x.md", "already a file"),
        (["Src/a.py", "src/b.py"], ["Src/a.py"], "src/b.py", "differ only in case"),
    ],
)
def test_check_paths_folds_duplicates_and_file_folder_clashes(
    paths: list[str], accepted: list[str], rejected: str, cause: str
) -> None:
    check = check_paths(paths)
    assert check.accepted == accepted
    assert [r.path for r in check.rejected] == [rejected]
    assert cause in check.rejected[0].reason


def test_case_duplicate_reason_names_the_first_file() -> None:
    check = check_paths(["A.py", "a.py"])
    assert check.rejected == [Rejected("a.py", "same file as 'A.py' (names differ only in case)")]


def test_check_paths_accepts_a_generator_and_is_frozen() -> None:
    check = check_paths(p for p in ["x.py", "y.py"])
    assert check.accepted == ["x.py", "y.py"]
    with pytest.raises(AttributeError):
        check.accepted = []  # type: ignore[misc]


# --- properties --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "a",
        "B",
        "..",
        ".",
        "",
        "...",
        "con",
        ".git",
        "C:",
        "x.py",
        " ",
        "é",
        "e\u0301",
        "\u2024",
        "%2e",
        "~",
        "`",
        "'",
        "\\",
        "/",
        "\x00",
        "\u202e",
        "\uff0e",
        "aux.txt",
        "ß",
        "a ",
    ]
)
_PATHS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from("./\\:aB é`'\"\x00\u2024\uff0e"), max_size=30),
    st.lists(_PIECES, max_size=8).map("/".join),
    st.lists(_PIECES, max_size=8).map("\\".join),
    st.lists(_PIECES, max_size=8).map("".join),
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("root").resolve()


@settings(max_examples=400, deadline=None)
@given(raw=_PATHS)
def test_any_text_is_refused_or_stays_inside_the_root(root: Path, raw: str) -> None:
    try:
        path = normalize_path(raw)
    except UnsafePath as exc:
        assert exc.reason
        return
    assert path and not path.startswith("/") and "\\" not in path
    assert all(part not in ("", ".", "..") for part in path.split("/"))
    resolved = (root / path).resolve()
    assert resolved.is_relative_to(root) and resolved != root
    assert normalize_path(path) == path  # round-trips unchanged


@settings(max_examples=200, deadline=None)
@given(st.lists(_PATHS, max_size=12))
def test_check_paths_accepts_only_distinct_non_nested_files(raws: list[str]) -> None:
    check = check_paths(raws)
    assert len(check.accepted) + len(check.rejected) == len(raws)
    folded = [p.casefold() for p in check.accepted]
    assert len(set(folded)) == len(folded)
    for p in folded:
        assert not any(q.startswith(p + "/") for q in folded)
