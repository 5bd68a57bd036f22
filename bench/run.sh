#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR]: measures the webhook against the bare transport. Builds (in BUILD_DIR, default
# build/) bench-echo, bench-load, sessiongate-webhook and sessiongatectl, issues certificates, starts bench-echo (the HTTPS stack
# answering with the body it got) and sessiongate-webhook (the real Reviewer on bench/fixtures/cluster),
# drives each with bench-load over TLS keep-alive, and prints requests/s, p50, p99, the ratio to echo with
# the same body, and the webhook's peak RSS. Targets: /mutate >= 80% of echo, peak RSS <= 20 MB. A second
# webhook with 5,000 generated UserSessions in its cache (SCALE_SESSIONS) is timed on /validate and its peak
# RSS printed (target <= 30 MB).
# Then bench/controller_bench.sh measures the controller provisioning 500 sessions against the API server's
# ceiling (targets: >= 80% of it, peak RSS <= 30 MB), sessions arriving one by one and deletion, each next to a
# kopf operator doing the same (bench/kopfpeer/, KOPF_BENCH=0 skips it); its table is printed after the webhook's. Last,
# bench/tracker_flood.sh: the tracker's capture loss at 50k/100k/200k SYN/s on a veth pair, and its RSS.
# Tunables (environment): DURATION seconds per run (5), CONNECTIONS (8), THREADS (4).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath -m "${1:-$ROOT/build}")  # absolute: the Go peers are built from their own folder
# shellcheck source=../scripts/controlplane/lib.sh
source "$ROOT/scripts/controlplane/lib.sh"
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-4}
cp_free_port ECHO_PORT
cp_free_port WEBHOOK_PORT
FIXTURES=$ROOT/bench/fixtures

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" --target sessiongate-webhook sessiongatectl bench-echo bench-load >/dev/null

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Certificates from the project's own tool.
"$BUILD/cli/sessiongatectl" certs --service sessiongate-webhook --namespace sessiongate-system --out "$WORK/certs" >/dev/null
CERTS=$WORK/certs

"$BUILD/bench/bench-echo" "$ECHO_PORT" "$CERTS/tls.crt" "$CERTS/tls.key" &
PIDS+=($!)
"$BUILD/webhook/sessiongate-webhook" --listen "127.0.0.1:$WEBHOOK_PORT" --tls-cert "$CERTS/tls.crt" \
  --tls-key "$CERTS/tls.key" --policies "$FIXTURES/cluster" --log-level warn &
WEBHOOK_PID=$!
PIDS+=($WEBHOOK_PID)

for _ in $(seq 100); do
  if curl -fsS --cacert "$CERTS/ca.crt" "https://127.0.0.1:$WEBHOOK_PORT/readyz" >/dev/null 2>&1 &&
     curl -fsS --cacert "$CERTS/ca.crt" "https://127.0.0.1:$ECHO_PORT/healthz" >/dev/null 2>&1; then
    break
  fi
  sleep 0.1
done

# load PORT PATH BODY: prints "rps p50 p99" of one run.
load() {
  local out
  out=$("$BUILD/bench/bench-load" --port "$1" --ca "$CERTS/ca.crt" --path "$2" --body "$3" \
    --connections "$CONNECTIONS" --threads "$THREADS" --duration "$DURATION")
  echo "$out" >&2
  echo "$out" | sed -E 's/.*rps=([0-9]+) p50_us=([0-9]+) p99_us=([0-9]+).*/\1 \2 \3/'
}

echo "bench: $CONNECTIONS connections, $THREADS threads, ${DURATION}s per run, $(nproc) CPUs" >&2
read -r echo3_rps echo3_p50 echo3_p99 < <(load "$ECHO_PORT" /mutate "$FIXTURES/pod-create-3k.json")
read -r echo15_rps echo15_p50 echo15_p99 < <(load "$ECHO_PORT" /mutate "$FIXTURES/pod-create-15k.json")
read -r echous_rps echous_p50 echous_p99 < <(load "$ECHO_PORT" /validate "$FIXTURES/usersession-create.json")
read -r m3_rps m3_p50 m3_p99 < <(load "$WEBHOOK_PORT" /mutate "$FIXTURES/pod-create-3k.json")
read -r m15_rps m15_p50 m15_p99 < <(load "$WEBHOOK_PORT" /mutate "$FIXTURES/pod-create-15k.json")
read -r v_rps v_p50 v_p99 < <(load "$WEBHOOK_PORT" /validate "$FIXTURES/usersession-create.json")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$WEBHOOK_PID/status")

