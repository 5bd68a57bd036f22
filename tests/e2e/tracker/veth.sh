#!/usr/bin/env bash
# The tracker on real interfaces: a veth pair into a network namespace this test creates, real TCP
# connections over IPv4 and IPv6, 802.1Q-tagged SYN frames, a burst of connections, ports and addresses
# outside the filter, and the interface deleted and created again. The tracker runs as nobody with only
# CAP_NET_RAW. Counts are exact; last-seen times lie within the wall-clock bounds of the connects.
#
# Host changes: one netns sgt-<pid>-<rand> and the veth pair into it, with
# addresses from 198.18.0.0/15 (RFC 2544 benchmarking) and fd5e:55::/32 (ULA). All of it is removed on exit;
# namespaces left by a run that was killed (its pid gone) are removed at the start of the next one.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${E2E_BUILD_DIR:-$HERE/../../../build}
TRACKER=$BUILD/controller/tracker/sessiongate-tracker
PEER=$BUILD/tests/e2e/netns_peer  # listeners, connections and tagged frames (tests/e2e/tracker/netns_peer.cpp)
[[ -x $TRACKER ]] || { echo "FAIL: $TRACKER not built"; exit 1; }
[[ -x $PEER ]] || { echo "FAIL: $PEER not built"; exit 1; }
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: needs root to create a network namespace"
  exit 77
fi

# Sweep namespaces of earlier runs that died before their trap ran (deleting a netns deletes its veth pair).
for ns in $(ip netns list | awk '/^sgt-[0-9]+-/ {print $1}'); do
  pid=${ns#sgt-}
  pid=${pid%%-*}
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "removing stale namespace $ns"
    ip netns del "$ns" 2>/dev/null || true
  fi
done

# Four hex digits without a leading zero, so that the IPv6 addresses below are written as the tracker writes
# them (RFC 5952) and compare as text.
RAND=$(printf '%04x' $((RANDOM % 61440 + 4096)))
NS=sgt-$$-$RAND
HOST_IF=sgt${RAND}h   # interface names are at most 15 characters
PEER_IF=sgt${RAND}p
SUBNET=$((RANDOM % 250 + 1))
V4_HOST=198.18.$SUBNET.1
V4_PEER=198.18.$SUBNET.2
VLAN_PEER=198.19.$SUBNET.2  # only in the tagged frames: this kernel has no VLAN devices
V6_PREFIX=fd5e:55:$RAND
V6_HOST=$V6_PREFIX::1
V6_PEER=$V6_PREFIX::2
WORK=$(mktemp -d /tmp/sgt-veth-XXXXXX)
chmod 755 "$WORK"
TRACKER_PID=
LISTENER_PID=

cleanup() {
  local rc=$?
  set +e
  [[ -n $TRACKER_PID ]] && kill "$TRACKER_PID" 2>/dev/null && wait "$TRACKER_PID" 2>/dev/null
  [[ -n $LISTENER_PID ]] && kill "$LISTENER_PID" 2>/dev/null && wait "$LISTENER_PID" 2>/dev/null
  ip link del "$HOST_IF" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  if ((rc != 0)) && [[ -f $WORK/tracker.log ]]; then
    echo "--- tracker log"
    tail -n 40 "$WORK/tracker.log"
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
  echo "FAIL: $*"
  exit 1
}

make_link() {
  ip link add "$HOST_IF" type veth peer name "$PEER_IF" netns "$NS"
  ip link set "$HOST_IF" up
  ip addr add "$V4_HOST/30" dev "$HOST_IF"
  ip -6 addr add "$V6_HOST/64" dev "$HOST_IF" nodad
  ip netns exec "$NS" ip link set lo up
  ip netns exec "$NS" ip link set "$PEER_IF" up
  ip netns exec "$NS" ip addr add "$V4_PEER/30" dev "$PEER_IF"
  ip netns exec "$NS" ip -6 addr add "$V6_PEER/64" dev "$PEER_IF" nodad
}

ip netns add "$NS"
make_link

# Listeners in the namespace: 2222 and 2223 are in the filter, 2300 is not; 2224 has no listener (refused).
ip netns exec "$NS" "$PEER" listen 2222 2223 2300 > "$WORK/listener.log" 2>&1 &
LISTENER_PID=$!

setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \
  --bounding-set=-all,+net_raw \
  "$TRACKER" --interfaces "$HOST_IF" --ports 2222-2224 \
  --destinations "198.18.$SUBNET.0/30,$VLAN_PEER,$V6_PREFIX::/64" \
  --listen 127.0.0.1:0 --name veth-e2e --reopen-interval 200ms > "$WORK/tracker.log" 2>&1 &
TRACKER_PID=$!

# Bounded polls: generous limits, no fixed sleeps.
poll() {  # poll SECONDS COMMAND...: until the command succeeds
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
port_known() { grep -q 'serving /metrics and /activity' "$WORK/tracker.log"; }
poll 30 port_known || fail "the tracker did not start"
PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$WORK/tracker.log" | head -n1)
activity() { curl -sf "http://127.0.0.1:$PORT/activity${1:-}"; }
# field capturing | error IFACE | connections IP PORT | lastseen IP PORT: one field of /activity; an absent
# destination has 0 connections and last seen 0; lastseen is Unix seconds with the microseconds.
field() {
  case $1 in
    capturing) activity | jq -r '.capturing' ;;
    error) activity | jq -r --arg name "$2" '.interfaces[] | select(.name == $name) | .error' ;;
    connections)
      activity | jq -r --arg ip "$2" --argjson port "$3" \
        '[.destinations[] | select(.ip == $ip and .port == $port) | .connections] | first // 0' ;;
    lastseen)
      activity | jq -r --arg ip "$2" --argjson port "$3" \
        '[.destinations[] | select(.ip == $ip and .port == $port) | .lastSeen] | first // null
         | if . == null then "0" else
             (sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601 | tostring) + "." + capture("\\.(?<f>[0-9]+)Z$").f
           end' ;;
  esac
}
capturing() { [[ $(field capturing) == true ]]; }
listening() { grep -q listening "$WORK/listener.log"; }
poll 30 capturing || fail "the tracker is not capturing on $HOST_IF: $(activity)"
poll 30 listening || fail "the listener did not start"

