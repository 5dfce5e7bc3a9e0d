"""Checker: logstats.py prints requests/errors/bytes/busiest path for access.log.

Runs on the shipped access.log and on a second, different access.log (so fixed numbers fail).
"""
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

OTHER_LOG = """\
192.168.1.9 - - [11/Mar/2024:08:00:01 +0000] "GET /docs/start HTTP/1.1" 200 8000
192.168.1.9 - - [11/Mar/2024:08:00:05 +0000] "GET /docs/start HTTP/1.1" 304 -
192.168.1.7 - - [11/Mar/2024:08:01:00 +0000] "GET /api/v2/users HTTP/1.1" 503 19
192.168.1.7 - - [11/Mar/2024:08:01:02 +0000] "GET /api/v2/users HTTP/1.1" 200 1024
192.168.1.7 - - [11/Mar/2024:08:01:03 +0000] "DELETE /api/v2/users HTTP/1.1" 403 44
192.168.1.8 - - [11/Mar/2024:08:02:00 +0000] "GET /favicon.ico HTTP/1.1" 404 0
192.168.1.8 - - [11/Mar/2024:08:02:30 +0000] "GET /api/v2/users HTTP/1.1" 200 1024
192.168.1.2 - - [11/Mar/2024:08:03:00 +0000] "POST /index.html HTTP/1.1" 400 7
"""


def fail(msg):
    print("FAIL: " + " ".join(str(msg).split()))
    sys.exit(1)


def run(project, args, timeout=15):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        p = subprocess.run([sys.executable] + args, cwd=project, capture_output=True,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail("timed out: python " + " ".join(args))
    return p


def expected(text):
    lines = [l for l in text.splitlines() if l.strip()]
    errors = sent = 0
    paths = Counter()
    for l in lines:
        status, size = l.split('"')[2].split()
        errors += int(status) >= 400
        sent += 0 if size == "-" else int(size)
        paths[l.split('"')[1].split()[1]] += 1
    return {"requests": len(lines), "errors": errors, "bytes": sent,
            "busiest path": paths.most_common(1)[0][0]}


def figure(out, label):
    m = re.search(r"^\s*" + re.escape(label) + r"\s*:\s*(.+?)\s*$", out, re.I | re.M)
    if not m:
        fail(f"no line `{label}: ...` in output {out!r}")
    return m.group(1)


def check_once(project, log_text, what):
    p = run(project, ["logstats.py"])
    if p.returncode != 0:
        fail(f"logstats.py exited {p.returncode} on {what}: {p.stderr.strip()[-300:]}")
    out = p.stdout
    want = expected(log_text)
    for label in ("requests", "errors", "bytes"):
        raw = figure(out, label).replace(",", "")
        if not re.fullmatch(r"\d+", raw) or int(raw) != want[label]:
            fail(f"{what}: {label} {figure(out, label)!r}, want {want[label]}")
    if figure(out, "busiest path") != want["busiest path"]:
        fail(f"{what}: busiest path {figure(out, 'busiest path')!r}, want {want['busiest path']}")
    order = [out.lower().find(l + ":") for l in ("requests", "errors", "bytes", "busiest path")]
    if order != sorted(order):
        fail(f"{what}: figures are not in the requested order")


def main(project):
    if not (project / "logstats.py").exists():
        fail("logstats.py is missing")
    data = project / "access.log"
    if not data.exists():
        fail("access.log is missing")
    original = data.read_bytes()
    try:
        check_once(project, original.decode("utf-8"), "the shipped access.log")
        data.write_text(OTHER_LOG, encoding="utf-8")
        check_once(project, OTHER_LOG, "a different access.log")
    finally:
        data.write_bytes(original)
    print("PASS: logstats.py prints correct labelled figures for the shipped and a different access.log")
    sys.exit(0)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]).resolve())
    except SystemExit:
        raise
    except Exception as e:
        fail(f"checker hit an error: {e!r}")
