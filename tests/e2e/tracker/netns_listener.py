#!/usr/bin/env python3
"""Accepts and closes TCP connections on every address of the given ports (run inside the test's netns).

usage: netns_listener.py PORT [PORT...]
"""
import selectors
import socket
import sys

selector = selectors.DefaultSelector()
for port in map(int, sys.argv[1:]):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(1024)
    selector.register(s, selectors.EVENT_READ)
print("listening", flush=True)
while True:
    for key, _ in selector.select():
        conn, _ = key.fileobj.accept()
        conn.close()
