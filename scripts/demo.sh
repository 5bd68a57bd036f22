#!/usr/bin/env bash
# make demo: a local cluster with a real node (scripts/node: the control plane, kubelet, containerd,
# kube-router, MetalLB), sessiongate's image built offline from the build tree and installed as a user
# installs it (`kubectl apply -k`), a SessionPolicy, and what alice and bob see: a session whose worker runs
# and whose exposed port answers a client in another network namespace, and the refusals that keep sessions
# sandboxes. Everything is torn down on exit, even after a failure or Ctrl-C. Needs root; runs unattended
# (no TTY, stdin from /dev/null is fine).
#
#   scripts/demo.sh [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
E2E_BUILD_DIR=$(cd "${1:-build}" && pwd)
source tests/e2e/lib.sh
source tests/e2e/node_lib.sh
WAIT=180

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@" 2>&1 | sed 's/^/  /' || true; }

[[ $(id -u) -eq 0 ]] || { echo "make demo starts a real node and needs root" >&2; exit 1; }
SGCTL=$(find "$E2E_BUILD_DIR" -type f -name sessiongatectl -perm -u+x | head -n1)
[[ -n $SGCTL ]] || { echo "no sessiongatectl in $E2E_BUILD_DIR: build first (make build)" >&2; exit 1; }

E2E_DIR=$(mktemp -d /tmp/sessiongate-demo.XXXXXX)
teardown() {
  set +e
  say "Demo done; tearing everything down (scripts/node/down.sh restores the host)"
  client_ns_down
  "$NODE_SCRIPTS/down.sh" "$E2E_DIR" >>"$E2E_DIR/down.log" 2>&1
  rm -rf "$E2E_DIR"
}
trap teardown EXIT
trap 'exit 130' INT TERM
node_lock

say "Starting a local cluster with a real node and sessiongate's image built from $E2E_BUILD_DIR"
t0=$SECONDS
if ! SESSIONGATE_BUILD_DIR="$E2E_BUILD_DIR" "$NODE_SCRIPTS/up.sh" "$E2E_DIR" 2>"$E2E_DIR/up.log"; then
  tail -30 "$E2E_DIR/up.log"; exit 1
fi
source "$E2E_DIR/node/env"
echo "  node up in $((SECONDS - t0))s"
show kadmin get nodes -o wide
alice() { kas alice "$@"; }
bob() { kas bob "$@"; }

say "The admin installs sessiongate as a user does: certificates, then kubectl apply -k"
sg_install_files "$SGCTL" "$E2E_DIR" >/dev/null
printf '$ sessiongatectl certs --service sessiongate-webhook --namespace sessiongate-system --out manifests/overlays/local-certs/certs\n'
(cd "$E2E_DIR" && show kadmin apply -k manifests/overlays/local-certs)
show kadmin -n sessiongate-system rollout status deployment/sessiongate-webhook --timeout="${WAIT}s"
show kadmin -n sessiongate-system rollout status deployment/sessiongate-controller --timeout="${WAIT}s"
show kadmin -n sessiongate-system get pods -o wide

say "The admin applies a SessionPolicy for this node: the offline test image serving /etc on 8080, one public IP"
cat > "$E2E_DIR/policy.yaml" <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: SessionPolicy
metadata: {name: default}
spec:
  adminGroups: [sessiongate:admins]
  limits: {maxSessionsPerUser: 2}
  profiles:
$(test_image_profile web)
      defaultGateway: none
      allowNoGateway: true
      allowPublicExposure: true
      maxExposedPorts: 2
  publicExposure:
    ipPool: [10.250.1.110]
    reservedPorts: [22]
  network: {allowDNS: true}
EOF
show "$SGCTL" policy check "$E2E_DIR/policy.yaml"
# The webhook validates the policy too; its Service may need a moment after the rollout (kube-proxy, kube-router).
policy_applied() { kadmin apply -f "$E2E_DIR/policy.yaml" >"$E2E_DIR/policy.log" 2>&1; }
poll "$WAIT" policy_applied || true
show cat "$E2E_DIR/policy.log"

say "alice starts a session exposing its port 8080"
show alice apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: alice-web}
spec:
  user: alice
  profile: web
  publicExposure:
    ports:
      - {name: web, targetPort: 8080}
Y
worker_ready() { kadmin -n sess-alice-web wait --for=condition=Ready pod --all --timeout=5s 2>/dev/null | grep -q .; }
exposed() { [[ -n $(kadmin get us alice-web -o jsonpath='{.status.publicExposure.externalIP}' 2>/dev/null) ]]; }
poll "$WAIT" worker_ready || true
poll "$WAIT" exposed || true
show alice get us
show alice -n sess-alice-web get pods,services -o wide
show alice get us alice-web -o jsonpath='{"phase: "}{.status.phase}{"\nexposure: "}{.status.publicExposure}{"\n"}'
IP=$(kadmin get us alice-web -o jsonpath='{.status.publicExposure.externalIP}')
PORT=$(kadmin get us alice-web -o jsonpath='{.status.publicExposure.ports[0].port}')

say "A client in its own network namespace on the LoadBalancer network fetches http://$IP:$PORT/hostname"
client_ns_up
reached() { http_from_client_ns "http://$IP:$PORT/hostname" .; }
poll 60 reached || true
client_wget() { nsenter -t "$CLIENT_PID" -n timeout 5 busybox wget -O- "$1" 2>/dev/null; }
show client_wget "http://$IP:$PORT/hostname"
printf '$ (the same client, port %s of that address: nothing else is exposed)\n' $((PORT + 1))
if tcp_from_client_ns "$IP" $((PORT + 1)); then echo "  connected"; else echo "  connection refused or dropped"; fi

say "bob tries to start a session for alice, then one with a profile that does not exist, then a reserved port"
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-sneaky}
spec: {user: alice, profile: web}
Y
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-1}
spec: {user: bob, profile: quantum, ttl: 99h}
Y
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-ssh}
spec:
  user: bob
  profile: web
  publicExposure:
    ports:
      - {name: ssh, targetPort: 22, port: 22}
Y

say "Sessions are sandboxes: alice tries a privileged pod in her session, bob tries to delete alice's session; alice may not create NetworkPolicies in her session (RBAC)"
show alice apply -n sess-alice-web -f - <<EOF
apiVersion: v1
kind: Pod
metadata: {name: root-shell}
spec:
  hostNetwork: true
  containers:
    - {name: shell, image: $NODE_TEST_IMAGE, command: [sleep, "600"], securityContext: {privileged: true}}
EOF
show bob delete us alice-web --wait=false
show alice auth can-i create networkpolicies -n sess-alice-web
show alice get us alice-web -o jsonpath='{"alice-web is still there: "}{.metadata.name}{"\n"}'

say "alice ends her session: its namespace goes and its address stops answering"
show alice delete us alice-web --wait=false
gone() { ! kadmin get us alice-web >/dev/null 2>&1; }
poll "$WAIT" gone || true
show alice get us
if fails 60 reached; then echo "  http://$IP:$PORT/ no longer answers"; else echo "  http://$IP:$PORT/ still answers"; fi
