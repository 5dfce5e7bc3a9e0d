"""The smallest project that does what the description asks, whatever its wording (issue 29
item 4, issue 33 "small pages stay small").

A small model plans big: a one-file table printer came as twelve files (`LICENSE`, `setup.py`,
`config.py`, `args.py`, `tests.py` …), a server whose command names its file got five others
and not that one, a vague counter page became ten files that died on an `import` across
scripts. Every file more is one more contract to break. So, after the model's list, from the
description's own words and never from a particular phrasing:

- a file it names (in a command, in backticks or in prose) is a file of the project under that
  name: a program file the list lacks is put in (it takes over the job of an unnamed file of
  its kind, which the rules below then take off);
- what nobody asked for goes, each with its reason: a licence, packaging, configuration,
  tests and tooling files, unless the description speaks of them;
- a description that names one program file gets that file, the files it names, and a README
  only if it asks for one;
- a page it names no files for is one HTML file with at most one script and one stylesheet
  (so no ES-module imports across files), unless it asks for modules, a server or more.

A description that names no file and is no page keeps the model's program files (less the
unasked ones above): short placeholder descriptions of many files are common, and which of a
model's helpers can go is not something the words say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from ..paths import Rejected
from ..records import FileSpec

# Files that run or are loaded: what "a program file" means here (data files a program reads or
# writes, such as `notes.json`, are the program's business, not the project's).
PROGRAM = (".py", ".js", ".mjs", ".cjs", ".ts", ".sh", ".html", ".htm")
_KNOWN = (*PROGRAM, ".css", ".json", ".md", ".txt", ".csv", ".toml", ".yaml", ".yml", ".xml")
_FILE = re.compile(
    r"(?<![\w./:@-])((?:[\w-]+/)*[\w][\w.-]*?\.(?:"
    + "|".join(e[1:] for e in sorted(_KNOWN, key=len, reverse=True))
    + r"))(?![\w-]|\.\w)",
    re.I,
)
# A name the program itself writes ("writes `report.html`", "saves the page as out.html") is
# its output, not one of its files; an imperative ("save it as tally.py") is about the project.
_OUTPUT_VERB = re.compile(
    r"\b(?:writes|saves|creates|produces|generates|exports|outputs|dumps|"
    r"emits|renders|downloads)\b[^.;:\n`]{0,40}$",
    re.I,
)
_RUNNER = re.compile(r"\b(?:python3?|node|deno|bash|sh|open)\s+$", re.I)

# What a description says when it wants more than the fewest files.
_MORE = re.compile(
    r"\b(?:modules|helpers?|utilit(?:y|ies)|utils|libraries|components|"
    r"packages?|several files|multiple files|separate files?|"
    r"(?:in|into|of|as|across) (?:two|three|four|five|six|\d+)(?:\s+[\w-]+){0,2}\s+files|tests?|"
    r"test suite|unit tests?|pytest|unittest)\b",
    re.I,
)
# Words about what the code may import, not about its files ("no third-party packages").
_DEPENDENCIES = re.compile(
    r"\b(?:no|without|any|avoid|nor|only)\s+(?:[\w-]+\s+){0,2}?(?:packages?|"
    r"librar(?:y|ies)|dependencies|modules)\b|\b(?:third[- ]party|external|"
    r"standard[- ]library|stdlib|built-?in|pip|npm)\s+(?:packages?|"
    r"librar(?:y|ies)|modules)\b",
    re.I,
)
_PAGE = re.compile(
    r"\b(?:web ?pages?|pages?|html|browser|website|site|css|dom|buttons?|click\w*|"
    r"canvas|localstorage|tabs? of the browser)\b",
    re.I,
)
# A page that is more than a page: a server behind it, an extension, a framework, modules.
_NOT_JUST_A_PAGE = re.compile(
    r"\b(?:server|backend|back-end|api|endpoints?|flask|django|"
    r"fastapi|express|node(?:\.?js)?|python|database|sql\w*|"
    r"extension|popup|manifest|chrome|firefox|react|vue|svelte|"
    r"angular|typescript|modules?|components?|pages)\b",
    re.I,
)
_README = re.compile(r"\breadme\b|\bdocumentation\b", re.I)
# "In one file": the page with its script and style inline.
_ONE_FILE = re.compile(
    r"\b(?:one|a single|single|just one|only one)\s+(?:html\s+|"
    r"self-contained\s+)?file\b|\binline\b|self-contained",
    re.I,
)
# Libraries named like files ("a node.js script", "Chart.js"): not files of the project.
_LIBRARY = re.compile(
    r"(?:node|vue|react|next|nuxt|express|chart|three|d3|angular|ember|backbone|alpine|p5|"
    r"socket|moment|deno)\.js",
    re.I,
)

_MANIFEST = re.compile(r"(?:^|/)(?:manifest|package(?:-lock)?)\.json$", re.I)

# (reason, what a description says when it asks for them, is-it-one-of-them)
_UNASKED = (
    (
        "licence",
        re.compile(r"licen[cs]e|copyright|open[- ]source", re.I),
        re.compile(r"(?:^|/)(?:LICEN[CS]E|COPYING)(?:[.-][\w.]*)?$", re.I),
    ),
    (
        "packaging",
        re.compile(r"packag|install|\bpip\b|pypi|setup|distribut|publish|wheel", re.I),
        re.compile(
            # Not a list of dependencies (requirements.txt, package.json): a framework the
            # description names needs one, and it says so in no other words.
            r"(?:^|/)(?:setup\.py|setup\.cfg|pyproject\.toml|MANIFEST\.in)$",
            re.I,
        ),
    ),
    (
        "configuration",
        re.compile(r"config|settings?\b|constants?\b|environment|\.env\b|django", re.I),
        re.compile(
            r"(?:^|/)(?:config|settings|constants|conf)\.(?:py|js|json|ya?ml|ini|toml)$|"
            r"(?:^|/)\.env[\w.]*$",
            re.I,
        ),
    ),
    (
        "test",
        re.compile(r"\btest|pytest|unittest|jest|mocha|spec file", re.I),
        re.compile(
            r"(?:^|/)(?:tests?/.*|test_[\w-]+\.py|[\w-]+_test\.py|tests?\.py|"
            r"[\w.-]+\.(?:test|spec)\.[jt]s|test\.[jt]s|conftest\.py)$",
            re.I,
        ),
    ),
    (
        "tooling",
        re.compile(
            r"\bmake\b|makefile|docker|container|\bgit\b|github|changelog|"
            r"contribut|lint|prettier|editorconfig|\bci\b|workflow|tox",
            re.I,
        ),
        re.compile(
            r"(?:^|/)(?:Makefile|Dockerfile|docker-compose\.ya?ml|\.gitignore|"
            r"\.gitattributes|CHANGELOG[\w.]*|CONTRIBUTING[\w.]*|\.editorconfig|"
            r"\.prettierrc[\w.]*|\.eslintrc[\w.]*|tox\.ini|\.github/.*)$",
            re.I,
        ),
    ),
)


def named_files(spec: str) -> list[str]:
    """The file names a description gives its project, in order: in a command (`python
    tally.py`), in backticks or in prose ("save it as tally.py"). Left out: a name the program
    writes ("writes report.html"), and a library's name in prose ("Node.js", "Chart.js")."""
    found: list[str] = []
    for m in _FILE.finditer(spec):
        name = m.group(1).removeprefix("./")
        before = spec[max(0, m.start() - 60) : m.start()]
        if _RUNNER.search(before):
            pass  # run by a command: the project's own, whatever comes before
        elif _OUTPUT_VERB.search(before):
            continue
        elif (
            name.lower().endswith(".js")
            and "/" not in name
            and (name[0].isupper() or _LIBRARY.fullmatch(name))
        ):
            continue  # Node.js, Vue.js, Chart.js: a library, not a file
        if name not in found:
            found.append(name)
    return found


