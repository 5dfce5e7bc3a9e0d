"""What a description's own words rule out of a file list: exactly the files it names when it
says how many, no other code files of a kind it names, no page when it speaks of none."""

from __future__ import annotations

import re

from ..paths import Rejected
from ..records import FileSpec

PATH_TOKEN = re.compile(
    r"`([^`\n]+)`|((?:[\w.\-]+/)*[\w.\-]*\.[A-Za-z0-9]{1,10}\b|\b(?:Makefile|Dockerfile|Procfile|LICENSE)\b)"
)


_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_N_FILES = re.compile(
    r"\b(?:in|of|as)\s+(?:exactly\s+|just\s+|only\s+)?(one|two|three|four|five|"
    r"six|seven|eight|nine|ten|\d{1,2})\s+files?\b",
    re.I,
)
_PAGE_FILES = (".html", ".htm", ".css")
_WEB_FILES = (*_PAGE_FILES, ".js", ".mjs")
# Words by which a description asks for something a browser shows.
_WEB_WORDS = re.compile(
    r"\b(?:html?|page|pages|web|webpages?|webapps?|website|site|browser|css|javascript|js|dom|"
    r"extension|popup|front-?end|ui|button|click|form|canvas|app)\b",
    re.I,
)


_CODE_KINDS = {
    "Python": (".py",),
    "JavaScript": (".js", ".mjs", ".cjs", ".ts"),
    "HTML": (".html", ".htm"),
}
# Words by which a description says it has files or parts it does not name.
_MORE_FILES = re.compile(
    r"\b(?:modules|files|packages?|helpers?|utilit(?:y|ies)|utils|libraries|"
    r"components|templates?|tests)\b(?!-)",
    re.I,
)
# Words about what the code may import, not about its files: "no third-party packages", "without
# external libraries", "standard-library modules only".
_DEPENDENCIES = re.compile(
    r"\b(?:no|without|any|avoid|nor)\s+(?:[\w-]+\s+){0,2}?(?:packages?|"
    r"librar(?:y|ies)|dependencies|modules)\b|\b(?:third[- ]party|external|"
    r"standard[- ]library|stdlib|built-?in|pip|npm)\s+(?:packages?|"
    r"librar(?:y|ies)|modules)\b",
    re.I,
)
# A Node program: its JavaScript is no page's ("Node.js", `node app.js`).
_NODE = re.compile(r"\bnode(?:\.?js)?\b", re.I)


def spec_file_limits(spec: str, files: list[FileSpec]) -> tuple[list[FileSpec], list[Rejected]]:
    """Files the description rules out, taken off the list with the reason (issue: the smallest
    project that does the job; a small model added a web page to a two-file command-line tool,
    and running it then failed on the page). Three rules, from the description's own words:
    it names its files and says how many ("in two files"): exactly those; it names its code
    files of a kind (`roman.py`) and speaks of no others ("modules", "helpers"): no other files
    of that kind (the built-in model added `convert.py` and `is_valid.py`, each a copy of a
    function the named file also wrote); it never mentions a page, a browser or the web: no
    HTML or CSS, and no JavaScript unless it is a Node program."""
    named = []
    for m in re.finditer(r"`([^`\s]+)`", spec):
        path = m.group(1).lstrip("./")
        if PATH_TOKEN.fullmatch(path) and "." in path.rsplit("/", 1)[-1] and path not in named:
            named.append(path)
    counts = {int(c) if c.isdigit() else _NUMBERS[c.lower()] for c in _N_FILES.findall(spec)}
    keep, rejected = list(files), []
    listed = {f.path for f in files}
    if len(counts) == 1 and named and counts == {len(named)} and set(named) <= listed:
        rejected += [
            Rejected(
                f.path,
                f"the description asks for exactly these {len(named)} files: {', '.join(named)}",
            )
            for f in keep
            if f.path not in named
        ]
        keep = [f for f in keep if f.path in named]
    if not _MORE_FILES.search(_DEPENDENCIES.sub(" ", spec)):
        # A file the description runs (`python convert.py 100`) is named too.
        run = [w.lstrip("./") for m in re.finditer(r"`([^`]+)`", spec) for w in m.group(1).split()]
        everything = named + [w for w in run if PATH_TOKEN.fullmatch(w) and w not in named]
        for kind, endings in _CODE_KINDS.items():
            own = [p for p in everything if p.lower().endswith(endings)]
            extra = [f for f in keep if f.path.lower().endswith(endings) and f.path not in own]
            if own and extra and set(own) <= listed:
                said = f"the description names its {kind} files ({', '.join(own)}), no others"
                rejected += [Rejected(f.path, said) for f in extra]
                keep = [f for f in keep if f not in extra]
    if not _WEB_WORDS.search(_NODE.sub(" ", re.sub(r"`[^`]*`", " ", spec))):
        endings = _PAGE_FILES if _NODE.search(spec) else _WEB_FILES
        web = [f for f in keep if f.path.lower().endswith(endings)]
        if web and len(web) < len(keep):
            rejected += [Rejected(f.path, "the description asks for no web page") for f in web]
            keep = [f for f in keep if f not in web]
    return keep, rejected
