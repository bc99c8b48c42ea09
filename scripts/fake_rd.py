#!/usr/bin/env python3
"""A tiny stand-in for RD Station's token endpoint, for scripts/bench only.

POST /auth/token answers {"access_token","expires_in","refresh_token"} with a fresh access
token each time (`expires_in` from the FAKE_RD_EXPIRES_IN environment variable, default 86400);
GET /count says how many tokens were issued; GET /marketing/account_info answers a name; GET /me and GET/PATCH /environments/{id} play
Postman's API (for scripts/screenshots); everything else is 404. Prints its port on stdout, then serves until killed.
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
        # Failures on demand, for screenshots: RD's own bodies (../shared/RDSTATION.md).
        if body.get("client_secret") == "wrong-secret":
            return self.send_json(401, {"error_type": "ACCESS_DENIED", "error_message": "Wrong credentials provided."})
        if str(body["refresh_token"]).startswith("revoked-"):
            return self.send_json(401, {"error_type": "INVALID_REFRESH_TOKEN", "error_message": "The provided refresh token is invalid or was revoked."})
        if str(body["refresh_token"]).startswith("down-"):
            return self.send_json(503, {"message": "Service Unavailable"})
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

    def send_json(self, status, value):
        answer = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_PATCH(self):
        # Postman's PATCH /environments/{id} (for the screenshots of the Postman sync).
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        self.send_json(200, {"environment": {"id": self.path.rsplit("/", 1)[-1]}})

    def do_GET(self):
        # How many tokens were issued so far (scripts/bench --first-pass counts refreshes).
        if self.path == "/count":
            with lock:
                n = counter
            self.send_json(200, {"count": n})
            return
        if self.path == "/me":
            self.send_json(200, {"user": {"username": "ana", "fullName": "Ana Souza"}})
            return
        # Postman's workspaces: environments whose id starts with "team-" are in "RD Team".
        if self.path == "/workspaces":
            self.send_json(200, {"workspaces": [{"id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team"}]})
            return
        if self.path == "/workspaces/ws-team":
            self.send_json(200, {"workspace": {"id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team",
                                               "environments": [{"id": "team-0001", "name": "RD"}]}})
            return
        if self.path.startswith("/environments/"):
            self.send_json(200, {"environment": {"id": self.path.rsplit("/", 1)[-1], "name": "RD", "values": []}})
            return
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
