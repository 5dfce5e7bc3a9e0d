"""Safe relative file paths out of hostile input (model replies, users).

`normalize_path` turns one raw path into a clean relative POSIX path or raises `UnsafePath`
with a reason a non-programmer can read. `check_paths` does that for a whole list and also
folds duplicates (case-insensitively) and file/folder clashes.

The rules aim at a path that means the same single file on Linux, macOS and Windows, and
that cannot reach outside the project folder or into `.git`:

* surrounding whitespace and matching quotes/backticks are stripped (models write `` `a.py` ``);
* `\\` is a separator, `./` and repeated slashes collapse, `a/../b` becomes `b`;
* rejected: empty names, absolute paths, drive letters, UNC/device paths, a `..` that escapes,
  control/format/invisible characters, look-alikes of `.` `/` `\\`, over-long names,
  folders, Windows-reserved names, names ending in a dot or space, `<>:"|?*`, `.git`.

Pure: no I/O, no imports from the rest of the package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MAX_COMPONENT_BYTES",
    "MAX_PATH_BYTES",
    "PathCheck",
    "Rejected",
    "UnsafePath",
    "check_paths",
    "normalize_path",
    "safe_repr",
]

MAX_COMPONENT_BYTES = 255  # ext4, APFS and NTFS all cap a single name near here
MAX_PATH_BYTES = 1024

# Characters that look like ".", "/" or "\" but aren't: a name like "a\u2024\u2024/x" reads as
# "../x" to a human reviewing the file list. NFKC catches the compatibility forms (U+FF0E,
# U+FE52, U+2024, U+FF0F, U+FF3C, U+FE68...); this set adds the ones NFKC leaves alone.
_LOOKALIKES = frozenset(
    # dots
    "\u2024\u2025\u2026\ufe52\uff0e\u0589\u06d4\u0701\u0702\u3002\uff61\ua4f8\ua60e"
    "\u2e3c\u2e31\u2219\u22c5\U00010a50\U0001d16d"
    # slashes
    "\u2044\u2215\u29f8\uff0f\u2571\u27cb\u2041\u1735\u3033\u0337\u0338"
    "\U0001d23a"
    # backslashes
    "\u2216\u29f5\u29f9\ufe68\uff3c\u2572\u27cd\u20e5"
)
_SEPARATORS_AND_DOT = "./\\"

# Invisible "default ignorable" letters and marks that are not category Cf: a name holding
# one looks identical to a name without it (HFS+ even used to drop some of them).
_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0\u17b4\u17b5\u180b\u180c\u180d\u180f")

_WINDOWS_ILLEGAL = frozenset('<>:"|?*')
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
# ".git" and its 8.3 short name on Windows (CVE-2014-9390 family).
_GIT_NAMES = frozenset({".git", "git~1"})

_DRIVE = re.compile(r"^[A-Za-z]:")
_QUOTES = "\"'`"


class UnsafePath(ValueError):
    """A path that is refused. `.path` is the raw input, `.reason` a short plain sentence."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{safe_repr(path)} {reason}")


def safe_repr(path: object, limit: int = 80) -> str:
    """A quoted, escaped, bounded form of a raw path, safe to print or log.

    `repr` escapes control, bidi and other non-printable characters, so a hostile name
    can't rewrite the terminal or the page it is shown on.
    """
    text = repr(path) if isinstance(path, str) else repr(str(path))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


