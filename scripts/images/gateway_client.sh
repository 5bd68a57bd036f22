#!/bin/sh
# gateway_client.sh: stand-ins for pod-gateway's client scripts, which sessiongate injects into session pods
# as /bin/client_init.sh (the gateway-init container) and /bin/client_sidecar.sh (the gateway-sidecar). The
# test image installs this file under both names; it acts on the name it was called by.
#   gateway        the gateway's address (set by sessiongate from the policy's gateway.address)
#   GATEWAY_ROUTE  the prefix routed through the gateway (default 198.51.100.0/24, a documentation range)
# init: routes GATEWAY_ROUTE via the gateway, which needs the NET_ADMIN only the gateway containers get, and
# exits non-zero if the kernel refuses. sidecar: stays up and reports the route every minute.
set -eu
route="${GATEWAY_ROUTE:-198.51.100.0/24}"
: "${gateway:?the gateway address is not set}"
case "$(basename "$0")" in
  client_init.sh)
    ip route replace "$route" via "$gateway" dev eth0
    echo "gateway-init: $route via $gateway"
    ;;
  client_sidecar.sh)
    while :; do
      ip route show "$route"
      sleep 60
    done
    ;;
  *) echo "gateway_client.sh: call it as client_init.sh or client_sidecar.sh" >&2; exit 2 ;;
esac
