"""Visit counter. Run: python counter.py 8080"""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

visits = 0
lock = threading.Lock()

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Visit counter</title></head>
<body><h1>Welcome!</h1><p>This page has been visited {n} time{s}.</p></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global visits
        if self.path.split("?")[0] not in ("/", "/index.html"):
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"Not found\n")
            return
        with lock:
            visits += 1
            n = visits
        body = PAGE.format(n=n, s="" if n == 1 else "s").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print("usage: python counter.py PORT", file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("", port), Handler)
    print("Serving on http://localhost:%d/" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
