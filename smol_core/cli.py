"""`python -m smol_core`: a spec in, a folder (and optionally a zip) out.

Flags follow the original smol developer (`--prompt`, `--model`, `--generate_folder_path`,
`--debug`) plus ours. Exit codes: 0 all files written, 1 nothing could be done, 2 some files failed.
The API key comes from the environment only: a flag would show in the process list.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from .bundle import MANIFEST_NAME, build_zip, read_folder, write_folder
from .cli_progress import Progress
from .errors import SmolError, describe
from .events import Event, ExamplesReady, FileDone, FileListDone
from .improve import improve_command, undo_command
from .project import Project, applying, restore
from .records import Example
from .report import counts_line
from .report import summary as run_summary
from .runs import add_missing_files, fix_from_error, propose_all, referenced_missing, run_all
from .settings import PROVIDERS, Settings
from .steps.example_table import examples_from_table, rows_of, to_markdown
from .steps.spec import validate_spec


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m smol_core",
        description="Turn a written spec into a whole codebase with a language model.",
    )
    p.add_argument("prompt_arg", nargs="?", metavar="PROMPT", help="the spec (text or a .md path)")
    p.add_argument("--prompt", help="the spec, as text or the path of a .md/.txt file")
    p.add_argument("--model", help="model name (default depends on the provider)")
    p.add_argument(
        "--generate_folder_path",
        "--out",
        dest="out",
        default="generated",
        help="folder to write the project into (default: generated)",
    )
    p.add_argument("--zip", dest="zip_path", help="also write a zip of the project here")
    p.add_argument(
        "--provider",
        choices=PROVIDERS,
        help="openai, compatible (any OpenAI-compatible base URL) or local "
        "(the built-in model; the default when no key or base URL is set)",
    )
    p.add_argument("--base-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1")
    p.add_argument("--concurrency", type=int, help="files generated at once (default 8; local 1)")
    p.add_argument("--temperature", type=float)
    p.add_argument("--timeout", type=float, help="seconds to wait between two streamed chunks")
    p.add_argument("--max-tokens", type=int, help="output token cap per request")
    p.add_argument(
        "--structured-mode",
        choices=("auto", "json_schema", "tool", "text"),
        help="how to ask for the file list (default: auto, with fallbacks)",
    )
    p.add_argument("--plan-file", help="use this Markdown plan instead of asking for one")
    p.add_argument(
        "--examples",
        metavar="FILE",
        help="judge the code by these examples (a Markdown or JSON table, as printed or "
        "downloaded) instead of the proposed ones",
    )
    p.add_argument(
        "--examples-only",
        action="store_true",
        help="print the examples the code would be judged by, and stop (no code written)",
    )
    p.add_argument(
        "--no-check",
        dest="checks",
        action="store_false",
        default=None,
        help="don't check the generated files (compile, names, links, ids)",
    )
    p.add_argument(
        "--repair-rounds",
        type=int,
        help="regenerate a file with findings at most this many times (default 1)",
    )
    p.add_argument(
        "--no-run",
        dest="run_examples",
        action="store_false",
        default=None,
        help="don't run the project's examples (the generated code is run isolated otherwise)",
    )
    p.add_argument(
        "--run-rounds", type=int, help="rounds of repairs from what running showed (default 2)"
    )
    p.add_argument(
        "--run",
        metavar="FOLDER",
        help="run one command over a temporary, isolated copy of FOLDER: "
        "--run FOLDER -- python app.py ARGS",
    )
    p.add_argument(
        "--add-missing",
        action="store_true",
        help="add files the project references but doesn't list, and write them",
    )
    p.add_argument(
        "--fix-error",
        metavar="TEXT_OR_FILE",
        help="fix an existing project (in --generate_folder_path) given the error you "
        "got when running it (text, or a file holding it)",
    )
    p.add_argument(
        "--improve",
        metavar="FOLDER",
        help="change the project in FOLDER as --prompt asks: only what changed is written, "
        "the previous content kept under FOLDER/.smol/versions, a unified diff printed",
    )
    p.add_argument("--dry-run", action="store_true", help="with --improve: only print the diff")
    p.add_argument("--undo", metavar="FOLDER", help="undo the latest --improve of FOLDER")
    p.add_argument(
        "--edit-format",
        choices=("auto", "whole", "blocks", "functions"),
        help="how --improve rewrites a file: whole, search/replace blocks, the changed Python "
        "functions only, or auto (default)",
    )
    p.add_argument("--debug", action="store_true", help="show the streamed text of every step")
    return p


def read_spec(value: str) -> str:
    """A spec given as text, or as the path of a text file."""
    candidate = Path(value)
    if len(value) < 4096 and "\n" not in value and candidate.suffix.lower() in (".md", ".txt"):
        if not candidate.is_file():
            raise SmolError(f"No such spec file: {value}")
        return validate_spec(candidate.read_bytes())
    return validate_spec(value)


def main(
    argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--run" in argv and "--" in argv:  # everything after `--` is the command, untouched
        cut = argv.index("--")
        argv, command = argv[:cut], argv[cut + 1 :]
    args = build_parser().parse_args(argv)
    settings: Settings | None = None
    shown: Shown | None = None
    try:
        settings = Settings.from_env(
            provider=args.provider,
            model=args.model,
            base_url=args.base_url,
            concurrency=args.concurrency,
            temperature=args.temperature,
            timeout=args.timeout,
            max_tokens=args.max_tokens,
            structured_mode=args.structured_mode,
            checks=args.checks,
            repair_rounds=args.repair_rounds,
            edit_format=args.edit_format,
            run_examples=args.run_examples,
            run_rounds=args.run_rounds,
        )
        progress = Progress(stderr, args.debug)
        started = time.monotonic()
        if args.run:
            return _run_command(args.run, command, settings, stdout, stderr)
        if args.fix_error:
            return _fix_error(args, settings, progress, stdout)
        if args.undo:
            return undo_command(args.undo, stdout)
        if args.improve:
            if not (args.prompt or args.prompt_arg):
                raise SmolError("No change request: pass --prompt 'text' or --prompt change.md")
            request = read_spec(args.prompt or args.prompt_arg)
            return improve_command(
                args.improve,
                request,
                settings,
                progress,
                progress.say,
                stdout,
                dry_run=args.dry_run,
            )
        raw = args.prompt or args.prompt_arg
        if not raw:
            raise SmolError("No spec: pass --prompt 'text' or --prompt spec.md")
        spec = read_spec(raw)
        plan = Path(args.plan_file).read_text(encoding="utf-8") if args.plan_file else None
        given = read_examples(args.examples) if args.examples else None
        if args.examples_only:  # the given ones as read, or the proposed ones: no code written
            if given is None:
                shown = Shown(None, progress)  # printed below, once
                given = asyncio.run(propose_all(spec, settings, shown, plan=plan)).examples
            stdout.write(examples_text(given))
            return 0
        shown = Shown(stdout, progress)

        async def whole() -> Project:
            project = await run_all(spec, settings, shown, plan=plan, examples=given)
            if args.add_missing and settings.checks:
                added = await add_missing_files(project, settings, applying(project, progress))
                if added:
                    progress.say(f"added {len(added)} missing file(s): {', '.join(added)}")
            return project

        project = asyncio.run(whole())
        return _deliver(project, settings, args, stdout, stderr, time.monotonic() - started)
    except KeyboardInterrupt:
        stderr.write("\ninterrupted\n")
        if shown is not None and shown.files:
            # What was written before Ctrl+C is kept, said as unchecked (it may lack files).
            report = write_folder(Path(args.out), shown.files)
            kept = len(shown.files) - len(report.rejected)
            stderr.write(f"kept the {kept} file(s) written so far in {args.out} (not checked)\n")
        return 130
    except (SmolError, ValueError, OSError) as exc:
        stderr.write(f"\nerror: {describe(exc, settings) if isinstance(exc, SmolError) else exc}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - one readable line, never a traceback
        stderr.write(f"\nerror: {describe(exc, settings)}\n")
        return 1


def read_examples(path: str) -> list[Example]:
    """`--examples FILE`: the table as Markdown or JSON (what `--examples-only` prints)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SmolError(f"Can't read the examples file {path}: {exc.strerror}") from None
    try:
        return examples_from_table(text)
    except ValueError as exc:
        raise SmolError(f"The examples in {path} can't be used: {exc}") from None


