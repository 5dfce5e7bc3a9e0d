"""Take a file's content out of a model reply that wraps it in prose and code fences.

Fences follow CommonMark: a line of 3+ backticks or tildes, indented at most 3 spaces, with
an optional info string (a backtick fence's info may not contain backticks); it is closed
by a bare fence of the same character at least as long. So a code line that merely contains
backticks (``x = "```"``, ``s = `a` ``, an indented ```` ``` ```` in a docstring) is never
taken for a fence.

What `strip_code_fences` returns:

* no fence: the text as is;
* one fenced block (code target): its body, without the prose around it;
* several blocks, code target: the block whose info string names the file, else one in the
  file's language, else an unlabelled one, else the longest (the longest wins ties);
* Markdown-like target (.md .markdown .mdx .rst .txt): the text whole, because a README
  legitimately holds fences, except when the reply is one *enclosing* fence around the
  document (see `_enclosing`): a ```` ````markdown ```` fence with ``` fences inside, or a
  plain ```` ```markdown ```` fence whose body holds inner ``` fences, with at most a short
  lead-in/outro line around it;
* an opening fence that never closes (stream cut): the opening line is dropped;
* code target whose text outside the fences leaves a string open (an odd number of triple
  quotes or backticks): the fences sit inside a string literal of bare code, so the text is
  kept whole;
* in all cases CRLF becomes LF and trailing whitespace becomes exactly one final newline
  ("" if nothing is left).

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..prompts import is_document

__all__ = ["cut_other_files", "strip_code_fences"]

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6}(\s|$)|=+\s*$|\|)")
_MAX_CHATTER_LINES = 6
_TRIPLE_DOUBLE, _TRIPLE_SINGLE = '"' * 3, "'" * 3

_DOC_EXTS = frozenset({".md", ".markdown", ".mdx", ".rst", ".txt"})
# Info strings that mean "this block is a document", for Markdown-like targets.
_DOC_LANGS = frozenset(
    {
        "markdown",
        "md",
        "mdx",
        "gfm",
        "commonmark",
        "rst",
        "rest",
        "restructuredtext",
        "text",
        "txt",
        "plain",
        "plaintext",
        "requirements",
        "pip",
        "pip-requirements",
    }
)
_LANGS: dict[str, frozenset[str]] = {
    ext: frozenset(names)
    for names, exts in [
        ({"python", "py", "python3", "py3", "pyi"}, (".py", ".pyi", ".pyw")),
        ({"javascript", "js", "node", "mjs", "cjs"}, (".js", ".mjs", ".cjs")),
        ({"jsx", "javascript", "js", "react"}, (".jsx",)),
        ({"typescript", "ts"}, (".ts", ".mts", ".cts")),
        ({"tsx", "typescript", "ts", "react"}, (".tsx",)),
        ({"html", "htm", "xhtml"}, (".html", ".htm")),
        ({"css"}, (".css",)),
        ({"scss", "sass"}, (".scss", ".sass")),
        ({"less"}, (".less",)),
        ({"json", "jsonc", "json5"}, (".json", ".jsonc", ".json5")),
        ({"yaml", "yml"}, (".yaml", ".yml")),
        ({"toml"}, (".toml",)),
        ({"ini", "cfg", "conf"}, (".ini", ".cfg", ".conf")),
        ({"bash", "sh", "shell", "zsh", "console"}, (".sh", ".bash", ".zsh")),
        ({"powershell", "ps1", "pwsh"}, (".ps1",)),
        ({"bat", "batch", "cmd"}, (".bat", ".cmd")),
        ({"c", "h"}, (".c", ".h")),
        ({"cpp", "c++", "cxx", "cc", "hpp"}, (".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx")),
        ({"csharp", "cs", "c#"}, (".cs",)),
        ({"java"}, (".java",)),
        ({"kotlin", "kt"}, (".kt", ".kts")),
        ({"go", "golang"}, (".go",)),
        ({"rust", "rs"}, (".rs",)),
        ({"ruby", "rb"}, (".rb",)),
        ({"php"}, (".php",)),
        ({"swift"}, (".swift",)),
        ({"sql", "sqlite", "postgresql", "mysql"}, (".sql",)),
        ({"lua"}, (".lua",)),
        ({"r"}, (".r",)),
        ({"dart"}, (".dart",)),
        ({"vue"}, (".vue",)),
        ({"svelte"}, (".svelte",)),
        ({"xml", "svg"}, (".xml", ".svg")),
        ({"dotenv", "env", "bash", "sh"}, (".env",)),
        ({"graphql", "gql"}, (".graphql", ".gql")),
    ]
    for ext in exts
}
_NAMED_LANGS = {
    "dockerfile": frozenset({"dockerfile", "docker"}),
    "makefile": frozenset({"makefile", "make", "mk"}),
    "cmakelists.txt": frozenset({"cmake"}),
    "procfile": frozenset({"procfile", "text"}),
    ".gitignore": frozenset({"gitignore", "text"}),
}


@dataclass
class _Block:
    start: int  # index of the opening fence line
    end: int | None  # index of the closing fence line; None if never closed
    char: str
    length: int
    indent: int
    info: str
    body: list[str] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return _info_lang(self.info)


@dataclass(frozen=True)
class _Target:
    path: str
    is_doc: bool
    langs: frozenset[str]


def strip_code_fences(text: str, path: str) -> str:
    """The content meant for `path` out of a model reply (see the module doc for the rules)."""
    target = _target(path)
    # One newline convention; a CRLF reply would otherwise end up with mixed line endings.
    result = _strip_once(text.replace("\r\n", "\n"), target)
    # A doubly wrapped reply (```python / ```python / code / ``` / ```) unwraps again, but
    # only while the whole result is one fenced block: real code never looks like that.
    for _ in range(3):
        if not _is_single_wrapped(result):
            break
        again = _strip_once(result, target)
        if again == result:
            break
        result = again
    if target.path.lower().endswith((".html", ".htm")):
        result = _html_only(result)
    return result


_HTML_END = re.compile(r"</html\s*>", re.I)


def _html_only(text: str) -> str:
    """A page ends at `</html>`: what a small model says after it, unfenced ("This file is the
    same as the previous one, but…", seen at 1,000 tokens), is not part of it."""
    ends = list(_HTML_END.finditer(text))
    if not ends or not text[ends[-1].end() :].strip():
        return text
    return _finish(text[: ends[-1].end()])


def _strip_once(text: str, target: _Target) -> str:
    lines = text.split("\n")
    blocks = _parse(lines)
    if not blocks:
        return _finish(text)
    if target.is_doc:
        return _strip_doc(lines, blocks, target)
    last_end = blocks[-1].end
    after = lines[last_end + 1 :] if last_end is not None else []
    if _opens_string(lines[: blocks[0].start]) or _opens_string(after):
        # Bare code whose string literal holds a fenced example (a prompt template):
        # the "fences" are content, so nothing is stripped.
        return _finish(text)
    if len(blocks) == 1:
        return _finish_lines(blocks[0].body)
    body = _enclosing(lines, target)
    if body is not None:
        return _finish_lines(body)
    return _finish_lines(_best_block(blocks, target).body)


def _strip_doc(lines: list[str], blocks: list[_Block], target: _Target) -> str:
    """Markdown-like target: keep the text whole unless one fence clearly wraps the document."""
    body = _enclosing(lines, target)
    if body is not None:
        return _finish_lines(body)
    # Stream cut inside a wrapping fence: the opener is the first fence (after at most a
    # lead-in), labelled as a document or not at all, and everything after it reads as
    # nested blocks (each opener labelled), not as the wrapper closing and prose following.
    first = blocks[0]
    before = lines[: first.start]
    if _is_chatter(before) and (first.lang in _DOC_LANGS or not first.info.strip()):
        rest = lines[first.start + 1 :]
        inner = _parse(rest)
        if all(b.info.strip() for b in inner) and (first.end is None or inner):
            return _finish_lines(_dedent(rest, first.indent))
    return _finish("\n".join(lines))


def _enclosing(lines: list[str], target: _Target) -> list[str] | None:
    """The body of one fence that wraps the whole reply, inner fences included, or None.

    The first fence line opens it and the last fence line closes it (only a short lead-in or
    outro may sit outside). The lines between must pair up as complete inner blocks. To tell
    "```md / # T / ```bash / x / ``` / ```" (nested) from "```py / a / ``` / ``` / b / ```"
    (two blocks in a row), every inner opener must carry an info string: in the nested
    shape inner blocks are labelled, while in the sequential shape the first fence after the
    opener is a bare closer. A document label (```markdown) on a Markdown-like target is
    evidence enough, so there unlabelled inner blocks are allowed too.
    """
    fence_lines = [i for i, line in enumerate(lines) if _fence(line)]
    if len(fence_lines) < 2:
        return None
    first, last = fence_lines[0], fence_lines[-1]
    opener, closer = _fence(lines[first]), _fence(lines[last])
    if not (
        opener
        and closer
        and closer.group("fence")[0] == opener.group("fence")[0]
        and len(closer.group("fence")) >= len(opener.group("fence"))
        and not closer.group("info").strip()
    ):
        return None
    if not (_is_chatter(lines[:first]) and _is_chatter(lines[last + 1 :])):
        return None
    inner = lines[first + 1 : last]
    blocks = _parse(inner)
    if any(b.end is None for b in blocks):
        return None
    info = opener.group("info")
    lang = _info_lang(info)
    if target.is_doc and lang in _DOC_LANGS:
        pass
    elif not info.strip() or lang in target.langs or _names_path(info, target.path):
        if not all(b.info.strip() for b in blocks):
            return None
    else:
        return None  # e.g. a README that is one ```bash block: not a wrapper
    return _dedent(inner, len(opener.group("indent")))


def _best_block(blocks: list[_Block], target: _Target) -> _Block:
    """Several blocks for a code file: the one that names the file, is in its language,
    is at least unlabelled, and then the longest."""

    def score(b: _Block) -> tuple[bool, bool, bool, int]:
        lang = b.lang
        return (
            _names_path(b.info, target.path),
            lang in target.langs,
            not lang,
            sum(len(line) + 1 for line in b.body),
        )

    return max(blocks, key=score)  # max keeps the first of equals


def _parse(lines: list[str]) -> list[_Block]:
    """Top-level fenced blocks, CommonMark style; a block left open runs to the end."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for i, line in enumerate(lines):
        m = _fence(line)
        if current is None:
            if m:
                fence = m.group("fence")
                current = _Block(
                    i, None, fence[0], len(fence), len(m.group("indent")), m.group("info")
                )
                blocks.append(current)
            continue
        if (
            m
            and m.group("fence")[0] == current.char
            and len(m.group("fence")) >= current.length
            and not m.group("info").strip()
        ):
            current.end = i
            current = None
            continue
        current.body.append(_dedent_line(line, current.indent))
    return blocks


def _fence(line: str) -> re.Match[str] | None:
    m = _FENCE.match(line.rstrip("\r"))
    if m and m.group("fence")[0] == "`" and "`" in m.group("info"):
        return None  # "``` `x` ```" is inline code, not a fence
    return m


def _info_lang(info: str) -> str:
    """The language word of an info string: "python", "js title=x", "{.py}", "py:app.py"."""
    words = info.split()
    if not words:
        return ""
    word = words[0].strip("{}").lstrip(".")
    return re.split(r"[:,;]", word, maxsplit=1)[0].lower()


def _names_path(info: str, path: str) -> bool:
    """Does the info string mention the target file ("```python title=\"src/app.py\"")?"""
    if not info.strip() or not path:
        return False
    tokens = [t for t in re.split(r"[\s\"'=:,{}()\[\]]+", info) if t]
    name = PurePosixPath(path).name
    return any(t in (path, name) or t.endswith("/" + name) for t in tokens)


def _is_chatter(lines: list[str]) -> bool:
    """A short lead-in or outro ("Here is the README:"), not part of a document."""
    text = [line for line in lines if line.strip()]
    if len(text) > _MAX_CHATTER_LINES:
        return False
    return not any(_HEADING.match(line) or _fence(line) for line in text)


def _opens_string(lines: list[str]) -> bool:
    """Does this text leave a string literal open (odd count of triple quotes or backticks)?

    Prose around a fence ("Here is `app.py`:") has balanced backticks and no triple quotes.
    """
    text = "\n".join(lines)
    return any(text.count(q) % 2 for q in (_TRIPLE_DOUBLE, _TRIPLE_SINGLE, "`"))


def _target(path: str) -> _Target:
    p = PurePosixPath(str(path).replace("\\", "/"))
    name = p.name.lower()
    if name in _NAMED_LANGS:
        return _Target(str(path), False, _NAMED_LANGS[name])
    ext = p.suffix.lower()
    if ext in _DOC_EXTS:
        return _Target(str(path), True, frozenset(_DOC_LANGS))
    return _Target(str(path), False, _LANGS.get(ext, frozenset()))


def _is_single_wrapped(text: str) -> bool:
    """Is `text` nothing but one fenced block (opener first line, closer last line)?"""
    lines = text.rstrip().split("\n")
    blocks = _parse(lines)
    return len(blocks) == 1 and blocks[0].start == 0 and blocks[0].end == len(lines) - 1


def _dedent_line(line: str, indent: int) -> str:
    # CommonMark: a fence indented N spaces removes up to N spaces from each body line.
    if indent:
        stripped = line.lstrip(" ")
        return line[min(indent, len(line) - len(stripped)) :]
    return line


def _dedent(lines: list[str], indent: int) -> list[str]:
    return [_dedent_line(line, indent) for line in lines]


def _finish_lines(lines: list[str]) -> str:
    return _finish("\n".join(lines))


def _finish(text: str) -> str:
    text = text.rstrip()
    return text + "\n" if text else ""


# A line that is only a comment (or "File:") naming a path.
_HEADER = re.compile(
    r"^\s*(?:(?:#+|//|/\*+|<!--|--)\s*(?:file(?:name)?:\s*)?|file(?:name)?:\s*)"
    r"`?([\w./-]+)`?\s*(?:\*+/|-->)?\s*:?\s*$",
    re.I,
)


def cut_other_files(text: str, path: str, paths: Iterable[str]) -> str:
    """`text` up to where it goes on with another file of the project under a header line of
    its own (`// index.html`, `# notes.py`, `<!-- app.js -->`): a small model asked for one
    file sometimes writes the next ones after it. The file's own header is kept."""
    if is_document(path):
        return text
    lines = text.splitlines(keepends=True)
    headers = [(i, m.group(1)) for i, ln in enumerate(lines) if (m := _HEADER.match(ln))]
    start = 0
    # Another file first (one not even in the list), then this one under its own header:
    # this file starts at its header.
    own = [i for i, name in headers if name == path and i > 0]
    if own and headers[0][0] == 0 and headers[0][1] != path:
        start = own[0]
    others = {p for p in paths if p != path}
    for i, name in headers:
        if i > start and name in others and any(x.strip() for x in lines[i + 1 :]):
            return "".join(lines[start:i]).rstrip() + "\n"
    return "".join(lines[start:])
