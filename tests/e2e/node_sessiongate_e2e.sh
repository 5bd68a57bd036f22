#!/usr/bin/env bash
# e2e of sessiongate deployed as a user deploys it, on a real node (scripts/node/up.sh): its image built offline
# from the build tree, `kubectl apply -k manifests/overlays/local-certs` (webhook by Service reference, two
# replicas, the controller in-cluster with leader election), a SessionPolicy whose profile uses the test image,
# two sessions whose worker pods run, and the controller's NetworkPolicies proven with packets through
# kube-router: a worker reaches what egressCIDRs lists and nothing else, and not another session's worker.
# Then rolling restarts of the webhook Deployment while users apply and delete sessions and session pods (the
# webhooks fail closed): every command must succeed. Then the host is left as it was. Needs root.
#
# With E2E_KUBECONFIG (and E2E_APISERVER_CLIENT_CA; see node_lib.sh) the same checks run against that cluster
# instead (kind, a real cluster; README "On kind"): no local node, images already loaded; at the end the
# suite deletes what it created, the install included.
#
#   E2E_BUILD_DIR      build tree with sessiongate-webhook, sessiongate-controller and sessiongatectl (required)
#   E2E_KEEP=1         keep the work dir (logs) after the run
#   E2E_ROLLOUTS       rolling restarts of the webhook under load (default 4)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/node_lib.sh"
node_suite_lock
: "${E2E_BUILD_DIR:?set E2E_BUILD_DIR to the build tree}"
WAIT=180
E2E_DIR=$(mktemp -d /tmp/sessiongate-node-sg-e2e.XXXXXX)

ROLL_USER=bob   # the user of the rolling-restart load (alice's sessions reach maxSessionsPerUser later)

