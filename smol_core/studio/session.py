"""A person's working session, for the page: the project in hand, kept in step with the history.

The page holds one `Studio` per browser session and only renders it; every decision (which key,
which paths are valid, what is saved when, what goes in the zip) is made here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..bundle import build_zip, zip_problem
from ..errors import LimitError
from ..events import ChecksDone, Emit, Event
from ..paths import Rejected, check_paths, normalize_path, safe_repr
from ..project import Project
from ..quality.checks import check_project
from ..records import FileSpec
from ..settings import OPENAI_URL, Limits, Settings, env_flag, public_host, same_endpoint
from ..steps.spec import validate_spec
from ..usage import TokenUsage
from .access import KEY_NAMES, CodeGate, KeyChoice, KeyPolicy, choose_key, policy_from
from .history import RunRecord, RunStore
from .recorder import Recorder

MAX_UPLOAD_BYTES = 200_000


def merged_config(secrets: Mapping[str, object], env: Mapping[str, str]) -> dict[str, str]:
    """The environment with the page's secrets on top: the one place the two are merged.

    Only plain values of the secrets count (a TOML table is not a setting), as strings.
    """
    plain = {k: str(v) for k, v in secrets.items() if isinstance(v, (str, int, float, bool))}
    return {**env, **plain}


@dataclass(frozen=True)
class PageConfig:
    """What the page reads from secrets and the environment, merged once per rerun."""

    secrets: Mapping[str, object] = field(repr=False)
    env: Mapping[str, str] = field(repr=False)
    merged: Mapping[str, str] = field(repr=False)
    policy: KeyPolicy

    @property
    def keyless(self) -> dict[str, str]:
        # Keys are taken out before Settings reads them: on Community Cloud the owner's secrets
        # are exported as env vars too, and must not slip in past the policy.
        return {k: v for k, v in self.merged.items() if k not in KEY_NAMES}

    @property
    def default_provider(self) -> str:
        """Nothing chosen yet: a usable owner key means OpenAI-style; otherwise the built-in
        model (an endpoint in the configuration means that endpoint)."""
        merged = self.merged
        has_endpoint = bool(merged.get("SMOL_BASE_URL") or merged.get("OPENAI_BASE_URL"))
        return merged.get("SMOL_PROVIDER") or (
            "compatible" if has_endpoint else "openai" if self.policy.has_owner_key else "local"
        )

    def defaults(self, provider: str) -> Settings:
        """The values the sidebar's widgets start from for this provider (no key in them)."""
        return Settings.from_env(self.keyless, provider=provider)

    @property
    def asks_access_code(self) -> bool:
        """The owner's key is locked by a code a visitor may enter (for any provider but the
        built-in model)."""
        return bool(self.policy.has_owner_key and self.policy.locked and self.policy.access_code)

    @property
    def hosted(self) -> bool:
        """A deployment (its configuration is in Streamlit secrets) or SMOL_HOSTED=true: then
        each session has a budget of runs and requests (Limits)."""
        return bool(self.secrets) or env_flag(self.merged.get("SMOL_HOSTED"))

    @property
    def limits(self) -> Limits:
        return Limits.from_env(self.merged, self.hosted)

    @property
    def shared_history(self) -> bool:
        """SMOL_SHARED_HISTORY: everyone sees every run (a private deployment)."""
        return env_flag(self.merged.get("SMOL_SHARED_HISTORY"))

    def history_scope(self, owner: str) -> str | None:
        """Whose runs the page lists and may open: this browser's, or everyone's when shared."""
        return None if self.shared_history else owner

    @property
    def owner_endpoint(self) -> str | None:
        """The base URL the owner configured (None: OpenAI's), the only one their key goes to."""
        keyless = self.keyless
        return keyless.get("SMOL_BASE_URL") or keyless.get("OPENAI_BASE_URL") or None

    @property
    def owner_endpoint_label(self) -> str:
        return public_host(self.owner_endpoint or "https://api.openai.com/v1")

    def settings(
        self,
        *,
        provider: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        visitor_key: str | None = None,
        access_code: str | None = None,
        temperature: float | None = None,
        concurrency: int | None = None,
        gate: CodeGate | None = None,
    ) -> tuple[Settings, KeyChoice]:
        """Settings for one page session, applying the owner-key policy of access.py.

        The owner's key goes only to the owner's endpoint: with any other base URL the visitor
        brings their own key (the settings carry `key_endpoint`, so the client refuses too).
        """
        policy, keyless = self.policy, self.keyless
        if provider is None:
            provider = self.default_provider
        choice = choose_key(policy, visitor_key, access_code, gate)
        if provider == "local":
            choice = KeyChoice(None, "none")
        settings = Settings.from_env(
            keyless,
            provider=provider,
            model=model or None,
            base_url=base_url or None,
            temperature=temperature,
            concurrency=concurrency,
        )
        owners = provider != "local" and same_endpoint(settings.base_url, self.owner_endpoint)
        if choice.source == "owner":
            if owners:
                bound = self.owner_endpoint or OPENAI_URL  # with_() would skip a None
                settings = settings.with_(api_key=choice.api_key, key_endpoint=bound)
            else:
                choice = KeyChoice(
                    None,
                    "none",
                    f"The studio's key works only with {self.owner_endpoint_label}: "
                    "for another endpoint, enter your own API key.",
                )
        elif choice.source == "visitor":
            settings = settings.with_(api_key=choice.api_key)
        if policy.has_owner_key and owners and choice.source == "none":
            # The owner's endpoint is as much theirs as the key: a visitor who may not use the
            # key must not reach it keyless either (the client would send a placeholder key).
            settings = settings.with_(key_required=True)
        if not self.runs_code:
            settings = settings.with_(run_examples=False)
        return settings, choice

    @property
    def runs_code(self) -> bool:
        """Whether generated code is run here (SMOL_RUN_EXAMPLES): on a person's own machine
        by default; on a hosted studio it would run on the owner's machine, so only if the
        owner turns it on."""
        return env_flag(self.merged.get("SMOL_RUN_EXAMPLES"), default=not self.hosted)


