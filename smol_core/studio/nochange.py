"""When a fix or a regeneration gives back every file byte for byte as it was: whether a
second attempt would differ (and with what), and the one sentence that says nothing changed,
what was tried and what the person can do next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from ..project import Project
from ..settings import Settings

# What each button is, in the sentence ("… wrote it again …").
JOBS = {
    "regenerate": "Writing {files} again",
    "instruction": "Writing {files} again with your instruction",
    "fix": "Fixing {files} from the error you pasted",
    "preview": "Fixing {files} from the preview's error",
    "failing": "Repairing the files the failing examples concern",
}
NEXT = {
    "regenerate": "say what to change in “Change to ask for” and press “Regenerate this file”, "
    "or edit the file yourself",
    "instruction": "say it another way (what should differ, and where), or edit the file yourself",
    "fix": "add what you expected to happen to the error, or edit the file yourself",
    "preview": "paste the error with what you expected under “Something doesn't work”, or edit "
    "the file yourself",
    "failing": "edit the examples if what they expect is wrong, or edit the file yourself",
}


def unchanged(before: Mapping[str, str], after: Mapping[str, str]) -> bool:
    """Every file byte for byte as it was (none added, none removed)."""
    return dict(before) == dict(after)


def second_try(settings: Settings) -> Settings:
    """The settings of a second attempt that can differ: another temperature (a model at 0
    gives the same text to the same prompt every time)."""
    t = settings.temperature
    return settings.with_(temperature=round(t + 0.5 if t < 0.8 else t - 0.5, 2))


def nothing_changed(job: str, paths: Sequence[str], tries: int) -> str:
    """The sentence said when every file came back as it was."""
    files = ", ".join(paths[:4]) + (" and more" if len(paths) > 4 else "") or "the files"
    tried = JOBS[job].format(files=files)
    wider = ", with every file the error concerns" if job in ("fix", "preview") else ""
    twice = f", tried twice (the second time at another temperature{wider})," if tries > 1 else ""
    return (
        f"Nothing changed: {tried[0].lower() + tried[1:]}{twice} gave back every file "
        f"exactly as it was; you can {NEXT[job]}."
    )


async def again_if_same(
    project: Project, settings: Settings, attempt: Callable[[Settings, bool], Awaitable[Any]]
) -> int:
    """Run `attempt` (settings, second?); when it gave every file back as it was, once more
    with settings that can differ (and `second` True: a fix then takes in every file the error
    concerns). Returns how many attempts were made."""
    before = dict(project.contents)
    await attempt(settings, False)
    if not unchanged(before, project.contents):
        return 1
    await attempt(second_try(settings), True)
    return 2
