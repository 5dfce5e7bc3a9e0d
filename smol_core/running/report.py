"""What running the project showed, in words a person reads: one line per example, a summary.
The page and the CLI say the same thing."""

from __future__ import annotations

from ..project import Project
from ..records import Example, ExampleResult

MARKS = {"pass": "✓", "fail": "✗", "not_run": "–", "refused": "⊘"}


def example_line(example: Example, result: ExampleResult | None) -> str:
    """`✓ adds one` / `✗ three numbers: expected "2", got "Total: 2"` / `… waiting`."""
    if result is None:
        return f"… {example.name}: not run yet"
    mark = MARKS.get(result.status, "?")
    return f"{mark} {example.name}" + (f": {result.reason}" if result.reason else "")


def summary(project: Project) -> str:
    """One sentence on the whole project ("" when it has no examples)."""
    state = project.examples_state()
    total = len(project.examples)
    passed = sum(r.passed for r in project.results.values())
    if state == "none":
        return ""
    if project.run_note and not project.results:
        return f"Not run: {project.run_note.removeprefix('not run: ')}."
    if state == "passing":
        return f"Run and checked: all {total} example(s) pass."
    if state == "failing":
        failing = len(project.failing_examples())
        return (f"Run and checked: {failing} of {total} example(s) fail, so the project does "
                "not do everything its spec asks yet.")  # fmt: skip
    return f"Run and checked: {passed} of {total} example(s) pass; the others could not run here."
