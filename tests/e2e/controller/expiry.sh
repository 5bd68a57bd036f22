#!/usr/bin/env bash
# TTL expiry ends a session: profile "short" has maxTTL 20s; the session is provisioned, then is marked
# Expired (with an Event) and deleted, and its namespace goes with it.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
ctl_start || fail "controller became ready" "$(tail -5 "$CTL_WORK/controller.log")"

session brief short
check "short session is provisioned" eventually 30 provisioned brief
expires=$(kadmin get usersession brief -o jsonpath='{.status.expiresAt}')
created=$(kadmin get usersession brief -o jsonpath='{.metadata.creationTimestamp}')
check "expiresAt is creation + 20s" test "$(($(date -d "$expires" +%s) - $(date -d "$created" +%s)))" = 20
session long shell '  ttl: 10m'
check "session is deleted after its ttl" eventually 60 gone usersession brief
check "Expired event recorded" eventually 10 sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get events -n default --field-selector involvedObject.name=brief,reason=Expired -o name | grep -q ."
check "expired session's namespace is gone" eventually 60 gone ns sess-brief
check "a session with time left stays" eventually 30 provisioned long
check "metrics: one session ended by expiry" sh -c "curl -fsS http://127.0.0.1:$CTL_METRICS_PORT/metrics | grep -q '^sessiongate_controller_sessions_ended_total{reason=\"expired\"} 1\$'"
check "no RBAC denials in the controller log" sh -c "! grep -i 'forbidden: User' $CTL_WORK/controller.log"
ctl_stop
summary
