"""Page checks work after the start command alone (issue 33): a fresh virtual environment with
only `requirements.txt` installed, the part of the start requirements that page checks use (the
rest of requirements-local.txt is the built-in model: its server and its weights, which no page
check touches), checks a counter page in Chromium, found as a person's machine has it (on
PATH here; no SMOL_BROWSER, no CHROMIUM_PATH).

The environment is built once per requirements.txt (named by its hash, under /tmp) so a rerun
is quick; `-m "not fresh_install"` leaves this out.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from tests.harness import ROOT

pytestmark = pytest.mark.fresh_install

REQUIREMENTS = ROOT / "requirements.txt"
INSTALL_SECONDS = 600

COUNTER = """<!doctype html>
<html><body>
<button id="minus">-</button> <span id="count">0</span> <button id="plus">+</button>
<script>
  let n = Number(localStorage.getItem("count") || 0);
  const show = () => { document.getElementById("count").textContent = n; };
  const save = () => { localStorage.setItem("count", n); show(); };
  document.getElementById("plus").addEventListener("click", () => { n += 1; save(); });
  document.getElementById("minus").addEventListener("click", () => { n -= 1; save(); });
  show();
</script>
</body></html>
"""

# Run with the fresh environment's Python, from the repository (as `streamlit run` would).
CHECK = """
    import json, sys
    from smol_core.records import Example, PageStep
    from smol_core.running.browser import browser_path, unavailable
    from smol_core.running.execute import run_examples

    page = open(sys.argv[1]).read()
    steps = (PageStep("click", "plus"), PageStep("click", "plus"), PageStep("text", "count", "2"),
             PageStep("reload", ""), PageStep("text", "count", "2"),
             PageStep("click", "minus"), PageStep("text", "count", "1"))
    [result] = run_examples({"index.html": page}, [Example("counter", "page", page="index.html",
                                                           steps=steps)], allow_unisolated=True)
    print(json.dumps({"status": result.status, "reason": result.reason,
                      "browser": browser_path(), "why_not": unavailable()}))
"""


def fresh_python() -> Path:
    """A virtual environment with requirements.txt only, built once per its content."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    home = Path(os.environ.get("SMOL_FRESH_VENV_DIR", "/tmp")) / f"smol-fresh-{digest}"
    python = home / "bin" / "python"
    if (home / "ready").exists():
        return python
    shutil.rmtree(home, ignore_errors=True)
    venv.create(home, with_pip=True)
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            str(REQUIREMENTS),
        ],
        capture_output=True,
        text=True,
        timeout=INSTALL_SECONDS,
    )
    if done.returncode != 0:
        pytest.fail(f"pip install -r requirements.txt failed:\n{done.stdout}\n{done.stderr}")
    (home / "ready").write_text(digest)
    return python


def child_env() -> dict[str, str]:
    """The repository importable (as `streamlit run streamlit_app.py` makes it), and no browser
    named: it is found as on a person's machine."""
    env = {k: v for k, v in os.environ.items() if k not in ("SMOL_BROWSER", "CHROMIUM_PATH")}
    return {**env, "PYTHONPATH": str(ROOT)}


def test_a_page_is_checked_after_the_start_requirements_alone(tmp_path, capsys):
    found = shutil.which("chromium") or shutil.which("google-chrome") or shutil.which("chrome")
    if found is None:
        pytest.skip("no Chromium-family browser on PATH (as a person's machine would have)")
    python = fresh_python()
    listed = subprocess.run(
        [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    assert "playwright==" in listed and "xllamacpp" not in listed and "pytest" not in listed
    page = tmp_path / "index.html"
    page.write_text(COUNTER)
    script = tmp_path / "check.py"
    script.write_text(textwrap.dedent(CHECK))
    done = subprocess.run(
        [str(python), str(script), str(page)],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said == {"status": "pass", "reason": "", "browser": found, "why_not": ""}, said
    with capsys.disabled():
        print(f"\n[fresh install] {python.parent.parent.name}: counter page passed in {found}")


def test_the_checked_page_really_is_checked(tmp_path):
    """The same check, with the page broken, fails (the pass above is not a page unchecked)."""
    if shutil.which("chromium") is None:
        pytest.skip("no Chromium on PATH")
    python = fresh_python()
    page = tmp_path / "index.html"
    page.write_text(COUNTER.replace("n += 1", "n += 2"))
    script = tmp_path / "check.py"
    script.write_text(textwrap.dedent(CHECK))
    done = subprocess.run(
        [str(python), str(script), str(page)],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["status"] == "fail" and 'expected "2", got "4"' in said["reason"], said
    assert sys.executable != str(python)