grep -q "CapEff:.*0000000000002000" "/proc/$TRACKER_PID/status" || fail "the tracker has capabilities besides CAP_NET_RAW"
[[ $(awk '/^Uid:/ {print $2}' "/proc/$TRACKER_PID/status") == 65534 ]] || fail "the tracker is not running as nobody"

connect() {  # connect HOST PORT COUNT: prints the wall-clock bounds
  "$PEER" connect "$@"
}
expect_count() {  # expect_count IP PORT N
  local got
  got_count() { got=$(field connections "$1" "$2"); [[ $got == "$3" ]]; }
  poll 30 got_count "$@" || fail "$1:$2: expected $3 connections, /activity has ${got:-none}: $(activity)"
}
expect_seen_within() {  # expect_seen_within IP PORT BEFORE AFTER
  local seen
  seen=$(field lastseen "$1" "$2")
  awk -v b="$3" -v s="$seen" -v a="$4" 'BEGIN { exit !(b - 0.000001 <= s && s <= a + 0.000001) }' ||
    fail "$1:$2: last seen $seen, not within the connects ($3 .. $4)"
}

echo "IPv4: 3 connections to $V4_PEER:2222, 2 to 2223, 1 refused on 2224; 2 to 2300 (not in the filter)"
read -r B1 A1 < <(connect "$V4_PEER" 2222 3)
connect "$V4_PEER" 2223 2 > /dev/null
connect "$V4_PEER" 2300 2 > /dev/null
read -r B2 A2 < <(connect "$V4_PEER" 2224 1)
expect_count "$V4_PEER" 2222 3
expect_count "$V4_PEER" 2223 2
expect_count "$V4_PEER" 2224 1
expect_seen_within "$V4_PEER" 2222 "$B1" "$A1"
expect_seen_within "$V4_PEER" 2224 "$B2" "$A2"

echo "IPv6: 2 connections to [$V6_PEER]:2222"
read -r B3 A3 < <(connect "$V6_PEER" 2222 2)
expect_count "$V6_PEER" 2222 2
expect_seen_within "$V6_PEER" 2222 "$B3" "$A3"

echo "VLAN 7: 2 tagged SYNs to $VLAN_PEER:2223 sent from the namespace, captured on $HOST_IF"
read -r B4 A4 < <(ip netns exec "$NS" "$PEER" vlan-syn "$PEER_IF" \
  "$(cat "/sys/class/net/$HOST_IF/address")" "$V4_PEER" "$VLAN_PEER" 2223 7 2)
expect_count "$VLAN_PEER" 2223 2
expect_seen_within "$VLAN_PEER" 2223 "$B4" "$A4"

echo "a burst of 500 connections to $V4_PEER:2223"
connect "$V4_PEER" 2223 500 > /dev/null
expect_count "$V4_PEER" 2223 502

# Nothing outside the filter was counted, and nothing was dropped.
metrics=$(curl -sf "http://127.0.0.1:$PORT/metrics")
grep -q 'destination_port="2300"' <<< "$metrics" && fail "port 2300 was counted"
[[ $(activity | jq '.destinations | length') == 5 ]] ||
  fail "expected exactly 5 destinations: $(activity)"
grep -q "^sessiongate_tracker_capture_dropped_total{interface=\"$HOST_IF\"} 0$" <<< "$metrics" ||
  fail "the capture dropped packets: $(grep dropped <<< "$metrics")"

echo "since= after the IPv6 connects keeps only later destinations"
[[ $(activity "?since=$A3" | jq -c '[.destinations[] | [.ip, .port]] | sort') == \
   "[[\"$V4_PEER\",2223],[\"$VLAN_PEER\",2223]]" ]] || fail "since=$A3 answered $(activity "?since=$A3")"

echo "the interface goes away: no longer capturing, with the reason"
ip link del "$HOST_IF"
not_capturing() { [[ $(field capturing) == false ]]; }
poll 30 not_capturing || fail "the tracker still says it is capturing after $HOST_IF was deleted"
[[ -n $(field error "$HOST_IF") ]] || fail "no error given for the deleted interface: $(activity)"
expect_count "$V4_PEER" 2222 3

echo "the interface comes back: capturing again, counts kept and growing"
make_link
poll 30 capturing || fail "the tracker did not reopen $HOST_IF: $(activity)"
grep -q "^sessiongate_tracker_capture_opens_total{interface=\"$HOST_IF\"} 2$" <<< "$(curl -sf "http://127.0.0.1:$PORT/metrics")" ||
  fail "expected 2 opens: $(curl -sf "http://127.0.0.1:$PORT/metrics" | grep opens)"
read -r B5 A5 < <(connect "$V4_PEER" 2222 1)
expect_count "$V4_PEER" 2222 4
expect_seen_within "$V4_PEER" 2222 "$B5" "$A5"

echo "PASS: tracker on a veth pair"