def examples_text(examples: list[Example]) -> str:
    """The examples in plain words, as a Markdown table (readable, and `--examples` takes it)."""
    rows = rows_of(examples)
    if not rows:
        return "\nNo examples: the code will only be checked to run cleanly.\n"
    return f"\nExamples the code will be judged by ({len(rows)}):\n\n{to_markdown(rows)}"


class Shown:
    """Progress, and the examples printed the moment they are known, before any code (with
    how long the step took after the file list)."""

    def __init__(self, out: TextIO | None, progress: Progress):
        self.out, self.progress, self.done, self.listed = out, progress, False, 0.0
        self.files: dict[str, str] = {}  # the latest text of each file written: kept on Ctrl+C

    def __call__(self, event: Event) -> None:
        if isinstance(event, FileListDone):
            self.listed = time.monotonic()
        if isinstance(event, FileDone):
            self.files[event.path] = event.content
        if isinstance(event, ExamplesReady) and not self.done:
            self.done = True  # later ones add the smoke checks, once the code is there
            took = time.monotonic() - self.listed if self.listed else 0.0
            self.progress.say(f"examples: {len(event.examples)} proposed in {took:.1f}s")
            if self.out is not None:
                self.out.write(examples_text(list(event.examples)))
                self.out.flush()
            return  # said above: they are not running yet
        self.progress(event)


