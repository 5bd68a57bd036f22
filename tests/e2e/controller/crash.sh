#!/usr/bin/env bash
# kill -9 of the controller while 100 sessions with exposure are provisioning, then a restart: every
# session converges to provisioned (phase Provisioning with Provisioned True: no node here runs the
# workers) and every IP:port/protocol is held by exactly one Service (IPAM is rebuilt
# from the cluster, not from memory).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
ctl_start --workers 4 || fail "controller became ready"
N=${N:-100}
{
  for i in $(seq 1 "$N"); do
    cat <<YAML
---
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: c$i}
spec:
  user: alice
  profile: shell
  publicExposure:
    ports:
      - {name: app, protocol: TCP, targetPort: 8080}
YAML
  done
} | kalice apply -f - >/dev/null
ready() { kadmin get usersessions -o json | jq '[.items[] | select(.status.phase=="Provisioning" and any(.status.conditions[]?; .type=="Provisioned" and .status=="True"))] | length'; }
eventually 60 sh -c "test \$(kubectl --kubeconfig $KUBECONFIG_ADMIN get svc -A -l sessiongate.io/session -o name | wc -l) -ge 10"
before=$(ready)
ctl_kill9
log "killed the controller with $before of $N sessions provisioned"
check "killed while provisioning (${before} of $N provisioned)" test "$before" -lt "$N"
ctl_start --workers 4 || fail "restarted controller became ready"
all_ready() { test "$(ready)" = "$N"; }
check "all $N sessions converge to provisioned" eventually 240 all_ready
check "$N Services" test "$(kadmin get svc -A -l sessiongate.io/session -o name | wc -l)" = "$N"
dups=$(duplicate_ports)
check "every IP:port/protocol held once" test -z "$dups"
statuses=$(kadmin get usersessions -o json | jq -r '.items[] | "\(.status.publicExposure.externalIP):\(.status.publicExposure.ports[0].port)"' | sort | uniq -d)
check "statuses agree: no address and port twice" test -z "$statuses"
ctl_stop
summary
