"""Step 1: the plan, Markdown the person may edit before anything else is asked."""

from __future__ import annotations

from collections.abc import Sequence

import openai

from ..errors import SmolError
from ..events import Emit, PlanDelta, PlanDone, no_emit
from ..model.chat import stream_chat
from ..model.client import prepare, using_client
from ..prompts import plan_messages
from ..settings import Settings
from .spec import validate_spec


async def make_plan(
    spec: str,
    settings: Settings,
    emit: Emit = no_emit,
    *,
    extra_messages: Sequence[dict] = (),
    client: openai.AsyncOpenAI | None = None,
) -> str:
    """Step 1: a Markdown plan, streamed as PlanDelta events."""
    spec = validate_spec(spec)
    settings = await prepare(settings)
    # A plan capped on purpose (small local models ramble) is not continued past its cap.
    capped = settings.max_plan_tokens is not None
    plan_settings = settings.with_(max_tokens=settings.max_plan_tokens)
    async with using_client(settings, client) as c:
        result = await stream_chat(
            c,
            plan_settings,
            [*plan_messages(spec, settings.prompts_dir, settings.plan_style), *extra_messages],
            step="plan",
            emit=emit,
            on_text=lambda t: emit(PlanDelta(t)),
            continue_on_length=not capped,
            distinct_lines=True,  # a plan names each file once: a line said again is a loop
        )
    plan = result.text.strip()
    if not plan:
        raise SmolError("The model returned an empty plan. Try again or use another model.")
    emit(PlanDone(plan=plan, truncated=result.truncated))
    return plan
