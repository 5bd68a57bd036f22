#!/usr/bin/env bash
# e2e for the connect-to-start broker: `sessiongatectl session open` behind websocketd (Debian's), on a local
# control plane with the webhook (registered by url) and the controller, with alice's client-certificate
# kubeconfig. A WebSocket client (ws_client, built from ws_client.cpp) connecting creates a session for alice (seen with kubectl as
# alice) and gets its JSON lines; disconnecting deletes it; two connections are two sessions; a refused
# request sends the webhook's message and the process exits 1. Run directly too: SIGTERM deletes and waits,
# --keep leaves the session, a restarted API server (dropped watch) is survived.
#   E2E_BUILD_DIR=build tests/e2e/broker/broker.sh      (E2E_KEEP=1 keeps the work dir and its logs)
set -uo pipefail
BROKER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "$BROKER_DIR/../lib.sh"

command -v websocketd >/dev/null || { echo "websocketd is not installed (scripts/deps.sh installs it)" >&2; exit 2; }
CTL=""
WSD_PIDS=()

# eventually SECONDS CMD...: retries CMD every 0.3 s until it succeeds or SECONDS pass (a bounded poll).
eventually() {
  local deadline=$((SECONDS + $1)); shift
  while ((SECONDS < deadline)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.3; done
  "$@" >/dev/null 2>&1
}
check() { local name=$1; shift; if "$@"; then e2e_pass "$name"; else e2e_fail "$name" "command: $*"; fi; }

broker_cleanup() {
  local pid
  for pid in "${WSD_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  if [[ -n $CTL ]]; then kill -TERM "$CTL" 2>/dev/null; wait "$CTL" 2>/dev/null; fi
  e2e_cleanup
}

# websocketd_start PORT ARGS...: websocketd on 127.0.0.1:PORT running sessiongatectl session open ARGS as
# alice; waits until it accepts connections.
websocketd_start() {
  local port=$1; shift
  # --closems: websocketd's default SIGTERMs the process as the client goes and SIGKILLs it about a second
  # later, before a session with a finalizer is gone; give it the deletion's time (cli/README.md).
  websocketd --address 127.0.0.1 --port "$port" --loglevel debug --closems 150000 \
    "$E2E_BUILD_DIR/cli/sessiongatectl" session open --kubeconfig "$CP_DIR/kubeconfig/alice.kubeconfig" "$@" \
    >>"$E2E_DIR/websocketd-$port.log" 2>&1 &
  WSD_PIDS+=($!)
  eventually 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}

declare -A WS_FD WS_PID DIRECT_FD DIRECT_PID
# without_fifos CMD...: runs CMD without this script's ends of the fifos of other clients (an inherited
# write end would keep another client's stdin open after ws_close).
without_fifos() {
  local fd
  for fd in "${WS_FD[@]}" "${DIRECT_FD[@]}"; do eval "exec $fd>&-"; done
  exec "$@"
}

# ws_open NAME PORT: a WebSocket client connected to websocketd; its messages go to $E2E_DIR/NAME.out. The
# client disconnects when its stdin (a fifo held open by this script) is closed by ws_close.
ws_open() {
  local name=$1 port=$2 fifo="$E2E_DIR/$1.in" fd
  mkfifo "$fifo"
  (without_fifos "$E2E_BUILD_DIR/tests/e2e/ws_client" "ws://127.0.0.1:$port/") \
    <"$fifo" >"$E2E_DIR/$name.out" 2>"$E2E_DIR/$name.err" &
  WS_PID[$name]=$!
  exec {fd}>"$fifo"
  WS_FD[$name]=$fd
}
ws_close() {
  local fd=${WS_FD[$1]}
  exec {fd}>&-
  eventually 30 bash -c "! kill -0 ${WS_PID[$1]}"
}
# event_line NAME EVENT: the first JSON line of that event the client NAME received.
event_line() { jq -c --arg e "$2" 'select(.event == $e)' "$E2E_DIR/$1.out" 2>/dev/null | head -1; }
has_event() { [[ -n $(event_line "$1" "$2") ]]; }
created_name() { event_line "$1" created | jq -r .name; }
session_gone() { ! kas alice get usersession "$1" >/dev/null 2>&1; }
session_exists() { kas alice get usersession "$1" >/dev/null 2>&1; }
alice_sessions() { kas alice get usersessions -o json | jq '[.items[] | select(.spec.user == "alice")] | length'; }

if ! e2e_up; then
  e2e_fail "control plane and webhook come up" "see the log lines above"
  e2e_summary
  exit 1
fi
trap broker_cleanup EXIT
CTL_PORT=$(e2e_free_port)
"$E2E_BUILD_DIR/controller/sessiongate-controller" --kubeconfig "$KUBECONFIG_CONTROLLER" \
  --metrics-listen "127.0.0.1:$CTL_PORT" >>"$E2E_DIR/controller.log" 2>&1 &
CTL=$!
check "controller is ready" eventually 30 curl -fsS "http://127.0.0.1:$CTL_PORT/readyz"

# ---------------------------------------------------------------- connect = a session, disconnect = none
WSD_PORT=$(e2e_free_port)
check "websocketd accepts connections" websocketd_start "$WSD_PORT" --profile shell --ttl 2h

ws_open first "$WSD_PORT"
check "first connection gets a created line" eventually 60 has_event first created
FIRST=$(created_name first)
check "created line names alice and the profile" \
  test "$(event_line first created | jq -c '{user, profile}')" = '{"user":"alice","profile":"shell"}'
check "generated name is alice-shell-XXXXX" bash -c "[[ $FIRST =~ ^alice-shell-[a-z0-9]{5}$ ]]"
check "alice sees her session with kubectl" \
  test "$(kas alice get usersession "$FIRST" -o jsonpath='{.spec.user}/{.spec.profile}/{.spec.ttl}')" = "alice/shell/2h"
check "the client gets the controller's status as JSON lines" eventually 60 has_event first status
check "status line carries the session's namespace" eventually 60 \
  bash -c "jq -e --arg ns sess-$FIRST 'select(.event == \"status\" and .namespace == \$ns)' '$E2E_DIR/first.out'"

ws_open second "$WSD_PORT"
check "second connection gets a created line" eventually 60 has_event second created
SECOND=$(created_name second)
check "two connections are two sessions" test -n "$SECOND" -a "$SECOND" != "$FIRST"
check "alice has exactly two sessions" test "$(alice_sessions)" = 2

ws_close first
check "disconnecting deletes the first session" eventually 90 session_gone "$FIRST"
check "its namespace goes with it" eventually 90 bash -c "! kubectl --kubeconfig '$KUBECONFIG_ADMIN' get ns sess-$FIRST"
check "the second session stays" test "$(kas alice get usersession "$SECOND" -o jsonpath='{.metadata.deletionTimestamp}')" = ""
ws_close second
check "disconnecting deletes the second session" eventually 90 session_gone "$SECOND"
check "both processes ended by themselves after stdin closed (no signal from websocketd)" eventually 30 \
  bash -c "test \$(grep -c 'terminated after stdin was closed' '$E2E_DIR/websocketd-$WSD_PORT.log') = 2"

# ---------------------------------------------------------------- a refused request
DENY_PORT=$(e2e_free_port)
check "websocketd for a profile that does not exist" websocketd_start "$DENY_PORT" --profile root-shell
ws_open denied "$DENY_PORT"
check "refused connection gets the webhook's message" eventually 60 has_event denied refused
DENIED='admission webhook "usersessions.validate.sessiongate.io" denied the request: '
message=$(event_line denied refused | jq -r .message)
check "the message is the webhook's denial" \
  test "${message#*$DENIED}" != "$message" -a -n "$(grep -F 'spec.profile: Unsupported value: "root-shell"' <<<"$message")"
check "websocketd closes the refused connection" eventually 30 bash -c "! kill -0 ${WS_PID[denied]}"
ws_close denied
check "no session was created" test "$(alice_sessions)" = 0

out=$("$E2E_BUILD_DIR/cli/sessiongatectl" session open --kubeconfig "$CP_DIR/kubeconfig/alice.kubeconfig" \
  --profile shell --ttl 48h </dev/null 2>"$E2E_DIR/ttl.err")
code=$?
check "a refused session exits 1" test "$code" = 1
check "stderr has the webhook's message" \
  grep -qF 'admission webhook "usersessions.validate.sessiongate.io" denied the request: spec.ttl' "$E2E_DIR/ttl.err"
check "stdout has one refused line" test "$(jq -r .event <<<"$out")" = refused

# ---------------------------------------------------------------- run directly: SIGTERM, --keep, a dropped watch
# open_direct NAME ARGS...: sessiongatectl session open as alice with stdin held open by this script.
open_direct() {
  local name=$1 fifo="$E2E_DIR/$1.in" fd; shift
  mkfifo "$fifo"
  (without_fifos "$E2E_BUILD_DIR/cli/sessiongatectl" session open \
    --kubeconfig "$CP_DIR/kubeconfig/alice.kubeconfig" "$@") \
    <"$fifo" >"$E2E_DIR/$name.out" 2>"$E2E_DIR/$name.err" &
  DIRECT_PID[$name]=$!
  exec {fd}>"$fifo"
  DIRECT_FD[$name]=$fd
}
# wait_direct NAME: waits (bounded) for the process; its exit code is left in DIRECT_CODE.
wait_direct() {
  DIRECT_CODE=timeout
  eventually 120 bash -c "! kill -0 ${DIRECT_PID[$1]}" || return 0
  wait "${DIRECT_PID[$1]}"
  DIRECT_CODE=$?
}

open_direct term --profile shell --name alice-term
check "direct run: created" eventually 60 has_event term created
kill -TERM "${DIRECT_PID[term]}"
wait_direct term
check "SIGTERM: exit 0" test "$DIRECT_CODE" = 0
check "SIGTERM: deleting line says why" test "$(event_line term deleting | jq -r .reason)" = SIGTERM
check "SIGTERM: the last line is deleted" test "$(tail -1 "$E2E_DIR/term.out" | jq -c .)" = '{"event":"deleted","name":"alice-term"}'
check "SIGTERM: the session is gone when the command ends" session_gone alice-term
exec {DIRECT_FD[term]}>&-

open_direct keep --profile shell --name alice-keep --keep
check "--keep: created" eventually 60 has_event keep created
exec {DIRECT_FD[keep]}>&-
wait_direct keep
check "--keep: exit 0 when stdin closes" test "$DIRECT_CODE" = 0
check "--keep: kept line" test "$(tail -1 "$E2E_DIR/keep.out" | jq -c .)" = '{"event":"kept","name":"alice-keep","reason":"stdin closed"}'
check "--keep: the session stays" session_exists alice-keep
# bob naming alice's session: the create is refused (AlreadyExists) and nothing of alice's is deleted.
"$E2E_BUILD_DIR/cli/sessiongatectl" session open --kubeconfig "$CP_DIR/kubeconfig/bob.kubeconfig" \
  --profile shell --name alice-keep </dev/null >"$E2E_DIR/bob-name.out" 2>"$E2E_DIR/bob-name.err"
check "bob naming alice's session: exit 1" test $? = 1
check "bob naming alice's session: AlreadyExists on stderr" grep -q 'AlreadyExists' "$E2E_DIR/bob-name.err"
check "bob naming alice's session: hers is still there" session_exists alice-keep
"$E2E_BUILD_DIR/cli/sessiongatectl" session open --kubeconfig "$CP_DIR/kubeconfig/bob.kubeconfig" \
  --profile shell </dev/null >"$E2E_DIR/bob.out" 2>"$E2E_DIR/bob.err"
bob_own_session() {
  jq -se '.[0].user == "bob" and (.[0].name | startswith("bob-shell-")) and .[-1].event == "deleted"' \
    "$E2E_DIR/bob.out" >/dev/null
}
check "bob's run is a session of bob's (identity from the API server), deleted as stdin is empty" bob_own_session
kas alice delete usersession alice-keep --wait=false >/dev/null

# Before the API server restart below: while it comes back, its authorizer answers Forbidden for a moment.
check "no RBAC denials in the controller log" bash -c "! grep -i forbidden '$E2E_DIR/controller.log'"

open_direct watch --profile shell --name alice-watch
check "dropped watch: created" eventually 60 has_event watch created
pid=$(cat "$CP_DIR/run/kube-apiserver.pid")
mapfile -d '' -t apiserver_args <"/proc/$pid/cmdline"
cp__stop "$CP_DIR" kube-apiserver
cp__start kube-apiserver "$CP_DIR" "${apiserver_args[@]}"
check "API server is back" eventually 90 kadmin get --raw /readyz
check "dropped watch: the command says it resumes" eventually 60 grep -q 'dropped: .*; resuming' "$E2E_DIR/watch.err"
# lastActivity is not the controller's (it would put its own message back): the new value is seen through
# the resumed watch, or through the re-read after a 410 when the restarted server's watch cache starts later.
kadmin patch usersession alice-watch --subresource=status --type=merge \
  -p '{"status":{"lastActivity":"2026-12-03T21:00:00Z"}}' >/dev/null
check "dropped watch: a change after the restart is printed" eventually 60 \
  bash -c "jq -e 'select(.event == \"status\" and .lastActivity == \"2026-12-03T21:00:00Z\")' '$E2E_DIR/watch.out'"
exec {DIRECT_FD[watch]}>&-
wait_direct watch
check "dropped watch: stdin closed, exit 0" test "$DIRECT_CODE" = 0
check "dropped watch: the session is gone" session_gone alice-watch
e2e_summary