def _ext(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _readme(path: str) -> bool:
    return PurePosixPath(path).stem.lower() == "readme"


def with_named(spec: str, files: Sequence[FileSpec], max_files: int) -> list[FileSpec]:
    """The list with each program file the description names and the list lacks put in: it
    takes the job of the first unnamed listed file of its kind (the model's name for it), or
    says the description named it."""
    named = [n for n in named_files(spec) if _ext(n) in PROGRAM]
    listed = {f.path for f in files} | {PurePosixPath(f.path).name for f in files}
    out = list(files)
    taken: set[str] = set()
    for name in named:
        if name in listed or len(out) >= max_files:
            continue
        stand_in = next(
            (
                f
                for f in files
                if _ext(f.path) == _ext(name) and f.path not in named and f.path not in taken
            ),
            None,
        )
        if stand_in is not None:
            taken.add(stand_in.path)
        purpose = (
            stand_in.purpose if stand_in and stand_in.purpose else "the file the description names"
        )
        out.append(FileSpec(name, purpose))
    return out


def _modules_named(spec: str, files: Sequence[FileSpec]) -> list[str]:
    """Listed code files the description names as modules: `util.greet` names util.py (an
    attribute of it, not a file extension such as index.html)."""
    exts = "|".join(e[1:] for e in _KNOWN)
    out = []
    for f in files:
        if _ext(f.path) not in (".py", ".js", ".mjs"):
            continue
        stem = re.escape(PurePosixPath(f.path).stem)
        if re.search(rf"(?<![\w./-]){stem}\.(?!(?:{exts})\b)[A-Za-z_]\w*", spec):
            out.append(f.path)
    return out


def smallest_project(
    spec: str, files: Sequence[FileSpec], *, one_page_file: bool = False
) -> tuple[list[FileSpec], list[Rejected]]:
    """The files to keep and those taken off with the reason (see the module's docstring).

    With `one_page_file` (the built-in model), a page the description names no files for is
    one HTML file with its script and style inline: written across files by the 1.5B model,
    the script looked for ids its page never had (vague counter pages, 3 runs of 5)."""
    named = named_files(spec)
    named += [p for p in _modules_named(spec, files) if p not in named]
    words = _DEPENDENCIES.sub(" ", spec)
    keep, rejected = list(files), list[Rejected]()

    def drop(paths: set[str], reason: str) -> None:
        nonlocal keep
        rejected.extend(Rejected(f.path, reason) for f in keep if f.path in paths)
        keep = [f for f in keep if f.path not in paths]

    for what, asked, pattern in _UNASKED:
        if not asked.search(words):
            drop(
                {f.path for f in keep if f.path not in named and pattern.search(f.path)},
                f"the description asks for no {what} files",
            )
    if _MORE.search(words):
        return keep, rejected  # it wants parts of its own: its files are the model's to plan
    readme = bool(_README.search(spec))
    programs = [n for n in named if _ext(n) in PROGRAM]
    unasked_readme = {f.path for f in keep if _readme(f.path) and f.path not in named}
    web = bool(_PAGE.search(_FILE.sub(" ", words)))  # "writes summary.html" asks for no page
    single = bool(_ONE_FILE.search(words))
    if len(programs) == 1 and programs[0] in {f.path for f in keep}:
        program = programs[0]
        allowed = set(named)
        # A page (or a server's page): its one script and stylesheet too.
        if _ext(program) in (".html", ".htm") or web:
            allowed |= _page_parts(keep, named, html_only=single)
        if not readme:
            drop(unasked_readme, "the description asks for no README")
        drop(
            {f.path for f in keep if f.path not in allowed and not _readme(f.path)},
            f"the description names one program file, {program}, and asks for no other",
        )
        return keep, rejected
    if programs:
        return keep, rejected  # several named: spec_file_limits keeps to them
    if (
        web
        and not _NOT_JUST_A_PAGE.search(words)
        and any(_ext(f.path) in (".html", ".htm") for f in keep)
    ):
        if not readme:
            drop(unasked_readme, "the description asks for no README")
        parts = _page_parts(keep, named, html_only=single or one_page_file)
        # Data files stay; a package's or an extension's manifest makes no page.
        code = {
            f.path for f in keep if _ext(f.path) in (*PROGRAM, ".css") or _MANIFEST.search(f.path)
        }
        drop(
            code - parts,
            "a page the description names no files for is one HTML file"
            + ("" if single or one_page_file else " with at most one script and one stylesheet"),
        )
    return keep, rejected


_SCRIPT_NAMES = ("app", "script", "main", "index", "scripts")
_STYLE_NAMES = ("style", "styles", "main", "app", "index")


def _page_parts(
    files: Sequence[FileSpec], named: Sequence[str], *, html_only: bool = False
) -> set[str]:
    """One page, one script, one stylesheet (or the page alone, for "one file"): the named
    ones first, then the usual names, then the first listed."""

    def pick(endings: tuple[str, ...], usual: tuple[str, ...]) -> list[str]:
        of_kind = [f.path for f in files if _ext(f.path) in endings]
        mine = [p for p in of_kind if p in named]
        if mine:
            return mine
        usual_ones = [p for name in usual for p in of_kind if PurePosixPath(p).stem.lower() == name]
        return (usual_ones or of_kind)[:1]

    page = pick((".html", ".htm"), ("index",))
    if html_only:
        return {*page, *(p for p in named if p in {f.path for f in files})}
    return {*page, *pick((".js", ".mjs"), _SCRIPT_NAMES), *pick((".css",), _STYLE_NAMES)}
