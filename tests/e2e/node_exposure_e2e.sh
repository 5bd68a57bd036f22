#!/usr/bin/env bash
# e2e of a session's network on a real node, proven with packets: sessiongate installed with its first
# SessionPolicy in one kustomization (applied until it converges, as a user with a fresh cluster does), a
# session behind a gateway whose worker reaches DNS (TCP 53 of a kube-dns stand-in), the gateway and the
# policy's egressCIDRs and nothing else (other ports of the same pods, a server the policy does not list);
# another session's worker cannot reach it; a client in a network namespace of its own on the LoadBalancer
# bridge reaches the session's exposed port at the address the controller allocated (MetalLB answers ARP for
# it) and nothing else on that address; when the session ends the address stops answering and the next
# session gets it. Runtime confinement tried as the session's user: a privileged pod and exec into a gateway
# container are refused with the webhook's words. Then the host is left as it was. Needs root.
#
# With E2E_KUBECONFIG (and E2E_LB_IP, E2E_APISERVER_CLIENT_CA; see node_lib.sh) the same checks run against
# that cluster instead (kind, a real cluster; README "On kind"): no local node, images already loaded, the
# client is this host; at the end the suite deletes what it created, the install included.
#
#   E2E_BUILD_DIR  build tree with the sessiongate binaries (required: sessiongatectl makes the certificates)
#   E2E_KEEP=1     keep the work dir (logs) after the run
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/node_lib.sh"
node_suite_lock
: "${E2E_BUILD_DIR:?set E2E_BUILD_DIR to the build tree}"
WAIT=180
POOL_IP=${E2E_LB_IP:-10.250.1.110}   # the policy's whole pool: one address, so the next session must get it too
E2E_DIR=$(mktemp -d /tmp/sessiongate-node-exposure-e2e.XXXXXX)

# existing_cluster_cleanup: what the suite made on a cluster it did not start, sessions first (their
# finalizer needs the controller), then the install itself.
existing_cluster_cleanup() {
  kadmin delete us alice-web bob-web alice-next --ignore-not-found --timeout=120s >/dev/null 2>&1
  kadmin delete namespace e2e-outside --ignore-not-found --timeout=180s >/dev/null 2>&1
  kadmin -n kube-system delete pod dns --ignore-not-found --timeout=120s >/dev/null 2>&1
  [[ -d $E2E_DIR/install ]] && kadmin delete -k "$E2E_DIR/install" --ignore-not-found --timeout=180s >/dev/null 2>&1
}
cleanup() {
  client_ns_down
  node_suite_cleanup existing_cluster_cleanup
}
trap cleanup EXIT
trap 'exit 143' TERM INT

node_suite_up E2E_LB_IP || { e2e_summary; exit 1; }
existing_cluster && e2e_log "LoadBalancer address $POOL_IP"
ksg() { kadmin -n sessiongate-system --request-timeout=30s "$@"; }

# ------------------------------------------------------------------ what sessions may or may not reach
# Outside any session: "allowed" (in egressCIDRs) and "other" (not) serve 8080; "gw" is the gateway stand-in
# (TCP 8053); "dns" in kube-system carries kube-dns's label and answers on TCP 53 and, not allowed, 8080. It
# is never Ready (its readiness probe fails), so it never joins the kube-dns Service of a cluster that has
# one; a NetworkPolicy selects it all the same.
web_pod() {  # web_pod NAMESPACE NAME LABELS COMMAND [never-ready]
  local probe=
  [[ ${5:-} == never-ready ]] && probe='readinessProbe: {exec: {command: ["false"]}, periodSeconds: 60}'
  kadmin -n "$1" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $2, labels: $3}
spec:
  containers:
    - name: main
      image: $NODE_TEST_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && $4']
      securityContext: {capabilities: {add: [NET_ADMIN]}}
      $probe
EOF
}
kadmin create namespace e2e-outside >/dev/null
web_pod e2e-outside allowed '{app: allowed}' 'exec httpd -f -p 8080 -h /tmp/www'
web_pod e2e-outside other '{app: other}' 'exec httpd -f -p 8080 -h /tmp/www'
web_pod e2e-outside gw '{app: gw}' 'exec gateway'
web_pod kube-system dns '{k8s-app: kube-dns}' 'httpd -p 8080 -h /tmp/www && exec nc -ll -p 53 -e echo dns-stand-in' never-ready
if kadmin -n e2e-outside wait --for=condition=Ready pod/allowed pod/other pod/gw --timeout="${WAIT}s" >/dev/null &&
   kadmin -n kube-system wait --for=jsonpath='{.status.phase}'=Running pod/dns --timeout="${WAIT}s" >/dev/null; then
  e2e_pass "servers outside the sessions run (allowed, other, gateway stand-in, kube-dns stand-in)"
