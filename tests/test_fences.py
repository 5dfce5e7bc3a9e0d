"""smol_core.fences: the file's content comes out of prose and fences, and nothing else is lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smol_core.steps.fences import strip_code_fences

F = "```"  # spelled out once so the cases below stay readable


# --- one fenced block ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opener", "closer"),
    [
        (F + "python", F),
        (F + "c++", F),
        (F + "jsx", F),
        (F + 'js title="x"', F),
        (F, F),
        ("~~~", "~~~"),
        ("~~~python", "~~~~"),
        ("````py", "````"),
        (F + " python ", F + "  "),
        (F + "{.python}", F),
        (F + "python:src/app.py", F),
        ("  " + F + "python", F),
    ],
)
def test_one_block_any_info_string_gives_its_body(opener: str, closer: str) -> None:
    reply = f"Sure! Here is the file:\n\n{opener}\nprint('hi')\nx = 1\n{closer}\n\nLet me know if you need more."
    assert strip_code_fences(reply, "src/app.py") == "print('hi')\nx = 1\n"


def test_one_block_without_prose() -> None:
    assert strip_code_fences(f"{F}python\na = 1\n{F}\n", "a.py") == "a = 1\n"


def test_one_block_keeps_blank_lines_and_indentation_inside() -> None:
    body = "def f():\n    return 1\n\n\nclass A:\n\tpass"
    assert strip_code_fences(f"{F}python\n{body}\n{F}", "a.py") == body + "\n"


def test_fence_indented_up_to_three_spaces_is_a_fence_and_its_indent_is_removed() -> None:
    reply = f"1. app.py:\n   {F}python\n   if x:\n       y()\n   {F}\n"
    assert strip_code_fences(reply, "app.py") == "if x:\n    y()\n"


def test_crlf_reply() -> None:
    reply = f"Here:\r\n{F}python\r\na = 1\r\nb = 2\r\n{F}\r\n"
    assert strip_code_fences(reply, "a.py") == "a = 1\nb = 2\n"
    assert strip_code_fences("x\r\ny\r\n", "a.py") == "x\ny\n"


def test_json_target_from_the_file_list_step() -> None:
    reply = f'Sure! Here it is:\n{F}json\n{{"files": ["a.py"]}}\n{F}\nEnjoy.'
    assert strip_code_fences(reply, "files.json") == '{"files": ["a.py"]}\n'


# --- no fence -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("print(1)", "print(1)\n"),
        ("print(1)\n\n\n   \n", "print(1)\n"),
        ("\n\n  indented = True\n", "\n\n  indented = True\n"),  # only the end is normalised
        ("", ""),
        ("  \n\t\n", ""),
        ("a = '``'\nb = `x`\n", "a = '``'\nb = `x`\n"),
    ],
)
def test_no_fence_is_returned_as_is(reply: str, expected: str) -> None:
    assert strip_code_fences(reply, "a.py") == expected


# --- backticks that are not fences -------------------------------------------------------------


def test_code_lines_with_backticks_in_strings_are_kept() -> None:
    body = "\n".join(
        [
            'x = "```"',
            "y = '```python'",
            'z = f"{F}```"',
            "const t = `hello ${name}`;",
            "``` `inline` ```",  # a backtick in the info string: not a fence (CommonMark)
            '    """```"""',
            "    ```",  # 4 spaces: indented code, not a fence
            "md = '~~~'",
        ]
    )
    reply = f"Here you go:\n{F}python\n{body}\n{F}\n"
    assert strip_code_fences(reply, "a.py") == body + "\n"
    assert strip_code_fences(body, "a.py") == body + "\n"


def test_bare_code_with_a_fenced_example_inside_a_string_is_kept_whole() -> None:
    # A prompt template: the fences are content of a triple-quoted string, not wrappers.
    code = f"PROMPT = '''\nReply like:\n{F}json\n{{}}\n{F}\n'''\n\nprint(PROMPT)\n"
    assert strip_code_fences(code, "prompts.py") == code
    js = f"const t = `\n{F}js\nx\n{F}\n`;\nexport default t;\n"
    assert strip_code_fences(js, "t.js") == js


