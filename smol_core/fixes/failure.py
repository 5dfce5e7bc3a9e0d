"""The one change with one right answer that a failing example shows, made without the model:
the value printed among words of its own, an argument a subcommand leaves out, the decimals of
a number. The heal loop tries it before it asks the model, and keeps it only if it does better.
"""

from __future__ import annotations

import re

from ..records import Example, ExampleResult
from .loose_args import optional_arguments
from .number_format import differing_number, fewer_decimals
from .trim_output import Trimmed, trimmed_output

_PAGE_TEXT = re.compile(r'expected "(.*)", got "(.*)"$')


def fixed_without_model(
    example: Example, result: ExampleResult, path: str, source: str
) -> Trimmed | None:
    """The one change with one right answer that the failure shows, if any: the value printed
    among words of its own, an argument a subcommand leaves out, the decimals of a number."""
    if not example.commands:  # a page: what an element showed, against what it should
        shown = _PAGE_TEXT.search(result.reason)
        return fewer_decimals(path, source, shown[1], shown[2]) if shown else None
    expected = example.commands[min(result.reached, len(example.commands) - 1)].output
    if expected and result.printed:
        number = differing_number(expected, result.printed)
        fixed = trimmed_output(path, source, expected, result.printed) or (
            fewer_decimals(path, source, *number) if number else None
        )
        if fixed:
            return fixed
    return optional_arguments(path, source, result.detail)
