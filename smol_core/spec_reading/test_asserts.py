"""A test file the person gave, read as one "call" example per assertion: `assert
slugify("A b") == "a-b"` and `self.assertEqual(s.pop(), 3)` each checked alone, with what the
code gave in its place. Run as a script, a test file stops at its first failing `assert` and
says only `AssertionError`; read this way, every case that fails is seen at once with its real
value, and a repair is told all of them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping

from ..records import Command, Example, is_test_file

MAX_CASES = 24  # per test file: enough for a real one, short enough for a repair's prompt
_EQUAL = ("assertEqual", "assertEquals")
_TRUTH = {"assertTrue": True, "assertFalse": False}
_RAISES = ("assertRaises", "raises")  # unittest's and pytest's context managers


_TESTS_WORD = re.compile(r"\btests?\b", re.IGNORECASE)
MAX_FILES = 3


def given_tests(request: str, contents: Mapping[str, str]) -> list[Example]:
    """The assertions of the test files a request is about, each an example: the project's
    test files it names (`test_stack.py`, `python test_stack.py`), or all of them (up to
    three) where it speaks of tests and names none. Read from `contents` as the person has
    them: a change that rewrites a test does not change what it must pass."""
    tests = [p for p in contents if is_test_file(p)]
    named = [
        p for p in tests if re.search(rf"(?<![\w/.-]){re.escape(p.rsplit('/', 1)[-1])}\b", request)
    ]
    if not named and _TESTS_WORD.search(request):
        named = tests[:MAX_FILES]
    return [e for path in named[:MAX_FILES] for e in assert_calls(path, contents[path])]


def assert_calls(path: str, text: str) -> list[Example]:
    """One example per assertion of the test functions of `text` (test file `path`) whose
    value can be checked alone: an equality with a literal, a truth, an expected exception.
    The statements before it in the same test run first, as in the test; the module's own
    imports and helpers come before them. A test that takes arguments (fixtures), is
    decorated, or uses state the class sets up is left to the test file itself."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    header = _source([n for n in tree.body if _is_header(n)])
    out: list[Example] = []
    for test in _tests(tree):
        setup: list[str] = []
        for statement in test.body:
            case = _case(statement)
            if case is not None:
                shown, code, expected = case
                example = Example(
                    f"{path}: `{shown}`"[:80],
                    "call",
                    (Command((), output=expected),),
                    code="\n".join(s for s in (header, *setup, code) if s),
                    sentence=f"{path}: {ast.unparse(statement).splitlines()[0]}"[:200],
                )
                if example not in out:
                    out.append(example)
            if not _imports_pytest(statement):
                setup.append(_as_setup(statement))
            if len(out) >= MAX_CASES:
                return out
    return out


def _is_header(node: ast.stmt) -> bool:
    """What a test module holds besides its tests: imports, constants, helpers (pytest left
    out: its `raises` is read here, and it may not be installed where the code runs)."""
    if _imports_pytest(node):
        return False
    if isinstance(node, ast.If):  # the `if __name__ == "__main__":` that runs the tests
        return False
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return not node.name.startswith("test")
    if isinstance(node, ast.ClassDef):
        return not node.name.startswith("Test") and not node.name.endswith("Tests")
    return isinstance(node, ast.Import | ast.ImportFrom | ast.Assign | ast.AnnAssign)


