"""Check for new2/08_link_shortener_server: python check.py PROJECT_DIR

Starts server.py on a free 127.0.0.1 port (given in $PORT), talks to it with
http.client (redirects are not followed) and always stops it afterwards.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "server.py")):
    fail("server.py is missing")


class Problem(Exception):
    pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


PORT = free_port()


def request(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheader("Content-Type") or "", resp.getheader("Location"), data
    finally:
        conn.close()


def as_json(method, path, status, data, ctype):
    if not ctype.startswith("application/json"):
        raise Problem("%s %s: Content-Type is %r, expected application/json" % (method, path, ctype))
    try:
        return json.loads(data.decode("utf-8"))
    except Exception:
        raise Problem("%s %s (status %d): body is not JSON: %r" % (method, path, status, data[:200]))


def expect(method, path, body, want_status, want_json=None):
    status, ctype, location, data = request(method, path, body)
    if status != want_status:
        raise Problem("%s %s %s: status %d, expected %d (body %r)" % (
            method, path, body or "", status, want_status, data[:200]))
    if want_json is None:
        return as_json(method, path, status, data, ctype)
    got = as_json(method, path, status, data, ctype)
    if got != want_json:
        raise Problem("%s %s %s: got %r, expected %r" % (method, path, body or "", got, want_json))
    return got


def shorten(url, want_status):
    body = json.dumps({"url": url})
    got = expect("POST", "/shorten", body, want_status)
    if not isinstance(got, dict) or got.get("url") != url or \
            not re.fullmatch(r"[A-Za-z0-9]{6}", str(got.get("code", ""))):
        raise Problem("POST /shorten %s: got %r, expected a 6-character code and the url" % (body, got))
    return got["code"]


def follow(code, url):
    status, ctype, location, data = request("GET", "/" + code)
    if status != 302 or location != url:
        raise Problem("GET /%s: status %d, Location %r; expected 302 to %r" % (code, status, location, url))


def stats(code, url, hits):
    got = expect("GET", "/stats/" + code, None, 200)
    if not isinstance(got, dict) or got.get("code") != code or got.get("url") != url or got.get("hits") != hits:
        raise Problem("GET /stats/%s: got %r, expected code %s, url %s, hits %d" % (code, got, code, url, hits))


def checks():
    u1, u2 = "https://python.org", "http://example.com/a/b?c=1&d=two"
    c1 = shorten(u1, 201)
    if shorten(u1, 200) != c1:
        raise Problem("shortening the same url twice gave a different code")
    c2 = shorten(u2, 201)
    if c2 == c1:
        raise Problem("two different urls got the same code")
    stats(c1, u1, 0)
    follow(c1, u1)
    follow(c1, u1)
    follow(c2, u2)
    stats(c1, u1, 2)
    stats(c1, u1, 2)
    stats(c2, u2, 1)
    missing = "zz" if c1 != "zzzzzz" else "yy"
    missing = missing * 3
    expect("GET", "/" + missing, None, 404, {"error": "not found"})
    expect("GET", "/stats/" + missing, None, 404, {"error": "not found"})
    for bad in ('{"url": "ftp://files.example.com"}', '{"url": "python.org"}', '{"url": 42}', '{}',
                '{"link": "https://python.org"}'):
        expect("POST", "/shorten", bad, 400, {"error": "invalid url"})
    for bad in ("this is not json", "[1, 2, 3]", '{"url": '):
        expect("POST", "/shorten", bad, 400, {"error": "invalid json"})
    c3 = shorten("https://python.org/", 201)
    if c3 in (c1, c2):
        raise Problem("a new url reused an existing code")
    stats(c1, u1, 2)


env = dict(os.environ, PORT=str(PORT))
server = subprocess.Popen([sys.executable, "server.py"], cwd=P, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
problem = None
started = time.time()
try:
    while True:
        if server.poll() is not None:
            problem = "server.py exited with %s before answering: %s" % (
                server.returncode, server.stderr.read().decode(errors="replace").strip()[-300:])
            break
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            break
        except OSError:
            if time.time() - started > 15:
                problem = "server.py did not listen on 127.0.0.1:%d within 15 s (PORT env)" % PORT
                break
            time.sleep(0.2)
    if problem is None:
        try:
            checks()
        except Problem as e:
            problem = str(e)
        except (OSError, http.client.HTTPException) as e:
            problem = "request failed: %r" % e
finally:
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)

if problem:
    fail(problem)
print("PASS: shorten (201/200 same code), 302 redirects, hit counts, 404s and 400 invalid url/json all right")
sys.exit(0)