def _run_command(
    folder: str, command: list[str], settings: Settings, stdout: TextIO, stderr: TextIO
) -> int:
    """`--run FOLDER -- CMD`: the command over an isolated copy; its output, then its status."""
    from .importing import import_folder
    from .running.sandbox import WITHOUT_ISOLATION, Sandbox

    if not command:
        raise SmolError("No command: --run FOLDER -- python app.py ARGS")
    found = import_folder(folder)
    with Sandbox(
        {**found.texts, **found.binary}, allow_unisolated=settings.allow_unisolated
    ) as box:
        if not box.isolated:  # said before anything runs
            allow = (
                "" if settings.allow_unisolated else " Set SMOL_ALLOW_UNISOLATED=true to run it."
            )
            stderr.write(
                f"[this machine can't isolate generated code ({box.isolation[6:]}). "
                f"{WITHOUT_ISOLATION}{allow}]\n"
            )
        result = box.run(command)
    stdout.write(result.stdout)
    stderr.write(result.stderr)
    status = "not run" if result.exit_code is None and not result.timed_out else result.exit_code
    stderr.write(
        f"\n[{' '.join(command)}: exit status {status}, {result.seconds:.2f} s, "
        f"isolation: {result.isolation}{'; ' + result.reason if result.reason else ''}]\n"
    )
    return result.exit_code if result.exit_code is not None else 1


def _fix_error(
    args: argparse.Namespace, settings: Settings, progress: Progress, stdout: TextIO
) -> int:
    """Regenerate the files of an existing project that an error concerns, in place."""
    out = Path(args.out)
    manifest_file = out / MANIFEST_NAME
    if not manifest_file.is_file():
        raise SmolError(f"No {MANIFEST_NAME} in {out}: --fix-error works on a folder we wrote.")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    listed = [(str(f["path"]), str(f.get("purpose", ""))) for f in manifest.get("files", [])]
    project = restore(manifest.get("spec", ""), manifest.get("plan", ""), listed)
    project.contents = read_folder(out, project.paths)
    error = args.fix_error
    if len(error) < 4096 and "\n" not in error and Path(error).is_file():
        error = Path(error).read_text(encoding="utf-8", errors="replace")
    chosen = asyncio.run(fix_from_error(project, error, settings, applying(project, progress)))
    if not chosen:
        raise SmolError("The error text is empty.")
    write_folder(out, {p: project.contents[p] for p in chosen if p in project.contents})
    stdout.write(f"\nregenerated {', '.join(chosen)} in {out}\n")
    return 2 if any(p in project.failed for p in chosen) else 0


def _deliver(
    project: Project,
    settings: Settings,
    args: argparse.Namespace,
    stdout: TextIO,
    stderr: TextIO,
    seconds: float,
) -> int:
    manifest = project.manifest(settings)
    out = Path(args.out)
    files = dict(project.contents)
    files[MANIFEST_NAME] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    report = write_folder(out, files)
    for r in report.rejected:
        stderr.write(f"not written {r.path!r}: {r.reason}\n")
    if args.zip_path:
        Path(args.zip_path).write_bytes(build_zip(project.contents, manifest=manifest))
    u = project.usage
    stdout.write(
        f"\n{len(project.contents)}/{len(project.files)} files in {out} ({seconds:.1f}s; "
        f"{u.prompt_tokens} prompt + {u.completion_tokens} completion tokens, "
        f"{u.cached_tokens} cached)\n"
    )
    failing = [p for p in project.paths if project.check_status(p) == "failing"]
    if failing:
        stderr.write(f"still failing checks: {', '.join(failing)}\n")
    missing = referenced_missing(project)
    if missing:
        stderr.write(
            "referenced but not in the project: "
            + ", ".join(f.path for f in missing)
            + " (run again with --add-missing to write them)\n"
        )
    if project.run_note and project.examples:
        stderr.write(f"examples not run: {project.run_note}\n")
    if project.results:  # what was checked, never more: an example that only ran is no proof
        stdout.write(f"{run_summary(project)}\n{counts_line(project)}\n")
    if project.failed:
        stderr.write(f"{len(project.failed)} file(s) failed: {', '.join(sorted(project.failed))}\n")
        return 2
    if project.examples_state() == "failing":
        names = ", ".join(r.name for r in project.failing_examples())
        stderr.write(f"still failing when run: {names}\n")
        return 2
    return 0
