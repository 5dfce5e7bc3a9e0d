"""Write a run's events to the history as they happen, so an interrupted run loses nothing."""

from __future__ import annotations

from ..events import Event, FileDone, FileFailed, FileListDone, PlanDone, UsageReport
from ..usage import estimate_cost
from .history import RunStore


class Recorder:
    """An event callback: `emit=Recorder(store, run_id, model)` beside the page's own handler."""

    def __init__(self, store: RunStore, run_id: str, model: str = ""):
        self.store = store
        self.run_id = run_id
        self.model = model

    def __call__(self, event: Event) -> None:
        if isinstance(event, PlanDone):
            self.store.save_plan(self.run_id, event.plan)
        elif isinstance(event, FileListDone):
            self.store.save_file_list(self.run_id, [(f.path, f.purpose) for f in event.files])
        elif isinstance(event, FileDone):
            status = "truncated" if event.truncated else "done"
            self.store.save_file(self.run_id, event.path, event.content, status=status)
        elif isinstance(event, FileFailed):
            self.store.mark_failed(self.run_id, event.path, event.error)
        elif isinstance(event, UsageReport):
            usage: dict[str, int | float] = dict(event.usage.as_dict())
            cost = estimate_cost(event.usage, self.model)
            if cost is not None:
                usage["cost_usd"] = cost
            self.store.add_usage(self.run_id, usage)
