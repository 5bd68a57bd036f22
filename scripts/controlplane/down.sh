#!/usr/bin/env bash
# down.sh DIR: stops the control plane started by up.sh DIR (kube-controller-manager, then
# kube-apiserver, then etcd; TERM, then KILL after 10 s). Safe to call twice. Leaves DIR's
# files (logs, PKI) in place; the caller owns DIR.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
[[ -d "$1" ]] || exit 0
DIR="$(cd "$1" && pwd)"
[[ -d "$DIR/run" ]] || exit 0

stopped=()
for n in kube-controller-manager kube-apiserver etcd; do
  if [[ -f "$DIR/run/$n.pid" ]]; then
    cp__alive "$DIR" "$n" && stopped+=("$n")
    cp__stop "$DIR" "$n"
  fi
done
rm -f "$DIR/env"
((${#stopped[@]})) && cp__log "stopped ${stopped[*]} ($DIR)"
exit 0
