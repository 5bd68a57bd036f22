#!/usr/bin/env bash
# Build the pinned Kubernetes control plane (kube-apiserver, kube-controller-manager, etcd)
# from the Go module proxy into a cache outside the repo. Reused when already built.
#
#   SESSIONGATE_CACHE  cache root (default: $HOME/.cache/sessiongate)
#   CP_BUILD_FORCE=1   rebuild even if the stamp exists
#
# Prints the bin directory on stdout as its last line.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# K8S_VERSION, PINNED_SUMS, k8s_module_env, k8s_module_write, k8s_ldflags
# shellcheck source=k8s-module.sh
source "$HERE/k8s-module.sh"
ETCD_VERSION=v3.5.16

CACHE_ROOT="${SESSIONGATE_CACHE:-$HOME/.cache/sessiongate}"
ROOT="$CACHE_ROOT/k8s-$K8S_VERSION"
BIN="$ROOT/bin"
STAMP="$BIN/.complete"
STAMP_CONTENT="k8s=$K8S_VERSION etcd=$ETCD_VERSION"

log() { printf '[cp-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ "${CP_BUILD_FORCE:-0}" != 1 && -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_CONTENT" ]] \
   && [[ -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" && -x "$BIN/etcd" ]]; then
  log "cached: $BIN ($STAMP_CONTENT)"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { log "go not found on PATH"; exit 1; }
mkdir -p "$ROOT"
# One build at a time per cache dir.
exec 9>"$ROOT/.build.lock"
if ! flock -n 9; then
  log "another build holds $ROOT/.build.lock, waiting..."
  flock 9
  if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_CONTENT" ]]; then echo "$BIN"; exit 0; fi
fi

rm -f "$STAMP"
mkdir -p "$BIN"
k8s_module_env
START=$(date +%s)
log "go: $(go version); GOMODCACHE=$(go env GOMODCACHE); cache: $ROOT"

# ---------------------------------------------------------------- kubernetes
K8S_MOD="$ROOT/k8s-wrapper"
mkdir -p "$K8S_MOD"
log "fetching k8s.io/kubernetes@$K8S_VERSION"
k8s_module_write "$K8S_MOD" sessiongate.local/k8s-wrapper
cat > "$K8S_MOD/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
GO
log "resolving kubernetes module graph (go mod tidy)"
(cd "$K8S_MOD" && go mod tidy)

LDF=$(k8s_ldflags)
for cmd in kube-apiserver kube-controller-manager; do
  log "building $cmd (this takes a while on few cores)"
  t0=$(date +%s)
  (cd "$K8S_MOD" && CGO_ENABLED=0 go build -trimpath -ldflags "$LDF" -o "$BIN/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
  mv -f "$BIN/$cmd.tmp" "$BIN/$cmd"
  log "built $cmd in $(( $(date +%s) - t0 ))s"
done

# ---------------------------------------------------------------- etcd
ETCD_MOD="$ROOT/etcd-wrapper"
mkdir -p "$ETCD_MOD"
cat > "$ETCD_MOD/go.mod" <<GOMOD
module sessiongate.local/etcd-wrapper

go 1.23.0

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GOMOD
cat > "$ETCD_MOD/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
log "resolving etcd module graph (go mod tidy)"
(cd "$ETCD_MOD" && go mod tidy)
log "building etcd"
t0=$(date +%s)
(cd "$ETCD_MOD" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3)
mv -f "$BIN/etcd.tmp" "$BIN/etcd"
log "built etcd in $(( $(date +%s) - t0 ))s"

"$BIN/kube-apiserver" --version >&2
"$BIN/etcd" --version | sed -n 1p >&2  # sed reads to the end: head would leave etcd a closed pipe (SIGPIPE, exit 141 under pipefail)
echo "$STAMP_CONTENT" > "$STAMP"
log "done in $(( $(date +%s) - START ))s -> $BIN"
echo "$BIN"
