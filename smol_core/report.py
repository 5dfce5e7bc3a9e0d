"""What running the project showed, in words a person reads: one line per example, a summary.
The page and the CLI say the same thing, and never more than was checked: an example that
passes without checking any output, file, element or value "ran without errors", with its
own mark, never ✓."""

from __future__ import annotations

from .project import Project
from .records import Example, ExampleResult

MARKS = {"pass": "✓", "fail": "✗", "not_run": "–", "refused": "⊘"}
RAN = "▷"  # passed, but checked nothing: it ran, no more is known
NOT_CHECKED = "ran without errors: behaviour not checked"


def mark(example: Example, result: ExampleResult | None) -> str:
    """✓ only for a passing example that checks something; ▷ for one that only ran."""
    if result is None:
        return "…"
    if result.passed and not example.checks_behaviour:
        return RAN
    return MARKS.get(result.status, "?")


def example_line(example: Example, result: ExampleResult | None) -> str:
    """`✓ adds one` / `✗ three numbers: expected "2", got "Total: 2"` / `▷ main.py runs: ran
    without errors: behaviour not checked` / `… waiting`."""
    if result is None:
        return f"… {example.name}: not run yet"
    reason = NOT_CHECKED if mark(example, result) == RAN else result.reason
    return f"{mark(example, result)} {example.name}" + (f": {reason}" if reason else "")


def _files(paths: tuple[str, ...]) -> str:
    shown = ", ".join(paths[:6])
    return shown + (f" and {len(paths) - 6} more" if len(paths) > 6 else "")


def summary(project: Project) -> str:
    """One or two sentences on the whole project ("" when it has no examples): how many
    behaviours were checked and passed, which files were only run. An example that never ran
    is counted nowhere but in "could not run"; a project with no checked behaviour is never
    said to work."""
    state = project.examples_state()
    if state == "none":
        return ""
    if project.run_note and not project.results:
        return f"Not run: {project.run_note.removeprefix('not run: ')}."
    v = project.verdict()
    only = (
        f" Only run, behaviour not checked: {_files(v.only_run_files)}." if v.only_run_files else ""
    )
    unrun = f" {v.not_run} example(s) could not run here." if v.not_run else ""
    if state == "failing":
        return (
            f"Run and checked: {v.failed} of {v.ran} example(s) fail, so the "
            f"project does not do everything its spec asks yet.{unrun}"
        )
    if v.checked == 0:
        return (
            "No behaviour checked: the examples ran without errors, but none checks what "
            "the program prints, leaves or shows, so nobody knows yet whether it works."
            f"{only}{unrun} Add an example that says what must come out."
        )
    if state == "passing":
        return f"Run and checked: all {v.checked} checked behaviour(s) pass.{only}"
    return f"Run and checked: {v.passed} of {v.checked} checked behaviour(s) pass.{only}{unrun}"


def counts_line(project: Project) -> str:
    """The counts in one line (the CLI's last lines, beside the manifest's `verdict`)."""
    v = project.verdict()
    line = (
        f"behaviours checked: {v.checked}, passed: {v.passed}; examples only run "
        f"(behaviour not checked): {v.only_run}; not run: {v.not_run}"
    )
    return line + (f"; files only run: {_files(v.only_run_files)}" if v.only_run_files else "")


def files_line(project: Project) -> str:
    """What the static checks and the examples say of the files, for the code's status line
    ("" before any check): "clean" is never said, since a file with no findings may still do
    nothing the spec asks; how many files an example that checks something covered."""
    checked = {p: project.check_status(p) for p in project.paths}
    if all(v == "unchecked" for v in checked.values()):
        return ""
    no_findings = sum(v in ("ok", "repaired") for v in checked.values())
    repaired = sum(v == "repaired" for v in checked.values())
    failing = sum(v == "failing" for v in checked.values())
    covered = len(project.verdict().checked_files)
    return (
        f"Static checks: {no_findings} file(s) with no findings · {repaired} repaired · "
        f"{failing} still with findings · behaviour checked by an example in {covered} of "
        f"{len(project.paths)} file(s)"
    )


def offers_new_example(project: Project) -> bool:
    """The verdict says no behaviour is checked (the examples ran, and none checks anything):
    where the page offers "Add an example"."""
    return (
        project.examples_state() in ("unchecked", "not_run")
        and bool(project.results)
        and (project.verdict().checked == 0)
    )
