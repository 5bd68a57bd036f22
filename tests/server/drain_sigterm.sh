#!/usr/bin/env bash
# tests/server/drain_sigterm.sh: SIGTERM under load, measured with Go's net/http client (the API server's).
# Builds tests/server/drainpeer (standard library only) with the local Go toolchain, issues certificates
# with sessiongatectl, and runs 20 rolling restarts of sessiongate-webhook under 16 keep-alive clients.
# Passes with 0 failed requests; prints its figures. Env: E2E_BUILD_DIR (default build/), SIGTERMS, CLIENTS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${E2E_BUILD_DIR:-$ROOT/build}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if ! command -v go >/dev/null; then
  echo "drain_sigterm: go is not installed; it builds the Go client of this test" >&2
  exit 1
fi
(cd "$ROOT/tests/server/drainpeer" && go build -o "$BUILD/tests/server/drainpeer" .)
"$BUILD/cli/sessiongatectl" certs --service sessiongate-webhook --namespace sessiongate-system --out "$WORK/certs" >/dev/null
mkdir -p "$WORK/logs"
if ! "$BUILD/tests/server/drainpeer" -webhook "$BUILD/webhook/sessiongate-webhook" -certs "$WORK/certs" \
  -policies "$ROOT/bench/fixtures/cluster" -review "$ROOT/bench/fixtures/usersession-create.json" \
  -logs "$WORK/logs" -sigterms "${SIGTERMS:-20}" -clients "${CLIENTS:-16}"; then
  echo "--- last webhook logs" >&2
  tail -n 20 "$WORK"/logs/*.log >&2 || true
  exit 1
fi
