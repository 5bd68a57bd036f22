#!/usr/bin/env bash
# e2e of sessiongate deployed as a user deploys it, on a real node (scripts/node/up.sh): its image built offline
# from the build tree, `kubectl apply -k manifests/overlays/local-certs` (webhook by Service reference, two
# replicas, the controller in-cluster with leader election), a SessionPolicy whose profile uses the test image,
# two sessions whose worker pods run, and the controller's NetworkPolicies proven with packets through
# kube-router: a worker reaches what egressCIDRs lists and nothing else, and not another session's worker.
# Then the host is left as it was. Needs root.
#
#   E2E_BUILD_DIR  build tree with sessiongate-webhook, sessiongate-controller and sessiongatectl (required)
#   E2E_KEEP=1     keep the work dir (logs) after the run
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/node_lib.sh"
node_lock
: "${E2E_BUILD_DIR:?set E2E_BUILD_DIR to the build tree}"
WAIT=180
E2E_DIR=$(mktemp -d /tmp/sessiongate-node-sg-e2e.XXXXXX)

cleanup() {
  "$NODE_SCRIPTS/down.sh" "$E2E_DIR" || true
  if [[ ${E2E_KEEP:-0} != 1 ]]; then rm -rf "$E2E_DIR"; else e2e_log "kept $E2E_DIR"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if [[ $(id -u) -ne 0 ]]; then e2e_fail "running as root"; e2e_summary; exit 1; fi
SGCTL=$(find "$E2E_BUILD_DIR" -type f -name sessiongatectl -perm -u+x | head -n1)
[[ -n $SGCTL ]] || { e2e_fail "sessiongatectl in $E2E_BUILD_DIR"; e2e_summary; exit 1; }
host_state > "$E2E_DIR/host.before"

t0=$SECONDS
if SESSIONGATE_BUILD_DIR="$E2E_BUILD_DIR" "$NODE_SCRIPTS/up.sh" "$E2E_DIR" 2>"$E2E_DIR/up.log"; then
  e2e_pass "node up with sessiongate's image imported ($((SECONDS - t0))s)"
else
  tail -40 "$E2E_DIR/up.log"; e2e_fail "node up"; e2e_summary; exit 1
fi
source "$E2E_DIR/node/env"
ksg() { kadmin -n sessiongate-system --request-timeout=30s "$@"; }

# ------------------------------------------------------------------ install as a user does
# A copy of manifests/ with generated certificates (node_lib.sh).
sg_install_files "$SGCTL" "$E2E_DIR" >"$E2E_DIR/install-files.log" 2>&1 \
  || { e2e_fail "sessiongatectl certs" "$(cat "$E2E_DIR/install-files.log")"; e2e_summary; exit 1; }
# Two servers outside any session: the policy lets workers reach the first (egressCIDRs) and not the second.
kadmin create namespace e2e-outside >/dev/null
for name in allowed other; do
  kadmin -n e2e-outside apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $name}
spec:
  containers:
    - name: web
      image: $NODE_TEST_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www']
EOF
done
kadmin -n e2e-outside wait --for=condition=Ready pod/allowed pod/other --timeout="${WAIT}s" >/dev/null \
  || e2e_fail "servers outside the sessions run"
ALLOWED_IP=$(kadmin -n e2e-outside get pod allowed -o jsonpath='{.status.podIP}')
OTHER_IP=$(kadmin -n e2e-outside get pod other -o jsonpath='{.status.podIP}')

# A policy for this node: the test image serving /etc on 8080, no gateway, no storage (this kernel has no NFS
# client), egress only to the "allowed" server.
cat > "$E2E_DIR/policy.yaml" <<EOF
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
      allowPublicExposure: false
    - name: broken
      # an image that is not imported into containerd, from a "registry" on a closed local port: the pull
      # fails on the node without a packet leaving the machine
      image: 127.0.0.1:1/sessiongate/not-imported:1
      command: [sleep, "3600"]
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {cpu: 100m, memory: 32Mi}
      defaultTTL: 1h
      maxTTL: 2h
      maxInactivity: 30m
      defaultGateway: none
      allowNoGateway: true
      storage: false
  network:
    allowDNS: false
    egressCIDRs: [$ALLOWED_IP/32]
