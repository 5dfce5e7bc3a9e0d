"""Progress that tells the truth on slow hardware: tokens written, tokens a second and the
time left, per file and for the files waiting, from the same events the page and CLI watch."""

from __future__ import annotations

import re

from smol_core.events import FileDelta, FileDone, FileStarted
from smol_core.studio.progress import WriteMeter, seconds_words
from tests.conftest import FILES
from tests.test_cli_and_api import _cli, cli_env  # noqa: F401  (fixture)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_meter_measures_tokens_a_second_and_the_time_left():
    clock = Clock()
    meter = WriteMeter(["a.py", "b.py", "c.md"], clock=clock)
    meter(FileStarted("a.py"))
    clock.now += 30  # the wait for the first token (prefill) is not slow writing
    for _ in range(101):
        meter(FileDelta("a.py", "x"))
        clock.now += 0.1  # 10 tokens a second
    got = meter(FileDelta("a.py", "x"))
    assert got is not None and got.tokens == 102
    assert abs(got.tokens_per_second - 10.0) < 0.2
    # A .py file is expected at 450 tokens before any file is done: ~35 s left for it, and
    # b.py (450) and c.md (250) wait after it.
    assert got.waiting == 2 and 33 < got.file_seconds_left < 37
    assert 100 < got.all_seconds_left < 110
    assert "102 tokens, 10.0 tokens/s, about 35 s left (2 more file(s) after it" in got.words()
    done = meter(FileDone("a.py", "x" * 400))
    assert done is not None and done.file_seconds_left == 0
    # Once a file is done, its size is what the next ones are expected to take.
    meter(FileStarted("b.py"))
    assert meter.expected("b.py") == 102
    # A rewrite is expected at the size of the file it rewrites.
    assert WriteMeter(["c.py"], current={"c.py": "y" * 700}).expected("c.py") == 200


def test_time_is_said_the_way_a_person_says_it():
    assert seconds_words(3) == "a few seconds left"
    assert seconds_words(42) == "about 40 s left"
    assert seconds_words(200) == "about 3 min left"


def test_the_cli_says_tokens_and_speed_for_each_file(cli_env, tmp_path):  # noqa: F811
    spec = tmp_path / "spec.md"
    spec.write_text("a greeter program", encoding="utf-8")
    code, stdout, stderr = _cli(
        ["--prompt", str(spec), "--generate_folder_path", str(tmp_path / "out"), "--no-run"]
    )
    assert code == 0, stderr
    lines = re.findall(r"wrote (\S+) \((\d+) tokens", stdout + stderr)
    assert {p for p, _ in lines} == set(FILES)
    assert all(int(n) > 3 for _, n in lines)


def test_a_repair_does_not_change_what_the_next_files_are_expected_to_take():
    clock = Clock()
    meter = WriteMeter(["a.py", "b.py", "c.py"], clock=clock)
    for path, n in (("a.py", 300), ("a.py", 20)):  # written, then repaired with one function
        meter(FileStarted(path))
        for _ in range(n):
            meter(FileDelta(path, "x"))
            clock.now += 0.1
        meter(FileDone(path, "x"))
    assert meter.expected("b.py") == 300
