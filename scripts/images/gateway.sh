#!/bin/sh
# gateway: the gateway stand-in of the test image. It changes routing in its pod's network namespace, which
# only works with NET_ADMIN, then answers on a TCP port so workers can be shown to reach it (or not).
#   GATEWAY_ADDRESS  an address it takes on lo (default 203.0.113.1/32, a documentation range: never routed)
#   GATEWAY_ROUTE    a prefix it routes through eth0's gateway (default 198.51.100.0/24, documentation too)
#   GATEWAY_PORT     the TCP port it answers on (default 8053)
# It prints its routes and exits non-zero if any change is refused.
set -eu
address="${GATEWAY_ADDRESS:-203.0.113.1/32}"
route="${GATEWAY_ROUTE:-198.51.100.0/24}"
port="${GATEWAY_PORT:-8053}"
via=$(ip route show default | awk '{print $3; exit}')
ip address replace "$address" dev lo
ip route replace "$route" via "$via" dev eth0
echo "gateway: took $address, routes $route via $via"
ip route
touch /tmp/gateway-ready
exec nc -ll -p "$port" -e echo "gateway ${HOSTNAME:-}"