EOF
# install_webhooks_before_policy: `kubectl apply -k` of the overlay on a cluster with no SessionPolicy; the
# webhook turns ready without one, refuses sessions with "no SessionPolicy ... loaded", validates the first
# policy itself (a bad one is refused by the webhook, not by the schema) and admits a good one.
install_webhooks_before_policy() {
  local out t0=$SECONDS
  if out=$("$SGCTL" policy check "$E2E_DIR/policy.yaml" 2>&1) &&
     out=$(kadmin apply -k "$E2E_DIR/manifests/overlays/local-certs" 2>&1); then
    e2e_pass "kubectl apply -k manifests/overlays/local-certs with no SessionPolicy ($(grep -c . <<<"$out") objects)"
  else
    e2e_fail "kubectl apply -k manifests/overlays/local-certs with no SessionPolicy" "$out"
  fi
  if ksg rollout status deployment/sessiongate-webhook --timeout="${WAIT}s" >/dev/null 2>&1 &&
     ksg rollout status deployment/sessiongate-controller --timeout="${WAIT}s" >/dev/null 2>&1; then
    e2e_pass "webhook (2 replicas, Ready without a policy) and controller roll out on the node ($((SECONDS - t0))s)"
  else
    e2e_fail "webhook (2 replicas, Ready without a policy) and controller roll out on the node" \
      "$(ksg get pods -o wide 2>&1; ksg logs deploy/sessiongate-webhook --tail=5 2>&1; ksg logs deploy/sessiongate-controller --tail=5 2>&1)"
  fi
  # Ready pods are not yet a reachable Service: kube-proxy's endpoints and kube-router's policy sets follow a
  # moment later. Until the API server reaches the webhook a session is refused with "failed calling
  # webhook"; once it does, with the webhook's own words.
  local session='{"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession","metadata":{"name":"alice-early"},"spec":{"user":"alice","profile":"shell"}}'
  # (Not `kubectl ... | grep -q`: under pipefail the refusal's exit status would fail the pipeline.)
  refused_without_policy() { [[ $(kas alice apply -f - <<<"$session" 2>&1) == *'no SessionPolicy "default" loaded'* ]]; }
  if poll "$WAIT" refused_without_policy; then
    e2e_pass "before the policy exists, a session is refused: no SessionPolicy \"default\" loaded"
  else
    e2e_fail "before the policy exists, a session is refused: no SessionPolicy \"default\" loaded" \
      "$(kas alice apply -f - <<<"$session" 2>&1)"
  fi
  # A policy whose pool entries overlap passes the schema; only the webhook refuses it, with no policy loaded.
  out=$(sed 's/^  network:/  publicExposure:\n    ipPool: [10.250.1.0\/24, 10.250.1.7]\n  network:/' "$E2E_DIR/policy.yaml" |
        kadmin apply -f - 2>&1)
  if [[ $out == *'denied the request'* && $out == *'spec.publicExposure.ipPool[1]'* ]]; then
    e2e_pass "the webhook validates the first SessionPolicy (overlapping pool entries refused)"
  else
    e2e_fail "the webhook validates the first SessionPolicy (overlapping pool entries refused)" "$out"
  fi
  if out=$(kadmin apply -f "$E2E_DIR/policy.yaml" 2>&1); then
    e2e_pass "the first SessionPolicy is admitted through the in-cluster webhook"
  else
    e2e_fail "the first SessionPolicy is admitted through the in-cluster webhook" "$out"
  fi
}

# Install order: the webhooks first, the policy after them (node_exposure_e2e.sh installs both in one apply).
install_webhooks_before_policy
# ------------------------------------------------------------------ sessions run, isolated
for user in alice bob; do
  kas "$user" apply -f - >/dev/null <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: $user-shell}
spec: {user: $user, profile: shell}
EOF
done
t0=$SECONDS
worker_of() { kadmin -n "sess-$1-shell" get pods -o jsonpath='{range .items[?(@.status.phase=="Running")]}{.metadata.name}{end}' 2>/dev/null; }
workers_running() { [[ -n $(worker_of alice) && -n $(worker_of bob) ]]; }
if poll "$WAIT" workers_running; then
  e2e_pass "alice's and bob's sessions have Running worker pods ($((SECONDS - t0))s after the apply)"
else
  e2e_fail "alice's and bob's sessions have Running worker pods" \
    "$(kadmin get us alice-shell -o yaml 2>&1 | sed -n '/^status:/,$p'; kadmin -n sess-alice-shell get pods,events 2>&1 | tail -15)"
fi
# Ready means running: the session is Ready once its worker pod is (WorkerReady True, reason PodReady).
condition_of() { kadmin get us "$1" -o jsonpath="{.status.phase}/{.status.conditions[?(@.type==\"$2\")].status}/{.status.conditions[?(@.type==\"$2\")].reason}" 2>/dev/null; }
sessions_ready() {
  [[ $(condition_of alice-shell Ready) == Ready/True/Running && $(condition_of bob-shell Ready) == Ready/True/Running &&
     $(condition_of alice-shell WorkerReady) == Ready/True/PodReady && $(condition_of alice-shell Provisioned) == Ready/True/Applied ]]
}
if poll "$WAIT" sessions_ready; then
  e2e_pass "alice's and bob's sessions are Ready: WorkerReady True (PodReady), Provisioned True, Ready True"