else
  e2e_fail "servers outside the sessions run" "$(kadmin get pods -A -o wide 2>&1 | grep -v sessiongate)"
fi
ip_of() { kadmin -n "$1" get pod "$2" -o jsonpath='{.status.podIP}'; }
ALLOWED_IP=$(ip_of e2e-outside allowed); OTHER_IP=$(ip_of e2e-outside other)
GW_IP=$(ip_of e2e-outside gw); DNS_IP=$(ip_of kube-system dns)

# ------------------------------------------------------------------ install in one go
mkdir -p "$E2E_DIR/install"
cat > "$E2E_DIR/install/policy.yaml" <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: SessionPolicy
metadata:
  name: default
spec:
  limits:
    maxSessionsPerUser: 2
  gateways:
    - name: gw
      address: $GW_IP
      image: $NODE_TEST_IMAGE
      nativeSidecar: true
  profiles:
$(test_image_profile web)
      gateways: [gw]
      defaultGateway: gw
      storage: false
      allowPublicExposure: true
      maxExposedPorts: 1
  publicExposure:
    ipPool: [$POOL_IP]
  network:
    allowDNS: true
    egressCIDRs: [$ALLOWED_IP/32]
EOF
cat > "$E2E_DIR/install/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../manifests/overlays/local-certs
  - policy.yaml
EOF
# The first apply stores the CRDs but cannot map SessionPolicy yet; later ones meet the webhook before it is
# ready ("no endpoints available"); it converges once the webhook's cache has synced, with no policy loaded.
t0=$SECONDS; applies=0
install_converged() { applies=$((applies + 1)); kadmin apply -k "$E2E_DIR/install" >"$E2E_DIR/install.log" 2>&1; }
if poll "$WAIT" install_converged && kadmin get sessionpolicy default >/dev/null 2>&1; then
  e2e_pass "one kubectl apply -k of the install and its SessionPolicy converges ($applies applies, $((SECONDS - t0))s)"
else
  e2e_fail "one kubectl apply -k of the install and its SessionPolicy converges" "$(tail -5 "$E2E_DIR/install.log")"
fi
ksg rollout status deployment/sessiongate-controller --timeout="${WAIT}s" >/dev/null 2>&1 \
  || e2e_fail "the controller rolls out" "$(ksg get pods 2>&1)"

# ------------------------------------------------------------------ sessions
session() {  # session USER NAME [exposed]
  local exposure=
  [[ ${3:-} == exposed ]] && exposure='publicExposure: {ports: [{name: web, targetPort: 8080}]}'
  kas "$1" apply -f - <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: $2}
spec: {user: $1, profile: web, $exposure}
EOF
}
worker_ready() { kadmin -n "sess-$1" wait --for=condition=Ready pod --all --timeout=5s 2>/dev/null | grep -q .; }
worker_of() { kadmin -n "sess-$1" get pods -o jsonpath='{.items[0].metadata.name}' 2>/dev/null; }
# Each webhook replica loads the policy from its watch a moment after it is stored; until then a session is
# refused with "no SessionPolicy ... loaded" and, as that message says, applied again.
t0=$SECONDS
if poll "$WAIT" session alice alice-web exposed && poll "$WAIT" session bob bob-web; then
  e2e_pass "alice's and bob's sessions are admitted once the webhook has loaded the policy ($((SECONDS - t0))s)"
else
  e2e_fail "alice's and bob's sessions are admitted once the webhook has loaded the policy" "$(session bob bob-web 2>&1)"
fi
if poll "$WAIT" worker_ready alice-web && poll "$WAIT" worker_ready bob-web; then
  e2e_pass "alice's (exposed) and bob's sessions have Ready workers behind the gateway ($((SECONDS - t0))s)"
else
  e2e_fail "alice's (exposed) and bob's sessions have Ready workers behind the gateway" \
    "$(kadmin get us -o wide 2>&1; kadmin -n sess-alice-web get pods,events 2>&1 | tail -15)"
