#!/usr/bin/env python3
"""scripts/bench --first-pass: `renova agent` with N accounts due at once.

Usage: first_pass.py BIN RD_BASE PORT N MODE
  MODE pass: starts the agent, prints "LISTEN_MS PASS_MS": when the endpoint on PORT first
             accepted a connection, and when RD had issued N more tokens (the first pass's
             refreshes), both from the agent's start.
  MODE term: starts the agent, sends SIGTERM once a third of the refreshes are done, prints
             the milliseconds from the signal to the agent's exit.
"""
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request

binary, base, port, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]


def count():
    with urllib.request.urlopen(base + "/count") as r:
        return json.load(r)["count"]


def listening():
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


start_count = count()
t0 = time.monotonic()
agent = subprocess.Popen([binary, "agent"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
listen_ms = None
deadline = t0 + 900
try:
    if mode == "pass":
        while time.monotonic() < deadline:
            now = time.monotonic()
            if listen_ms is None and listening():
                listen_ms = (now - t0) * 1000
            if count() - start_count >= n:
                pass_ms = (time.monotonic() - t0) * 1000
                while listen_ms is None and time.monotonic() < deadline:
                    if listening():
                        listen_ms = (time.monotonic() - t0) * 1000
                    time.sleep(0.01)
                print("%.0f %.0f" % (listen_ms, pass_ms))
                break
            time.sleep(0.02)
    else:
        while count() - start_count < n // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        sent = time.monotonic()
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=600)
        print("%.0f" % ((time.monotonic() - sent) * 1000))
finally:
    if agent.poll() is None:
        agent.send_signal(signal.SIGTERM)
        try:
            agent.wait(timeout=600)
        except subprocess.TimeoutExpired:
            agent.kill()
