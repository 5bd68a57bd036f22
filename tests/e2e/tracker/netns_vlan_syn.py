#!/usr/bin/env python3
"""Sends 802.1Q-tagged TCP SYN frames out of an interface with a packet socket (the kernel here has no VLAN
devices), for the tracker's veth test, and prints the wall-clock bounds of the sends.

usage: netns_vlan_syn.py IFACE DST_MAC SRC_IP DST_IP DST_PORT VLAN_ID COUNT
"""
import socket
import struct
import sys
import time

iface, dst_mac, src_ip, dst_ip = sys.argv[1:5]
port, vlan, count = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


src, dst = socket.inet_aton(src_ip), socket.inet_aton(dst_ip)
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((iface, 0))
src_mac = sock.getsockname()[4]
before = time.time()
for i in range(count):
    tcp = struct.pack("!HHIIBBHHH", 40000 + i, port, 1000 + i, 0, 5 << 4, 0x02, 64240, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", checksum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    frame = bytes.fromhex(dst_mac.replace(":", "")) + src_mac + struct.pack("!HHH", 0x8100, vlan, 0x0800) + ip + tcp
    sock.send(frame)
after = time.time()
print(f"{before:.6f} {after:.6f}")
