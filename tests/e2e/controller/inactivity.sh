#!/usr/bin/env bash
# Inactivity with a real tracker: sessiongate-tracker (as nobody, only CAP_NET_RAW) captures on a veth pair
# into a network namespace this test creates and serves /activity on the host end's address. The controller
# (its least-privilege service account, the tracker Role of manifests/tracker/rbac.yaml) finds it by label
# selector on an EndpointSlice in sessiongate-tracker (--tracker-selector, --tracker-namespace,
# --tracker-port) and warns 15 s before the end. This control plane has no node, so the test plays the
# kubelet: it marks each worker pod Running and Ready with a pod IP inside the namespace (the controller maps
# activity to a session by its pod IPs, any port). Sessions have inactivityTimeout 30s.
#   idle      no traffic: Warning Event IdleSoon and condition IdleSoon, then phase Idle, deleted, counted
#   active    created first, real TCP connections to its pod IP the whole time: outlives the idle one
#   optout    annotation sessiongate.io/ignore-inactivity: "true", no traffic: stays, never warned
#   unknown   created once the tracker is killed: IdleSoon False ActivityUnknown, stays past its timeout;
#             the tracker back but its endpoint not ready: still unknown; ready again: it ends as idle (and
#             so does active, whose traffic stopped)
# Host changes: netns sgi-<pid>-<rand>, its veth pair (198.18.0.0/15 addresses) and the processes started
# here; all removed on exit (trap); namespaces of a killed run (pid gone) are removed at the next start.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

TRACKER_BIN="$E2E_BUILD_DIR/controller/tracker/sessiongate-tracker"
PEER_BIN="$E2E_BUILD_DIR/tests/e2e/netns_peer"
for bin in "$TRACKER_BIN" "$PEER_BIN"; do
  [[ -x $bin ]] || { echo "missing $bin (build it first)" >&2; exit 2; }
done
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: needs root to create a network namespace"
  exit 77
fi

