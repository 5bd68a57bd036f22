#!/usr/bin/env python3
"""A minimal WebSocket client (RFC 6455, standard library only) for the broker e2e.

usage: ws_client.py URL
Connects to ws://HOST:PORT/PATH, checks the handshake (Sec-WebSocket-Accept), prints every text message the
server sends as one line on stdout (flushed, so the test can read them as they come), and closes the
connection (a close frame, then the socket) when its own stdin ends. Exits when the server closes the
connection too. Exit 0 after a clean close, 1 on a handshake or protocol error. Every wait is bounded
(600 s without any traffic ends the client).
"""
import base64
import hashlib
import os
import select
import socket
import struct
import sys
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def handshake(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "ws":
        raise SystemExit(f"ws_client: only ws:// URLs, got {url}")
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=600)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise SystemExit("ws_client: connection closed during the handshake")
        head += chunk
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/1.1 101"):
        raise SystemExit(f"ws_client: handshake refused: {lines[0]}")
    want = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    if headers.get("sec-websocket-accept") != want:
        raise SystemExit("ws_client: bad Sec-WebSocket-Accept")
    return sock


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(sock):
    """Returns (fin, opcode, payload), or (True, None, b"") when the connection ended."""
    head = recv_exact(sock, 2)
    if head is None:
        return True, None, b""
    fin = bool(head[0] & 0x80)
    opcode = head[0] & 0x0F
    length = head[1] & 0x7F
    if head[1] & 0x80:
        raise SystemExit("ws_client: the server masked a frame")
    if length == 126:
        length = struct.unpack("!H", recv_exact(sock, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", recv_exact(sock, 8))[0]
    payload = recv_exact(sock, length) if length else b""
    if payload is None:
        return True, None, b""
    return fin, opcode, payload


def send_frame(sock, opcode, payload=b""):
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    else:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(header + mask + masked)


def main():
    sock = handshake(sys.argv[1])
    stdin_open = True
    message = b""
    while True:
        watched = [sock] + ([sys.stdin] if stdin_open else [])
        ready, _, _ = select.select(watched, [], [], 600)
        if not ready:
            raise SystemExit("ws_client: nothing happened for 600 s")
        if sys.stdin in ready and not sys.stdin.readline():
            stdin_open = False
            send_frame(sock, 0x8, struct.pack("!H", 1000))  # normal closure
            sock.shutdown(socket.SHUT_WR)
        if sock in ready:
            fin, opcode, payload = read_frame(sock)
            if opcode is None or opcode == 0x8:
                return 0
            if opcode == 0x9:  # ping
                if stdin_open:
                    send_frame(sock, 0xA, payload)
                continue
            if opcode in (0x1, 0x0):  # text, or a continuation of one
                message += payload
                if fin:
                    print(message.decode(errors="replace"), flush=True)
                    message = b""


if __name__ == "__main__":
    sys.exit(main())
