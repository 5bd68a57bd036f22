#!/usr/bin/env bash
# bench/controller_bench.sh [BUILD_DIR]: how fast sessiongate-controller provisions sessions on the local
# control plane, next to the API server's own ceiling.
#
#  1. Brings up a control plane (scripts/controlplane) in a temp dir, applies the CRDs, RBAC and
#     policies/default.yaml. The webhook is not registered: the figures measure the controller alone.
#  2. Ceiling: bench-ceiling (a plain parallel client, no controller) creates SESSIONS UserSessions, then,
#     timed, the objects the controller would make for each (built by the controller's own functions)
#     and deletes everything; we wait until those namespaces are gone.
#  3. Controller: SESSIONS UserSessions are created first (bench-ceiling --sessions-only), then
#     sessiongate-controller starts with the controller's kubeconfig; the clock runs from its start until
#     every session reports condition Provisioned True (written only after every child was applied; there is
#     no node, so no worker runs and phase stays Provisioning: Ready means running), polled
#     every POLL seconds with one GET of the UserSession list. The children are then counted to confirm.
#
# Sessions: profile "shell"; every EXPOSE_EVERY-th one asks for one public port (targetPort 8080, port
# assigned automatically), so the LoadBalancer Service and IPAM are part of the work. The default policy's
# pool has 43 addresses and sharedIPKey set, so auto ports pack many sessions on one address: no pool change
# is needed.
#
# API requests per session, two ways:
#   - controller: sessiongate_controller_api_requests_total from its /metrics (every request a reconcile
#     makes: applies, patches, Events, gets, deletes; not the informers' list/watch);
#   - apiserver: the difference of sum(apiserver_request_total) over the run, minus our own polls and
#     scrapes. It includes the informers' list/watch and also kube-controller-manager's reaction to the new
#     namespaces (service account, root CA ConfigMap, quota status), so it is an upper bound.
# Peak RSS is VmHWM of the controller process once every session is provisioned and the queue has settled.
#
# Prints "controller-bench KEY=VALUE ..." lines (parsed by bench/run.sh) and a small table.
# Then two more phases with the controller running:
#  4. Arrival one by one: STREAM_SESSIONS more sessions created by one client (each reconcile sees its own
#     writes come back through the informers), requests per session counted the same way.
#  5. Deletion: every session deleted at once; requests per session, and the time until the namespaces and
#     then the sessions are gone, next to the time the ceiling's namespaces took to go (no controller).
#
# `make bench-scale` runs this script alone with SESSIONS=5000, TIMEOUT=3600 and POLL=2 (a list of 5,000
# sessions is not fetched twice a second). Targets there: sessions/s within 10% of the rate at 500, requests
# per session no more than the ceiling's, peak RSS <= 60 MB.
# Tunables (environment): STREAM_SESSIONS (100), SESSIONS (500), CEILING_WORKERS (16), CONTROLLER_WORKERS (16), EXPOSE_EVERY (10),
# POLL (0.5), TIMEOUT seconds (600), SETTLE seconds (5), CEILING_APPLY (0), KEEP=1 keeps the work dir.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build-release}" && pwd)
SESSIONS=${SESSIONS:-500}
CEILING_WORKERS=${CEILING_WORKERS:-16}
CONTROLLER_WORKERS=${CONTROLLER_WORKERS:-16}
EXPOSE_EVERY=${EXPOSE_EVERY:-10}
POLL=${POLL:-0.5}
TIMEOUT=${TIMEOUT:-600}
SETTLE=${SETTLE:-5}
STREAM_SESSIONS=${STREAM_SESSIONS:-100}
# CEILING_APPLY=1: the ceiling writes children with server-side apply (the controller's verb), not POST.
CEILING_VERB_FLAG=
[[ ${CEILING_APPLY:-0} == 1 ]] && CEILING_VERB_FLAG=--apply

# shellcheck source=../scripts/controlplane/lib.sh
source "$ROOT/scripts/controlplane/lib.sh"

