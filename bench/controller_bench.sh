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
#     no node, so no worker runs and phase stays Provisioning: Ready means running), seen through one
#     watch of the UserSessions (bench/provisioned_watch.sh). The children are then counted to confirm.
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
#  5. Deletion: every session deleted at once (one DELETECOLLECTION); requests per session, and the time until
#     the namespaces and then the sessions are gone, next to the time the ceiling's namespaces took to go.
# For 4 and 5 the apiserver side is counted too, minus our polls, the sessions we create and the deletion.
# It includes kube-controller-manager's work: in deletion mostly the namespace controller emptying each
# namespace (about 70 requests a session whoever provisioned it).
#
#  6. The kopf peer (bench/kopfpeer/: a kopf operator writing the same objects, built by the controller's own
#     functions through bench-ceiling --dump-children) does 3, 4 and 5 on the same control plane, with the
#     controller stopped (both would act on the same sessions) and its sessions gone. It runs after
#     sessiongate, not before, so sessiongate's figures stay comparable with earlier runs of this script; the
#     order does not favour either side in what is compared: requests are counted per phase, both start from
#     an empty set of sessions, and the one state left behind (etcd history, kube-controller-manager's warm
#     caches) costs the later peer time if anything, not requests. Its own requests are counted by the peer
#     (request_counter.py: kopf's and its handlers', watches and start-up discovery included, where the
#     controller's metric leaves out its informers' list/watch: a slight bias against kopf), and the
#     apiserver side exactly as for the controller. The table prints both, a row per phase next to
#     sessiongate's. Peak RSS of the kopf process is printed too. kopf and its libraries are pinned in
#     bench/kopfpeer/requirements.txt and installed by bench/kopfpeer/venv.sh into a cached virtualenv the
#     first time; KOPF_BENCH=0 skips the phase, and a missing python3 or PyPI skips it with the reason,
#     as does a failure of the phase itself: it never fails the bench.
#
# `make bench-scale` runs this script alone with SESSIONS=5000, TIMEOUT=3600 and POLL=2 (the namespace
# counts of the ceiling and the deletion list 5,000 objects each time). Targets there: sessions/s within 10% of the rate at 500, requests
# per session no more than the ceiling's, peak RSS <= 60 MB.
# Tunables (environment): STREAM_SESSIONS (100), SESSIONS (500), CEILING_WORKERS (16), CONTROLLER_WORKERS (16), EXPOSE_EVERY (10),
# POLL (0.5: the waits for namespaces and deleted sessions), TIMEOUT seconds (600), SETTLE seconds (5), CEILING_APPLY (0), KOPF_BENCH (1), KEEP=1 keeps the
# work dir (with kopf.log). CEILING_BENCH=0 skips the ceiling (2) and DELETE_BENCH=0 the deletion (5, and
# with it the kopf peer): at 5,000 sessions those two take most of an hour, while the controller's own
# figures (its rate, to compare with its rate at 500, requests per session and peak RSS) take minutes.
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
CEILING_BENCH=${CEILING_BENCH:-1}
DELETE_BENCH=${DELETE_BENCH:-1}
# CEILING_APPLY=1: the ceiling writes children with server-side apply (the controller's verb), not POST.
CEILING_VERB_FLAG=
[[ ${CEILING_APPLY:-0} == 1 ]] && CEILING_VERB_FLAG=--apply

# shellcheck source=../scripts/controlplane/lib.sh
source "$ROOT/scripts/controlplane/lib.sh"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"

