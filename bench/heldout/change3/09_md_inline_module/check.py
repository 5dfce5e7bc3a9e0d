"""Checker for 09_md_inline_module: python check.py PROJECT_DIR"""
import ast
import json
import os
import subprocess
import sys

ORIGINAL_MD2HTML = '"""Turn a small subset of Markdown into HTML.\n\n    python md2html.py notes.md > notes.html\n\nSupports # headings, - lists, paragraphs, **bold**, *italic*, `code` and [links](url).\n"""\nimport re\nimport sys\n\n\ndef escape(text):\n    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")\n\n\ndef render_inline(text):\n    text = escape(text)\n    text = re.sub(r"`([^`]+)`", r"<code>\\1</code>", text)\n    text = re.sub(r"\\*\\*(.+?)\\*\\*", r"<strong>\\1</strong>", text)\n    text = re.sub(r"\\*(.+?)\\*", r"<em>\\1</em>", text)\n    text = re.sub(r"\\[([^\\]]+)\\]\\(([^)\\s]+)\\)", r\'<a href="\\2">\\1</a>\', text)\n    return text\n\n\ndef heading_level(line):\n    level = len(line) - len(line.lstrip("#"))\n    if 1 <= level <= 6 and line[level:level + 1] == " ":\n        return level\n    return 0\n\n\ndef render(lines):\n    html = []\n    paragraph = []\n    in_list = False\n\n    def close_paragraph():\n        if paragraph:\n            html.append("<p>" + render_inline(" ".join(paragraph)) + "</p>")\n            paragraph.clear()\n\n    for raw in lines:\n        line = raw.rstrip("\\n").strip()\n        is_item = line.startswith("- ")\n        if in_list and not is_item:\n            html.append("</ul>")\n            in_list = False\n        if not line:\n            close_paragraph()\n            continue\n        level = heading_level(line)\n        if level:\n            close_paragraph()\n            content = render_inline(line[level + 1:].strip())\n            html.append(f"<h{level}>{content}</h{level}>")\n        elif is_item:\n            close_paragraph()\n            if not in_list:\n                html.append("<ul>")\n                in_list = True\n            html.append("  <li>" + render_inline(line[2:].strip()) + "</li>")\n        else:\n            paragraph.append(line)\n    close_paragraph()\n    if in_list:\n        html.append("</ul>")\n    return "\\n".join(html)\n\n\ndef main(argv):\n    if len(argv) != 1:\n        print("usage: python md2html.py FILE.md")\n        return 2\n    with open(argv[0], encoding="utf-8") as f:\n        print(render(f))\n    return 0\n\n\nif __name__ == "__main__":\n    sys.exit(main(sys.argv[1:]))\n'

ORIGINAL_NOTES = '# Allotment notes\n\nSowed **broad beans** on the 3rd, see [the calendar](https://example.org/sow).\nSoil was *very* wet & cold.\n\n## To buy\n- twine\n- `slug pellets` (the <organic> ones)\n- **more** compost\n## Ideas\nTry a *three sisters* bed next year.\n'

MOVED = ("escape", "render_inline")
KEPT = ("heading_level", "render", "main")

OTHER_DOC = """Intro line with `a < b && c > d` inside code.
Second line of the *same* paragraph, and a **bold *nested* bit**.

### Level three
####### not a heading
#also not a heading
- first [link](http://x.test/a?b=1&c=2)
- second with * lone star
Paragraph right after a list.


- list again
# Big end
"""

INLINE_CASES = [
    "plain text",
    "a & b < c > d",
    "**bold** and *it* and `co*de*`",
    "[name](http://example.com/path) trailing",
    "[bad link](has space)",
    "***triple***",
    "`<tag>` & `&amp;`",
    "*unclosed and **also",
    "",
]


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


def reference():
    namespace = {"__name__": "reference_md2html"}
    exec(compile(ORIGINAL_MD2HTML, "reference_md2html", "exec"), namespace)
    return namespace