log() { printf '[controller-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake --build "$BUILD" --target sessiongate-controller bench-ceiling >/dev/null
fi
CONTROLLER_BIN=$BUILD/controller/sessiongate-controller
CEILING_BIN=$BUILD/bench/bench-ceiling

WORK=$(mktemp -d /tmp/sessiongate-cbench.XXXXXX)
CONTROLLER_PID=
cleanup() {
  if [[ -n $CONTROLLER_PID ]]; then
    kill -TERM "$CONTROLLER_PID" 2>/dev/null || true
    wait "$CONTROLLER_PID" 2>/dev/null || true
  fi
  cp_down "$WORK/cp" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

cp_up "$WORK/cp" --sessiongate-ns >/dev/null
kadmin() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
kadmin apply -k "$ROOT/manifests/crds" >/dev/null
cp_wait_established "$KUBECONFIG_ADMIN" usersessions.sessiongate.io sessionpolicies.sessiongate.io
kadmin apply -k "$ROOT/manifests/rbac" >/dev/null
kadmin apply -f "$ROOT/policies/default.yaml" >/dev/null
# The bench gives 50 users 10 sessions each; the controller enforces maxSessionsPerUser (3 in the default
# policy), so the bench lifts the limit (0: none) to measure provisioning, not refusals.
kadmin patch sessionpolicy default --type=merge -p '{"spec":{"limits":{"maxSessionsPerUser":0}}}' >/dev/null
log "control plane at $APISERVER_URL, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

SELECTOR=labelSelector=sessiongate.io%2Fsession
# count_session_namespaces prints how many namespaces carry the session label.
count_session_namespaces() {
  kadmin get --raw "/api/v1/namespaces?labelSelector=sessiongate.io%2Fsession" | jq '.items | length'
}
# apiserver_requests prints sum(apiserver_request_total).
apiserver_requests() {
  kadmin get --raw /metrics | awk '/^apiserver_request_total\{/ { s += $NF } END { printf "%d\n", s }'
}
# metric NAME_REGEX: sum of the controller's samples whose line matches.
controller_metric() {
  curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v re="$1" '$0 ~ re && !/^#/ { s += $NF } END { printf "%d\n", s }'
}

# --- ceiling ---
log "ceiling: $SESSIONS sessions, $CEILING_WORKERS workers"
ceiling_line=$("$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$SESSIONS" \
  --workers "$CEILING_WORKERS" --expose-every "$EXPOSE_EVERY" --prefix ceil $CEILING_VERB_FLAG)
echo "$ceiling_line" >&2
ceiling_rate=$(sed -E 's/.*sessions_per_s=([0-9.]+).*/\1/' <<<"$ceiling_line")
ceiling_rps=$(sed -E 's/.*requests_per_session=([0-9.]+).*/\1/' <<<"$ceiling_line")
ceiling_seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$ceiling_line")
ceiling_verb=$(sed -E 's/.*verb=([a-z]+).*/\1/' <<<"$ceiling_line")

log "waiting for the ceiling's namespaces to go"
ceiling_gone_started=$(date +%s.%N)
deadline=$((SECONDS + TIMEOUT))
while left=$(count_session_namespaces) && ((left > 0)); do
  ((SECONDS < deadline)) || { log "still $left session namespaces after ${TIMEOUT}s"; exit 1; }
  sleep "$POLL"
done
ceiling_gone_seconds=$(awk -v s="$ceiling_gone_started" -v f="$(date +%s.%N)" 'BEGIN { printf "%.1f", f - s }')

# --- controller ---
"$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$SESSIONS" --workers "$CEILING_WORKERS" \
  --expose-every "$EXPOSE_EVERY" --prefix bench --sessions-only >&2
cp_free_port METRICS_PORT
polls=0
requests_before=$(apiserver_requests)
log "controller: $CONTROLLER_WORKERS workers, metrics on 127.0.0.1:$METRICS_PORT"
started=$(date +%s.%N)
"$CONTROLLER_BIN" --kubeconfig "$KUBECONFIG_CONTROLLER" --workers "$CONTROLLER_WORKERS" \
  --metrics-listen "127.0.0.1:$METRICS_PORT" >"$WORK/controller.log" 2>&1 &
CONTROLLER_PID=$!

ready=0
deadline=$((SECONDS + TIMEOUT))
while :; do
  ready=$(kadmin get --raw /apis/sessiongate.io/v1alpha1/usersessions |
    jq '[.items[] | select(any(.status.conditions[]?; .type == "Provisioned" and .status == "True"))] | length')
  polls=$((polls + 1))
  ((ready >= SESSIONS)) && break
  if ! kill -0 "$CONTROLLER_PID" 2>/dev/null; then
    log "the controller exited; log tail:"; tail -20 "$WORK/controller.log" >&2; exit 1
  fi
  ((SECONDS < deadline)) || { log "only $ready/$SESSIONS provisioned after ${TIMEOUT}s"; tail -20 "$WORK/controller.log" >&2; exit 1; }
  sleep "$POLL"
done
finished=$(date +%s.%N)
requests_at_ready=$(controller_metric '^sessiongate_controller_api_requests_total')
sleep "$SETTLE"
requests_settled=$(controller_metric '^sessiongate_controller_api_requests_total')
depth=$(controller_metric '^sessiongate_controller_workqueue_depth')
reconciles=$(controller_metric '^sessiongate_controller_reconcile_total')
reconcile_errors=$(controller_metric '^sessiongate_controller_reconcile_total\{result="error"')
requests_after=$(apiserver_requests)
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$CONTROLLER_PID/status")
threads=$(awk '/Threads/ {print $2}' "/proc/$CONTROLLER_PID/status")
curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E '^sessiongate_controller_(api_requests|reconcile)_total' >&2 || true

namespaces=$(count_session_namespaces)
pods=$(kadmin get --raw "/api/v1/pods?labelSelector=sessiongate.io%2Fsession" | jq '.items | length')
services=$(kadmin get --raw "/api/v1/services?labelSelector=sessiongate.io%2Fsession" | jq '.items | length')
netpols=$(kadmin get --raw "/apis/networking.k8s.io/v1/networkpolicies?labelSelector=sessiongate.io%2Fsession" |
  jq '.items | length')
log "children: $namespaces namespaces, $pods pods, $netpols network policies, $services services"
# What the informers hold: the JSON text of every watched object, and how much of it is managedFields.
cache_bytes=0
cache_bytes_bare=0
for path in /apis/sessiongate.io/v1alpha1/usersessions "/api/v1/namespaces?$SELECTOR" "/api/v1/pods?$SELECTOR" \
  "/api/v1/services?$SELECTOR" "/api/v1/resourcequotas?$SELECTOR" "/api/v1/limitranges?$SELECTOR" \
  "/apis/networking.k8s.io/v1/networkpolicies?$SELECTOR" "/apis/rbac.authorization.k8s.io/v1/rolebindings?$SELECTOR"; do
  kadmin get --raw "$path" >"$WORK/list.json"
  cache_bytes=$((cache_bytes + $(jq -c '.items[]' "$WORK/list.json" | wc -c)))
  cache_bytes_bare=$((cache_bytes_bare + $(jq -c '.items[] | del(.metadata.managedFields)' "$WORK/list.json" | wc -c)))
done
log "informer objects as JSON text: $((cache_bytes / 1024)) KiB, $((cache_bytes_bare / 1024)) KiB without managedFields"
warnings=$(grep -c -i -E '\[(warning|error)\]|"level":"(warning|error)"' "$WORK/controller.log" || true)

# provisioned_count prints how many UserSessions report Provisioned True.
provisioned_count() {
  kadmin get --raw /apis/sessiongate.io/v1alpha1/usersessions |
    jq '[.items[] | select(any(.status.conditions[]?; .type == "Provisioned" and .status == "True"))] | length'
}
# --- arrival one by one: STREAM_SESSIONS more sessions created by one client while the controller runs ---
stream_before=$(controller_metric '^sessiongate_controller_api_requests_total')
log "arrival one by one: $STREAM_SESSIONS sessions from one client while the controller runs"
"$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$STREAM_SESSIONS" --workers 1 \
  --expose-every "$EXPOSE_EVERY" --prefix stream --sessions-only >&2
total=$((SESSIONS + STREAM_SESSIONS))
deadline=$((SECONDS + TIMEOUT))
while ready=$(provisioned_count) && ((ready < total)); do
  ((SECONDS < deadline)) || { log "only $ready/$total provisioned after ${TIMEOUT}s"; exit 1; }
  sleep "$POLL"
done
sleep "$SETTLE"
stream_after=$(controller_metric '^sessiongate_controller_api_requests_total')

# --- deletion: every session deleted at once; the finalizer waits for each namespace to go ---
delete_before=$(controller_metric '^sessiongate_controller_api_requests_total')
log "deletion: $total sessions"
delete_started=$(date +%s.%N)
kadmin delete usersessions --all --wait=false >/dev/null
namespaces_gone=
deadline=$((SECONDS + TIMEOUT))
while :; do
  left_sessions=$(kadmin get --raw /apis/sessiongate.io/v1alpha1/usersessions | jq '.items | length')
  if [[ -z $namespaces_gone ]] && (($(count_session_namespaces) == 0)); then namespaces_gone=$(date +%s.%N); fi
  ((left_sessions == 0)) && [[ -n $namespaces_gone ]] && break
  ((SECONDS < deadline)) || { log "$left_sessions sessions left after ${TIMEOUT}s"; exit 1; }
  sleep "$POLL"
done
delete_finished=$(date +%s.%N)
delete_after=$(controller_metric '^sessiongate_controller_api_requests_total')
curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E '^sessiongate_controller_api_requests_total' >&2 || true

awk -v n="$SESSIONS" -v s="$started" -v f="$finished" -v ceil="$ceiling_rate" -v cs="$ceiling_seconds" \
  -v crps="$ceiling_rps" -v ra="$requests_at_ready" -v rs="$requests_settled" -v b="$requests_before" \
  -v a="$requests_after" -v polls="$polls" -v kb="$rss_kb" -v rec="$reconciles" -v rerr="$reconcile_errors" \
  -v w="$CONTROLLER_WORKERS" -v cw="$CEILING_WORKERS" -v depth="$depth" -v threads="$threads" -v warn="$warnings" \
  -v cb="$cache_bytes" -v cbb="$cache_bytes_bare" -v verb="$ceiling_verb" \
  -v sn="$STREAM_SESSIONS" -v sb="$stream_before" -v sa="$stream_after" -v db="$delete_before" \
  -v da="$delete_after" -v ds="$delete_started" -v dng="$namespaces_gone" -v df="$delete_finished" \
  -v cgs="$ceiling_gone_seconds" '
BEGIN {
  secs = f - s; rate = n / secs
  api = a - b - polls - 2          # our polls and the two /metrics scrapes
  printf "controller-bench ceiling_sessions_per_s=%.1f ceiling_seconds=%.2f ceiling_requests_per_session=%.2f ceiling_workers=%d ceiling_verb=%s\n", ceil, cs, crps, cw, verb
  printf "controller-bench controller_sessions_per_s=%.1f controller_seconds=%.2f ratio=%.0f%% workers=%d\n", rate, secs, (ceil > 0 ? 100 * rate / ceil : 0), w
  printf "controller-bench requests_per_session_at_ready=%.2f requests_per_session_settled=%.2f apiserver_requests_per_session=%.2f reconciles_per_session=%.2f reconcile_errors=%d queue_depth=%d\n", ra / n, rs / n, api / n, rec / n, rerr, depth
  printf "controller-bench peak_rss_mb=%.1f threads=%d log_warnings=%d cached_json_kib=%d cached_json_kib_without_managed_fields=%d\n", kb / 1024, threads, warn, cb / 1024, cbb / 1024
  printf "\n%-44s %12s %10s\n", "provisioning " n " sessions", "sessions/s", "req/sess"
  printf "%-44s %12.1f %10.2f\n", "ceiling (plain client, " verb ", " cw " workers)", ceil, crps
  printf "%-44s %12.1f %10.2f   %.0f%% of ceiling (target >= 80%%)\n", "controller (" w " workers)", rate, rs / n, (ceil > 0 ? 100 * rate / ceil : 0)
  total = n + sn
  printf "controller-bench stream_sessions=%d requests_per_session_one_by_one=%.2f deletion_requests_per_session=%.2f namespaces_gone_seconds=%.1f sessions_gone_seconds=%.1f ceiling_namespaces_gone_seconds=%.1f\n", sn, (sa - sb) / sn, (da - db) / total, dng - ds, df - ds, cgs
  printf "%-44s %12s %10.2f\n", "controller, sessions arriving one by one", "", (sa - sb) / sn
  printf "%-44s %12s %10.2f   namespaces gone in %.1f s, sessions in %.1f s (ceiling: %d namespaces gone in %.1f s)\n", "controller, deleting " total " sessions", "", (da - db) / total, dng - ds, df - ds, n, cgs
  printf "controller peak RSS (VmHWM): %.1f MB (target <= 30 MB)\n", kb / 1024
}'