log() { printf '[controller-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cmake --build "$BUILD" --target sessiongate-controller bench-ceiling >/dev/null
fi
CONTROLLER_BIN=$BUILD/controller/sessiongate-controller
CEILING_BIN=$BUILD/bench/bench-ceiling

WORK=$(mktemp -d /tmp/sessiongate-cbench.XXXXXX)
CONTROLLER_PID=
cleanup() {
  if declare -F stop_watch >/dev/null; then stop_watch; fi
  # The kopf peer runs in a subshell (run_kopf), which records its pid here.
  if [[ -s $WORK/kopf.pid ]]; then
    kill -TERM "$(cat "$WORK/kopf.pid")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$WORK/kopf.pid")" 2>/dev/null && sleep 0.2; done
    kill -KILL "$(cat "$WORK/kopf.pid")" 2>/dev/null || true
  fi
  if [[ -n $CONTROLLER_PID ]]; then
    kill -TERM "$CONTROLLER_PID" 2>/dev/null || true
    wait "$CONTROLLER_PID" 2>/dev/null || true
  fi
  cp_down "$WORK/cp" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

bench_control_plane "$WORK/cp"
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

# stop_watch stops the watch of wait_provisioned, if one runs (also on exit).
WATCH_PID=
stop_watch() {
  [[ -n $WATCH_PID ]] || return 0
  kill -- -"$WATCH_PID" 2>/dev/null
  wait "$WATCH_PID" 2>/dev/null || true
  WATCH_PID=
}
# wait_provisioned TOTAL PID LOG: waits until TOTAL UserSessions report Provisioned True, failing if process
# PID (the controller or the kopf peer) exits (LOG's tail is printed) or TIMEOUT passes. One watch of the
# UserSessions feeds a counter (bench/provisioned_watch.sh) kept in $WORK/provisioned, read here every 0.1 s.
# A poll of the whole list instead cost, at 5,000 sessions, about half of one of the two cores (kubectl's
# decoding and jq) besides the API server's encoding, taken from the processes being measured. Leaves
# polls=1: the watch is one request (a watch closed by the server after its timeout, 30 to 60 min, is opened
# again: one more each time). Sets ready.
wait_provisioned() {
  local total=$1 pid=$2 log_file=$3 deadline=$((SECONDS + TIMEOUT))
  echo 0 >"$WORK/provisioned"
  # setsid: the watch's loop, kubectl, jq and awk in a process group of their own, stopped together below.
  setsid "$ROOT/bench/provisioned_watch.sh" "$KUBECONFIG_ADMIN" "$WORK/provisioned" 2>>"$WORK/watch.log" &
  WATCH_PID=$!
  while :; do
    ready=$(cat "$WORK/provisioned")
    ready=${ready:-0}  # read while awk rewrote it
    ((ready >= total)) && break
    if ! kill -0 "$pid" 2>/dev/null; then
      stop_watch
      log "process $pid exited; log tail:"; tail -20 "$log_file" >&2; exit 1
    fi
    if ((SECONDS >= deadline)); then
      stop_watch
      log "only $ready/$total provisioned after ${TIMEOUT}s"; tail -20 "$log_file" >&2; exit 1
    fi
    sleep 0.1
  done
  stop_watch
  polls=1
}

# --- ceiling ---
ceiling_rate=0 ceiling_rps=0 ceiling_seconds=0 ceiling_verb=skipped ceiling_gone_seconds=0
if [[ $CEILING_BENCH == 1 ]]; then
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
else
  log "ceiling skipped (CEILING_BENCH=0)"
fi

# --- controller ---
"$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$SESSIONS" --workers "$CEILING_WORKERS" \
  --expose-every "$EXPOSE_EVERY" --prefix bench --sessions-only >&2
cp_free_port METRICS_PORT
requests_before=$(apiserver_requests)
log "controller: $CONTROLLER_WORKERS workers, metrics on 127.0.0.1:$METRICS_PORT"
started=$(date +%s.%N)
"$CONTROLLER_BIN" --kubeconfig "$KUBECONFIG_CONTROLLER" --workers "$CONTROLLER_WORKERS" \
  --metrics-listen "127.0.0.1:$METRICS_PORT" >"$WORK/controller.log" 2>&1 &
CONTROLLER_PID=$!

wait_provisioned "$SESSIONS" "$CONTROLLER_PID" "$WORK/controller.log"
main_polls=$polls  # the later phases set polls to their own requests
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

# --- arrival one by one: STREAM_SESSIONS more sessions created by one client while the controller runs ---
# stream_sessions PREFIX PID LOG: creates STREAM_SESSIONS sessions from one client and waits until every
# session is provisioned by PID; leaves in polls our requests (the creations are STREAM_SESSIONS more).
stream_sessions() {
  "$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$STREAM_SESSIONS" --workers 1 \
    --expose-every "$EXPOSE_EVERY" --prefix "$1" --sessions-only >&2 || exit 1
  wait_provisioned "$total" "$2" "$3"
  sleep "$SETTLE"
}
stream_before=$(controller_metric '^sessiongate_controller_api_requests_total')
stream_api_before=$(apiserver_requests)
log "arrival one by one: $STREAM_SESSIONS sessions from one client while the controller runs"
total=$((SESSIONS + STREAM_SESSIONS))
stream_sessions stream "$CONTROLLER_PID" "$WORK/controller.log"
stream_after=$(controller_metric '^sessiongate_controller_api_requests_total')
stream_api=$(($(apiserver_requests) - stream_api_before - polls - STREAM_SESSIONS - 1))

# --- deletion: every session deleted at once; the finalizer waits for each namespace to go ---
# delete_sessions: deletes every UserSession with one DELETECOLLECTION (no discovery, one request) and waits
# until the session namespaces and then the sessions are gone; sets delete_started, namespaces_gone,
# delete_finished and polls (our GETs; the DELETECOLLECTION is one more request).
delete_sessions() {
  local left_sessions deadline=$((SECONDS + TIMEOUT))
  delete_started=$(date +%s.%N)
  kadmin delete --raw /apis/sessiongate.io/v1alpha1/usersessions >/dev/null
  namespaces_gone=
  polls=0
  while :; do
    left_sessions=$(kadmin get --raw /apis/sessiongate.io/v1alpha1/usersessions | jq '.items | length')
    polls=$((polls + 1))
    if [[ -z $namespaces_gone ]]; then
      polls=$((polls + 1))
      (($(count_session_namespaces) == 0)) && namespaces_gone=$(date +%s.%N)
    fi
    ((left_sessions == 0)) && [[ -n $namespaces_gone ]] && break
    ((SECONDS < deadline)) || { log "$left_sessions sessions left after ${TIMEOUT}s"; exit 1; }
    sleep "$POLL"
  done
  delete_finished=$(date +%s.%N)
}
delete_before= delete_after= delete_api= delete_started= namespaces_gone= delete_finished=
if [[ $DELETE_BENCH == 1 ]]; then
  delete_before=$(controller_metric '^sessiongate_controller_api_requests_total')
  delete_api_before=$(apiserver_requests)
  log "deletion: $total sessions"
  delete_sessions
  delete_after=$(controller_metric '^sessiongate_controller_api_requests_total')
  delete_api=$(($(apiserver_requests) - delete_api_before - polls - 1 - 1))
  curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E '^sessiongate_controller_api_requests_total' >&2 || true
else
  log "deletion skipped (DELETE_BENCH=0)"
fi

# --- the kopf peer (bench/kopfpeer/): the same three measurements on the same control plane ---
kill -TERM "$CONTROLLER_PID" 2>/dev/null || true
wait "$CONTROLLER_PID" 2>/dev/null || true
CONTROLLER_PID=
# run_kopf: the kopf phases, in a subshell so that a failure skips the kopf rows and never fails the bench;
# prints KEY=VALUE lines.
run_kopf() {
  local venv=$1 ready deadline kopf_pid started finished api_before own_before
  cp_free_port KOPF_COUNTER_PORT
  kopf_requests() { curl -fsS "http://127.0.0.1:$KOPF_COUNTER_PORT/"; }
  "$CEILING_BIN" --kubeconfig "$KUBECONFIG_ADMIN" --sessions "$SESSIONS" --workers "$CEILING_WORKERS" \
    --expose-every "$EXPOSE_EVERY" --prefix kopf --sessions-only >&2 || exit 1
  api_before=$(apiserver_requests)
  log "kopf peer: $("$venv/bin/kopf" --version 2>/dev/null || echo kopf)"
  started=$(date +%s.%N)
  KUBECONFIG=$KUBECONFIG_ADMIN SESSIONGATE_PLANNER="$CEILING_BIN --kubeconfig $KUBECONFIG_ADMIN --dump-children" \
    SESSIONGATE_COUNTER_PORT=$KOPF_COUNTER_PORT PYTHONPATH=$ROOT/bench/kopfpeer \
    "$venv/bin/kopf" run --standalone --all-namespaces "$ROOT/bench/kopfpeer/peer.py" >"$WORK/kopf.log" 2>&1 &
  kopf_pid=$!
  echo "$kopf_pid" >"$WORK/kopf.pid"
  # shellcheck disable=SC2064 # the pid is known now and kopf_pid is local
  trap "kill -TERM $kopf_pid 2>/dev/null; wait $kopf_pid 2>/dev/null" EXIT
  wait_provisioned "$SESSIONS" "$kopf_pid" "$WORK/kopf.log"
  finished=$(date +%s.%N)
  sleep "$SETTLE"
  echo "kopf_seconds=$(awk -v s="$started" -v f="$finished" 'BEGIN { printf "%.2f", f - s }')"
  echo "kopf_own=$(kopf_requests)"
  echo "kopf_api=$(($(apiserver_requests) - api_before - polls - 1))"
  log "kopf: arrival one by one"
  total=$((SESSIONS + STREAM_SESSIONS))
  api_before=$(apiserver_requests)
  own_before=$(kopf_requests)
  stream_sessions kstream "$kopf_pid" "$WORK/kopf.log"
  echo "kopf_stream_own=$(($(kopf_requests) - own_before))"
  echo "kopf_stream_api=$(($(apiserver_requests) - api_before - polls - STREAM_SESSIONS - 1))"
  log "kopf: deletion: $total sessions"
  api_before=$(apiserver_requests)
  own_before=$(kopf_requests)
  delete_sessions
  echo "kopf_delete_own=$(($(kopf_requests) - own_before))"
  echo "kopf_delete_api=$(($(apiserver_requests) - api_before - polls - 1 - 1))"
  echo "kopf_namespaces_gone=$(awk -v s="$delete_started" -v f="$namespaces_gone" 'BEGIN { printf "%.1f", f - s }')"
  echo "kopf_sessions_gone=$(awk -v s="$delete_started" -v f="$delete_finished" 'BEGIN { printf "%.1f", f - s }')"
  echo "kopf_rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$kopf_pid/status")"
  echo "kopf_version=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("kopf"))')"
  grep -c -E ' \[(WARNING|ERROR)' "$WORK/kopf.log" | sed 's/^/kopf_log_warnings=/' || true
}
kopf_note=
kopf_values=
if [[ ${KOPF_BENCH:-1} != 1 ]]; then
  kopf_note="kopf peer skipped (KOPF_BENCH=0)"
