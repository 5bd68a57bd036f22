#!/usr/bin/env bash
# Webhook memory in cluster mode with many UserSessions in its cache:
#   bench/webhook_cache_rss.sh [BUILD_DIR] [WEBHOOK_BINARY...]
#  1. Brings up a control plane (scripts/controlplane) in a temp dir, applies the CRDs, RBAC and the default
#     policy, and creates SESSIONS UserSessions (bench-ceiling --sessions-only; no controller, no webhook
#     registered, so they carry no status: the cache's cost is the objects as users write them).
#  2. For each webhook binary (default: BUILD_DIR/webhook/sessiongate-webhook; give two to compare builds on
#     the same sessions), starts it in cluster mode with the webhook's kubeconfig, waits until /readyz
#     answers (every resource listed, the policy loaded), lets it SETTLE seconds, and prints its peak RSS
#     (VmHWM, the initial list included) and its RSS then.
# Prints one line per binary: webhook-cache-rss sessions=N binary=PATH peak_rss_mb=X rss_mb=Y. Measures and
# prints; it asserts nothing (the issue's target is <= 30 MB with 5,000 sessions).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build-release}" && pwd)
shift || true
BINARIES=("$@")
((${#BINARIES[@]})) || BINARIES=("$BUILD/webhook/sessiongate-webhook")
SESSIONS=${SESSIONS:-5000}
CEILING_WORKERS=${CEILING_WORKERS:-16}
SETTLE=${SETTLE:-5}

# shellcheck source=../scripts/controlplane/lib.sh
source "$ROOT/scripts/controlplane/lib.sh"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"

log() { printf '[webhook-cache-rss %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake --build "$BUILD" --target sessiongate-webhook bench-ceiling >/dev/null
fi
CEILING_BIN=$BUILD/bench/bench-ceiling

WORK=$(mktemp -d /tmp/sessiongate-wrss.XXXXXX)
WEBHOOK_PID=
stop_webhook() {
  [[ -n $WEBHOOK_PID ]] || return 0
  kill -TERM "$WEBHOOK_PID" 2>/dev/null || true
  wait "$WEBHOOK_PID" 2>/dev/null || true
  WEBHOOK_PID=
}
cleanup() {
  stop_webhook
  cp_down "$WORK/cp" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

bench_control_plane "$WORK/cp"
cp_issue_serving_cert "$WORK/cp" webhook-bench IP:127.0.0.1 >/dev/null
log "control plane at $APISERVER_URL, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

log "creating $SESSIONS UserSessions"
"$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$SESSIONS" --workers "$CEILING_WORKERS" \
  --prefix wrss --sessions-only >&2

for binary in "${BINARIES[@]}"; do
  cp_free_port PORT
  "$binary" --listen "127.0.0.1:$PORT" --tls-cert "$WORK/cp/pki/webhook-bench.crt" \
    --tls-key "$WORK/cp/pki/webhook-bench.key" --kubeconfig "$KUBECONFIG_WEBHOOK" --policy-name default \
    >"$WORK/webhook.log" 2>&1 &
  WEBHOOK_PID=$!
  ready=0
  for _ in $(seq 600); do
    if curl -kfsS "https://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$WEBHOOK_PID" 2>/dev/null || break
    sleep 0.2
  done
  if ((!ready)); then
    log "$binary did not become ready; log tail:"; tail -20 "$WORK/webhook.log" >&2
    exit 1
  fi
  sleep "$SETTLE"
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$WEBHOOK_PID/status")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$WEBHOOK_PID/status")
  stop_webhook
  awk -v n="$SESSIONS" -v b="$binary" -v h="$hwm" -v r="$rss" \
    'BEGIN { printf "webhook-cache-rss sessions=%d binary=%s peak_rss_mb=%.1f rss_mb=%.1f\n", n, b, h / 1024, r / 1024 }'
done
