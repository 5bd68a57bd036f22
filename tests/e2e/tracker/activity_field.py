#!/usr/bin/env python3
"""Reads /activity JSON on stdin and prints one field for the tracker's veth test.

usage: activity_field.py capturing | error IFACE | connections IP PORT | lastseen IP PORT
connections prints 0 and lastseen prints 0 for a destination that is absent; lastseen is Unix seconds.
"""
import calendar
import ipaddress
import json
import sys
import time

body = json.load(sys.stdin)
what = sys.argv[1]
if what == "capturing":
    print("true" if body["capturing"] else "false")
elif what == "error":
    print(next(i["error"] for i in body["interfaces"] if i["name"] == sys.argv[2]))
else:
    ip, port = ipaddress.ip_address(sys.argv[2]), int(sys.argv[3])
    found = [d for d in body["destinations"] if ipaddress.ip_address(d["ip"]) == ip and d["port"] == port]
    if what == "connections":
        print(found[0]["connections"] if found else 0)
    elif what == "lastseen":
        if not found:
            print(0)
        else:
            text = found[0]["lastSeen"]  # 2026-12-03T17:00:00.250000Z
            whole, frac = text[:-1].split(".")
            seconds = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
            print(f"{seconds}.{frac}")
