#!/usr/bin/env python3
"""scripts/bench --mcp: what `http_request` through `renova mcp` adds to the same request made
directly with the token, against the same local server.

Usage: mcp_bench.py BIN ACCOUNT N
Starts a static JSON server on 127.0.0.1 (threaded, TCP_NODELAY, keep-alive), allows its
origin for ACCOUNT (`renova edit ACCOUNT --assistants call --assistant-origins …`), then prints
"DIRECT_MS MCP_MS LIST_MS" (medians): the GET made directly (http.client, one keep-alive
connection, the token from `renova token`), the same GET as an MCP http_request (the official
Python SDK over stdio), and an MCP list_accounts (the protocol's own cost, no HTTP request).
"""
import asyncio
import http.client
import http.server
import threading
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client

binary, account, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
PATH = "/marketing/account_info"
BODY = b'{"name": "Loja Bench", "contacts": 1234}'


class Static(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(BODY)
        self.wfile.write(head.encode() + BODY)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Static)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % server.server_address[1]
subprocess.run([binary, "edit", account, "--assistants", "call", "--assistant-origins", base],
               check=True, capture_output=True)


def direct():
    token = subprocess.run([binary, "token", account], capture_output=True, text=True, check=True).stdout.strip()
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port)
    times = []
    for i in range(n + 5):
        t = time.perf_counter()
        conn.request("GET", PATH, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        r.read()
        if i >= 5:
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


async def through_mcp():
    params = StdioServerParameters(command=binary, args=["mcp"], env=dict(os.environ))
    info = types.Implementation(name="bench", version="1")
    args = {"account": account, "method": "GET", "url": base + PATH}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, client_info=info) as s:
            await s.initialize()
            calls, lists = [], []
            for i in range(n + 5):
                t = time.perf_counter()
                r = await s.call_tool("http_request", args)
                if r.is_error:
                    raise SystemExit("http_request failed: %s" % r.content)
                if i >= 5:
                    calls.append((time.perf_counter() - t) * 1000)
            for i in range(n + 5):
                t = time.perf_counter()
                await s.call_tool("list_accounts", {})
                if i >= 5:
                    lists.append((time.perf_counter() - t) * 1000)
            return statistics.median(calls), statistics.median(lists)


d = direct()
m, lst = asyncio.run(through_mcp())
print("%.2f %.2f %.2f" % (d, m, lst))
