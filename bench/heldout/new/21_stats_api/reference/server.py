"""Tiny stats API. Run: PORT=9001 python server.py"""
import json
import os
import statistics
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def number(text):
    v = float(text)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(text)
    return int(v) if v.is_integer() and "." not in text and "e" not in text.lower() else v


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status, obj):
        body = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            return self.send_json(200, {"status": "ok"})
        if url.path == "/stats":
            raw = parse_qs(url.query).get("numbers", [""])[0]
            try:
                nums = [number(x.strip()) for x in raw.split(",")] if raw.strip() else []
            except ValueError:
                return self.send_json(400, {"error": "numbers must be a comma-separated list of numbers"})
            if not nums:
                return self.send_json(400, {"error": "missing numbers"})
            return self.send_json(200, {
                "count": len(nums),
                "sum": sum(nums),
                "mean": sum(nums) / len(nums),
                "median": statistics.median(nums),
                "min": min(nums),
                "max": max(nums),
            })
        return self.send_json(404, {"error": "not found"})

    def do_POST(self):
        url = urlparse(self.path)
        if url.path != "/reverse":
            return self.send_json(404, {"error": "not found"})
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self.send_json(400, {"error": "body must be JSON"})
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return self.send_json(400, {"error": "need a string field 'text'"})
        text = data["text"]
        return self.send_json(200, {"reversed": text[::-1], "length": len(text)})

    def log_message(self, fmt, *args):
        pass


def main():
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("Listening on http://127.0.0.1:%d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
