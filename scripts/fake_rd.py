#!/usr/bin/env python3
"""A tiny stand-in for RD Station's token endpoint, for scripts/bench only.

POST /auth/token answers {"access_token","expires_in","refresh_token"} with a fresh access
token each time (`expires_in` from the FAKE_RD_EXPIRES_IN environment variable, default 86400);
GET /marketing/account_info answers a name; everything else is 404. Prints its port on stdout, then serves until killed.
"""
import http.server
import json
import os
import sys
import threading

counter = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global counter
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path != "/auth/token" or "refresh_token" not in body:
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        with lock:
            counter += 1
            n = counter
        answer = json.dumps({
            "access_token": "bench-access-%08d" % n,
            "expires_in": int(os.environ.get("FAKE_RD_EXPIRES_IN", "86400")),
            "refresh_token": body["refresh_token"],
        }).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self):
        if self.path != "/marketing/account_info":
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        token = self.headers.get("authorization", "")
        answer = json.dumps({"name": "Conta " + token[-4:]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
