import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


class Fail(Exception):
    pass


def done(ok, why):
    why = " ".join(str(why).split())[:400]
    print(("PASS: " if ok else "FAIL: ") + why)
    sys.exit(0 if ok else 1)


def child_env(extra=None):
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    if extra:
        env.update(extra)
    return env


def run_py(proj, args, stdin="", timeout=15, env=None):
    """Run `python ARGS` with cwd=proj; never hangs."""
    cmd = [sys.executable] + [str(a) for a in args]
    try:
        return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                              timeout=timeout, cwd=proj, env=env or child_env(),
                              encoding="utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        raise Fail("timed out after %ss: python %s" % (timeout, " ".join(str(a) for a in args)))


def short(s, n=160):
    s = (s or "").strip().replace("\n", "\\n")
    return s if len(s) <= n else s[:n] + "..."


def lines_of(s):
    return [l.rstrip() for l in (s or "").strip("\n").splitlines()]


def need_file(proj, name):
    path = os.path.join(proj, name)
    if not os.path.isfile(path):
        raise Fail("missing file %s" % name)
    return path


SKIP_DIRS = {".git", "__pycache__", "venv", ".venv", "env", "node_modules", "tests", "test", "reference"}
SKIP_NAMES = {"check.py", "setup.py", "conftest.py"}


def py_files(proj, max_depth=2):
    out = []
    for root, dirs, files in os.walk(proj):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        depth = os.path.relpath(root, proj).count(os.sep) + (0 if root == proj else 1)
        if depth > max_depth:
            dirs[:] = []
            continue
        for f in sorted(files):
            if f.endswith(".py") and f not in SKIP_NAMES and not f.startswith("test_") and not f.endswith("_test.py"):
                out.append(os.path.join(root, f))
    return out


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def entry_candidates(proj):
    """Sensible guesses for the runnable script of a project that names no files."""
    pys = py_files(proj)
    if not pys:
        raise Fail("no Python file found in the project")
    mains = [p for p in pys if "__main__" in read_text(p)]
    if not mains:
        mains = [p for p in pys if re.search(r"sys\.argv|argparse|input\(|sys\.stdin", read_text(p))]
    cands = mains or pys
    pref = {"main.py": 0, "cli.py": 1, "app.py": 2, "__main__.py": 3}

    def key(p):
        rel = os.path.relpath(p, proj)
        return (rel.count(os.sep), pref.get(os.path.basename(p), 9), rel)
    return sorted(cands, key=key)


def main(check):
    if len(sys.argv) != 2:
        done(False, "usage: python check.py PROJECT_DIR")
    proj = os.path.abspath(sys.argv[1])
    if not os.path.isdir(proj):
        done(False, "project dir does not exist: %s" % proj)
    try:
        why = check(proj)
    except Fail as e:
        done(False, str(e))
    except Exception as e:  # a checker bug or an unexpected crash shape
        done(False, "unexpected %s: %s" % (type(e).__name__, e))
    done(True, why)


import http.client
import signal
import socket
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """Start `python ARGS` in proj as a server, wait for the port, always kill it."""

    def __init__(self, proj, args, port, env=None):
        self.proj, self.args, self.port = proj, [str(a) for a in args], port
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([sys.executable, "-u"] + self.args, cwd=proj, env=child_env(env),
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def wait_ready(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise Fail("server `python %s` exited with status %s before listening: %s"
                           % (" ".join(self.args), self.proc.returncode, short(self.output()[-300:])))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.15)
        raise Fail("server `python %s` did not listen on 127.0.0.1:%d within %ds; output: %s"
                   % (" ".join(self.args), self.port, timeout, short(self.output()[-300:])))

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                self.proc.wait(timeout=5)
        self.log.close()


def request(port, method, path, body=None, headers=None, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        return resp.status, resp.getheader("Content-Type") or "", data
    except (OSError, http.client.HTTPException) as e:
        raise Fail("%s %s failed: %s: %s" % (method, path, type(e).__name__, e))
    finally:
        conn.close()


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-6
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def call(port, method, path, want_status, want_json=None, body=None, error=False):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    status, ctype, data = request(port, method, path, body=body, headers=headers)
    what = "%s %s%s" % (method, path, (" with body %s" % body) if body is not None else "")
    if status != want_status:
        raise Fail("%s returned %d, expected %d (body %s)" % (what, status, want_status, short(data)))
    if not ctype.split(";")[0].strip().lower() == "application/json":
        raise Fail("%s Content-Type is %r, expected application/json" % (what, ctype))
    try:
        got = json.loads(data)
    except ValueError:
        raise Fail("%s body is not JSON: %s" % (what, short(data)))
    if error:
        if not (isinstance(got, dict) and isinstance(got.get("error"), str) and got["error"]):
            raise Fail("%s should return {\"error\": \"...\"}, got %s" % (what, short(data)))
    if want_json is not None and not same(got, want_json):
        raise Fail("%s returned %s, expected %s" % (what, short(data), json.dumps(want_json)))
    return got


def check(proj):
    need_file(proj, "server.py")
    port = free_port()
    srv = Server(proj, ["server.py"], port, env={"PORT": str(port)})
    try:
        srv.wait_ready()
        call(port, "GET", "/health", 200, {"status": "ok"})
        call(port, "GET", "/stats?numbers=3,1,4,1,5", 200,
             {"count": 5, "sum": 14, "mean": 2.8, "median": 3, "min": 1, "max": 5})
        call(port, "GET", "/stats?numbers=2.5,-1,10,4", 200,
             {"count": 4, "sum": 15.5, "mean": 3.875, "median": 3.25, "min": -1, "max": 10})
        call(port, "GET", "/stats?numbers=7", 200,
             {"count": 1, "sum": 7, "mean": 7, "median": 7, "min": 7, "max": 7})
        call(port, "GET", "/stats", 400, error=True)
        call(port, "GET", "/stats?numbers=", 400, error=True)
        call(port, "GET", "/stats?numbers=1,two,3", 400, error=True)
        call(port, "POST", "/reverse", 200, {"reversed": "olleh", "length": 5}, body=json.dumps({"text": "hello"}))
        call(port, "POST", "/reverse", 200, {"reversed": "", "length": 0}, body=json.dumps({"text": ""}))
        call(port, "POST", "/reverse", 200, {"reversed": "!dlrow ,olleH", "length": 13},
             body=json.dumps({"text": "Hello, world!"}))
        call(port, "POST", "/reverse", 400, body="{not json", error=True)
        call(port, "POST", "/reverse", 400, body=json.dumps({"txt": "hello"}), error=True)
        call(port, "POST", "/reverse", 400, body=json.dumps({"text": 42}), error=True)
        call(port, "GET", "/nothing-here", 404, {"error": "not found"})
        call(port, "GET", "/health", 200, {"status": "ok"})
    finally:
        srv.stop()
    return "server on $PORT answers /health, /stats (incl. decimals, even median, errors), /reverse and 404 as specified"


if __name__ == "__main__":
    main(check)
