"""Small helpers the checks of every language share: paths, line numbers, a memo per file version."""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from collections import OrderedDict
from pathlib import PurePosixPath

from ..records import Finding

NODE = shutil.which("node")


def _is_node(js: str) -> bool:
    return bool(re.search(r"\brequire\(|module\.exports|process\.argv", js))


def _line_of(content: str, pos: int) -> int:
    return content.count("\n", 0, pos) + 1


def _ext(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _local(ref: str) -> bool:
    ref = ref.strip()
    return bool(ref) and not re.match(r"^([a-z][a-z0-9+.-]*:|//|#|\{|\$)", ref, re.I)


def _resolve(base_file: str, ref: str) -> str:
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    if ref.startswith("/"):
        return posixpath.normpath(ref.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), ref))


def _missing_file(path: str, line: int | None, what: str, target: str) -> Finding:
    return Finding(
        path, line, f"{what} `{target}`, which is not in the file list", "missing-file", target
    )


_MEMO_SIZE = 512  # file versions remembered (small entries: findings, names)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _remember(cache: OrderedDict, key, make):
    try:
        cache.move_to_end(key)
        return cache[key]
    except KeyError:
        value = cache[key] = make()
        while len(cache) > _MEMO_SIZE:
            cache.popitem(last=False)
        return value


def _unused(path: str, line: int, name: str) -> Finding:
    return Finding(
        path,
        line,
        f"defines `{name}`, but nothing in the project uses it: wire it "
        "up where the description needs it, or remove it",
        "unused",
        name,
    )


def _stub(path: str, line: int, name: str) -> Finding:
    return Finding(
        path,
        line,
        f"`{name}` is empty (only a comment, `pass` or `...`): write its code",
        "stub",
        name,
    )
