"""Turn a small subset of Markdown into HTML.

    python md2html.py notes.md > notes.html

Supports # headings, - lists, paragraphs, **bold**, *italic*, `code` and [links](url).
"""
import sys

from inline import render_inline


def heading_level(line):
    level = len(line) - len(line.lstrip("#"))
    if 1 <= level <= 6 and line[level:level + 1] == " ":
        return level
    return 0


def render(lines):
    html = []
    paragraph = []
    in_list = False

    def close_paragraph():
        if paragraph:
            html.append("<p>" + render_inline(" ".join(paragraph)) + "</p>")
            paragraph.clear()

    for raw in lines:
        line = raw.rstrip("\n").strip()
        is_item = line.startswith("- ")
        if in_list and not is_item:
            html.append("</ul>")
            in_list = False
        if not line:
            close_paragraph()
            continue
        level = heading_level(line)
        if level:
            close_paragraph()
            content = render_inline(line[level + 1:].strip())
            html.append(f"<h{level}>{content}</h{level}>")
        elif is_item:
            close_paragraph()
            if not in_list:
                html.append("<ul>")
                in_list = True
            html.append("  <li>" + render_inline(line[2:].strip()) + "</li>")
        else:
            paragraph.append(line)
    close_paragraph()
    if in_list:
        html.append("</ul>")
    return "\n".join(html)


def main(argv):
    if len(argv) != 1:
        print("usage: python md2html.py FILE.md")
        return 2
    with open(argv[0], encoding="utf-8") as f:
        print(render(f))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