fi
ALICE_POD=$(worker_of alice-web); ALICE_IP=$(ip_of sess-alice-web "$ALICE_POD")
# in_worker SESSION CMD: runs CMD in the session's worker container (as the admin: the packets are the point).
in_worker() { local s=$1; shift; kadmin -n "sess-$s" exec "$(worker_of "$s")" -c worker -- "$@" 2>/dev/null; }
http_ok() { in_worker "$1" timeout 5 wget -O- "$2" | grep -q "${3:-hello-from-web}"; }
tcp_says() { in_worker "$1" sh -c "echo | timeout 5 nc $2 $3" | grep -q "$4"; }
# Positive controls from a pod without policies: every server answers, so a refusal below is the policy.
outside_ok() { kadmin -n e2e-outside exec allowed -- timeout 5 wget -O- "$1" 2>/dev/null | grep -q "${2:-hello-from-web}"; }
if poll 60 outside_ok "http://$OTHER_IP:8080/" && poll 30 outside_ok "http://$DNS_IP:8080/" &&
   poll 30 outside_ok "http://$ALICE_IP:8080/passwd" nonroot; then
  e2e_pass "positive controls: other, dns:8080 and alice's worker answer a pod without policies"
else
  e2e_fail "positive controls: other, dns:8080 and alice's worker answer a pod without policies"
fi

if in_worker alice-web ip route show 198.51.100.0/24 | grep -q "via $GW_IP"; then
  e2e_pass "gateway-init routed the gateway's prefix via $GW_IP in alice's pod (NET_ADMIN, injected)"
else
  e2e_fail "gateway-init routed the gateway's prefix via the gateway" "$(in_worker alice-web ip route)"
fi
if poll 60 tcp_says alice-web "$DNS_IP" 53 dns-stand-in; then
  e2e_pass "alice's worker reaches DNS (TCP 53 of the kube-dns pod)"
else
  e2e_fail "alice's worker reaches DNS (TCP 53 of the kube-dns pod)"
fi
if poll 60 tcp_says alice-web "$GW_IP" 8053 gateway; then
  e2e_pass "alice's worker reaches the gateway"
else
  e2e_fail "alice's worker reaches the gateway"
fi
if poll 60 http_ok alice-web "http://$ALLOWED_IP:8080/"; then
  e2e_pass "alice's worker reaches the server in egressCIDRs"
else
  e2e_fail "alice's worker reaches the server in egressCIDRs"
fi
# The DNS rule names its ports; the gateway and egressCIDRs rules are whole addresses (every port).
if fails 60 http_ok alice-web "http://$OTHER_IP:8080/" && fails 30 http_ok alice-web "http://$DNS_IP:8080/"; then
  e2e_pass "and nothing else: not a server the policy does not list, not port 8080 of the DNS pod"
else
  e2e_fail "and nothing else: not a server the policy does not list, not port 8080 of the DNS pod"
fi
if poll 30 http_ok alice-web "http://127.0.0.1:8080/passwd" nonroot && fails 60 http_ok bob-web "http://$ALICE_IP:8080/passwd" nonroot; then
  e2e_pass "bob's worker cannot reach alice's, even on her exposed target port"
else
  e2e_fail "bob's worker cannot reach alice's, even on her exposed target port"
fi

# ------------------------------------------------------------------ exposure through MetalLB
exposure() { kadmin get us "$1" -o jsonpath="{.status.publicExposure.$2}" 2>/dev/null; }
exposed_ready() { [[ $(exposure "$1" phase) == Ready && -n $(exposure "$1" externalIP) ]]; }
poll "$WAIT" exposed_ready alice-web || true
LB_IP=$(exposure alice-web externalIP); LB_PORT=$(exposure alice-web 'ports[0].port')
if [[ $LB_IP == "$POOL_IP" && $LB_PORT =~ ^[0-9]+$ ]]; then
  e2e_pass "alice's session is exposed at $LB_IP:$LB_PORT (the policy's pool, a port of autoPortRange)"
else
  e2e_fail "alice's session is exposed at the pool's address" "$(kadmin get us alice-web -o jsonpath='{.status}' 2>&1)"
fi
client_ns_up
if poll 60 http_from_client_ns "http://$LB_IP:$LB_PORT/passwd" nonroot; then
  e2e_pass "a client in another network namespace reaches alice's worker at $LB_IP:$LB_PORT through MetalLB"
else
  e2e_fail "a client in another network namespace reaches alice's worker through MetalLB" \
    "$(client_run ip neigh 2>&1; kadmin -n sess-alice-web get svc -o wide 2>&1)"
