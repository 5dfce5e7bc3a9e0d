"""Shared bits of the benchmarks: settings for the scripted server, realistic file contents,
a big run in the history, process memory, and one way to print figure vs target.

Benchmarks print ratios measured side by side in one run wherever they can: the machines are
shared and noisy, so absolute seconds mean little on their own.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/x.py` as well as `python -m bench.x`
    sys.path.insert(0, str(ROOT))

from smol_core.settings import Settings  # noqa: E402


def scripted_settings(base_url: str, concurrency: int = 8, **overrides) -> Settings:
    """Settings for the scripted server. The automatic checks and the examples are off where
    Settings has them: these benches time the model's requests; checks and runs are local work
    measured elsewhere."""
    values: dict = dict(
        provider="compatible",
        model="scripted-model",
        base_url=base_url,
        api_key="sk-bench",
        concurrency=concurrency,
        timeout=60,
    )
    known = {f.name for f in dataclasses.fields(Settings)}
    if "checks" in known:
        values["checks"] = False
    if "run_examples" in known:  # running the code is local work too (bench.quality measures it)
        values["run_examples"] = False
    values.update(overrides)
    return Settings(**values)


@lru_cache(maxsize=1)
def _stdlib_modules() -> tuple[str, ...]:
    """Real Python source (this interpreter's standard library) that compiles, in a fixed order,
    without `from __future__` lines (they are only valid at the top of a file)."""
    std = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for p in sorted(std.glob("*.py")):
        try:
            text = p.read_text(encoding="utf-8")
            text = "\n".join(
                line for line in text.splitlines() if not line.startswith("from __future__")
            )
            compile(text, p.name, "exec", dont_inherit=True)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            continue
        out.append(text + "\n")
    return tuple(out)


def real_code(n_files: int, size: int) -> dict[str, str]:
    """`n_files` files of exactly `size` characters of real Python source each, every one of
    them valid Python: whole standard-library modules, cut before a top-level definition, then
    padded with comment lines. Real code compresses like code; repeated filler does not (a zip
    of filler is ~40x smaller and several times faster to build)."""
    modules = _stdlib_modules()
    files: dict[str, str] = {}
    k = 0
    for i in range(n_files):
        text = ""
        while len(text) < size:
            text += modules[k % len(modules)]
            k += 1
        if len(text) > size:
            cut = max(text.rfind("\ndef ", 0, size), text.rfind("\nclass ", 0, size))
            text = text[: cut + 1] if cut > 0 else ""
        pad = f"# padding of module {i}, to the size asked for\n"
        while len(text) + len(pad) <= size:
            text += pad
        if len(text) < size:
            text += "#" * (size - len(text) - 1) + "\n"
        files[f"src/module_{i:03d}.py"] = text
    return files


def make_big_run(
    db: Path, owner: str, n_files: int, size: int, files: dict[str, str] | None = None
) -> str:
    """A finished run of `n_files` files of `size` characters in the history at `db` (or of
    `files`, when given)."""
    from smol_core.studio.history import RunStore

    store = RunStore(db)
    files = real_code(n_files, size) if files is None else files
    run_id = store.create_run(
        owner=owner, spec=f"A big project of {len(files)} files", model="scripted-model"
    )
    store.save_plan(
        run_id, "# Plan\n\n" + "\n".join(f"- `{p}`: one file of the project" for p in files)
    )
    store.save_file_list(run_id, [(p, "one file of the project") for p in files])
    for path, content in files.items():
        store.save_file(run_id, path, content)
    return run_id


def proc_status_kib(pid: int, field: str) -> int | None:
    """A `/proc/PID/status` figure in KiB (VmHWM = peak RSS, VmRSS = RSS now)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass
class Figure:
    name: str
    value: str
    target: str
    ok: bool | None  # None: no target, for information

    def line(self) -> str:
        verdict = {True: "ok", False: "MISSED", None: ""}[self.ok]
        target = f"target {self.target:<12}" if self.target else ""
        return f"  {self.name:<58} {self.value:>18}   {target} {verdict}".rstrip()


def report(title: str, figures: Sequence[Figure]) -> None:
    print(f"\n== {title}")
    for f in figures:
        print(f.line())
    sys.stdout.flush()


def quiet_streamlit_logs() -> None:
    """AppTest in bare mode warns once per element about a missing ScriptRunContext."""
    import logging

    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