def test_wrapped_code_with_a_fenced_example_inside_a_string_is_unwrapped_whole() -> None:
    code = f'DOC = """\n{F}bash\npip install x\n{F}\n"""\nprint(DOC)'
    reply = f"Here is the file:\n{F}python\n{code}\n{F}\nHope it helps."
    assert strip_code_fences(reply, "doc.py") == code + "\n"


def test_tilde_fence_may_contain_backtick_fences() -> None:
    reply = f"~~~python\nx = 1\n{F}\ny = 2\n~~~"
    assert strip_code_fences(reply, "a.py") == f"x = 1\n{F}\ny = 2\n"


# --- stream cut ---------------------------------------------------------------------------------


def test_unterminated_fence_drops_only_the_opening_line() -> None:
    assert (
        strip_code_fences(f"{F}python\nimport os\nprint(os.sep)\n", "a.py")
        == "import os\nprint(os.sep)\n"
    )


def test_unterminated_fence_after_prose() -> None:
    assert strip_code_fences(f"Here:\n{F}js\nlet a = 1;\nlet b", "a.js") == "let a = 1;\nlet b\n"


def test_unterminated_markdown_wrapper_with_inner_block() -> None:
    reply = f"{F}markdown\n# Title\n\n{F}bash\npip install x\n{F}\n\nMore text"
    assert (
        strip_code_fences(reply, "README.md")
        == f"# Title\n\n{F}bash\npip install x\n{F}\n\nMore text\n"
    )


def test_unterminated_markdown_wrapper_cut_inside_inner_block() -> None:
    reply = f"{F}markdown\n# Title\n{F}bash\npip ins"
    assert strip_code_fences(reply, "README.md") == f"# Title\n{F}bash\npip ins\n"


def test_unterminated_bare_fence_around_a_document() -> None:
    assert strip_code_fences(f"{F}\n# Title\nText", "README.md") == "# Title\nText\n"


# --- several blocks, code target ------------------------------------------------------------------


def test_block_in_the_files_language_wins_over_a_longer_one() -> None:
    reply = (
        f"{F}bash\npip install flask requests numpy pandas\npython app.py --port 8000\n{F}\n"
        f"And the code:\n{F}python\nprint(1)\n{F}\n"
    )
    assert strip_code_fences(reply, "app.py") == "print(1)\n"


def test_code_then_run_instructions() -> None:
    reply = f"{F}python\nimport flask\napp = flask.Flask(__name__)\n{F}\n\nRun it:\n\n{F}bash\npython app.py\n{F}"
    assert strip_code_fences(reply, "app.py") == "import flask\napp = flask.Flask(__name__)\n"


def test_block_naming_the_file_wins() -> None:
    reply = f'{F}python title="tests.py"\nlong = 1\nlonger = 2\n{F}\n{F}python title="src/app.py"\nx = 1\n{F}'
    assert strip_code_fences(reply, "src/app.py") == "x = 1\n"


def test_longest_block_when_no_language_matches() -> None:
    reply = f"{F}css\na{{}}\n{F}\n{F}html\n<p>long body here</p>\n{F}\n"
    assert strip_code_fences(reply, "thing.unknownext") == "<p>long body here</p>\n"


def test_unlabelled_block_beats_a_block_in_another_language() -> None:
    reply = f"{F}\nx = 1\n{F}\n{F}bash\npip install a b c d e f g h\n{F}"
    assert strip_code_fences(reply, "a.py") == "x = 1\n"


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("a.ts", "typescript"),
        ("a.tsx", "tsx"),
        ("a.cpp", "c++"),
        ("a.h", "c"),
        ("Dockerfile", "dockerfile"),
        ("Makefile", "make"),
        ("a.yml", "yaml"),
        ("a.rs", "rust"),
        ("web/index.html", "html"),
        ("a.sh", "bash"),
    ],
)
def test_language_by_extension(path: str, lang: str) -> None:
    reply = f'{F}json\n{{"a much longer decoy block": true}}\n{F}\n{F}{lang}\nTHE CODE\n{F}\n'
    assert strip_code_fences(reply, path) == "THE CODE\n"