else
  e2e_fail "alice's and bob's sessions are Ready" "$(kadmin get us alice-shell bob-shell -o yaml 2>&1 | sed -n '/^  status:/,/^- /p' | head -60)"
fi
ALICE_POD=$(worker_of alice); BOB_POD=$(worker_of bob)
ALICE_IP=$(kadmin -n sess-alice-shell get pod "$ALICE_POD" -o jsonpath='{.status.podIP}' 2>/dev/null)
e2e_log "alice-shell: phase $(kadmin get us alice-shell -o jsonpath='{.status.phase}' 2>&1), worker $ALICE_POD at $ALICE_IP"
# from USER URL: fetches URL from the user's worker.
from() { kadmin -n "sess-$1-shell" exec "$(worker_of "$1")" -c worker -- timeout 5 wget -O- "$2" 2>/dev/null | grep -q "${3:-hello-from-web}"; }
# Each check has its positive control, so a refusal is the policy and not a server that is not there.
if poll 30 from alice "http://127.0.0.1:8080/passwd" nonroot && poll 60 from alice "http://$ALLOWED_IP:8080/"; then
  e2e_pass "alice's worker serves, and reaches the server in egressCIDRs"
else
  e2e_fail "alice's worker serves, and reaches the server in egressCIDRs"
fi
if poll 30 bash -c "kubectl --kubeconfig '$KUBECONFIG_ADMIN' -n e2e-outside exec allowed -- timeout 5 wget -O- http://$OTHER_IP:8080/ | grep -q hello" &&
   fails 60 from alice "http://$OTHER_IP:8080/"; then
  e2e_pass "alice's worker cannot reach a server the policy does not list"
else
  e2e_fail "alice's worker cannot reach a server the policy does not list"
fi
if [[ -n $ALICE_IP ]] && fails 60 from bob "http://$ALICE_IP:8080/passwd" nonroot; then
  e2e_pass "bob's worker cannot reach alice's"
else
  e2e_fail "bob's worker cannot reach alice's"
fi
e2e_log "whole cluster RSS with sessiongate and two sessions: $(cluster_rss_mib) MiB"

# ------------------------------------------------------------------ a worker that cannot start says why
kas alice apply -f - >/dev/null <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: alice-broken}
spec: {user: alice, profile: broken}
EOF
pull_failed() {
  [[ $(condition_of alice-broken WorkerReady) == Error/False/ImagePullFailed ]] &&
    kadmin get us alice-broken -o jsonpath='{.status.message}' 2>/dev/null |
      grep -q '^worker pod sess-alice-broken/worker: container worker cannot get its image 127.0.0.1:1/sessiongate/not-imported:1 (\(ErrImagePull\|ImagePullBackOff\))'
}
if poll "$WAIT" pull_failed; then
  e2e_pass "a session whose image cannot be pulled: phase Error, WorkerReady ImagePullFailed, the kubelet's reason in the message"
else
  e2e_fail "a session whose image cannot be pulled says why" "$(kadmin get us alice-broken -o yaml 2>&1 | sed -n '/^status:/,$p'; kadmin -n sess-alice-broken get pods -o wide 2>&1)"
fi
pull_event() { kadmin get events -n default --field-selector involvedObject.name=alice-broken,reason=ImagePullFailed,type=Warning -o name 2>/dev/null | grep -q .; }
if poll 30 pull_event; then
  e2e_pass "an ImagePullFailed Warning Event on the UserSession"
else
  e2e_fail "an ImagePullFailed Warning Event on the UserSession" "$(kadmin get events -n default --field-selector involvedObject.name=alice-broken 2>&1)"
fi
if [[ $(condition_of alice-shell Ready) == Ready/True/Running ]]; then
  e2e_pass "alice's other session stays Ready"
else
  e2e_fail "alice's other session stays Ready" "$(condition_of alice-shell Ready)"
fi

"$NODE_SCRIPTS/down.sh" "$E2E_DIR" 2>>"$E2E_DIR/down.log"
host_state > "$E2E_DIR/host.after"
if host_diff "$E2E_DIR/host.before" "$E2E_DIR/host.after" > "$E2E_DIR/host.diff"; then
  e2e_pass "down.sh leaves the host as it was"
else
  e2e_fail "down.sh leaves the host as it was" "$(head -40 "$E2E_DIR/host.diff")"
fi
e2e_summary
