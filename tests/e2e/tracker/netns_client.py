#!/usr/bin/env python3
"""Opens TCP connections for the tracker's veth test and prints the wall-clock bounds of the SYNs it sent.

usage: netns_client.py HOST PORT COUNT
Connects COUNT times (one after the other; refused connections count too: the SYN went out) and prints
"<before> <after>" in Unix seconds with microseconds: every SYN was sent between the two.
"""
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
before = time.time()
for _ in range(count):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((host, port))
    except (ConnectionRefusedError, socket.timeout):
        pass
    finally:
        s.close()
after = time.time()
print(f"{before:.6f} {after:.6f}")
