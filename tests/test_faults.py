"""The fault matrix: every fault alone, then all of them mixed at random over a 20-file run.

Transient faults must be recovered within the retry budget; permanent ones must end with one
clear message; a file that finally fails is reported, and no other file is ever lost.
"""

from __future__ import annotations

import asyncio
import random

import openai
import pytest

from smol_core.errors import FileListError, SmolError, describe
from smol_core.events import FileFailed, Retry, RunDone
from smol_core.runs import run_all
from tests.conftest import FAKE_KEY, fast_settings
from tests.scripted_server import Fault

FILES = {f"app/part_{i:02d}.py": f"def part_{i}() -> int:\n    return {i}\n" * 3 for i in range(20)}

# name → (fault factory, is the fault transient?)
TRANSIENT = {
    "429 + Retry-After": lambda: Fault.status(429, retry_after=0.05),
    "429 bare": lambda: Fault.status(429),
    "500": lambda: Fault.status(500),
    "502": lambda: Fault.status(502),
    "503": lambda: Fault.status(503),
    "reset mid-stream": lambda: Fault.reset(after_chars=8),
    "hang past timeout": lambda: Fault.hang(3),
    "cut without [DONE]": lambda: Fault.cut(after_chars=8),
    "empty reply": lambda: Fault.empty(),
    "finish_reason=length": lambda: Fault.length(after_chars=10),
    "prose and fences": lambda: Fault.prose("python"),
}


def _run(server, **overrides):
    settings = fast_settings(server.base_url, timeout=1.0, **overrides)
    events: list = []
    project = asyncio.run(run_all("numbered parts", settings, events.append))
    return project, events


# Content faults of the file list (prose, a cut-off list) are the malformed-list tests below.
ALONE = [
    (name, kind)
    for kind in ("plan", "file_list", "code")
    for name in TRANSIENT
    if not (kind == "file_list" and name in ("prose and fences", "finish_reason=length"))
]


@pytest.mark.parametrize("name, kind", ALONE)
def test_each_transient_fault_alone_is_recovered(make_server, name, kind):
    server = make_server(files=dict(list(FILES.items())[:3]))
    server.add_fault(TRANSIENT[name](), kind=kind, path=None, times=1)
    project, events = _run(server)
    assert project.failed == {}
    assert project.contents == dict(list(FILES.items())[:3])
    faulted = [r for r in server.requests if r.outcome not in ("ok",)]
    assert len(faulted) == 1, [r.outcome for r in server.requests]


def test_malformed_file_list_once_then_recovered(server):
    server.add_fault(Fault.malformed(), kind="file_list", times=1)
    project, _ = _run(server)
    assert project.failed == {} and len(project.contents) == 2


def test_a_model_that_never_gives_a_file_list_ends_with_one_message(server):
    server.add_fault(Fault.malformed(), kind="file_list", times=None)
    with pytest.raises(FileListError, match="did not give a usable file list"):
        _run(server)


def test_a_refused_key_ends_with_one_message_naming_the_cause(make_server):
    server = make_server(require_api_key="sk-not-this-one")
    with pytest.raises(openai.AuthenticationError) as info:  # not retried, not wrapped away
        _run(server)
    text = describe(info.value, fast_settings(server.base_url))
    host = server.base_url.rsplit("/", 1)[0]
    assert text == f"{host} refused the API key (401). Check the key for this endpoint."
    assert FAKE_KEY not in text and len(server.requests) == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mixed_faults_over_twenty_files(make_server, seed, capsys):
    """Seeded, repeatable: most files get 1-2 transient faults, two get a permanent one."""
    rng = random.Random(seed)
    server = make_server(files=FILES)
    names = list(TRANSIENT)
    doomed = set(rng.sample(sorted(FILES), 2))
    injected_plan = rng.choice(names[:5])
    server.add_fault(TRANSIENT[injected_plan](), kind="plan", times=1)
    expected_faulted: set[str] = set()
    for path in sorted(FILES):
        if path in doomed:
            server.add_fault(Fault.status(500), kind="code", path=path, times=None)
            continue
        if rng.random() < 0.8:
            for _ in range(rng.choice([1, 2])):
                server.add_fault(TRANSIENT[rng.choice(names)](), kind="code", path=path, times=1)
            expected_faulted.add(path)
    project, events = _run(server, concurrency=8, max_attempts=4)

    faulted_requests = [r for r in server.requests if r.outcome != "ok"]
    failed_events = [e for e in events if isinstance(e, FileFailed)]
    retries = [e for e in events if isinstance(e, Retry)]
    recovered = {p for p in expected_faulted if p in project.contents}
    lost = [p for p in FILES if p not in doomed and project.contents.get(p) != FILES[p]]
    with capsys.disabled():
        print(
            f"\n[fault mix seed={seed}] faults injected={len(faulted_requests)} "
            f"retries={len(retries)} files recovered={len(recovered)} "
            f"reported failed={len(failed_events)} lost={len(lost)}"
        )
    assert lost == []
    assert set(project.failed) == doomed
    assert all("500" in project.failed[p] for p in doomed)
    assert recovered == expected_faulted
    done = events[-1]
    assert isinstance(done, RunDone) and len(done.done) == 18


def test_permanent_failure_of_one_file_never_raises_for_the_run(make_server):
    server = make_server(files=FILES)
    server.add_fault(Fault.status(400), kind="code", path="app/part_05.py", times=None)
    project, _ = _run(server)
    assert list(project.failed) == ["app/part_05.py"]
    assert len(project.contents) == 19


def test_fatal_error_reports_every_unfinished_file(make_server):
    server = make_server(files=FILES)
    server.add_fault(Fault.status(403), kind="code", times=None)
    with pytest.raises(SmolError, match="403"):
        _run(server, concurrency=4)