# existing_cluster_cleanup: what the suite made on a cluster it did not start, sessions first (their
# finalizer needs the controller), then the install itself. Each deletion is waited for, so that the next suite
# run on the same cluster does not meet this one's objects still terminating.
existing_cluster_cleanup() {
  kadmin delete us alice-shell bob-shell alice-broken "$ROLL_USER-roll" --ignore-not-found --timeout=120s >/dev/null 2>&1
  kadmin delete namespace e2e-outside --ignore-not-found --timeout=180s >/dev/null 2>&1
  kadmin delete sessionpolicy default --ignore-not-found >/dev/null 2>&1
  kadmin delete -k "$E2E_DIR/manifests/overlays/local-certs" --ignore-not-found --timeout=180s >/dev/null 2>&1
}
LOAD_PIDS=()   # the rolling-restart load's loops, stopped by the trap too
cleanup() {
  ((${#LOAD_PIDS[@]} == 0)) || { kill "${LOAD_PIDS[@]}" 2>/dev/null; wait "${LOAD_PIDS[@]}" 2>/dev/null; }
  node_suite_cleanup existing_cluster_cleanup
}
trap cleanup EXIT
trap 'exit 143' TERM INT

node_suite_up || { e2e_summary; exit 1; }
ksg() { kadmin -n sessiongate-system --request-timeout=30s "$@"; }

# ------------------------------------------------------------------ install as a user does
# A copy of manifests/ with generated certificates (node_suite_up, node_lib.sh).
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
existing_cluster || e2e_log "whole cluster RSS with sessiongate and two sessions: $(cluster_rss_mib) MiB"

# ------------------------------------------------------------------ rolling restarts of the webhook under load
# The webhooks fail closed, so a review a webhook replica drops is a user's command refused. While three loops
# run as ROLL_USER (creating and deleting a session; creating and deleting pods in the user's session namespace,
# mutated and validated; the same pod applied with --dry-run=server, reviewed and not stored), the webhook
# Deployment is restarted E2E_ROLLOUTS times, each rollout waited for, old replicas' drain included. Every
# command must succeed: each one's outcome is a line of LOAD_DIR/results.
ROLLOUTS=${E2E_ROLLOUTS:-4}
LOAD_DIR=$E2E_DIR/rollout-load
mkdir -p "$LOAD_DIR"
# counted WHAT CMD...: runs CMD and records "ok WHAT" or "FAIL WHAT: its output".
counted() {
  local what=$1 out; shift
  if out=$("$@" 2>&1); then echo "ok $what" >>"$LOAD_DIR/results"
  else echo "FAIL $what: $(tr '\n' ' ' <<<"$out")" >>"$LOAD_DIR/results"; fi
}
roll_session() {  # the load's session as YAML
  printf 'apiVersion: sessiongate.io/v1alpha1\nkind: UserSession\nmetadata: {name: %s-roll}\nspec: {user: %s, profile: shell}\n' \
    "$ROLL_USER" "$ROLL_USER"
}
roll_pod() {  # roll_pod NAME: a pod of the user's own in the session namespace, that stops at once
  cat <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - {name: main, image: $NODE_TEST_IMAGE, imagePullPolicy: Never, command: [sleep, "3600"]}
EOF
}
session_load() {
  while [[ ! -e $LOAD_DIR/stop ]]; do
    counted "apply UserSession" kas "$ROLL_USER" apply -f - --request-timeout=30s < <(roll_session)
    counted "delete UserSession" kas "$ROLL_USER" delete us "$ROLL_USER-roll" --wait=true --timeout=120s
  done
}
pod_load() {
  local i=0 ns=sess-$ROLL_USER-shell
  while [[ ! -e $LOAD_DIR/stop ]]; do
    i=$((i + 1))
    counted "apply Pod" kas "$ROLL_USER" -n "$ns" apply -f - --request-timeout=30s < <(roll_pod "roll-$i")
    counted "delete Pod" kas "$ROLL_USER" -n "$ns" delete pod "roll-$i" --wait=true --timeout=60s
  done
}
dry_run_load() {
  while [[ ! -e $LOAD_DIR/stop ]]; do
    counted "apply Pod --dry-run=server" kas "$ROLL_USER" -n "sess-$ROLL_USER-shell" apply --dry-run=server \
      -f - --request-timeout=30s < <(roll_pod roll-dry-run)
  done
}
webhook_pods() { ksg get pods -l app.kubernetes.io/name=sessiongate-webhook -o name 2>/dev/null | grep -c .; }
two_webhook_pods() { [[ $(webhook_pods) == 2 ]]; }
count_of() { grep -c "^$1" "$LOAD_DIR/results" 2>/dev/null; }
load_started() { [[ $(count_of ok) -ge 4 ]]; }
session_load & LOAD_PIDS+=($!)
pod_load & LOAD_PIDS+=($!)
dry_run_load & LOAD_PIDS+=($!)
poll 60 load_started   # the load runs before the first restart
t0=$SECONDS; rollouts_ok=0; before=$(count_of '')
for r in $(seq "$ROLLOUTS"); do
  tr0=$SECONDS
  if ksg rollout restart deployment/sessiongate-webhook >/dev/null 2>&1 &&
     ksg rollout status deployment/sessiongate-webhook --timeout="${WAIT}s" >/dev/null 2>&1 &&
     poll "$WAIT" two_webhook_pods; then
    rollouts_ok=$((rollouts_ok + 1))
    e2e_log "rollout $r: $((SECONDS - tr0))s, $(($(count_of '') - before)) commands since the first"
  else
    e2e_log "rollout $r did not complete: $(ksg get pods -o wide 2>&1 | tr '\n' ' ')"
  fi
done
during=$(($(count_of '') - before))
touch "$LOAD_DIR/stop"
wait "${LOAD_PIDS[@]}"; LOAD_PIDS=()
total=$(count_of ''); failed=$(count_of FAIL)
e2e_log "rolling restarts: $rollouts_ok of $ROLLOUTS in $((SECONDS - t0))s; $total commands ($during during the rollouts): $(count_of 'ok apply UserSession') session applies, $(count_of 'ok delete UserSession') session deletes, $(count_of 'ok apply Pod$') pod applies, $(count_of 'ok delete Pod') pod deletes, $(count_of 'ok apply Pod --dry-run') pod applies --dry-run=server; $failed failed"
if ((rollouts_ok == ROLLOUTS && during > 0 && failed == 0)); then
  e2e_pass "$ROLLOUTS rolling restarts of the webhook under load: 0 failed of $total kubectl apply/delete as $ROLL_USER ($during during the rollouts)"
else
  e2e_fail "$ROLLOUTS rolling restarts of the webhook under load: 0 failed kubectl apply/delete" \
    "$rollouts_ok rollouts completed, $during commands during them, $failed failed: $(grep '^FAIL' "$LOAD_DIR/results" | head -5)"
fi

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

node_suite_down
e2e_summary
