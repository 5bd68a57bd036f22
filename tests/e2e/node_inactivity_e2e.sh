#!/usr/bin/env bash
# e2e of inactivity on a real node: sessiongate installed with the tracker DaemonSet (host network, non-root,
# only CAP_NET_RAW from the image's file capability) and the inactivity overlay's controller flags (trackers
# found by --tracker-selector on the tracker Service's EndpointSlices), a SessionPolicy whose sessions may be
# exposed, two sessions with real worker pods and inactivityTimeout 40s (warning lead 20s):
#   active  its worker serves 8080 (its exposed target port, so its NetworkPolicy admits it); a client pod in
#           another namespace opens a real TCP connection to the worker's pod IP every 3 s: it stays past its
#           timeout and status.lastActivity moves
#   idle    no traffic: Warning Event IdleSoon and condition IdleSoon, phase Idle, deleted with its namespace
# Then the tracker DaemonSet's node selector matches no node (its pod goes, its endpoint with it) and the
# client stops: activity is unknown, the active session gets IdleSoon False ActivityUnknown and is not ended
# past its timeout. Then the host is left as it was. Needs root.
#
# Interface: the DaemonSet captures on `any`. Pod-to-pod traffic on this node is bridged by the CNI bridge
# (sg-cni0) from the client's veth to the worker's veth; frames forwarded between two bridge ports are seen on
# those veths, not on the bridge device (which sees only what the host itself routes), so `--interfaces=sg-cni0`
# would miss a client pod on the same node. `any` sees both the veths and the bridge.
#
#   E2E_BUILD_DIR  build tree with the sessiongate binaries (required)
#   E2E_KEEP=1     keep the work dir (logs) after the run
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/node_lib.sh"
# The local node only: the suite reads the tracker's process in /proc and its
# /activity from the host.
if existing_cluster; then e2e_fail "e2e-node-inactivity runs on the local node only (unset E2E_KUBECONFIG)"; e2e_summary; exit 1; fi
node_suite_lock
: "${E2E_BUILD_DIR:?set E2E_BUILD_DIR to the build tree}"
WAIT=180
TIMEOUT=40            # the sessions' inactivityTimeout, seconds
LEAD=20s              # the controller's --idle-warning-lead
POOL_IP=10.250.1.110
E2E_DIR=$(mktemp -d /tmp/sessiongate-node-inactivity-e2e.XXXXXX)

trap 'node_suite_cleanup true' EXIT
trap 'exit 143' TERM INT

node_suite_up || { e2e_summary; exit 1; }
ksg() { kadmin -n sessiongate-system --request-timeout=30s "$@"; }
ktr() { kadmin -n sessiongate-tracker --request-timeout=30s "$@"; }

# ------------------------------------------------------------------ install: certificates, tracker, inactivity flags
# The local-certs install, the tracker (manifests/tracker) and the inactivity overlay's controller flags with a
# warning lead fit for a 40 s timeout. The tracker's /activity listens on the node's address (status.hostIP,
# as manifests/tracker sets it), not on every interface of this machine.
mkdir -p "$E2E_DIR/install"
sed "s/--idle-warning-lead=10m/--idle-warning-lead=$LEAD/" "$E2E_DIR/manifests/overlays/inactivity/controller-flags.yaml" \
  > "$E2E_DIR/install/controller-flags.yaml"
cat > "$E2E_DIR/install/policy.yaml" <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: SessionPolicy
metadata:
  name: default
spec:
  limits:
    maxSessionsPerUser: 2
  profiles:
$(test_image_profile shell)
      defaultGateway: none
      allowNoGateway: true
      storage: false
      allowPublicExposure: true
      maxExposedPorts: 1
  publicExposure:
    ipPool: [$POOL_IP]
  network:
    allowDNS: false
EOF
cat > "$E2E_DIR/install/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../manifests/overlays/local-certs
  - ../manifests/tracker
  - policy.yaml
patches:
  - path: controller-flags.yaml
    target: {group: apps, version: v1, kind: Deployment, name: sessiongate-controller, namespace: sessiongate-system}
EOF
t0=$SECONDS; applies=0
install_converged() { applies=$((applies + 1)); kadmin apply -k "$E2E_DIR/install" >"$E2E_DIR/install.log" 2>&1; }
if poll "$WAIT" install_converged && kadmin get sessionpolicy default >/dev/null 2>&1; then
  e2e_pass "kubectl apply -k of the install, the tracker and the inactivity flags converges ($applies applies, $((SECONDS - t0))s)"
