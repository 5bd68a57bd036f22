#!/usr/bin/env bash
# down.sh DIR: stops the cluster scripts/node/up.sh DIR started and undoes every host change it journalled.
# Works after a crash (every process killed with -9, then down), after a half-finished up.sh, and twice.
# Leaves DIR's files (logs, PKI) in place; the caller owns DIR.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
[[ -d "$1" ]] || exit 0
DIR="$(cd "$1" && pwd)"
N="$DIR/node"
T0=$SECONDS

# The node's daemons: kubelet first would leave pods running, so containers go with their cgroups below.
stopped=()
for d in $NODE_DAEMONS; do
  if [[ -f "$DIR/run/$d.pid" ]]; then
    node__alive "$DIR" "$d" && stopped+=("$d")
    node__stop "$DIR" "$d" 5
  fi
done
# Containers (their processes are in kubelet's cgroups), then containerd's shims and anything else of ours.
[[ -f "$N/host/journal" ]] && node__cgroup_kill kubepods
node__kill_marked "$DIR"

"$HERE/../controlplane/down.sh" "$DIR"

# Pod network namespaces, overlay rootfs and kubelet's volume mounts, all under DIR.
node__umount_under "$DIR"
node__undo "$DIR"
rm -f "$N/env"
if ((${#stopped[@]})); then node__log "stopped ${stopped[*]}; host restored ($((SECONDS - T0))s)"; fi
exit 0
