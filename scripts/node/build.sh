#!/usr/bin/env bash
# build.sh [PART...]: build the node's Go components from pinned sources into the cache outside the repo,
# reused when present (a stamp per part, written only after all of that part's binaries are built).
#
#   k8s          kubelet, kube-scheduler, kube-proxy (the control plane's release, wrapper and pinned sums)
#   kube-router  kube-router, the NetworkPolicy agent
#   metallb      metallb-controller, metallb-speaker (LoadBalancer addresses, L2 mode)
#
# Default: all three. Then it links every binary into one directory and prints it as the last line.
#
#   SESSIONGATE_CACHE   cache root (default: $HOME/.cache/sessiongate)
#   NODE_BUILD_FORCE=1  rebuild even if a stamp exists
#   GOFLAGS             passed on (e.g. -p=1 beside other builds); builds run under nice
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../controlplane/k8s-module.sh
source "$HERE/../controlplane/k8s-module.sh"
KUBE_ROUTER_MODULE=github.com/cloudnativelabs/kube-router/v2
KUBE_ROUTER_VERSION=v2.1.0
METALLB_MODULE=go.universe.tf/metallb
METALLB_VERSION=v0.15.2

CACHE_ROOT="${SESSIONGATE_CACHE:-$HOME/.cache/sessiongate}"
OUT="$CACHE_ROOT/node-$K8S_VERSION/bin"

log() { printf '[node-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# stamped ROOT CONTENT BIN...: true when ROOT/bin/.complete says CONTENT and every binary is there.
stamped() {
  local root="$1" content="$2" b; shift 2
  [[ "${NODE_BUILD_FORCE:-0}" != 1 && -f "$root/bin/.complete" && "$(cat "$root/bin/.complete")" == "$content" ]] \
    || return 1
  for b in "$@"; do [[ -x "$root/bin/$b" ]] || return 1; done
}

# locked ROOT: takes ROOT/.build.lock on fd 9 (waits for another build of the same dir).
locked() {
  mkdir -p "$1"
  exec 9>"$1/.build.lock"
  if ! flock -n 9; then
    log "another build holds $1/.build.lock, waiting..."
    flock 9
  fi
}

# gobuild MODDIR LDFLAGS PKG OUTFILE
gobuild() {
  local t0=$SECONDS
  log "building $(basename "$4") from $3"
  (cd "$1" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "$2" -o "$4.tmp" "$3")
  mv -f "$4.tmp" "$4"
  log "built $(basename "$4") in $((SECONDS - t0))s"
}

# tools_go DIR PKG...: a tools.go that imports the main packages, so go mod tidy keeps their dependencies.
tools_go() {
  local dir="$1" p; shift
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for p in "$@"; do printf '\t_ "%s"\n' "$p"; done
    printf ')\n'
  } > "$dir/tools.go"
}

build_k8s() {
  # The control plane's cache dir and lock: its Go packages are mostly compiled already, and the two
  # builds never run at the same time. The node has its own wrapper module beside k8s-wrapper.
  local root="$CACHE_ROOT/k8s-$K8S_VERSION" content="node-k8s=$K8S_VERSION" cmds=(kubelet kube-scheduler kube-proxy)
  local nroot="$CACHE_ROOT/node-k8s-$K8S_VERSION" cmd
  stamped "$nroot" "$content" "${cmds[@]}" && { log "cached: kubelet, kube-scheduler, kube-proxy"; return 0; }
  locked "$root"
  stamped "$nroot" "$content" "${cmds[@]}" && return 0
  rm -f "$nroot/bin/.complete"; mkdir -p "$nroot/bin"
  (
    k8s_module_env
    local mod="$root/node-wrapper"
    log "fetching k8s.io/kubernetes@$K8S_VERSION"
    k8s_module_write "$mod" sessiongate.local/k8s-node-wrapper
    tools_go "$mod" k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy
    (cd "$mod" && go mod tidy)
    local ldf; ldf=$(k8s_ldflags)
    for cmd in "${cmds[@]}"; do gobuild "$mod" "$ldf" "k8s.io/kubernetes/cmd/$cmd" "$nroot/bin/$cmd"; done
  )
  echo "$content" > "$nroot/bin/.complete"
  exec 9>&-
}