elif [[ $DELETE_BENCH != 1 ]]; then
  kopf_note="kopf peer skipped (DELETE_BENCH=0: the controller's sessions are still there)"
elif ! kopf_venv=$("$ROOT/bench/kopfpeer/venv.sh" 2>"$WORK/venv.err"); then
  kopf_note="kopf peer skipped: $(tail -1 "$WORK/venv.err")"
elif ! kopf_values=$(run_kopf "$kopf_venv"); then
  kopf_note="kopf peer failed (see the log above); its rows are left out"
  kopf_values=
fi
kopf_value() { sed -nE "s/^$1=(.*)/\1/p" <<<"$kopf_values"; }

awk -v n="$SESSIONS" -v s="$started" -v f="$finished" -v ceil="$ceiling_rate" -v cs="$ceiling_seconds" \
  -v crps="$ceiling_rps" -v ra="$requests_at_ready" -v rs="$requests_settled" -v b="$requests_before" \
  -v a="$requests_after" -v polls="$main_polls" -v kb="$rss_kb" -v rec="$reconciles" -v rerr="$reconcile_errors" \
  -v w="$CONTROLLER_WORKERS" -v cw="$CEILING_WORKERS" -v depth="$depth" -v threads="$threads" -v warn="$warnings" \
  -v cb="$cache_bytes" -v cbb="$cache_bytes_bare" -v verb="$ceiling_verb" \
  -v sn="$STREAM_SESSIONS" -v sb="$stream_before" -v sa="$stream_after" -v db="$delete_before" \
  -v da="$delete_after" -v ds="$delete_started" -v dng="$namespaces_gone" -v df="$delete_finished" \
  -v cgs="$ceiling_gone_seconds" -v sapi="$stream_api" -v dapi="$delete_api" -v knote="$kopf_note" \
  -v ks="$(kopf_value kopf_seconds)" -v kapi="$(kopf_value kopf_api)" -v ksapi="$(kopf_value kopf_stream_api)" \
  -v kdapi="$(kopf_value kopf_delete_api)" -v kng="$(kopf_value kopf_namespaces_gone)" \
  -v ksg="$(kopf_value kopf_sessions_gone)" -v kkb="$(kopf_value kopf_rss_kb)" -v kv="$(kopf_value kopf_version)" \
  -v kw="$(kopf_value kopf_log_warnings)" -v kown="$(kopf_value kopf_own)" -v ksown="$(kopf_value kopf_stream_own)" \
  -v kdown="$(kopf_value kopf_delete_own)" '
