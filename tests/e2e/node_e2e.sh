#!/usr/bin/env bash
# e2e on a real node (scripts/node/up.sh): a pod from the offline test image runs, `kubectl exec` and `kubectl
# logs` work, the gateway stand-in changes routing with NET_ADMIN, a LoadBalancer Service gets an address from
# MetalLB and is reached from a separate network namespace on the LoadBalancer bridge (and stops answering when
# the Service goes), a default-deny NetworkPolicy drops another pod's packets and an allow policy lets exactly
# that pod through; then a crash (every process killed with -9) and down.sh leave the host as it was.
# Needs root. Every wait is a bounded poll; nothing depends on timing.
#
#   E2E_KEEP=1   keep the work dir (logs) after the run
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/node_lib.sh"
node_lock
WAIT=180          # seconds, for anything that should take a few
NS=e2e-node

E2E_DIR=$(mktemp -d /tmp/sessiongate-node-e2e.XXXXXX)

cleanup() {
  client_ns_down
  "$NODE_SCRIPTS/down.sh" "$E2E_DIR" || true
  if [[ ${E2E_KEEP:-0} != 1 ]]; then rm -rf "$E2E_DIR"; else e2e_log "kept $E2E_DIR"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

kn() { kadmin -n "$NS" --request-timeout=30s "$@"; }
# http_from POD URL: fetches URL from inside POD (busybox wget; `-T` segfaults in this busybox, so timeout).
http_from() { kn exec "$1" -- timeout 5 wget -O- "$2" 2>/dev/null | grep -q hello-from-web; }

if [[ $(id -u) -ne 0 ]]; then echo "node e2e needs root"; e2e_fail "running as root"; e2e_summary; exit 1; fi
host_state > "$E2E_DIR/host.before"

t0=$SECONDS
if "$NODE_SCRIPTS/up.sh" "$E2E_DIR" 2>"$E2E_DIR/up.log"; then
  e2e_pass "node up ($((SECONDS - t0))s)"
else
  tail -40 "$E2E_DIR/up.log"; e2e_fail "node up"; e2e_summary; exit 1
fi
source "$E2E_DIR/node/env"

# ------------------------------------------------------------------ pods from the offline image
kadmin create namespace "$NS" >/dev/null
kn apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
    - name: web
      image: $NODE_TEST_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && echo web-started && exec httpd -f -p 8080 -h /tmp/www']
      ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers:
    - {name: client, image: $NODE_TEST_IMAGE, imagePullPolicy: Never, command: [sleep, '100000']}
---
apiVersion: v1
kind: Pod
metadata: {name: gateway, labels: {app: gateway}}
spec:
  containers:
    - name: gateway
      image: $NODE_TEST_IMAGE
      imagePullPolicy: Never
      command: [gateway]
      securityContext: {capabilities: {add: [NET_ADMIN]}}
EOF
if kn wait --for=condition=Ready pod/web pod/client pod/gateway --timeout="${WAIT}s" >/dev/null; then
  e2e_pass "pods from the test image are Running and Ready"
else
  e2e_fail "pods from the test image are Running and Ready" "$(kn get pods -o wide 2>&1; kn describe pods 2>&1 | tail -30)"
fi
WEB_IP=$(kn get pod web -o jsonpath='{.status.podIP}')
# Bounded retries: an exec right after Ready can meet a kubelet still wiring its streaming server on a
# loaded machine; what matters is that exec works, and the last answer is shown if it never does.
exec_hostname() { [[ $(kn exec client -- cat /etc/hostname 2>&1) == client ]]; }
poll 60 exec_hostname && e2e_pass "kubectl exec" || e2e_fail "kubectl exec" "$(kn exec client -- cat /etc/hostname 2>&1)"
poll 30 bash -c "kubectl --kubeconfig '$KUBECONFIG_ADMIN' -n $NS logs web | grep -q web-started" \
  && e2e_pass "kubectl logs" || e2e_fail "kubectl logs" "$(kn logs web 2>&1 | tail -5)"
if kn exec gateway -- ip address show dev lo 2>/dev/null | grep -q 203.0.113.1 &&
   kn exec gateway -- ip route 2>/dev/null | grep -q '^198.51.100.0/24 via'; then
  e2e_pass "the gateway stand-in changed its routing with NET_ADMIN"
else
  e2e_fail "the gateway stand-in changed its routing with NET_ADMIN" "$(kn logs gateway 2>&1 | tail -5)"
fi
poll 30 http_from client "http://$WEB_IP:8080/" && e2e_pass "pod to pod, no policy" || e2e_fail "pod to pod, no policy"
GATEWAY_IP=$(kn get pod gateway -o jsonpath='{.status.podIP}')
gateway_answers() { kn exec client -- sh -c "echo | timeout 5 nc $GATEWAY_IP 8053" 2>/dev/null | grep -q '^gateway'; }
if poll 30 gateway_answers && [[ $(kn get pod gateway -o jsonpath='{.status.containerStatuses[0].restartCount}') == 0 ]]; then
  e2e_pass "a worker reaches the gateway stand-in, which has not restarted"
else
  e2e_fail "a worker reaches the gateway stand-in, which has not restarted" "$(kn get pod gateway 2>&1; kn logs gateway 2>&1 | tail -5)"
fi

# ------------------------------------------------------------------ LoadBalancer through MetalLB
kn apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
EOF
lb_ip() { kn get service web -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null; }
has_lb_ip() { [[ -n $(lb_ip) ]]; }
poll "$WAIT" has_lb_ip || true
LB_IP=$(lb_ip)
if [[ $LB_IP =~ ^10\.250\.1\.(1[01][0-9])$ ]]; then
  e2e_pass "MetalLB gave the Service $LB_IP from the pool $NODE_LB_POOL"
else
  e2e_fail "MetalLB gave the Service an address from the pool" "got '$LB_IP'; $(kadmin -n metallb-system logs deploy/controller --tail=5 2>&1)"
fi
# The client: a network namespace of its own on the LoadBalancer bridge (node_lib.sh).
client_ns_up
if [[ -n $LB_IP ]] && poll 60 http_from_client_ns "http://$LB_IP/"; then
  e2e_pass "a client in another network namespace reaches the LoadBalancer address"
else
  e2e_fail "a client in another network namespace reaches the LoadBalancer address" \
    "$(nsenter -t "$CLIENT_PID" -n ip neigh 2>&1; kadmin -n metallb-system logs ds/speaker --tail=5 2>&1)"
fi
if [[ -n $LB_IP ]] && tcp_from_client_ns "$LB_IP" 80 && ! tcp_from_client_ns "$LB_IP" 81; then
  e2e_pass "the LoadBalancer address answers on port 80 and nothing else (port 81)"
else
  e2e_fail "the LoadBalancer address answers on port 80 and nothing else (port 81)"
fi
kn delete service web --wait=true >/dev/null
if [[ -n $LB_IP ]] && fails 60 http_from_client_ns "http://$LB_IP/"; then
  e2e_pass "the address stops answering when the Service is deleted"
else
  e2e_fail "the address stops answering when the Service is deleted"
fi
client_ns_down

# ------------------------------------------------------------------ NetworkPolicy through kube-router
kn apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress]
EOF
if fails 60 http_from client "http://$WEB_IP:8080/"; then
  e2e_pass "default-deny drops the client's packets"
