"""Checker for 08_rename_dur_secs: python check.py PROJECT_DIR"""
import ast
import os
import subprocess
import sys

OLD, NEW = "dur_secs", "duration_seconds"

ORIGINAL = {'tracks.py': '"""Track lines look like:  Artist - Title | 3:45"""\n\n\ndef dur_secs(text):\n    """\'3:45\' -> 225"""\n    minutes, seconds = text.strip().split(":")\n    return int(minutes) * 60 + int(seconds)\n\n\ndef fmt_dur(seconds):\n    """225 -> \'3:45\', 4500 -> \'1:15:00\'"""\n    m, s = divmod(seconds, 60)\n    h, m = divmod(m, 60)\n    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"\n\n\ndef parse_track(line):\n    info, length = line.rsplit("|", 1)\n    artist, title = info.split(" - ", 1)\n    return {\n        "artist": artist.strip(),\n        "title": title.strip(),\n        "seconds": dur_secs(length),\n    }\n', 'playlist.py': 'import tracks\n\n\ndef load(path):\n    with open(path, encoding="utf-8") as f:\n        return [tracks.parse_track(line) for line in f\n                if line.strip() and not line.startswith("#")]\n\n\ndef total_dur_secs(items):\n    return sum(t["seconds"] for t in items)\n\n\ndef longer_than(items, limit):\n    """Tracks longer than limit, given as \'m:ss\'."""\n    cutoff = tracks.dur_secs(limit)\n    return [t for t in items if t["seconds"] > cutoff]\n', 'main.py': '"""python main.py [PLAYLIST] [M:SS]"""\nimport sys\n\nimport playlist\nfrom tracks import dur_secs, fmt_dur\n\n\ndef main(argv):\n    path = argv[0] if argv else "mix.txt"\n    items = playlist.load(path)\n    for number, t in enumerate(items, 1):\n        print(f"{number:2}. {t[\'artist\']} - {t[\'title\']} ({fmt_dur(t[\'seconds\'])})")\n    print(f"Total: {fmt_dur(playlist.total_dur_secs(items))}")\n    if len(argv) > 1:\n        limit = dur_secs(argv[1])\n        count = len(playlist.longer_than(items, argv[1]))\n        print(f"Longer than {fmt_dur(limit)}: {count}")\n\n\nif __name__ == "__main__":\n    main(sys.argv[1:])\n'}

ORIGINAL_MIX = "# Sunday mix\nNina Simone - Feeling Good | 2:53\nTalking Heads - This Must Be the Place | 4:56\nKhruangbin - Maria También | 3:08\nFleetwood Mac - Dreams | 4:17\nBonobo - Kerala | 4:06\nPortishead - Roads | 5:05\nStevie Wonder - Sir Duke | 3:54\nThe xx - Intro | 2:07\nRadiohead - Weird Fishes | 5:18\nAir - La Femme d'Argent | 7:11\nMassive Attack - Teardrop | 5:29\nFela Kuti - Water No Get Enemy | 9:34\n"

OTHER_LIST = """Aphex Twin - Avril 14th | 2:05
# a comment line
Boards of Canada - Roygbiv | 2:31
Brian Eno - An Ending (Ascent) | 4:26
William Basinski - d|p 1.1 | 63:38

Burial - Archangel | 3:58
"""


def fail(msg):
    msg = " | ".join(str(msg).splitlines())
    if len(msg) > 1200:
        msg = msg[:1200] + " ..."
    print(f"FAIL: {msg}")
    sys.exit(1)


def run(project, args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    try:
        return subprocess.run([sys.executable] + args, cwd=project, env=env,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=15)
    except subprocess.TimeoutExpired:
        fail(f"timed out: {' '.join(args)}")


class Rename(ast.NodeTransformer):
    def visit_FunctionDef(self, node):
        if node.name == OLD:
            node.name = NEW
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id == OLD:
            node.id = NEW
        return node

    def visit_Attribute(self, node):
        if node.attr == OLD:
            node.attr = NEW
        return self.generic_visit(node)

    def visit_alias(self, node):
        if node.name == OLD:
            node.name = NEW
        return node


def ref_fmt(seconds):
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def secs(text):
    m, s = text.strip().split(":")
    return int(m) * 60 + int(s)


def ref_output(text, limit=None):
    items = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            info, length = line.rsplit("|", 1)
            artist, title = info.split(" - ", 1)
            items.append((artist.strip(), title.strip(), secs(length)))
    out = [f"{n:2}. {a} - {t} ({ref_fmt(s)})" for n, (a, t, s) in enumerate(items, 1)]
    out.append(f"Total: {ref_fmt(sum(s for _, _, s in items))}")
    if limit is not None:
        cut = secs(limit)
        out.append(f"Longer than {ref_fmt(cut)}: {sum(1 for _, _, s in items if s > cut)}")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    for name, source in ORIGINAL.items():
        path = os.path.join(project, name)
        if not os.path.isfile(path):
            fail(f"{name} is missing")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            got = ast.parse(text)
        except SyntaxError as exc:
            fail(f"{name} does not parse: {exc}")
        want = Rename().visit(ast.parse(source))
        if ast.dump(got) != ast.dump(want):
            names = sorted({n.id for n in ast.walk(got) if isinstance(n, ast.Name)} |
                           {n.name for n in ast.walk(got) if isinstance(n, ast.FunctionDef)} |
                           {n.attr for n in ast.walk(got) if isinstance(n, ast.Attribute)})
            fail(f"{name} is not the original with only {OLD} renamed to {NEW} "
                 f"(names now: {', '.join(names)})")

    with open(os.path.join(project, "mix.txt"), encoding="utf-8") as f:
        if f.read() != ORIGINAL_MIX:
            fail("mix.txt was changed")
    for args, limit in ((["main.py"], None), (["main.py", "mix.txt", "4:30"], "4:30"),
                        (["main.py", "mix.txt", "5:10"], "5:10")):
        r = run(project, args)
        want = ref_output(ORIGINAL_MIX, limit)
        if r.returncode != 0 or r.stdout != want:
            fail(f"python {' '.join(args)} printed {r.stdout!r} {r.stderr.strip()[-300:]!r}, expected {want!r}")

    tmp = os.path.join(project, "_check_list.txt")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(OTHER_LIST)
        r = run(project, ["main.py", "_check_list.txt", "2:31"])
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    want = ref_output(OTHER_LIST, "2:31")
    if r.returncode != 0 or r.stdout != want:
        fail(f"main.py on another playlist printed {r.stdout!r} {r.stderr.strip()[-300:]!r}, expected {want!r}")
    print(f"PASS: {OLD} renamed to {NEW} in all three files, nothing else changed, output identical")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
