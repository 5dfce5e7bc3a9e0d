import json
import os
import random
import string
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LINKS = {}      # code -> url
CODES = {}      # url -> code
HITS = {}       # code -> int
ALPHABET = string.ascii_letters + string.digits


def new_code():
    while True:
        code = "".join(random.choice(ALPHABET) for _ in range(6))
        if code not in LINKS and code not in ("shorten", "stats"):
            return code


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path != "/shorten":
            return self.send_json(404, {"error": "not found"})
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self.send_json(400, {"error": "invalid json"})
        if not isinstance(data, dict):
            return self.send_json(400, {"error": "invalid json"})
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return self.send_json(400, {"error": "invalid url"})
        if url in CODES:
            return self.send_json(200, {"code": CODES[url], "url": url})
        code = new_code()
        LINKS[code], CODES[url], HITS[code] = url, code, 0
        self.send_json(201, {"code": code, "url": url})

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/stats/"):
            code = path[len("/stats/"):]
            if code not in LINKS:
                return self.send_json(404, {"error": "not found"})
            return self.send_json(200, {"code": code, "url": LINKS[code], "hits": HITS[code]})
        code = path.lstrip("/")
        if code not in LINKS:
            return self.send_json(404, {"error": "not found"})
        HITS[code] += 1
        self.send_response(302)
        self.send_header("Location", LINKS[code])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    port = int(os.environ.get("PORT", "8000"))
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