def test_doubly_wrapped_code_is_unwrapped_twice() -> None:
    reply = f"{F}python\n{F}python\ncode = 1\n{F}\n{F}"
    assert strip_code_fences(reply, "a.py") == "code = 1\n"


def test_unterminated_last_block_still_a_candidate() -> None:
    reply = f"{F}bash\nrun\n{F}\n{F}python\nx = 1\ny = 2"
    assert strip_code_fences(reply, "a.py") == "x = 1\ny = 2\n"


# --- Markdown-like targets ----------------------------------------------------------------------------

README = f"# My app\n\nA tool.\n\n## Install\n\n{F}bash\npip install my-app\n{F}\n\n## Use\n\n{F}python\nimport my_app\n{F}\n"


@pytest.mark.parametrize(
    "path", ["README.md", "docs/guide.markdown", "page.mdx", "index.rst", "notes.txt"]
)
def test_markdown_with_several_blocks_is_kept_whole(path: str) -> None:
    assert strip_code_fences(README, path) == README


def test_readme_with_a_single_code_sample_is_kept_whole() -> None:
    readme = f"# My app\n\nInstall:\n\n{F}bash\npip install my-app\n{F}\n\nMIT licence.\n"
    assert strip_code_fences(readme, "README.md") == readme


def test_readme_whose_only_block_is_in_another_language_is_kept_whole() -> None:
    readme = f"Install it:\n{F}bash\npip install my-app\n{F}\n"
    assert strip_code_fences(readme, "README.md") == readme


def test_markdown_fence_around_the_whole_document_is_unwrapped() -> None:
    doc = "# Title\n\nSome *text*.\n"
    assert strip_code_fences(f"{F}markdown\n{doc}{F}\n", "README.md") == doc
    assert (
        strip_code_fences(
            f"Here is the README:\n\n{F}md\n{doc}{F}\n\nHope this helps!", "README.md"
        )
        == doc
    )


def test_four_backtick_markdown_fence_with_inner_fences_is_unwrapped() -> None:
    reply = f"Here you go:\n````markdown\n{README}````\nAnything else?"
    assert strip_code_fences(reply, "README.md") == README


def test_three_backtick_markdown_fence_with_inner_fences_is_unwrapped() -> None:
    # Not valid CommonMark nesting, but models write it: the first fence opens the wrapper,
    # the last one closes it, and the inner fences pair up in between.
    reply = f"{F}markdown\n{README}{F}\n"
    assert strip_code_fences(reply, "README.md") == README


def test_three_backtick_wrapper_with_unlabelled_inner_block() -> None:
    doc = f"# T\n\nOutput:\n\n{F}\nhello\n{F}\n\nEnd."
    assert strip_code_fences(f"Here:\n{F}markdown\n{doc}\n{F}", "README.md") == doc + "\n"


def test_bare_wrapper_with_labelled_inner_blocks_is_unwrapped() -> None:
    doc = f"# T\n{F}bash\nx\n{F}\nmore"
    assert strip_code_fences(f"{F}\n{doc}\n{F}\n", "README.md") == doc + "\n"


def test_document_that_starts_and_ends_with_bare_blocks_is_not_mistaken_for_a_wrapper() -> None:
    doc = f"{F}\nfirst\n{F}\n\nmiddle text\n\n{F}\nlast\n{F}\n"
    assert strip_code_fences(doc, "notes.md") == doc


def test_markdown_block_then_extra_blocks_is_kept_whole() -> None:
    reply = f"{F}markdown\n# T\ntext\n{F}\nYou may also run:\n{F}bash\nmake\n{F}\n"
    assert strip_code_fences(reply, "README.md") == reply


