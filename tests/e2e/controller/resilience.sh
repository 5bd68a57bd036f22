#!/usr/bin/env bash
# The controller survives an API server restart (its watches reconnect and relist; run without leader
# election, since a leader that cannot renew for 10 s exits by design and its Deployment restarts it), and
# leader election fails over: with two replicas, kill -9 of the leader hands the Lease to the other within
# about 15 s, and only the leader reconciles. SIGTERM with the API server frozen or killed: the controller
# exits 0 within seconds.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
ctl_start || fail "controller became ready"
plain=$CTL_PID

session r1
check "r1 provisioned before the restart" eventually 30 provisioned r1
restart_apiserver
check "API server back" sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get --raw /readyz >/dev/null"
session r2
check "session created after the API server restart is provisioned" eventually 60 provisioned r2
kadmin delete pod -n sess-r1 worker --wait=false >/dev/null
check "watches resumed: deleted pod restored" eventually 30 exists pod -n sess-r1 worker
check "controller survived the restart" kill -0 "$plain"
check "informers relisted after 410 Gone following the restart" grep -q "relisting" "$CTL_WORK/controller.log"
kadmin delete usersession r1 --wait=false >/dev/null
check "deletion after the restart still cleans up" eventually 60 gone ns sess-r1
ctl_stop

ctl_start --leader-elect --leader-elect-identity first || fail "first replica became ready"
first=$CTL_PID
ctl_start --leader-elect --leader-elect-identity second || fail "second controller became ready"
second=$CTL_PID
check "second replica is not the leader" sh -c "curl -fsS http://127.0.0.1:$CTL_METRICS_PORT/metrics | grep -q '^sessiongate_controller_leader 0'"
kill -KILL "$first"; wait "$first" 2>/dev/null
killed_at=$SECONDS
check "second replica takes the lease" eventually 30 sh -c "test \"\$(kubectl --kubeconfig $KUBECONFIG_ADMIN get lease -n sessiongate-system sessiongate-controller -o jsonpath='{.spec.holderIdentity}')\" = second"
took=$((SECONDS - killed_at))
check "failover within 20 s (took ${took}s)" test "$took" -le 20
session r3
check "session created after failover is provisioned" eventually 30 provisioned r3
CTL_PID=$second
ctl_stop

# SIGTERM when the API server does not answer (frozen: its port accepts, nothing replies) or is gone (killed:
# its port refuses): the controller exits 0 within seconds, well before the kubelet's SIGKILL; the first time
# while leading, with the lease's renewal and the informers' reconnects waiting on the frozen server (its
# lease release is given up after 2 s).
# term_check NAME: SIGTERM, then a check that the controller exited 0 within 8 s, naming how long it took.
term_check() {
  local ok=0
  ctl_term_exits 8 || ok=1
  check "$1: exits 0 (took ${CTL_EXIT_TOOK}s)" test "$ok" = 0
}
ctl_start --leader-elect --leader-elect-identity frozen || fail "leader for the frozen API server became ready"
session r4
check "r4 provisioned before the API server freezes" eventually 30 provisioned r4
apiserver_freeze
sleep 3  # nothing to observe: a renewal (every 2 s) and the watches' reconnects reach the frozen server
term_check "SIGTERM with the API server frozen"
apiserver_thaw
check "API server back after the freeze" eventually 60 kadmin get --raw /readyz
ctl_start || fail "controller for the stopped API server became ready"
apiserver_kill
sleep 3  # the watches see the close and retry against the refusing port
term_check "SIGTERM with the API server gone"
summary