else
  e2e_fail "kubectl apply -k of the install, the tracker and the inactivity flags converges" "$(tail -5 "$E2E_DIR/install.log")"
fi
if ksg rollout status deployment/sessiongate-controller --timeout="${WAIT}s" >/dev/null 2>&1 &&
   ktr rollout status daemonset/sessiongate-tracker --timeout="${WAIT}s" >/dev/null 2>&1; then
  e2e_pass "the controller and the tracker DaemonSet roll out"
else
  e2e_fail "the controller and the tracker DaemonSet roll out" "$(ktr get pods -o wide 2>&1; ktr logs ds/sessiongate-tracker --tail=5 2>&1)"
fi
args=$(ksg get deployment sessiongate-controller -o jsonpath='{.spec.template.spec.containers[0].args}')
expect "the controller finds trackers by selector: --tracker-selector, --tracker-namespace, --tracker-port, --idle-warning-lead=$LEAD" \
  grep -q "tracker-selector=app.kubernetes.io/name=sessiongate-tracker.*tracker-namespace=sessiongate-tracker.*tracker-port=activity.*idle-warning-lead=$LEAD" <<<"$args"
# The tracker as the node runs it: host network, the process as uid 65532 with CAP_NET_RAW alone effective.
TRACKER_POD=$(ktr get pods -o jsonpath='{.items[0].metadata.name}')
TRACKER_URL=http://$NODE_IP:9470
tracker_pid() { pgrep -f '^/usr/local/bin/sessiongate-tracker ' | head -n1; }
pid=$(tracker_pid)
caps=$(awk '/^(Uid|CapEff|CapPrm|CapBnd):/ {printf "%s %s ", $1, $2}' "/proc/${pid:-0}/status" 2>/dev/null)
if [[ $(ktr get pod "$TRACKER_POD" -o jsonpath='{.spec.hostNetwork} {.status.podIP}') == "true $NODE_IP" &&
      $caps == "Uid: 65532 CapPrm: 0000000000002000 CapEff: 0000000000002000 CapBnd: 0000000000002000 " ]]; then
  e2e_pass "the tracker pod runs on the host network ($NODE_IP) as uid 65532 with only CAP_NET_RAW ($caps)"
else
  e2e_fail "the tracker pod runs on the host network as uid 65532 with only CAP_NET_RAW" "pid ${pid:-none}: $caps"
fi
tracker_capturing() { curl -fsS --max-time 5 "$TRACKER_URL/activity" | jq -e '.capturing == true'; }
expect "the tracker captures on every interface (any) and serves $TRACKER_URL/activity" poll 60 tracker_capturing

# ------------------------------------------------------------------ two sessions with real workers
session() {  # session NAME [exposed]
  local exposure=
  [[ ${2:-} == exposed ]] && exposure='publicExposure: {ports: [{name: web, targetPort: 8080}]}'
  kas alice apply -f - <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: $1}
spec: {user: alice, profile: shell, inactivityTimeout: ${TIMEOUT}s, $exposure}
EOF
}
worker_ip() { kadmin -n "sess-$1" get pods -o jsonpath='{.items[0].status.podIP}' 2>/dev/null; }
t0=$SECONDS
expect "the active session (exposing 8080) is admitted once the webhook has loaded the policy" poll "$WAIT" session active exposed
expect "active: its worker pod runs and the session is Ready ($((SECONDS - t0))s)" poll "$WAIT" us_phase_is active Ready
ACTIVE_IP=$(worker_ip active)
ACTIVE_CREATED=$(date -d "$(kadmin get us active -o jsonpath='{.metadata.creationTimestamp}')" +%s)
# The client: a pod outside any session, a real TCP connection (an HTTP GET) to the worker every 3 s.
kadmin create namespace e2e-outside >/dev/null
kadmin -n e2e-outside apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: client
      image: $NODE_TEST_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'while true; do wget -O- http://$ACTIVE_IP:8080/passwd 2>/dev/null | grep -q nonroot && echo connected; sleep 3; done']
