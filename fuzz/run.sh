#!/usr/bin/env bash
# run.sh FUZZER SEEDS [DICT]: runs one libFuzzer target for FUZZ_SECONDS (default 60) from its seed corpus,
# growing a corpus kept beside it (corpus/<name>), and prints libFuzzer's final figures. A crash, leak,
# timeout or broken property fails the test; the input is saved as artifacts/<name>/crash-* and the command
# to replay it is printed.
set -euo pipefail
fuzzer=$1 seeds=$2 dict=${3:-}
seconds=${FUZZ_SECONDS:-60}
name=$(basename "$fuzzer")
base=$(dirname "$seeds")/..
corpus=$base/corpus/$name artifacts=$base/artifacts/$name
# The smoke starts from the seeds alone every time (its corpus is emptied), as on a fresh clone.
[[ -n ${FUZZ_RUNS:-} ]] && { corpus=$base/corpus-smoke/$name; rm -rf "$corpus"; }
mkdir -p "$corpus" "$artifacts"
# A fixed seed makes the inputs tried a fixed sequence from the same corpus; FUZZ_RUNS (make test's smoke) caps
# it, so a run on an idle CI machine tries no input that a run here has not tried. The per-input timeout is
# generous: a loaded machine is not a hang (a real one, like yaml-cpp's loop, also trips the RSS limit).
args=(-seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=65536
      -print_final_stats=1 -artifact_prefix="$artifacts/")
[[ -n ${FUZZ_RUNS:-} ]] && args+=(-runs="$FUZZ_RUNS")
[[ -n $dict ]] && args+=(-dict="$dict")
echo "$name: ${seconds}s${FUZZ_RUNS:+ or $FUZZ_RUNS runs} (seed ${FUZZ_SEED:-1}) from $(ls "$seeds" | wc -l) seeds and $(ls "$corpus" | wc -l) corpus inputs"
if ! "$fuzzer" "${args[@]}" "$corpus" "$seeds" 2>"$artifacts/log"; then
  tail -n 60 "$artifacts/log"
  echo "$name: FAILED; replay with: $fuzzer $artifacts/crash-* (or the file named above)"
  exit 1
fi
grep -E '^(stat::|Done )' "$artifacts/log" || true