def test_requirements_txt_in_a_bare_fence() -> None:
    assert (
        strip_code_fences(
            f"Here are the dependencies:\n{F}\nflask\nrequests\n{F}\n", "requirements.txt"
        )
        == "flask\nrequests\n"
    )
    assert strip_code_fences(f"{F}text\nflask\n{F}", "requirements.txt") == "flask\n"


def test_rst_wrapped_in_an_rst_fence() -> None:
    assert strip_code_fences(f"{F}rst\nTitle\n=====\n{F}", "index.rst") == "Title\n=====\n"


def test_cmakelists_txt_is_code_not_a_document() -> None:
    reply = f"Here:\n{F}cmake\nproject(x)\n{F}\n{F}bash\ncmake .\n{F}"
    assert strip_code_fences(reply, "CMakeLists.txt") == "project(x)\n"


# --- properties ---------------------------------------------------------------------------------

_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40
)
_BODY = st.lists(_LINE, min_size=1, max_size=8).filter(
    lambda lines: not any(line.lstrip(" ").startswith(("```", "~~~")) for line in lines)
)


@settings(max_examples=200, deadline=None)
@given(_BODY, st.sampled_from(["a.py", "x.js", "README.md", "notes.txt", "data.json"]))
def test_a_fenced_body_comes_back_unchanged(lines: list[str], path: str) -> None:
    body = "\n".join(lines)
    expected = body.rstrip()
    expected = expected + "\n" if expected else ""
    # Documents too: an unlabelled fence around the whole reply is a wrapper.
    assert strip_code_fences(f"{F}\n{body}\n{F}\n", path) == expected
    if not path.endswith((".md", ".txt")):
        assert strip_code_fences(f"Here it is:\n{F}python\n{body}\n{F}\nDone.", path) == expected


@settings(max_examples=200, deadline=None)
@given(_BODY, st.sampled_from(["a.py", "README.md"]))
def test_text_without_fences_is_returned_as_is(lines: list[str], path: str) -> None:
    text = "\n".join(lines)
    expected = text.rstrip()
    assert strip_code_fences(text, path) == (expected + "\n" if expected else "")


def test_cut_other_files_keeps_comments_and_documents():
    from smol_core.steps.fences import cut_other_files

    paths = ["todo.js", "index.html", "README.md", "config.py", "a.py"]
    js = "add();\n\n// index.html\n<!DOCTYPE html>\n<html></html>\n"
    assert cut_other_files(js, "todo.js", paths) == "add();\n"
    assert cut_other_files("<p>\n<!-- todo.js -->\nadd();\n", "index.html", paths) == "<p>\n"
    assert cut_other_files("x = 1\nFile: config.py\ny = 2\n", "a.py", paths) == "x = 1\n"
    # Seen: a file not in the list first, then this one under its own header.
    first = "// utils.js\nfunction trim(t) {}\n\n// todo.js\nadd();\n\n// index.html\n<p>\n"
    assert cut_other_files(first, "todo.js", paths) == "// todo.js\nadd();\n"
    kept = [
        ("# a.py\nx = 1\n", "a.py"),  # its own header
        ("x = 1\n# see config.py for the rest\ny = 2\n", "a.py"),  # a comment, not a header
        ("x = 1\n# config.py\n", "a.py"),  # nothing after it
        ("Files:\n\n# index.html\nThe page.\n", "README.md"),  # a document lists files
    ]
    for text, path in kept:
        assert cut_other_files(text, path, paths) == text, text


def test_what_a_small_model_says_after_a_page_is_not_part_of_it():
    page = "<!DOCTYPE html>\n<html>\n<body><p>hi</p></body>\n</html>\n"
    said = page + "\nThis file is the same as the previous one, but it does not contain...\n"
    assert strip_code_fences(said, "popup.html") == page
    assert strip_code_fences(page, "index.html") == page
    # Not a page: the same text is left to the other rules.
    assert "This file is the same" in strip_code_fences(said, "notes.md")
