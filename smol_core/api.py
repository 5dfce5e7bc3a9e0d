"""The library API, call-compatible with the original smol developer's `smol_dev` functions.

    from smol_core import plan, specify_file_paths, generate_code, generate_code_sync

Same names and argument order; a `settings=` keyword (or the environment) chooses the endpoint.
The sync functions work from any thread, with or without an event loop (the original's
`get_event_loop()` broke in worker threads).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from .events import Event, FileDelta, PlanDelta
from .records import FileSpec
from .settings import Settings
from .steps.code import write_file
from .steps.file_list import make_file_list
from .steps.plan import make_plan

T = TypeVar("T")
StreamHandler = Callable[[bytes], Any]


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from sync code, even if this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Inside a running loop (Jupyter, an async app): a fresh loop in a helper thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _settings(model: str | None, settings: Settings | None) -> Settings:
    base = settings or Settings.from_env()
    return base.with_(model=model)


def _handler_emit(stream_handler: StreamHandler | None) -> Callable[[Event], None]:
    def emit(event: Event) -> None:
        if stream_handler and isinstance(event, (PlanDelta, FileDelta)):
            stream_handler(event.text.encode("utf-8"))

    return emit


def _complete(stream_handler: StreamHandler | None) -> None:
    on_complete = getattr(stream_handler, "onComplete", None)
    if callable(on_complete):
        on_complete("done")


def plan(
    prompt: str,
    stream_handler: StreamHandler | None = None,
    model: str | None = None,
    extra_messages: Sequence[dict] = (),
    *,
    settings: Settings | None = None,
) -> str:
    """A Markdown plan for the spec; `stream_handler` receives UTF-8 bytes as they stream."""
    s = _settings(model, settings)
    result = run_sync(
        make_plan(prompt, s, _handler_emit(stream_handler), extra_messages=extra_messages)
    )
    _complete(stream_handler)
    return result


def specify_file_paths(
    prompt: str, plan: str, model: str | None = None, *, settings: Settings | None = None
) -> list[str]:
    """The file paths the project needs (already checked for safety)."""
    s = _settings(model, settings)
    return [f.path for f in run_sync(make_file_list(prompt, plan, s)).files]


async def generate_code(
    prompt: str,
    plan: str,
    current_file: str,
    stream_handler: StreamHandler | None = None,
    model: str | None = None,
    *,
    file_paths: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> str:
    """The code of one file. Pass `file_paths` (all files) so every file shares one prompt prefix."""
    s = _settings(model, settings)
    files = [FileSpec(p) for p in (file_paths or [current_file])]
    done = await write_file(prompt, plan, files, current_file, s, _handler_emit(stream_handler))
    _complete(stream_handler)
    return done.content


def generate_code_sync(
    prompt: str,
    plan: str,
    current_file: str,
    stream_handler: StreamHandler | None = None,
    model: str | None = None,
    *,
    file_paths: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> str:
    """`generate_code` for sync callers, from any thread."""
    return run_sync(
        generate_code(
            prompt,
            plan,
            current_file,
            stream_handler,
            model,
            file_paths=file_paths,
            settings=settings,
        )
    )
