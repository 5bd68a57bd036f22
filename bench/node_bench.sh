#!/usr/bin/env bash
# node_bench.sh BUILD_DIR: figures of the real node (scripts/node), printed and never asserted:
#   - node start: scripts/node/up.sh to a Ready node with MetalLB's pool accepted and the images imported;
#   - SESSIONS sessions (default 50) applied one after another with kubectl, each exposing one port: the time
#     from its `kubectl apply` to its worker pod Ready and to its exposed port answering a client in another
#     network namespace through MetalLB (p50/p99; observed by a poller, so each figure carries up to one
#     poll round, printed beside them);
#   - the whole local cluster's RSS (control plane, node daemons, MetalLB, sessiongate, the workers).
# Needs root; takes the node lock like the node e2e suites, and tears everything down on exit.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SESSIONS=${SESSIONS:-50}
WAIT=${WAIT:-900}
source "$ROOT/tests/e2e/lib.sh"
source "$ROOT/tests/e2e/node_lib.sh"
[[ $(id -u) -eq 0 ]] || { echo "node bench: needs root (it starts a real node)" >&2; exit 1; }
SGCTL=$(find "$BUILD" -type f -name sessiongatectl -perm -u+x | head -n1)
[[ -n $SGCTL ]] || { echo "node bench: no sessiongatectl in $BUILD" >&2; exit 1; }
E2E_DIR=$(mktemp -d /tmp/sessiongate-node-bench.XXXXXX)
cleanup() { client_ns_down; "$NODE_SCRIPTS/down.sh" "$E2E_DIR" >/dev/null 2>&1; rm -rf "$E2E_DIR"; }
trap cleanup EXIT
trap 'exit 143' TERM INT
node_lock
now_ms() { date +%s%3N; }
log() { printf '[node-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

t0=$(now_ms)
SESSIONGATE_BUILD_DIR="$BUILD" "$NODE_SCRIPTS/up.sh" "$E2E_DIR" 2>"$E2E_DIR/up.log" || { tail -20 "$E2E_DIR/up.log" >&2; exit 1; }
node_start_ms=$(($(now_ms) - t0))
source "$E2E_DIR/node/env"
log "node up in ${node_start_ms} ms"

sg_install_files "$SGCTL" "$E2E_DIR" >/dev/null 2>&1 || { echo "node bench: certificates" >&2; exit 1; }
kadmin apply -k "$E2E_DIR/manifests/overlays/local-certs" >/dev/null
kadmin -n sessiongate-system rollout status deployment/sessiongate-webhook --timeout=300s >/dev/null
kadmin -n sessiongate-system rollout status deployment/sessiongate-controller --timeout=300s >/dev/null
cat > "$E2E_DIR/policy.yaml" <<EOF
apiVersion: sessiongate.io/v1alpha1
kind: SessionPolicy
metadata: {name: default}
spec:
  limits: {maxSessionsPerUser: $((SESSIONS + 5))}
  profiles:
    - name: bench
      image: $NODE_TEST_IMAGE
      command: [httpd, -f, -p, "8080", -h, /etc]
      resources:
        requests: {cpu: 5m, memory: 8Mi}
        limits: {cpu: 100m, memory: 32Mi}
      quota:
        hard: {pods: "2", services: "1"}
      defaultTTL: 1h
      maxTTL: 2h
      maxInactivity: 30m
      defaultGateway: none
      allowNoGateway: true
      allowPublicExposure: true
      maxExposedPorts: 1
  publicExposure:
    ipPool: [$NODE_LB_POOL]
    # The controller packs sessions onto addresses already in use; MetalLB puts a second Service on an
    # address only when both carry the same allow-shared-ip key.
    sharedIPKey: sessiongate-bench
  network: {allowDNS: false}
EOF
policy_applied() { kadmin apply -f "$E2E_DIR/policy.yaml"; }
poll 300 policy_applied || { echo "node bench: the policy was not admitted" >&2; exit 1; }
client_ns_up

# session_yaml NAME: one session exposing the worker's port 8080.
session_yaml() {
  printf '%s\n' 'apiVersion: sessiongate.io/v1alpha1' 'kind: UserSession' "metadata: {name: $1}" \
    'spec: {user: alice, profile: bench, publicExposure: {ports: [{name: web, targetPort: 8080}]}}'
}
# Every webhook replica loads the policy from its watch a moment after it is stored: the clock starts once a
# server-side dry run (which passes the webhooks) is admitted.
admitted() { session_yaml bench-dry-run | kas alice apply --dry-run=server -f -; }
poll 120 admitted || { echo "node bench: sessions are not admitted: $(admitted 2>&1)" >&2; exit 1; }

declare -A applied=() ready=() answered=()
log "applying $SESSIONS sessions"
for i in $(seq -w 1 "$SESSIONS"); do
  name=bench-$i
  applied[$name]=$(now_ms)
  session_yaml "$name" | kas alice apply -f - >/dev/null || log "apply $name failed"
done
apply_ms=$(($(now_ms) - ${applied[bench-$(printf '%0*d' ${#SESSIONS} 1)]}))
log "applied in ${apply_ms} ms; polling"
deadline=$((SECONDS + WAIT)); rounds=0; round_ms_max=0
while ((${#answered[@]} < SESSIONS && SECONDS < deadline)); do
  r0=$(now_ms); rounds=$((rounds + 1))
  # Ready workers: namespace sess-NAME, condition Ready=True.
  while read -r ns status; do
    name=${ns#sess-}
    [[ $status == True && -n ${applied[$name]:-} && -z ${ready[$name]:-} ]] && ready[$name]=$(now_ms)
  done < <(kadmin get pods -A -l sessiongate.io/session \
             -o jsonpath='{range .items[*]}{.metadata.namespace} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null)
  # Only sessions whose worker is Ready are tried, so a round is not spent on 5 s timeouts of pods not yet up.
  while read -r name ip port; do
    [[ -n ${ready[$name]:-} && -z ${answered[$name]:-} && -n $ip && -n $port ]] || continue
    http_from_client_ns "http://$ip:$port/hostname" . && answered[$name]=$(now_ms)
  done < <(kadmin get us -o jsonpath='{range .items[*]}{.metadata.name} {.status.publicExposure.externalIP} {.status.publicExposure.ports[0].port}{"\n"}{end}' 2>/dev/null)
  r=$(($(now_ms) - r0)); ((r > round_ms_max)) && round_ms_max=$r
  sleep 0.2
done
rss=$(cluster_rss_mib)

# percentile P LIST...: nearest-rank percentile of the numbers given.
percentile() {
  local p=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v p="$p" '{v[NR]=$1} END { if (NR == 0) { print "-"; exit }
    k = int((p * NR + 99) / 100); if (k < 1) k = 1; print v[k] }'
}
to_ready=(); to_answer=()
for name in "${!applied[@]}"; do
  [[ -n ${ready[$name]:-} ]] && to_ready+=($((ready[$name] - applied[$name])))
  [[ -n ${answered[$name]:-} ]] && to_answer+=($((answered[$name] - applied[$name])))
done
printf '\nnode (scripts/node, %s CPUs)                          value\n' "$(nproc)"
printf '%-52s %8s ms\n' "node start (up.sh to Ready node, MetalLB pool)" "$node_start_ms"
printf '%-52s %8s ms\n' "applying $SESSIONS sessions with kubectl, one by one" "$apply_ms"
printf '%-52s %8s ms   p99 %8s ms   (%d of %d)\n' "apply -> worker Ready, p50" \
  "$(percentile 50 "${to_ready[@]}")" "$(percentile 99 "${to_ready[@]}")" "${#to_ready[@]}" "$SESSIONS"
printf '%-52s %8s ms   p99 %8s ms   (%d of %d)\n' "apply -> exposed port answers via MetalLB, p50" \
  "$(percentile 50 "${to_answer[@]}")" "$(percentile 99 "${to_answer[@]}")" "${#to_answer[@]}" "$SESSIONS"
printf '%-52s %8s ms   (%d rounds)\n' "longest poll round (resolution of the two above)" "$round_ms_max" "$rounds"
printf '%-52s %8s MiB\n' "whole local cluster RSS with $SESSIONS sessions" "$rss"
