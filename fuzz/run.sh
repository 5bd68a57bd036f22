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
mkdir -p "$corpus" "$artifacts"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
      -artifact_prefix="$artifacts/")
[[ -n $dict ]] && args+=(-dict="$dict")
echo "$name: ${seconds}s from $(ls "$seeds" | wc -l) seeds and $(ls "$corpus" | wc -l) corpus inputs"
if ! "$fuzzer" "${args[@]}" "$corpus" "$seeds" 2>"$artifacts/log"; then
  tail -n 60 "$artifacts/log"
  echo "$name: FAILED; replay with: $fuzzer $artifacts/crash-* (or the file named above)"
  exit 1
fi
grep -E '^(stat::|Done )' "$artifacts/log" || true
