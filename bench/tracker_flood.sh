#!/usr/bin/env bash
# bench/tracker_flood.sh [BUILD_DIR]: the tracker's capture drop rate under a SYN flood on a veth pair, and its
# RSS. A network namespace of its own holds the far end of the pair; bench-synflood sends SYN frames from
# there at each rate of RATES (default "50000 100000 200000") for FLOOD_DURATION (default 5s) to ports in the
# tracker's filter, with a destination MAC no interface has (the host hands them to packet taps only and
# drops them before IP). The tracker runs as nobody with only CAP_NET_RAW, as in its e2e. Per rate it prints
# frames sent, frames counted in /activity, the pcap drop counter, the drop rate and the tracker's RSS.
# Each of BUFFER_SIZES (the tracker's --buffer-size; default "3145728 1048576", its default and 1 MiB) gets
# a fresh tracker, whose RSS is also printed before the flood.
# Target (issue 9): no drops at 100k SYN/s, <= 10 MB RSS. Figures only; nothing is asserted.
#
# Host changes: one netns sgb-<pid>-<rand> and the veth pair into it, addresses from 198.18.0.0/15
# (RFC 2544 benchmarking). Removed on exit; a namespace of a run that died (its pid gone) is removed by
# the next run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath -m "${1:-$ROOT/build}")
RATES=${RATES:-"50000 100000 200000"}
BUFFER_SIZES=${BUFFER_SIZES:-"3145728 1048576"}  # the tracker's --buffer-size, default first
FLOOD_DURATION=${FLOOD_DURATION:-5s}
TRACKER=$BUILD/controller/tracker/sessiongate-tracker
FLOOD=$BUILD/bench/bench-synflood

if [[ $(id -u) -ne 0 ]]; then
  echo "tracker flood: skipped (needs root to create a network namespace)"
  exit 0
fi
cmake --build "$BUILD" --target sessiongate-tracker bench-synflood >/dev/null

for ns in $(ip netns list | awk '/^sgb-[0-9]+-/ {print $1}'); do
  pid=${ns#sgb-}
  pid=${pid%%-*}
  kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null || true
done

RAND=$(printf '%04x' $((RANDOM % 65536)))
NS=sgb-$$-$RAND
HOST_IF=sgb${RAND}h
PEER_IF=sgb${RAND}p
SUBNET=$((RANDOM % 250 + 1))
V4_HOST=198.18.$SUBNET.1
V4_PEER=198.18.$SUBNET.2
WORK=$(mktemp -d /tmp/sgb-flood-XXXXXX)
chmod 755 "$WORK"
TRACKER_PID=

cleanup() {
  set +e
  [[ -n $TRACKER_PID ]] && kill "$TRACKER_PID" 2>/dev/null && wait "$TRACKER_PID" 2>/dev/null
  ip link del "$HOST_IF" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ip netns add "$NS"
ip link add "$HOST_IF" type veth peer name "$PEER_IF" netns "$NS"
ip link set "$HOST_IF" up
ip addr add "$V4_HOST/30" dev "$HOST_IF"
ip netns exec "$NS" ip link set "$PEER_IF" up
ip netns exec "$NS" ip addr add "$V4_PEER/30" dev "$PEER_IF"

poll() {  # poll SECONDS COMMAND...: a bounded poll
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
capturing() { curl -sf "http://127.0.0.1:$PORT/activity" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["capturing"] else 1)'; }
counted() { curl -sf "http://127.0.0.1:$PORT/activity" | python3 -c 'import json,sys; print(sum(d["connections"] for d in json.load(sys.stdin)["destinations"]))'; }
metric() { curl -sf "http://127.0.0.1:$PORT/metrics" | awk -v m="$1{interface=\"$HOST_IF\"}" '$1 == m {print $2}'; }
rss_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$TRACKER_PID/status"; }

for buffer in $BUFFER_SIZES; do
  : >"$WORK/tracker.log"
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \
    --bounding-set=-all,+net_raw \
    "$TRACKER" --interfaces "$HOST_IF" --ports 2222-2231 --destinations "198.18.$SUBNET.0/30" \
    --buffer-size "$buffer" --listen 127.0.0.1:0 --name flood-bench >"$WORK/tracker.log" 2>&1 &
  TRACKER_PID=$!
  poll 30 grep -q 'serving /metrics and /activity' "$WORK/tracker.log" || { echo "tracker did not start"; exit 1; }
  PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$WORK/tracker.log" | head -n1)
  poll 30 capturing || { echo "tracker is not capturing on $HOST_IF"; exit 1; }
  awk -v b="$buffer" -v rss="$(rss_kb VmRSS)" \
    'BEGIN { printf "\ntracker --buffer-size %d: RSS before the flood %.1f MB\n", b, rss / 1024 }'
  printf '%-10s %10s %10s %10s %10s %9s %9s %9s\n' "SYN/s" "sent" "sent/s" "counted" "pcap-drop" "lost" "RSS MB" "peak MB"
  for rate in $RATES; do
    c0=$(counted); d0=$(metric sessiongate_tracker_capture_dropped_total)
    out=$(ip netns exec "$NS" "$FLOOD" --interface "$PEER_IF" --source-ip "$V4_PEER" --destination-ip "$V4_HOST" \
      --destination-mac 02:5e:55:00:00:01 --rate "$rate" --duration "$FLOOD_DURATION")
    sent=$(sed -n 's/^sent \([0-9]*\) frames.*/\1/p' <<<"$out")
    sent_rate=$(sed -n 's/.*: \([0-9]*\) frames\/s.*/\1/p' <<<"$out")
    # The capture thread may still be reading its buffer: wait (bounded) until the count stops growing.
    prev=-1; now=$(counted)
    for _ in $(seq 50); do [[ $now == "$prev" ]] && break; prev=$now; sleep 0.2; now=$(counted); done
    c1=$now; d1=$(metric sessiongate_tracker_capture_dropped_total)
    got=$((c1 - c0)); dropped=$((d1 - d0))
    awk -v r="$rate" -v s="$sent" -v sr="$sent_rate" -v g="$got" -v d="$dropped" -v rss="$(rss_kb VmRSS)" -v hwm="$(rss_kb VmHWM)" \
      'BEGIN { printf "%-10s %10d %10d %10d %10d %8.3f%% %9.1f %9.1f\n", r, s, sr, g, d, (s > 0 ? 100 * (s - g) / s : 0), rss / 1024, hwm / 1024 }'
  done
  kill "$TRACKER_PID"; wait "$TRACKER_PID" 2>/dev/null || true
  TRACKER_PID=
done
echo "(target: no loss at 100000 SYN/s, RSS <= 10 MB; 'lost' = sent frames not counted in /activity)"