EOF
client_connected() { [[ $(kadmin -n e2e-outside logs client 2>/dev/null | grep -c connected) -ge 2 ]]; }
expect "a client pod connects to the active worker ($ACTIVE_IP:8080) and is answered" poll "$WAIT" client_connected
tracker_sees() {
  curl -fsS --max-time 5 "$TRACKER_URL/activity" |
    jq -e --arg ip "$1" '[.destinations[] | select(.ip == $ip and .port == 8080)][0].connections > 0'
}
expect "the tracker on the host network sees the client's connections to $ACTIVE_IP:8080" poll 60 tracker_sees "$ACTIVE_IP"
t0=$SECONDS
expect "the idle session is admitted" poll "$WAIT" session idle
kadmin get usersession idle -w --no-headers -o 'custom-columns=PHASE:.status.phase' >"$E2E_DIR/idle.phases" 2>/dev/null &
expect "idle: its worker pod runs and the session is Ready ($((SECONDS - t0))s)" poll "$WAIT" us_phase_is idle Ready
IDLE_IP=$(worker_ip idle)

# ------------------------------------------------------------------ the idle one ends, the active one stays
expect "idle: Warning Event IdleSoon" poll 120 us_event_seen idle IdleSoon
out=$(us_event idle IdleSoon)
if [[ $out =~ ^Warning\ .*the\ session\ ends\ at\ .*\(inactivityTimeout\ ${TIMEOUT}s\)$ ]]; then
  e2e_pass "idle: the warning says when it ends: ${out#Warning }"
else
  e2e_fail "idle: the warning says when it ends" "$out"
fi
expect "idle: condition IdleSoon True" poll 60 us_condition_is idle IdleSoon True
expect "idle: Event Idle" poll 90 us_event_seen idle Idle
expect "idle: the UserSession is deleted" poll "$WAIT" us_gone idle
expect "idle: its namespace is gone" poll "$WAIT" fails 1 kadmin get ns sess-idle
expect "idle: kubectl saw phase Idle" grep -q '^Idle *$' "$E2E_DIR/idle.phases"
expect "the tracker never saw a connection to the idle worker ($IDLE_IP)" \
  sh -c "! curl -fsS --max-time 5 $TRACKER_URL/activity | jq -e --arg ip '$IDLE_IP' '.destinations[] | select(.ip == \$ip)'"
last_activity() { date -d "$(kadmin get us active -o jsonpath='{.status.lastActivity}')" +%s 2>/dev/null; }
L1=$(last_activity)
later_activity() { local l; l=$(last_activity) && ((l > L1)); }
expect "active: status.lastActivity moves with its connections ($(kadmin get us active -o jsonpath='{.status.lastActivity}') and later)" \
  poll 120 later_activity
while (($(date +%s) < ACTIVE_CREATED + TIMEOUT + 15)); do sleep 2; done
expect "active: still Ready $((TIMEOUT + 15))s after creation (past its timeout)" us_phase_is active Ready
expect "active: never warned" sh -c "! kadmin get events -n default --field-selector involvedObject.name=active,reason=IdleSoon -o name | grep -q ."

# ------------------------------------------------------------------ no tracker: activity unknown, nothing ends
ktr patch daemonset sessiongate-tracker --type merge \
  -p '{"spec":{"template":{"spec":{"nodeSelector":{"sessiongate.io/e2e-no-such-node":"true"}}}}}' >/dev/null
kadmin -n e2e-outside delete pod client --wait=false >/dev/null
no_tracker_pod() { [[ -z $(ktr get pods -o name 2>/dev/null) ]]; }
expect "the tracker DaemonSet's node selector matches no node: its pod is gone" poll "$WAIT" no_tracker_pod
expect "the client pod is gone (no more traffic)" poll "$WAIT" fails 1 kadmin -n e2e-outside get pod client
STOPPED=$(date +%s)
expect "active: IdleSoon False ActivityUnknown" poll 120 us_condition_is active IdleSoon False ActivityUnknown
msg=$(kadmin get us active -o jsonpath='{.status.conditions[?(@.type=="IdleSoon")].message}')
expect "active: the status says why: $msg" grep -q 'no activity tracker is configured or found' <<<"$msg"
# Past its timeout since the traffic stopped, and a retry of the trackers, the session is still there.
while (($(date +%s) < STOPPED + TIMEOUT + 40)); do sleep 2; done
expect "active: still Ready $((TIMEOUT + 40))s after its traffic and the tracker stopped" us_phase_is active Ready
expect "active: still IdleSoon False ActivityUnknown, never warned" \
  sh -c "kubectl --kubeconfig '$KUBECONFIG_ADMIN' get us active -o jsonpath='{.status.conditions[?(@.type==\"IdleSoon\")].reason}' | grep -qx ActivityUnknown &&
         ! kubectl --kubeconfig '$KUBECONFIG_ADMIN' get events -n default --field-selector involvedObject.name=active,reason=IdleSoon -o name | grep -q ."
jobs -p | xargs -r kill 2>/dev/null

node_suite_down
e2e_summary