# build_module ROOT MODULE VERSION PKG:NAME...: a wrapper module requiring MODULE@VERSION, with full sumdb
# verification, building each PKG into ROOT/bin/NAME.
build_module() {
  local root="$1" module="$2" version="$3" spec names=() pkgs=(); shift 3
  for spec in "$@"; do pkgs+=("${spec%%:*}"); names+=("${spec##*:}"); done
  local content="$module=$version"
  stamped "$root" "$content" "${names[@]}" && { log "cached: ${names[*]}"; return 0; }
  locked "$root"
  stamped "$root" "$content" "${names[@]}" && return 0
  rm -f "$root/bin/.complete"; mkdir -p "$root/bin" "$root/wrapper"
  (
    export GOFLAGS="-mod=mod ${GOFLAGS:-}" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
    local mod="$root/wrapper" i
    printf 'module sessiongate.local/%s-wrapper\n\ngo 1.24.0\n\nrequire %s %s\n' \
      "$(basename "$root")" "$module" "$version" > "$mod/go.mod"
    rm -f "$mod/go.sum"
    tools_go "$mod" "${pkgs[@]}"
    log "resolving $module@$version (go mod tidy)"
    (cd "$mod" && go mod tidy)
    for i in "${!pkgs[@]}"; do gobuild "$mod" "-s -w" "${pkgs[$i]}" "$root/bin/${names[$i]}"; done
  )
  echo "$content" > "$root/bin/.complete"
  exec 9>&-
}

command -v go >/dev/null || { log "go not found on PATH"; exit 1; }
PARTS=("$@")
((${#PARTS[@]})) || PARTS=(k8s kube-router metallb)
START=$SECONDS
for part in "${PARTS[@]}"; do
  case "$part" in
    k8s) build_k8s ;;
    kube-router)
      build_module "$CACHE_ROOT/kube-router-$KUBE_ROUTER_VERSION" "$KUBE_ROUTER_MODULE" "$KUBE_ROUTER_VERSION" \
        "$KUBE_ROUTER_MODULE/cmd/kube-router:kube-router" ;;
    metallb)
      build_module "$CACHE_ROOT/metallb-$METALLB_VERSION" "$METALLB_MODULE" "$METALLB_VERSION" \
        "$METALLB_MODULE/controller:metallb-controller" "$METALLB_MODULE/speaker:metallb-speaker" ;;
    *) log "unknown part: $part (k8s, kube-router, metallb)"; exit 2 ;;
  esac
done

# One directory for the node scripts: links to every part's binaries (those built so far).
mkdir -p "$OUT"
for f in "$CACHE_ROOT/node-k8s-$K8S_VERSION/bin/"* "$CACHE_ROOT/kube-router-$KUBE_ROUTER_VERSION/bin/"* \
         "$CACHE_ROOT/metallb-$METALLB_VERSION/bin/"*; do
  [[ -x "$f" && "$f" != *.tmp ]] && ln -sfn "$f" "$OUT/$(basename "$f")"
done
# MetalLB's own install manifest (CRDs, RBAC), from the module that was built.
mlb="$CACHE_ROOT/metallb-$METALLB_VERSION/bin"
if [[ -f "$mlb/.complete" && ! -f "$mlb/metallb-native.yaml" ]]; then
  mdir=$(cd "$CACHE_ROOT/metallb-$METALLB_VERSION/wrapper" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "$METALLB_MODULE")
  cp "$mdir/config/manifests/metallb-native.yaml" "$mlb/metallb-native.yaml"
fi
[[ -f "$mlb/metallb-native.yaml" ]] && ln -sfn "$mlb/metallb-native.yaml" "$OUT/metallb-native.yaml"
((SECONDS - START > 1)) && log "done in $((SECONDS - START))s -> $OUT"
echo "$OUT"
