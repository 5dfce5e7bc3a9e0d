"""What commands print on a project as it is, run over a temporary copy in the sandbox like
any example: the record a change that must keep its output is checked against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .programs import refusal
from .sandbox import Limits, Sandbox


def printed_now(
    contents: Mapping[str, str],
    commands: Sequence[tuple[str, ...]],
    *,
    limits: Limits | None = None,
    allow_unisolated: bool = False,
) -> dict[tuple[str, ...], tuple[str, int]]:
    """(standard output, exit status) of each command, run in turn in one copy of the
    project (state carried over, as a person would type them); a command refused or stopped
    (a time limit, not run here) is left out: nothing is known of what it prints."""
    out: dict[tuple[str, ...], tuple[str, int]] = {}
    with Sandbox(contents, limits, allow_unisolated=allow_unisolated) as box:
        for args in commands:
            if refusal(args, contents):
                continue
            result = box.run(args)
            if result.stopped or result.reason.startswith("not run") or result.exit_code is None:
                continue
            out.setdefault(tuple(args), (result.stdout, result.exit_code))
    return out