def _tests(tree: ast.Module) -> Iterator[ast.FunctionDef]:
    """The test functions a test runner would call with no argument and no state of a class."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _plain(node, method=False):
            yield node
        elif isinstance(node, ast.ClassDef) and not node.decorator_list:
            methods = [n for n in node.body if isinstance(n, ast.FunctionDef)]
            if any(m.name in ("setUp", "setUpClass", "__init__") for m in methods):
                continue
            yield from (m for m in methods if _plain(m, method=True) and not _uses_self(m))


def _imports_pytest(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] == "pytest" for a in node.names)
    return isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pytest"


def _needs_pytest(node: ast.FunctionDef) -> bool:
    """Whether a test uses pytest for more than `pytest.raises` (`approx`, `mark`...)."""
    return any(
        isinstance(sub, ast.Attribute)
        and isinstance(sub.value, ast.Name)
        and sub.value.id == "pytest"
        and sub.attr != "raises"
        for sub in ast.walk(node)
    )


def _plain(node: ast.FunctionDef, *, method: bool) -> bool:
    wanted = 1 if method else 0
    args = node.args
    count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
    return (
        node.name.startswith("test")
        and not node.decorator_list
        and count == wanted
        and args.vararg is None
        and args.kwarg is None
        and not _needs_pytest(node)
    )


def _uses_self(node: ast.FunctionDef) -> bool:
    """Whether a method needs its object for more than its assert methods."""
    asserts = {
        id(sub.value)
        for sub in ast.walk(node)
        if isinstance(sub, ast.Attribute)
        and isinstance(sub.value, ast.Name)
        and sub.attr.startswith(("assert", "fail"))
    }
    return any(
        isinstance(sub, ast.Name) and sub.id == "self" and id(sub) not in asserts
        for sub in ast.walk(node)
    )


def _case(statement: ast.stmt) -> tuple[str, str, str] | None:
    """(what it checks, in short; the code that prints what the code under test gives; what
    it must print) for an assertion that can be checked alone, else None."""
    if isinstance(statement, ast.Assert):
        return _asserted(statement.test)
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        return _assert_method(statement.value)
    if isinstance(statement, ast.With) and len(statement.items) == 1:
        return _raises(statement)
    return None


def _asserted(test: ast.expr) -> tuple[str, str, str] | None:
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq | ast.Is)
    ):
        return _equal(test.left, test.comparators[0])
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _truth(test.operand, False)
    return _truth(test, True)


def _assert_method(call: ast.Call) -> tuple[str, str, str] | None:
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return None
    if func.value.id != "self" or call.keywords:
        return None
    if func.attr in _EQUAL and len(call.args) == 2:
        return _equal(*call.args)
    if func.attr in _TRUTH and len(call.args) == 1:
        return _truth(call.args[0], _TRUTH[func.attr])
    if func.attr == "assertIsNone" and len(call.args) == 1:
        return _equal(call.args[0], ast.Constant(None))
    return None


def _equal(left: ast.expr, right: ast.expr) -> tuple[str, str, str] | None:
    """`value == literal` (either way round): the value's repr where it differs, the
    literal's where it is equal, so a dict in another order or `2.0 == 2` still passes."""
    value, literal = (left, right) if _literal(right) else (right, left)
    if not _literal(literal) or _literal(value) or not _calls_something(value):
        return None
    wanted = ast.literal_eval(literal)
    shown = repr(wanted)
    code = (
        f"_value = {ast.unparse(value)}\n"
        f"print({shown!r} if _value == {ast.unparse(literal)} else repr(_value))"
    )
    compared = ast.Compare(left=value, ops=[ast.Eq()], comparators=[literal])
    return ast.unparse(compared), code, shown


def _truth(test: ast.expr, wanted: bool) -> tuple[str, str, str] | None:
    if not _calls_something(test):
        return None
    shown = ast.unparse(test) if wanted else f"not {ast.unparse(test)}"
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        # Which side was wrong is what a repair needs: print both where they differ.
        left, right = ast.unparse(test.left), ast.unparse(test.comparators[0])
        code = (
            f"_left, _right = {left}, {right}\n"
            f"_truth = bool({ast.unparse(_named(test))})\n"
            f"print({wanted!r} if _truth == {wanted!r} else "
            f"f'{{_truth!r}}: {{_left!r}} against {{_right!r}}')"
        )
    else:
        code = f"print(bool({ast.unparse(test)}))"
    return shown, code, repr(wanted)


def _named(test: ast.Compare) -> ast.Compare:
    """`test` with its two sides as `_left` and `_right` (each computed once)."""
    return ast.Compare(ast.Name("_left"), test.ops, [ast.Name("_right")])


def _raises(statement: ast.With) -> tuple[str, str, str] | None:
    item = statement.items[0].context_expr
    if not isinstance(item, ast.Call) or not isinstance(item.func, ast.Attribute):
        return None
    if item.func.attr not in _RAISES or len(item.args) != 1 or item.keywords:
        return None
    error = item.args[0]
    if not isinstance(error, ast.Name):
        return None
    body = _source(statement.body)
    code = (
        "try:\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + "except BaseException as error:\n    print('raises', type(error).__name__)\n"
        + "else:\n    print('raises nothing')"
    )
    shown = f"{body.splitlines()[0]} raises {error.id}"
    return shown, code, f"raises {error.id}"


def _as_setup(statement: ast.stmt) -> str:
    """A statement as it runs before the next assertion: its assertions kept as the calls they
    make (a `pop()` inside one changes what the next sees) but not as checks."""
    if isinstance(statement, ast.Assert):
        return ast.unparse(ast.Expr(statement.test))
    if isinstance(statement, ast.With) and _raises(statement) is not None:
        # What was raised stays at hand as unittest's `ctx.exception` and pytest's
        # `info.value`, for the assertions on its message after the block.
        body = _source(statement.body)
        held = statement.items[0].optional_vars
        name = ast.unparse(held) if held is not None else "_caught"
        return (
            f"{name} = type('Caught', (), {{'exception': None, 'value': None}})()\n"
            "try:\n"
            + "".join(f"    {x}\n" for x in body.splitlines())
            + f"except Exception as _error:\n    {name}.exception = {name}.value = _error"
        )
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and func.attr.startswith("assert")
        ):
            return "\n".join(ast.unparse(a) for a in call.args)
    return ast.unparse(statement)


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _calls_something(node: ast.expr) -> bool:
    """Whether checking it runs any of the code under test (a call or a name of it)."""
    return any(isinstance(n, ast.Call | ast.Name | ast.Attribute) for n in ast.walk(node))


def _source(statements: list[ast.stmt]) -> str:
    return "\n".join(ast.unparse(s) for s in statements)