for stale in $(ip netns list | awk '/^sgi-[0-9]+-/ {print $1}'); do
  pid=${stale#sgi-}
  pid=${pid%%-*}
  kill -0 "$pid" 2>/dev/null || { log "removing stale namespace $stale"; ip netns del "$stale" 2>/dev/null; }
done

RAND=$(printf '%04x' $((RANDOM % 65536)))
NS=sgi-$$-$RAND
HOST_IF=sgi${RAND}h
PEER_IF=sgi${RAND}p
SUBNET=$((RANDOM % 250 + 1))
V4_HOST=198.18.$SUBNET.1
declare -A POD_IP=([active]=198.18.$SUBNET.2 [idle]=198.18.$SUBNET.3 [optout]=198.18.$SUBNET.4
                   [unknown]=198.18.$SUBNET.5)
TRACKER_PID=""
LISTENER_PID=""
TRAFFIC_PID=""

stop_pid() { [[ -n $1 ]] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null; return 0; }
inactivity_cleanup() {
  stop_pid "$TRAFFIC_PID"
  stop_pid "$TRACKER_PID"
  stop_pid "$LISTENER_PID"
  for pid in $(jobs -p); do stop_pid "$pid"; done
  ip link del "$HOST_IF" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  ctl_cleanup
}

ctl_up
trap inactivity_cleanup EXIT
trap 'exit 130' INT TERM HUP

ip netns add "$NS"
ip link add "$HOST_IF" type veth peer name "$PEER_IF" netns "$NS"
ip link set "$HOST_IF" up
ip addr add "$V4_HOST/29" dev "$HOST_IF"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip link set "$PEER_IF" up
ip netns exec "$NS" ip addr add "${POD_IP[active]}/29" dev "$PEER_IF"
ip netns exec "$NS" "$PEER_BIN" listen 2222 >"$CTL_WORK/listener.log" 2>&1 &
LISTENER_PID=$!

# start_tracker PORT: the tracker as nobody with only CAP_NET_RAW, every port of the pod addresses; its
# /activity on the host end of the veth pair (an address an EndpointSlice may hold, unlike 127.0.0.1).
start_tracker() {
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \
    --bounding-set=-all,+net_raw \
    "$TRACKER_BIN" --interfaces "$HOST_IF" --ports 1-65535 --destinations "198.18.$SUBNET.0/29" \
    --listen "$V4_HOST:$1" --name inactivity-e2e >>"$CTL_WORK/tracker.log" 2>&1 &
  TRACKER_PID=$!
}
tracker_capturing() { curl -fsS "http://$V4_HOST:$TRACKER_PORT/activity" | jq -e '.capturing == true'; }
start_tracker 0
eventually 30 grep -q 'serving /metrics and /activity' "$CTL_WORK/tracker.log" ||
  { fail "the tracker started" "$(tail -5 "$CTL_WORK/tracker.log")"; summary; exit 1; }
TRACKER_PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$CTL_WORK/tracker.log" | head -n1)
check "the tracker captures on $HOST_IF" eventually 30 tracker_capturing
check "the netns listener is up" eventually 30 grep -q listening "$CTL_WORK/listener.log"

# The tracker's EndpointSlice, as the endpointslice controller would write it for the tracker Service (whose
# labels it copies); READY is the endpoint's ready condition.
tracker_slice() {
  kadmin apply -f - >/dev/null <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: sessiongate-tracker-e2e
  namespace: sessiongate-tracker
  labels:
    app.kubernetes.io/name: sessiongate-tracker
    kubernetes.io/service-name: sessiongate-tracker
addressType: IPv4
ports:
  - name: activity
    port: $TRACKER_PORT
    protocol: TCP
endpoints:
  - addresses: ["$V4_HOST"]
    conditions: {ready: $1}
    targetRef: {kind: Pod, namespace: sessiongate-tracker, name: sessiongate-tracker-e2e}
YAML
}
kadmin apply -f "$CTL_SRC_DIR/manifests/tracker/namespace.yaml" -f "$CTL_SRC_DIR/manifests/tracker/rbac.yaml" >/dev/null
check "the tracker EndpointSlice is in place" tracker_slice true
TRACKER_URL=http://$V4_HOST:$TRACKER_PORT
ctl_start --tracker-selector app.kubernetes.io/name=sessiongate-tracker --tracker-namespace sessiongate-tracker \
  --tracker-port activity --idle-warning-lead 15s ||
  fail "controller became ready" "$(tail -5 "$CTL_WORK/controller.log")"

# running NAME: plays the kubelet for the session's worker pod: Running, Ready, its pod IP.
running() {
  local ip=${POD_IP[$1]}
  kadmin -n "sess-$1" patch pod worker --subresource=status --type=merge -p \
    "{\"status\":{\"phase\":\"Running\",\"podIP\":\"$ip\",\"podIPs\":[{\"ip\":\"$ip\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}" >/dev/null
}
# start_session NAME [EXTRA-METADATA-YAML]: a session with inactivityTimeout 30s, made Ready.
start_session() {
  kalice apply -f - >/dev/null <<YAML
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata:
  name: $1
${2:-}
spec:
  user: alice
  profile: shell
  gateway: none
  inactivityTimeout: 30s
YAML
  check "$1: worker pod created" eventually 60 exists pod worker -n "sess-$1"
  check "$1: worker pod marked running with IP ${POD_IP[$1]}" running "$1"
  check "$1: phase Ready" eventually 30 phase_is "$1" Ready
}
# watch_phases NAME: every phase the session goes through, as kubectl sees it, into $CTL_WORK/NAME.phases.
watch_phases() {
  kadmin get usersession "$1" -w --no-headers -o 'custom-columns=PHASE:.status.phase' \
    >"$CTL_WORK/$1.phases" 2>/dev/null &
}
no_event() { ! event_seen "$@"; }
# event_says NAME REASON REGEX: the type and message of the session's Event with that reason match REGEX.
event_says() {
  kadmin get events -n default --field-selector "involvedObject.name=$1,reason=$2" \
    -o jsonpath='{.items[0].type} {.items[0].message}' | grep -q "$3"
}
# idle_soon_says NAME REGEX: the message of the session's IdleSoon condition matches REGEX.
idle_soon_says() {
  kadmin get usersession "$1" -o jsonpath='{.status.conditions[?(@.type=="IdleSoon")].message}' | grep -q "$2"
}
idle_soon_absent() {
  [[ -z $(kadmin get usersession "$1" -o jsonpath='{.status.conditions[?(@.type=="IdleSoon")].type}') ]]
}
metric_is() { curl -fsS "http://127.0.0.1:$CTL_METRICS_PORT/metrics" | grep -qx "$1"; }
activity_connections() {
  curl -fsS "$TRACKER_URL/activity" |
    jq -e --arg ip "$1" '[.destinations[] | select(.ip == $ip and .port == 2222)][0].connections > 0'
}

# active: real connections to its pod IP every 2 s (the warning comes 15 s after the last one).
start_session active
first_connection=$(date +%s)
(while true; do "$PEER_BIN" connect "${POD_IP[active]}" 2222 1 >/dev/null; sleep 2; done) &
TRAFFIC_PID=$!
check "active: the tracker sees its connections" eventually 30 activity_connections "${POD_IP[active]}"
start_session optout $'  annotations:\n    sessiongate.io/ignore-inactivity: "true"'
start_session idle
watch_phases idle

check "idle: Warning Event IdleSoon" eventually 60 event_seen idle IdleSoon
check "idle: the warning says when it ends" event_says idle IdleSoon \
  '^Warning no connection since .*; the session ends at .* unless it is used (inactivityTimeout 30s)$'
check "idle: condition IdleSoon True" eventually 60 condition_is idle IdleSoon True
check "idle: Normal Event Idle" eventually 60 event_seen idle Idle
check "idle: deleted" eventually 90 gone usersession idle
check "idle: its namespace is gone" eventually 90 gone ns sess-idle
check "idle: kubectl saw phase Idle" grep -q '^Idle *$' "$CTL_WORK/idle.phases"
check "metrics: one session ended as idle" eventually 10 metric_is 'sessiongate_controller_sessions_ended_total{reason="idle"} 1'

# Created before idle with the same timeout, both outlived it.
check "active: still Ready after the idle session ended" phase_is active Ready
check "active: never warned" no_event active IdleSoon
check "active: no IdleSoon condition" idle_soon_absent active
last=$(kadmin get usersession active -o jsonpath='{.status.lastActivity}')
check "active: status.lastActivity ($last) is from its connections" \
  test "$(date -d "$last" +%s 2>/dev/null || echo 0)" -ge "$first_connection"
check "optout: still Ready after the idle session ended" phase_is optout Ready
check "optout: never warned" no_event optout IdleSoon
check "optout: no IdleSoon condition" idle_soon_absent optout

# The tracker killed: activity is unknown, nothing ends.
stop_pid "$TRAFFIC_PID"; TRAFFIC_PID=""
kill -KILL "$TRACKER_PID"; wait "$TRACKER_PID" 2>/dev/null; TRACKER_PID=""
start_session unknown
created=$(date -d "$(kadmin get usersession unknown -o jsonpath='{.metadata.creationTimestamp}')" +%s)
check "unknown: IdleSoon False ActivityUnknown" eventually 60 condition_is unknown IdleSoon False ActivityUnknown
check "unknown: the status names the unreadable tracker" idle_soon_says unknown \
  "activity is unknown (tracker $TRACKER_URL: cannot read /activity: .*); the session is not ended while a tracker cannot be read"
check "active: IdleSoon False ActivityUnknown once its traffic stopped" \
  eventually 60 condition_is active IdleSoon False ActivityUnknown
# Past the timeout and one retry of an unreadable tracker (30 s), the session is still there.
while (($(date +%s) < created + 30 + 30 + 5)); do sleep 1; done
check "unknown: still Ready past its timeout" phase_is unknown Ready
check "active: still Ready" phase_is active Ready
check "unknown: never warned" no_event unknown IdleSoon
check "metrics: still one session ended as idle" metric_is 'sessiongate_controller_sessions_ended_total{reason="idle"} 1'

# The tracker back on the same port, but its endpoint not ready: still unknown, and the status says why.
tracker_slice false
start_tracker "$TRACKER_PORT"
check "the tracker is back" eventually 30 tracker_capturing
check "unknown: the status names the endpoint that is not ready" eventually 60 idle_soon_says unknown \
  "tracker $TRACKER_URL: the tracker endpoint (pod sessiongate-tracker/sessiongate-tracker-e2e) is not ready"
check "unknown: still Ready" phase_is unknown Ready
# Ready again: neither the unknown session nor the active one (its traffic stopped) had a connection within
# its timeout, so both end now; the opted-out one stays.
tracker_slice true
check "unknown: deleted once activity is known again" eventually 120 gone usersession unknown
check "active: deleted, idle since its traffic stopped" eventually 120 gone usersession active
check "optout: still Ready" phase_is optout Ready
check "metrics: three sessions ended as idle" eventually 30 metric_is 'sessiongate_controller_sessions_ended_total{reason="idle"} 3'
check "no RBAC denials in the controller log" sh -c "! grep -i 'forbidden: User' $CTL_WORK/controller.log"
ctl_stop
summary