# A webhook whose cache holds SCALE_SESSIONS (5,000) UserSessions as a cluster stores them (uid, timestamps,
# finalizer, status written by the controller), generated here into the temp dir next to the bench policy and
# namespaces: /validate timed against it, then its peak RSS. Target: <= 30 MB.
SCALE_SESSIONS=${SCALE_SESSIONS:-5000}
mkdir -p "$WORK/scale"
cp "$FIXTURES/cluster/policy.yaml" "$FIXTURES/cluster/namespaces.yaml" "$WORK/scale/"
awk -v n="$SCALE_SESSIONS" -v dir="$WORK/scale" 'BEGIN {
  for (i = 1; i <= n; i++) {
    name = sprintf("user-%04d-%d", int((i + 1) / 2), i % 2 + 1)
    user = sprintf("user-%04d", int((i + 1) / 2))
    file = sprintf("%s/session-%05d.json", dir, i)
    printf "{\"apiVersion\":\"sessiongate.io/v1alpha1\",\"kind\":\"UserSession\",\"metadata\":{\"name\":\"%s\",", name > file
    printf "\"uid\":\"6f1c2a4e-0000-4000-8000-%012d\",\"resourceVersion\":\"%d\",\"generation\":1,", i, 100000 + i > file
    printf "\"creationTimestamp\":\"2026-12-01T10:00:00Z\",\"finalizers\":[\"sessiongate.io/cleanup\"],", "" > file
    printf "\"labels\":{\"sessiongate.io/user\":\"%s\"}},", user > file
    printf "\"spec\":{\"user\":\"%s\",\"profile\":\"standard\",\"gateway\":\"vpn\",\"ttl\":\"4h\",", user > file
    printf "\"publicExposure\":{\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"targetPort\":8080,\"port\":0}]}},", "" > file
    printf "\"status\":{\"phase\":\"Ready\",\"namespace\":\"sess-%s\",\"observedGeneration\":1,", name > file
    printf "\"expiresAt\":\"2026-12-01T14:00:00Z\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",", "" > file
    printf "\"reason\":\"Provisioned\",\"message\":\"namespace, quota, network policies and worker are ready\",", "" > file
    printf "\"lastTransitionTime\":\"2026-12-01T10:00:05Z\"}],\"publicExposure\":{\"phase\":\"Ready\",", "" > file
    printf "\"ip\":\"203.0.113.%d\",\"ports\":[{\"name\":\"http\",\"port\":%d}]}}}\n", i % 250 + 1, 30000 + i % 2000 > file
    close(file)
  }
}'
cp_free_port SCALE_PORT
"$BUILD/webhook/sessiongate-webhook" --listen "127.0.0.1:$SCALE_PORT" --tls-cert "$CERTS/tls.crt" \
  --tls-key "$CERTS/tls.key" --policies "$WORK/scale" --log-level warn &
SCALE_PID=$!
PIDS+=($SCALE_PID)
for _ in $(seq 300); do
  curl -fsS --cacert "$CERTS/ca.crt" "https://127.0.0.1:$SCALE_PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
read -r vs_rps vs_p50 vs_p99 < <(load "$SCALE_PORT" /validate "$FIXTURES/usersession-create.json")
scale_rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SCALE_PID/status")
kill -TERM "$SCALE_PID" 2>/dev/null || true
wait "$SCALE_PID" 2>/dev/null || true

