#!/usr/bin/env bash
# tests/command_line/command_lines.sh: what a user sees when a binary is started with a bad command line.
# Every daemon (webhook, controller, tracker) parses its flags with the one table-driven parser of
# core/command_flags, so the same mistake gets the same answer from each: exit status 2, the problem on the
# first line of stderr, where the flags are described on the second, nothing on stdout. --help prints the
# table and exits 0. Each row: binary, expected exit status, expected first stderr line, arguments.
# Nothing is started: every row stops at flag parsing. Env: E2E_BUILD_DIR (default build/).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${E2E_BUILD_DIR:-$ROOT/build}
declare -A BIN=([webhook]="$BUILD/webhook/sessiongate-webhook" [controller]="$BUILD/controller/sessiongate-controller"
  [tracker]="$BUILD/controller/tracker/sessiongate-tracker")
LEVELS="trace, debug, info, warn, error, critical, off"
WEBHOOK_OK=(--tls-cert c --tls-key k --policies p)
TRACKER_OK=(--interfaces lo)
failed=0
passed=0

# row NAME STATUS FIRST_LINE ARGS...: run the binary, compare status, stdout (empty) and the two stderr lines.
row() {
  local name=$1 status=$2 first=$3
  shift 3
  local bin=${BIN[$name]} out err code
  out=$(mktemp) err=$(mktemp)
  "$bin" "$@" >"$out" 2>"$err"
  code=$?
  local want_second="Run sessiongate-$name --help for the flags."
  local got_first got_second
  got_first=$(sed -n 1p "$err") got_second=$(sed -n 2p "$err")
  if [[ $code == "$status" && $got_first == "$first" && $got_second == "$want_second" && ! -s $out &&
        $(wc -l <"$err") == 2 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL sessiongate-$name $*"
    echo "  want: exit $status, stderr: $first / $want_second, empty stdout"
    echo "  got:  exit $code, stderr: $(cat "$err"), stdout: $(head -c 200 "$out")"
  fi
  rm -f "$out" "$err"
}

for name in webhook controller tracker; do
  [[ -x ${BIN[$name]} ]] || { echo "missing ${BIN[$name]} (build target sessiongate-$name)" >&2; exit 1; }
  case $name in
    webhook) ok=("${WEBHOOK_OK[@]}") ;;
    tracker) ok=("${TRACKER_OK[@]}") ;;
    *) ok=() ;;
  esac
  row "$name" 2 "sessiongate-$name: flag --log-level: \"informational\" is not one of $LEVELS" \
    "${ok[@]}" --log-level=informational
  row "$name" 2 "sessiongate-$name: flag --log-level: \"WARNING\" is not one of $LEVELS" \
    "${ok[@]}" --log-level WARNING
  row "$name" 2 "sessiongate-$name: flag --log-format: \"xml\" is not one of text, json" \
    "${ok[@]}" --log-format=xml
  row "$name" 2 "sessiongate-$name: unknown flag --verbose" "${ok[@]}" --verbose
  row "$name" 2 "sessiongate-$name: unknown flag -v" "${ok[@]}" -v
  row "$name" 2 "sessiongate-$name: unexpected argument \"serve\"" "${ok[@]}" serve
  row "$name" 2 "sessiongate-$name: flag --log-level given twice" "${ok[@]}" --log-level info --log-level=debug
  row "$name" 2 "sessiongate-$name: flag --log-level needs a value (LEVEL) but is followed by --log-format; write --log-level=VALUE if the value starts with --" \
    "${ok[@]}" --log-level --log-format json
  row "$name" 2 "sessiongate-$name: flag --log-level needs a value (LEVEL)" "${ok[@]}" --log-level
  row "$name" 2 "sessiongate-$name: flag --log-level needs a value (LEVEL)" "${ok[@]}" --log-level=
  row "$name" 2 "sessiongate-$name: flag --help takes no value" --help=yes

  # --help: the table on stdout, exit 0, nothing on stderr, whatever else is on the line.
  help=$("${BIN[$name]}" --bogus --help 2>/dev/null)
  code=$?
  if [[ $code == 0 && $help == "Usage: sessiongate-$name"* && $help == *"--log-level LEVEL"* &&
        $help == *"(one of $LEVELS) (default info)"* && $help == *"-h, --help"* ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL sessiongate-$name --help: exit $code, got: $(head -3 <<<"$help")"
  fi
done

row webhook 2 "sessiongate-webhook: missing required flag --tls-cert FILE" --tls-key k
row webhook 2 "sessiongate-webhook: flag --policy-name given twice" "${WEBHOOK_OK[@]}" --policy-name a --policy-name b
row webhook 2 "sessiongate-webhook: flag --listen: port \"99999\" is not in 1..65535" "${WEBHOOK_OK[@]}" --listen 0.0.0.0:99999
row webhook 2 "sessiongate-webhook: flag --drain-timeout: expected a duration such as 25s, 1m30s or 500ms, got \"soon\"" \
  "${WEBHOOK_OK[@]}" --drain-timeout soon
row controller 2 "sessiongate-controller: flag --workers: expected a whole number from 1 to 1024, got \"0\"" --workers 0
row controller 2 "sessiongate-controller: flag --leader-elect-namespace given twice" \
  --leader-elect-namespace a --leader-election-namespace b
row controller 2 "sessiongate-controller: flag --leader-elect is a switch: give it alone, or as --leader-elect=true or =false" \
  --leader-elect=yes
row tracker 2 "sessiongate-tracker: missing required flag --interfaces NAME[,NAME...]"
row tracker 2 "sessiongate-tracker: flag --snaplen: expected a whole number from 96 to 65535, got \"20\"" \
  "${TRACKER_OK[@]}" --snaplen 20

echo "command lines: $passed passed, $failed failed"
[[ $failed == 0 ]]
