"""Checker: style_shout ends with '!!!'; every other top-level statement of textstyle.py
(the other 11 style functions, STYLES, main, imports, docstring) is byte-for-byte unchanged."""
import ast
import json
import os
import subprocess
import sys
from pathlib import Path

TARGET = "style_shout"
FILE = "textstyle.py"
BEFORE = {
    'textstyle.py': '"""Restyle a piece of text.\n\nusage: python textstyle.py STYLE TEXT...\n       python textstyle.py --list\n"""\nimport sys\n\n\ndef style_upper(text):\n    return text.upper()\n\n\ndef style_lower(text):\n    return text.lower()\n\n\ndef style_title(text):\n    return text.title()\n\n\ndef style_reverse(text):\n    return text[::-1]\n\n\ndef style_shout(text):\n    return text.upper() + "!"\n\n\ndef style_whisper(text):\n    return text.lower() + "..."\n\n\ndef style_snake(text):\n    return "_".join(text.lower().split())\n\n\ndef style_kebab(text):\n    return "-".join(text.lower().split())\n\n\ndef style_camel(text):\n    words = text.split()\n    if not words:\n        return ""\n    return words[0].lower() + "".join(w.capitalize() for w in words[1:])\n\n\ndef style_spaced(text):\n    return " ".join(text.replace(" ", ""))\n\n\ndef style_quote(text):\n    return f\'"{text}"\'\n\n\ndef style_initials(text):\n    return "".join(w[0].upper() for w in text.split())\n\n\nSTYLES = {\n    "upper": style_upper,\n    "lower": style_lower,\n    "title": style_title,\n    "reverse": style_reverse,\n    "shout": style_shout,\n    "whisper": style_whisper,\n    "snake": style_snake,\n    "kebab": style_kebab,\n    "camel": style_camel,\n    "spaced": style_spaced,\n    "quote": style_quote,\n    "initials": style_initials,\n}\n\n\ndef main(argv):\n    if argv == ["--list"]:\n        print("\\n".join(STYLES))\n        return 0\n    if len(argv) < 2 or argv[0] not in STYLES:\n        print(__doc__.strip())\n        return 2\n    print(STYLES[argv[0]](" ".join(argv[1:])))\n    return 0\n\n\nif __name__ == "__main__":\n    sys.exit(main(sys.argv[1:]))\n',
}

PROBE = r'''
import json, textstyle
print(json.dumps([textstyle.style_shout("hello there"), textstyle.style_shout("Stop"),
                  textstyle.style_shout(""), textstyle.STYLES["shout"]("a b")]))
'''
WANT_PROBE = ["HELLO THERE!!!", "STOP!!!", "!!!", "A B!!!"]
CLI = [
    ("shout hello there", "HELLO THERE!!!"), ("shout Watch out", "WATCH OUT!!!"),
    ("upper Hello big World", "HELLO BIG WORLD"), ("lower Hello big World", "hello big world"),
    ("title hello big world", "Hello Big World"), ("reverse Hello big World", "dlroW gib olleH"),
    ("whisper Hello big World", "hello big world..."), ("snake Hello big World", "hello_big_world"),
    ("kebab Hello big World", "hello-big-world"), ("camel Hello big World", "helloBigWorld"),
    ("spaced Hi you", "H i y o u"), ("quote Hello big World", '"Hello big World"'),
    ("initials Hello big World", "HBW"),
]


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args[:1]))
    return p


def segments(src):
    """(key, exact source text) for each top-level statement, in order."""
    out = []
    for node in ast.parse(src).body:
        key = getattr(node, "name", None) or ast.dump(node)[:60]
        out.append((key, ast.get_source_segment(src, node)))
    return out


def main(project):
    path = project / FILE
    if not path.exists():
        fail(f"{FILE} is missing")
    src = path.read_text(encoding="utf-8")
    try:
        after = segments(src)
    except SyntaxError as e:
        fail(f"{FILE} does not parse: {e}")
    before = segments(BEFORE[FILE])
    if TARGET not in [k for k, _ in after]:
        fail(f"{TARGET} is gone from {FILE}")
    rest_before = [(k, s) for k, s in before if k != TARGET]
    rest_after = [(k, s) for k, s in after if k != TARGET]
    if [k for k, _ in rest_after] != [k for k, _ in rest_before]:
        fail(f"top-level statements other than {TARGET} were added, removed or reordered")
    for (k, s_before), (_, s_after) in zip(rest_before, rest_after):
        if s_before != s_after:
            fail(f"{k} was changed (only {TARGET} may change)")
    p = run(project, ["-c", PROBE])
    if p.returncode != 0:
        fail(f"calling {TARGET} failed: {p.stderr.strip()[-300:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    if got != WANT_PROBE:
        fail(f"{TARGET} results {got!r}, want {WANT_PROBE!r}")
    for args, want in CLI:
        p = run(project, [FILE] + args.split())
        if p.returncode != 0 or p.stdout.strip() != want:
            fail(f"`{FILE} {args}` printed {p.stdout.strip()!r} exit {p.returncode}, want {want!r}")
    print(f"PASS: {TARGET} ends with !!!; all other functions and code byte-for-byte unchanged")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