class Unqualify(ast.NodeTransformer):
    """inline.render_inline(...) counts the same as render_inline(...)."""

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr in MOVED and isinstance(node.value, ast.Name):
            return ast.copy_location(ast.Name(id=node.attr, ctx=node.ctx), node)
        return node


def top_functions(tree):
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    for name in ("md2html.py", "inline.py"):
        if not os.path.isfile(os.path.join(project, name)):
            fail(f"{name} is missing")
    with open(os.path.join(project, "md2html.py"), encoding="utf-8") as f:
        md_tree = ast.parse(f.read())
    with open(os.path.join(project, "inline.py"), encoding="utf-8") as f:
        inline_tree = ast.parse(f.read())

    # structure: the two functions live in inline.py only, the rest stays in md2html.py
    inline_funcs = top_functions(inline_tree)
    for name in MOVED:
        if name not in inline_funcs:
            fail(f"inline.py does not define {name}()")
    md_funcs = top_functions(md_tree)
    for name in MOVED:
        if name in md_funcs:
            fail(f"md2html.py still defines {name}() itself")
    orig_funcs = top_functions(ast.parse(ORIGINAL_MD2HTML))
    for name in KEPT:
        if name not in md_funcs:
            fail(f"md2html.py no longer defines {name}()")
        got = ast.dump(Unqualify().visit(md_funcs[name]))
        if got != ast.dump(orig_funcs[name]):
            fail(f"{name}() in md2html.py was changed")
    for node in ast.walk(inline_tree):
        if isinstance(node, ast.Import) and any(a.name == "md2html" for a in node.names):
            fail("inline.py imports md2html")
        if isinstance(node, ast.ImportFrom) and node.module == "md2html":
            fail("inline.py imports from md2html")

    ref = reference()
    # behaviour of the command
    with open(os.path.join(project, "notes.md"), encoding="utf-8") as f:
        if f.read() != ORIGINAL_NOTES:
            fail("notes.md was changed")
    r = run(project, ["md2html.py", "notes.md"])
    want = ref["render"](ORIGINAL_NOTES.splitlines(True)) + "\n"
    if r.returncode != 0 or r.stdout != want:
        fail(f"md2html.py notes.md printed {r.stdout!r} {r.stderr.strip()[-300:]!r}, expected {want!r}")
    tmp = os.path.join(project, "_check_doc.md")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(OTHER_DOC)
        r = run(project, ["md2html.py", "_check_doc.md"])
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    want = ref["render"](OTHER_DOC.splitlines(True)) + "\n"
    if r.returncode != 0 or r.stdout != want:
        fail(f"md2html.py on another document printed {r.stdout!r} {r.stderr.strip()[-300:]!r}, expected {want!r}")
    r = run(project, ["md2html.py"])
    if r.returncode != 2 or "usage" not in r.stdout:
        fail("md2html.py without a file should still print usage and exit 2")

    # inline.py on its own
    probe = ("import json, sys, inline\n"
             "cases = json.loads(sys.argv[1])\n"
             "print(json.dumps([[inline.escape(c), inline.render_inline(c)] for c in cases]))\n")
    r = run(project, ["-c", probe, json.dumps(INLINE_CASES)])
    if r.returncode != 0:
        fail(f"importing inline.py on its own failed: {r.stderr.strip()[-300:]}")
    got = json.loads(r.stdout.strip().splitlines()[-1])
    for case, (esc, rendered) in zip(INLINE_CASES, got):
        if esc != ref["escape"](case):
            fail(f"inline.escape({case!r}) gave {esc!r}, expected {ref['escape'](case)!r}")
        if rendered != ref["render_inline"](case):
            fail(f"inline.render_inline({case!r}) gave {rendered!r}, expected {ref['render_inline'](case)!r}")
    print("PASS: escape/render_inline moved to inline.py, md2html.py imports them, HTML unchanged")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