# Abuse: 2,000 slow or abusive connections (bench/abusepeer, Go standard library) against a fresh webhook
# while legitimate reviews are timed; prints their latency and the webhook's peak RSS, once for each kind of
# abuse alone and once for all kinds mixed. ABUSE_BENCH=0 skips; ABUSE_KINDS chooses the runs.
abuse_lines=
if [[ ${ABUSE_BENCH:-1} == 1 ]] && command -v go >/dev/null; then
  (cd "$ROOT/bench/abusepeer" && go build -o "$BUILD/bench/abusepeer" .)
  all_kinds=silent-tcp,slow-hello,slow-head,slow-body,idle-keepalive,big-chunked,gzip,huge-headers
  for kinds in ${ABUSE_KINDS:-${all_kinds//,/ } $all_kinds}; do
    cp_free_port ABUSE_PORT
    "$BUILD/webhook/sessiongate-webhook" --listen "127.0.0.1:$ABUSE_PORT" --tls-cert "$CERTS/tls.crt" \
      --tls-key "$CERTS/tls.key" --policies "$FIXTURES/cluster" --log-level error ${ABUSE_WEBHOOK_ARGS:-} &
    ABUSE_PID=$!
    PIDS+=($ABUSE_PID)
    for _ in $(seq 100); do
      curl -fsS --cacert "$CERTS/ca.crt" "https://127.0.0.1:$ABUSE_PORT/readyz" >/dev/null 2>&1 && break
      sleep 0.1
    done
    # The abuse and the timed reviews from two processes, as the API server is not the abuser: a single Go
    # process busy with 2,000 streaming connections would delay its own probe goroutine.
    "$BUILD/bench/abusepeer" -addr "127.0.0.1:$ABUSE_PORT" -ca "$CERTS/ca.crt" -kinds "$kinds" -probes 0 \
      -hold 20s -review "$FIXTURES/usersession-create.json" ${ABUSE_ARGS:-} >"$WORK/abuse.out" 2>/dev/null &
    abuser=$!
    sleep 5
    probe=$("$BUILD/bench/abusepeer" -addr "127.0.0.1:$ABUSE_PORT" -ca "$CERTS/ca.crt" -connections 0 \
      -review "$FIXTURES/usersession-create.json" -pid "$ABUSE_PID" 2>/dev/null | grep '^abuse:' || true)
    wait "$abuser" || true
    held=$(sed -nE 's/.*\(([0-9]+) held open at the end.*/\1/p' "$WORK/abuse.out")
    line="abuse $kinds: ${held:-?} connections held; ${probe#*reviews: }"
    echo "$line" >&2
    abuse_lines+="$line"$'\n'
    kill -TERM "$ABUSE_PID" 2>/dev/null || true
    wait "$ABUSE_PID" 2>/dev/null || true
  done
fi

# The controller on the local control plane (bench/controller_bench.sh); CONTROLLER_BENCH=0 skips it.
controller_table=
if [[ ${CONTROLLER_BENCH:-1} == 1 ]]; then
  if controller_out=$("$ROOT/bench/controller_bench.sh" "$BUILD"); then
    grep '^controller-bench ' <<<"$controller_out" >&2 || true
    controller_table=$(grep -v '^controller-bench ' <<<"$controller_out")
  else
    controller_table="controller bench failed (see the log above)"
  fi
fi

# The real node (bench/node_bench.sh, root): start time, session apply to worker Ready and to its exposed port
# answering through MetalLB, the whole cluster's RSS. NODE_BENCH=0 skips it.
node_table=
if [[ ${NODE_BENCH:-1} == 1 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    node_table="node bench skipped: it starts a real node and needs root"
  elif ! node_table=$("$ROOT/bench/node_bench.sh" "$BUILD"); then
    node_table="node bench failed (see the log above)"
  fi
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
printf '\n%-34s %10s %10s %10s %9s\n' "run" "req/s" "p50 us" "p99 us" "vs echo"
printf '%-34s %10s %10s %10s %9s\n' "echo 3 KB pod" "$echo3_rps" "$echo3_p50" "$echo3_p99" "100%"
printf '%-34s %10s %10s %10s %9s\n' "echo 15 KB pod" "$echo15_rps" "$echo15_p50" "$echo15_p99" "100%"
printf '%-34s %10s %10s %10s %9s\n' "echo 1 KB UserSession" "$echous_rps" "$echous_p50" "$echous_p99" "100%"
printf '%-34s %10s %10s %10s %9s\n' "webhook /mutate 3 KB pod" "$m3_rps" "$m3_p50" "$m3_p99" "$(ratio "$m3_rps" "$echo3_rps")"
printf '%-34s %10s %10s %10s %9s\n' "webhook /mutate 15 KB pod" "$m15_rps" "$m15_p50" "$m15_p99" "$(ratio "$m15_rps" "$echo15_rps")"
printf '%-34s %10s %10s %10s %9s\n' "webhook /validate UserSession" "$v_rps" "$v_p50" "$v_p99" "$(ratio "$v_rps" "$echous_rps")"
printf '%-34s %10s %10s %10s %9s\n' "webhook /validate, $SCALE_SESSIONS sessions" "$vs_rps" "$vs_p50" "$vs_p99" "$(ratio "$vs_rps" "$echous_rps")"
awk -v kb="$rss_kb" 'BEGIN { printf "webhook peak RSS (VmHWM): %.1f MB (target <= 20 MB)\n", kb / 1024 }'
awk -v kb="$scale_rss_kb" -v n="$SCALE_SESSIONS" \
  'BEGIN { printf "webhook peak RSS with %d sessions cached (VmHWM): %.1f MB (target <= 30 MB)\n", n, kb / 1024 }'
[[ -z $abuse_lines ]] || printf '%s(targets: answered in < 100 ms, RSS < 64 MB)\n' "$abuse_lines"
[[ -z $controller_table ]] || printf '%s\n' "$controller_table"
[[ -z $node_table ]] || printf '%s\n' "$node_table"

# The tracker under a SYN flood on a veth pair (bench/tracker_flood.sh, needs root); TRACKER_BENCH=0 skips it.
if [[ ${TRACKER_BENCH:-1} == 1 ]]; then
  "$ROOT/bench/tracker_flood.sh" "$BUILD" || echo "tracker flood bench failed (see above)"
fi