fi
# The worker's own address is checked from the local node's client netns only: on an existing cluster the
# client is this host, which may be a node of it and then reaches pod addresses directly.
worker_address_closed() {
  if existing_cluster; then e2e_log "existing cluster: the worker's own address is not checked from this host"; return 0; fi
  ! tcp_from_client_ns "$ALICE_IP" 8080
}
if ! tcp_from_client_ns "$LB_IP" $((LB_PORT + 1)) && ! tcp_from_client_ns "$LB_IP" 8080 &&
   ! tcp_from_client_ns "$LB_IP" 80 && worker_address_closed; then
  e2e_pass "nothing else answers on $LB_IP (ports $((LB_PORT + 1)), 8080, 80), nor the worker's own address"
else
  e2e_fail "nothing else answers on $LB_IP, nor the worker's own address"
fi

# ------------------------------------------------------------------ runtime confinement, as the session's user
out=$(kas alice -n sess-alice-web apply -f - 2>&1 <<EOF
apiVersion: v1
kind: Pod
metadata: {name: priv}
spec:
  containers:
    - {name: priv, image: $NODE_TEST_IMAGE, imagePullPolicy: Never, command: [sleep, "600"], securityContext: {privileged: true}}
EOF
)
if [[ $out == *'spec.containers[0].securityContext.privileged: Forbidden: privileged containers are not allowed (Pod Security Standard "baseline"); remove privileged or set it to false'* ]] &&
   ! kadmin -n sess-alice-web get pod priv >/dev/null 2>&1; then
  e2e_pass "alice's privileged pod is refused: privileged containers are not allowed (baseline)"
else
  e2e_fail "alice's privileged pod is refused" "$out"
fi
out=$(kas alice -n sess-alice-web exec "$ALICE_POD" -c gateway-sidecar -- ip route 2>&1)
if [[ $out == *'container: Forbidden: the gateway container "gateway-sidecar" of a session pod cannot be entered; exec into your own container instead (-c NAME)'* ]]; then
  e2e_pass "alice's exec into the gateway container is refused"
else
  e2e_fail "alice's exec into the gateway container is refused" "$out"
fi
# The test image sets no user and the profile's Pod Security level is baseline, so the worker runs as root.
if [[ $(kas alice -n sess-alice-web exec "$ALICE_POD" -c worker -- id -un 2>&1) == root ]]; then
  e2e_pass "alice's exec into her own worker container works (as the image's user, root: baseline allows it)"
else
  e2e_fail "alice's exec into her own worker container works" "$(kas alice -n sess-alice-web exec "$ALICE_POD" -c worker -- id -un 2>&1)"
fi

# ------------------------------------------------------------------ the session ends, the address moves on
kas alice delete us alice-web --wait=false >/dev/null 2>&1
if fails "$WAIT" http_from_client_ns "http://$LB_IP:$LB_PORT/passwd" nonroot &&
   fails 60 tcp_from_client_ns "$LB_IP" "$LB_PORT"; then
  e2e_pass "after alice's session ends, $LB_IP:$LB_PORT stops answering"
else
  e2e_fail "after alice's session ends, $LB_IP:$LB_PORT stops answering"
fi
session_gone() { ! kadmin get us alice-web >/dev/null 2>&1; }
poll "$WAIT" session_gone || e2e_fail "alice-web is deleted" "$(kadmin get us alice-web -o yaml 2>&1 | tail -20)"
poll "$WAIT" session alice alice-next exposed || true
poll "$WAIT" exposed_ready alice-next || true
NEXT_IP=$(exposure alice-next externalIP); NEXT_PORT=$(exposure alice-next 'ports[0].port')
if [[ $NEXT_IP == "$LB_IP" ]] && poll "$WAIT" http_from_client_ns "http://$NEXT_IP:$NEXT_PORT/passwd" nonroot; then
  e2e_pass "the next session gets $NEXT_IP and answers there (port $NEXT_PORT)"
else
  e2e_fail "the next session gets the freed address and answers there" \
    "got '$NEXT_IP:$NEXT_PORT'; $(kadmin get us alice-next -o jsonpath='{.status}' 2>&1)"
fi
client_ns_down
existing_cluster || e2e_log "whole cluster RSS with sessiongate and two sessions: $(cluster_rss_mib) MiB"
node_suite_down
e2e_summary