else
  e2e_fail "default-deny drops the client's packets" "$(tail -5 "$E2E_DIR/logs/kube-router.log")"
fi
kn apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-client}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: client}}}]
      ports: [{port: 8080}]
EOF
if poll 60 http_from client "http://$WEB_IP:8080/"; then
  e2e_pass "an allow policy lets the client through"
else
  e2e_fail "an allow policy lets the client through" "$(tail -5 "$E2E_DIR/logs/kube-router.log")"
fi
if ! http_from gateway "http://$WEB_IP:8080/"; then
  e2e_pass "a pod the allow policy does not name is still dropped"
else
  e2e_fail "a pod the allow policy does not name is still dropped"
fi

# ------------------------------------------------------------------ crash, then down: the host as it was
e2e_log "whole cluster RSS: $(cluster_rss_mib) MiB"
for f in "$E2E_DIR"/run/*.pid; do kill -KILL "$(cat "$f")" 2>/dev/null; done
t0=$SECONDS
"$NODE_SCRIPTS/down.sh" "$E2E_DIR" 2>>"$E2E_DIR/down.log"
host_state > "$E2E_DIR/host.after"
if host_diff "$E2E_DIR/host.before" "$E2E_DIR/host.after" > "$E2E_DIR/host.diff"; then
  e2e_pass "after kill -9 of the cluster, down.sh leaves the host as it was ($((SECONDS - t0))s)"
else
  e2e_fail "after kill -9 of the cluster, down.sh leaves the host as it was" "$(head -40 "$E2E_DIR/host.diff")"
fi
e2e_summary