def page_config(secrets: Mapping[str, object], env: Mapping[str, str]) -> PageConfig:
    """Read secrets and the environment once: the page builds everything else from this."""
    return PageConfig(secrets, env, merged_config(secrets, env), policy_from(secrets, env))


def page_settings(
    secrets: Mapping[str, object], env: Mapping[str, str], **choices: Any
) -> tuple[Settings, KeyChoice]:
    """Settings for one page session, applying the owner-key policy of access.py; `choices`
    are the keyword arguments of `PageConfig.settings` (provider, model, base_url, ...).

    Keys are taken out of the environment before Settings reads it: on Community Cloud the
    owner's secrets are exported as env vars too, and must not slip in past the policy.
    """
    return page_config(secrets, env).settings(**choices)


def read_upload(name: str, data: bytes) -> str:
    """An uploaded spec file, checked: text only, not huge."""
    from ..errors import SpecError

    shown = path_label(name)  # a browser sends any name: shown escaped
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpecError(
            f"{shown} is too large ({len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,})."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(f"{shown} is not UTF-8 text.") from None
    try:
        return validate_spec(text)
    except SpecError as exc:
        raise SpecError(f"{shown}: {exc}") from None


def repair_note(project: Project, path: str) -> str | None:
    """What the page says under a file that the checks made us change, if anything."""
    if project.fixed.get(path):
        return "Fixed without the model: " + "; ".join(project.fixed[path]) + "."
    if project.check_status(path) == "repaired":
        return "This file was written again to fix what the checks found."
    return None


def path_label(path: str) -> str:
    """A path as Markdown inline code, safe to show whatever a model or a person typed.

    Control, bidi, zero-width and other invisible characters would garble the message around
    them (a right-to-left override reverses the rest of the line), and a 5,000-character name
    would bury it: such paths are shown escaped and shortened. Backticks in the path can't end
    the code span early.
    """
    text = path if path.isprintable() and len(path) <= 80 else safe_repr(path)
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


@dataclass
class TableCheck:
    files: list[FileSpec]
    rejected: list[Rejected]


def check_table(rows: Iterable[Mapping[str, object]], max_files: int = 60) -> TableCheck:
    """The edited file table → valid FileSpecs and the rows refused (with the core's reasons);
    rows past `max_files` are refused too (the model's list has the same cap)."""
    raw: list[tuple[str, str]] = []
    for row in rows:
        path = row.get("path")
        if not isinstance(path, str) or not path.strip():
            continue  # an empty new row is not an error, just nothing yet
        purpose = row.get("purpose")
        raw.append((path, purpose if isinstance(purpose, str) else ""))
    check = check_paths(p for p, _ in raw)
    purposes: dict[str, str] = {}
    for path, purpose in raw:
        try:
            purposes.setdefault(normalize_path(path), purpose)
        except ValueError:
            continue
    files = [FileSpec(p, purposes.get(p, "")) for p in check.accepted]
    rejected = list(check.rejected)
    if len(files) > max_files:
        why = f"more than {max_files} files in one run (the limit)"
        rejected += [Rejected(f.path, why) for f in files[max_files:]]
        files = files[:max_files]
    return TableCheck(files, rejected)


@dataclass
class Studio:
    store: RunStore
    owner: str
    run_id: str | None = None
    project: Project | None = None
    editor_rev: dict[str, int] = field(default_factory=dict)  # bump → the editor shows new text
    _last_rev: int = field(default=0, repr=False)  # revs are never reused within a session
    limits: Limits = field(default_factory=Limits)
    read_only: bool = False  # a run opened from a share link: viewed and downloaded only
    runs_started: int = 0
    requests_used: int = 0

    def _writable(self) -> None:
        if self.read_only:
            raise LimitError(
                "This run was shared with you to read: copy it into your projects to change it."
            )

    def editor_key(self, path: str) -> str:
        """The editor widget's key for a file: new whenever the editor must show new text.

        A widget keeps its value while its key stays the same, so a key must never be reused
        for other text: after a run is opened or started, every file gets a rev never used
        before in this session (else an edit made in one run would be saved into another).
        """
        if path not in self.editor_rev:
            self._bump(path)
        return f"ace::{path}::{self.editor_rev[path]}"

    def _bump(self, path: str) -> None:
        self._last_rev += 1
        self.editor_rev[path] = self._last_rev

    def start(self, spec: str, settings: Settings) -> None:
        self._writable()
        spec = validate_spec(spec)
        cap = self.limits.runs_per_session
        if cap and self.runs_started >= cap:
            raise LimitError(f"This session has started its {cap} runs (the limit here).")
        self.runs_started += 1
        self.run_id = self.store.create_run(
            owner=self.owner,
            spec=spec,
            model=settings.model,
            base_url="" if settings.provider == "local" else settings.base_url or "",
        )
        self.project = Project(spec=spec)
        self.editor_rev = {}

    def emitter(self, settings: Settings) -> Emit:
        """Apply each event to the project and save it to the history, as it happens."""
        assert self.project is not None and self.run_id is not None
        self._writable()
        cap = self.limits.requests_per_session
        if cap and self.requests_used >= cap:
            raise LimitError(f"This session has made its {cap} model requests (the limit here).")
        recorder = Recorder(self.store, self.run_id, settings.model)
        project = self.project

        def emit(event: Event) -> None:
            before = project.usage.requests
            project.apply(event)
            self.requests_used += max(0, project.usage.requests - before)
            recorder(event)
            if event.kind in ("examples_ready", "example_done"):
                self.store.save_examples(self.run_id or "", project.examples_record())
            path = getattr(event, "path", None)
            if event.kind == "file_done" and path:
                self._bump(path)

        return emit

    def set_plan(self, plan: str) -> None:
        assert self.project is not None and self.run_id is not None
        self._writable()
        cap = self.limits.plan_chars
        if len(plan) > cap:
            raise LimitError(
                f"The plan is too long ({len(plan):,} characters; the limit is {cap:,})."
            )
        self.project.plan = plan.strip()
        self.store.save_plan(self.run_id, self.project.plan)

    def set_files(self, files: list[FileSpec]) -> None:
        assert self.project is not None and self.run_id is not None
        self._writable()
        self.project.files = list(files)
        keep = {f.path for f in files}
        for gone in [p for p in self.project.contents if p not in keep]:
            del self.project.contents[gone]
        for gone in [p for p in self.project.failed if p not in keep]:
            del self.project.failed[gone]
        self.store.save_file_list(self.run_id, [(f.path, f.purpose) for f in files])

    def edit(self, path: str, content: str) -> bool:
        """Keep a person's edit of one file; False if nothing changed."""
        assert self.project is not None and self.run_id is not None
        if self.project.contents.get(path) == content:
            return False
        self._writable()
        cap = self.limits.file_chars
        if len(content) > cap:
            raise LimitError(
                f"{path_label(path)} is too long to keep ({len(content):,} characters; "
                f"the limit is {cap:,})."
            )
        self.project.contents[path] = content
        self.project.fixed.pop(path, None)  # the person's text now, not our fix
        self.project.by_hand.add(path)
        self.store.save_edit(self.run_id, path, content)
        self.recheck()
        return True

    def recheck(self) -> None:
        """Run the checks again (no model involved): after an edit, or on reopening a run."""
        if self.project is not None and self.project.contents:
            report = check_project(self.project.contents, self.project.plan, self.project.spec)
            # Round 0 would start the "repaired" bookkeeping over; a later round keeps it.
            again = 1 if self.project.first_findings else 0
            self.project.apply(
                ChecksDone(findings=report.findings, notes=report.notes, round=again)
            )

    def open(self, run_id: str, owner: str | None) -> bool:
        """Reload a run from the history (after a refresh, a restart, or from the list)."""
        record = self.store.load_run(run_id, owner)
        return record is not None and self.load(record)

    def load(self, record: RunRecord) -> bool:
        """Show a run read from the history (a shared one too: then set read_only first)."""
        project = Project(spec=record.spec, plan=record.plan)
        # The history is a file on disk: what comes back from it is checked like anything a
        # model proposes (an unsafe name would otherwise reach the checks, editor and zip).
        check = check_paths(f.path for f in record.files)
        clean = set(check.accepted)
        project.rejected = list(check.rejected)
        project.rejected += [
            Rejected(f.path, "is not stored in its clean form")
            for f in record.files
            if f.path not in clean and f.path not in {r.path for r in check.rejected}
        ]
        project.files = [FileSpec(f.path, f.purpose) for f in record.files if f.path in clean]
        for f in record.files:
            if f.path not in clean:
                continue
            if f.present and f.content is not None:
                project.contents[f.path] = f.content
                if f.status == "truncated":
                    project.truncated.add(f.path)
                elif f.status == "edited":
                    project.by_hand.add(f.path)
            elif f.status == "failed":
                project.failed[f.path] = f.error or "failed"
        u = record.usage
        project.usage = TokenUsage(
            int(u.get("prompt_tokens", 0)),
            int(u.get("completion_tokens", 0)),
            int(u.get("cached_tokens", 0)),
            int(u.get("requests", 0)),
        )
        project.load_examples(record.examples)
        self.run_id, self.project, self.editor_rev = record.id, project, {}
        self.recheck()
        return True

    def zip_name(self) -> str:
        """A file name from the spec's first words: 'a-pomodoro-timer.zip'."""
        words = re.sub(r"[^a-z0-9]+", "-", (self.project.spec if self.project else "")[:40].lower())
        return (words.strip("-") or "project") + ".zip"

    def bundle(self, settings: Settings) -> bytes:
        """The zip of the files as they are now (edits included) plus the manifest."""
        assert self.project is not None
        return build_zip(self.project.all_files(), manifest=self.project.manifest(settings))

    def zip_problem(self) -> str | None:
        """Why the zip can't be built (an unsafe or clashing name), or None: names only, cheap
        enough for every rerun."""
        assert self.project is not None
        return zip_problem(self.project.contents)

    def bundler(self, settings: Settings) -> Callable[[], bytes]:
        """The zip, built only when called: the page's download button calls it on click (in
        another thread), so a rerun never pays for it (~0.1-0.2 s for 100 files of 50 KB).
        It zips this project's files as they are at the click, edits included."""
        assert self.project is not None
        project = self.project

        def build() -> bytes:
            # A copy first: a generation running in the script thread may add files meanwhile.
            return build_zip(project.all_files(), manifest=project.manifest(settings))

        return build
