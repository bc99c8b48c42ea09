#!/usr/bin/env python3
"""Holds N connections open to 127.0.0.1:PORT that never finish a request: idle (they send
nothing) or, with --slow, a slow loris (one byte of a request head every 4 s). Prints "ready"
once all are open, then holds them until killed. For scripts/bench, which times a real request
meanwhile."""
import socket
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
slow = "--slow" in sys.argv
conns = []
for _ in range(n):
    try:
        conns.append(socket.create_connection(("127.0.0.1", port)))
    except OSError:
        break
print("ready", len(conns), flush=True)
head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port
sent = 0
while True:
    time.sleep(4 if slow else 3600)
    if slow:
        byte = head[sent:sent + 1] or b"a"
        sent += 1
        for c in list(conns):
            try:
                c.send(byte)
            except OSError:
                # Closed by the server: open another, as an attacker would.
                conns.remove(c)
                try:
                    conns.append(socket.create_connection(("127.0.0.1", port)))
                except OSError:
                    pass
