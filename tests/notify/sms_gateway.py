"""A local SMS gateway for the notify tests: an HTTP server that records
every POST (its form, the Idempotency-Key and whether it had a login) as a
JSON line in LOG, and answers with the status in the file STATUS (200 if
missing) after DELAY seconds (the file DELAY, 0 if missing). Prints its
port once it listens.

    python3 sms_gateway.py DIR        (DIR/log, DIR/status, DIR/delay)"""
import json
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]


def setting(name, default):
    try:
        return open(os.path.join(DIR, name)).read().strip()
    except OSError:
        return default


class Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        with open(os.path.join(DIR, "log"), "a") as log:
            log.write(json.dumps({"path": self.path,
                                  "id": self.headers.get("Idempotency-Key"),
                                  "login": self.headers.get("Authorization", "")[:6] == "Basic ",
                                  "form": urllib.parse.parse_qs(body)}) + "\n")
        time.sleep(float(setting("delay", "0")))
        status = int(setting("status", "200"))
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
print(server.server_address[1], flush=True)
server.serve_forever()
