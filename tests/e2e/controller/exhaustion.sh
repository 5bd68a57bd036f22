#!/usr/bin/env bash
# Pool exhaustion: the pool has three addresses; three sessions take TCP 443 on each; a fourth asking for
# TCP 443 gets publicExposure.phase Error with IPAM's reason and an ExposureFailed Event, and recovers when
# an address frees up.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
ctl_start || fail "controller became ready" "$(tail -5 "$CTL_WORK/controller.log")"

web='  publicExposure:
    ports:
      - {name: web, protocol: TCP, targetPort: 8080, port: 443}'
for s in e1 e2 e3; do session $s shell "$web"; eventually 30 provisioned $s; done
check "three sessions provisioned on three addresses" test "$(kadmin get usersessions -o jsonpath='{.items[*].status.publicExposure.externalIP}' | tr ' ' '\n' | sort -u | wc -l)" = 3
session e4 shell "$web"
check "fourth session is in Error" eventually 30 phase_is e4 Error
msg=$(kadmin get usersession e4 -o jsonpath='{.status.publicExposure.phase}: {.status.publicExposure.message}')
check "exposure error says why" grep -q "^Error: no IP in the pool has TCP port 443 free" <<<"$msg"
check "no Service for the failed exposure" gone svc -n sess-e4 public
check "ExposureFailed event" eventually 10 sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get events -n default --field-selector involvedObject.name=e4,reason=ExposureFailed -o name | grep -q ."
kadmin delete usersession e2 >/dev/null
check "fourth session recovers once an address is free" eventually 60 provisioned e4
check "every IP:port/protocol held once" test -z "$(duplicate_ports)"
ctl_stop
summary