@dataclass(frozen=True)
class Rejected:
    """One refused path (as given) and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class PathCheck:
    """The outcome of `check_paths`: clean paths in first-seen order, and the refusals."""

    accepted: list[str]
    rejected: list[Rejected]


def normalize_path(raw: str) -> str:
    """Return `raw` as a clean relative POSIX path, or raise `UnsafePath` saying why."""
    if not isinstance(raw, str):
        raise UnsafePath(raw, "is not text")
    # NFC first so every later check (and the result) sees one spelling of "é".
    text = _strip_wrapping(unicodedata.normalize("NFC", raw))
    if not text:
        raise UnsafePath(raw, "is empty")
    if len(text) > MAX_PATH_BYTES:  # cheap guard before any per-character work
        raise UnsafePath(raw, f"is longer than {MAX_PATH_BYTES} bytes")
    _check_characters(raw, text)
    if len(text.encode("utf-8")) > MAX_PATH_BYTES:
        raise UnsafePath(raw, f"is longer than {MAX_PATH_BYTES} bytes")

    if text.startswith(("\\\\", "//", "\\/", "/\\")):
        raise UnsafePath(raw, "is a Windows network or device path (starts with '\\\\' or '//')")
    text = text.replace("\\", "/")
    if _DRIVE.match(text):
        raise UnsafePath(raw, f"starts with a Windows drive letter ('{text[:2]}')")
    if text.startswith("/"):
        raise UnsafePath(
            raw, "is an absolute path (starts with '/'); it must be relative to the project folder"
        )

    parts: list[str] = []
    pieces = text.split("/")
    for piece in pieces:
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                raise UnsafePath(raw, "goes outside the project folder ('..')")
            parts.pop()
            continue
        _check_component(raw, piece)
        parts.append(piece)

    if not parts:
        raise UnsafePath(raw, "has no file name (only dots or slashes)")
    if pieces[-1] in ("", ".", ".."):
        raise UnsafePath(raw, "is a folder, not a file (it ends with '/', '.' or '..')")

    result = "/".join(parts)
    # The result must be a fixed point, or two spellings would name one file differently
    # (e.g. "./ a.py" would become " a.py", which a second pass strips to "a.py").
    if _strip_wrapping(result) != result:
        raise UnsafePath(raw, "starts with a space or a quote mark")
    if not unicodedata.is_normalized("NFC", result):
        raise UnsafePath(raw, "contains an unusual combination of accents")
    return result


def clean_path(path: object) -> str | None:
    """`path` normalised, or None where it is no text, empty or unsafe (a path a model wrote,
    read where a bad one is dropped rather than explained)."""
    try:
        return normalize_path(str(path)) if isinstance(path, str) and path.strip() else None
    except ValueError:
        return None


def check_paths(raw_paths: Iterable[str]) -> PathCheck:
    """Normalise every path, keep first-seen order, and explain every rejection.

    Besides `normalize_path`'s rules, a path is refused when it names the same file as an
    earlier one (compared case-insensitively, as on Windows and macOS), when it uses an
    earlier file as a folder (or the other way round), or when it spells an earlier folder
    with different case (two folders on Linux, one elsewhere).
    """
    accepted: list[str] = []
    rejected: list[Rejected] = []
    files: dict[str, str] = {}  # casefolded path -> accepted spelling
    folders: dict[str, tuple[str, str]] = {}  # casefolded folder -> (spelling, a file in it)
    for raw in raw_paths:
        shown_raw = raw if isinstance(raw, str) else repr(raw)
        try:
            path = normalize_path(raw)
        except UnsafePath as exc:
            rejected.append(Rejected(shown_raw, exc.reason))
            continue
        reason = _clash(path, files, folders)
        if reason:
            rejected.append(Rejected(shown_raw, reason))
            continue
        accepted.append(path)
        files[path.casefold()] = path
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            folders.setdefault(folder.casefold(), (folder, path))
    return PathCheck(accepted=accepted, rejected=rejected)


def _clash(path: str, files: dict[str, str], folders: dict[str, tuple[str, str]]) -> str | None:
    """Why `path` can't sit next to the already accepted ones, or None."""
    key = path.casefold()
    if key in files:
        other = files[key]
        if other == path:
            return f"same file as {other!r} (listed twice)"
        return f"same file as {other!r} (names differ only in case)"
    if key in folders:
        folder, inside = folders[key]
        return f"{folder!r} is already a folder (it holds {inside!r}), so it can't also be a file"
    parts = path.split("/")
    for i in range(1, len(parts)):
        folder = "/".join(parts[:i])
        if folder.casefold() in files:
            other = files[folder.casefold()]
            return f"{other!r} is already a file, so it can't also be a folder"
        known = folders.get(folder.casefold())
        if known and known[0] != folder:
            return f"folder {folder!r} is already spelled {known[0]!r} (names differ only in case)"
    return None


def _strip_wrapping(text: str) -> str:
    """Strip whitespace and matching quotes/backticks around a path, repeatedly."""
    text = text.strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[0] == text[-1]:
        # Repeated, because Markdown code spans may use several backticks: ``a.py``.
        text = text[1:-1].strip()
    return text


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def _check_characters(raw: str, text: str) -> None:
    """Refuse characters that are invisible, not text, or look like '.', '/' or '\\'."""
    for ch in text:
        if ch.isascii() and ch.isprintable():
            continue  # fast path; ASCII rules are per component
        category = unicodedata.category(ch)
        if category == "Cc":
            raise UnsafePath(raw, f"contains an invisible control character ({_describe(ch)})")
        if category == "Cf" or ch in _INVISIBLE:
            raise UnsafePath(raw, f"contains an invisible formatting character ({_describe(ch)})")
        if category in ("Zs", "Zl", "Zp"):
            raise UnsafePath(raw, f"contains an unusual space or line break ({_describe(ch)})")
        if category in ("Cs", "Co", "Cn"):
            raise UnsafePath(
                raw, f"contains a character that is not ordinary text ({_describe(ch)})"
            )
        if ch in _LOOKALIKES or any(
            c in _SEPARATORS_AND_DOT for c in unicodedata.normalize("NFKC", ch)
        ):
            raise UnsafePath(
                raw, f"contains a character that looks like '.', '/' or '\\' ({_describe(ch)})"
            )
    # Belt and braces: NFKC of the whole text must not gain a dot or separator either.
    folded = unicodedata.normalize("NFKC", text)
    if any(folded.count(c) > text.count(c) for c in _SEPARATORS_AND_DOT):
        raise UnsafePath(raw, "contains a character that looks like '.', '/' or '\\'")


def _check_component(raw: str, name: str) -> None:
    """Refuse one path component (between slashes) that is unsafe or ambiguous."""
    if len(name.encode("utf-8")) > MAX_COMPONENT_BYTES:
        raise UnsafePath(raw, f"has a name longer than {MAX_COMPONENT_BYTES} bytes")
    if set(name) == {"."}:
        raise UnsafePath(raw, f"has a name made only of dots ({safe_repr(name)})")
    bad = sorted(set(name) & _WINDOWS_ILLEGAL)
    if bad:
        raise UnsafePath(raw, f"contains a character Windows does not allow in names ({bad[0]!r})")
    if name[-1] in ". ":
        raise UnsafePath(
            raw,
            f"has a name ending in a dot or space ({safe_repr(name)}); Windows drops those, "
            "so two different names would become the same file",
        )
    folded = unicodedata.normalize("NFKC", name).casefold()
    if folded in _GIT_NAMES:
        raise UnsafePath(raw, "is inside the hidden '.git' folder (files there can run code)")
    # "con.txt", "Com1.tar.gz", "NUL " and "COM¹" (NFKC → "com1") are all the device on Windows.
    stem = folded.split(".", 1)[0].rstrip(" ")
    if stem in _WINDOWS_RESERVED:
        raise UnsafePath(raw, f"uses the name {stem.upper()!r}, which is reserved on Windows")