BEGIN {
  secs = f - s; rate = n / secs
  api = a - b - polls - 2          # our polls and the two /metrics scrapes
  printf "controller-bench ceiling_sessions_per_s=%.1f ceiling_seconds=%.2f ceiling_requests_per_session=%.2f ceiling_workers=%d ceiling_verb=%s\n", ceil, cs, crps, cw, verb
  printf "controller-bench controller_sessions_per_s=%.1f controller_seconds=%.2f ratio=%.0f%% workers=%d\n", rate, secs, (ceil > 0 ? 100 * rate / ceil : 0), w
  printf "controller-bench requests_per_session_at_ready=%.2f requests_per_session_settled=%.2f apiserver_requests_per_session=%.2f reconciles_per_session=%.2f reconcile_errors=%d queue_depth=%d\n", ra / n, rs / n, api / n, rec / n, rerr, depth
  printf "controller-bench peak_rss_mb=%.1f threads=%d log_warnings=%d cached_json_kib=%d cached_json_kib_without_managed_fields=%d\n", kb / 1024, threads, warn, cb / 1024, cbb / 1024
  printf "\n%-44s %12s %10s %10s\n", "provisioning " n " sessions", "sessions/s", "req/sess", "apiserver"
  if (ceil > 0) printf "%-44s %12.1f %10.2f %10s\n", "ceiling (plain client, " verb ", " cw " workers)", ceil, crps, "-"
  else print "ceiling skipped (CEILING_BENCH=0)"
  printf "%-44s %12.1f %10.2f %10.2f%s\n", "controller (" w " workers)", rate, rs / n, api / n, (ceil > 0 ? sprintf("   %.0f%% of ceiling (target >= 80%%)", 100 * rate / ceil) : "")
  if (ks != "") printf "%-44s %12.1f %10.2f %10.2f\n", "kopf " kv " operator", n / ks, kown / n, kapi / n
  total = n + sn
  printf "controller-bench stream_sessions=%d requests_per_session_one_by_one=%.2f apiserver_requests_per_session_one_by_one=%.2f\n", sn, (sa - sb) / sn, sapi / sn
  if (ds != "") printf "controller-bench deletion_requests_per_session=%.2f apiserver_deletion_requests_per_session=%.2f namespaces_gone_seconds=%.1f sessions_gone_seconds=%.1f ceiling_namespaces_gone_seconds=%.1f\n", (da - db) / total, dapi / total, dng - ds, df - ds, cgs
  if (ks != "") printf "controller-bench kopf_version=%s kopf_sessions_per_s=%.1f kopf_requests_per_session=%.2f kopf_apiserver_requests_per_session=%.2f kopf_requests_per_session_one_by_one=%.2f kopf_apiserver_requests_per_session_one_by_one=%.2f kopf_deletion_requests_per_session=%.2f kopf_apiserver_deletion_requests_per_session=%.2f kopf_namespaces_gone_seconds=%.1f kopf_sessions_gone_seconds=%.1f kopf_peak_rss_mb=%.1f kopf_log_warnings=%d\n", kv, n / ks, kown / n, kapi / n, ksown / sn, ksapi / sn, kdown / total, kdapi / total, kng, ksg, kkb / 1024, kw
  printf "%-44s %12s %10.2f %10.2f\n", "controller, sessions arriving one by one", "", (sa - sb) / sn, sapi / sn
  if (ks != "") printf "%-44s %12s %10.2f %10.2f\n", "kopf, sessions arriving one by one", "", ksown / sn, ksapi / sn
  if (ds != "") printf "%-44s %12s %10.2f %10.2f   namespaces gone in %.1f s, sessions in %.1f s (ceiling: %d namespaces gone in %.1f s)\n", "controller, deleting " total " sessions", "", (da - db) / total, dapi / total, dng - ds, df - ds, n, cgs
  else print "deletion skipped (DELETE_BENCH=0)"
  if (ks != "") printf "%-44s %12s %10.2f %10.2f   namespaces gone in %.1f s, sessions in %.1f s\n", "kopf, deleting " total " sessions", "", kdown / total, kdapi / total, kng, ksg
  if (knote != "") print knote
  printf "controller peak RSS (VmHWM): %.1f MB (target <= %d MB)%s\n", kb / 1024, (n >= 5000 ? 60 : 30), (ks != "" ? sprintf("; kopf peer %.1f MB", kkb / 1024) : "")
}'
