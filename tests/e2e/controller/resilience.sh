#!/usr/bin/env bash
# The controller survives an API server restart (its watches reconnect and relist; run without leader
# election, since a leader that cannot renew for 10 s exits by design and its Deployment restarts it), and
# leader election fails over: with two replicas, kill -9 of the leader hands the Lease to the other within
# about 15 s, and only the leader reconciles.
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
summary
