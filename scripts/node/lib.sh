# shellcheck shell=bash
# The local node's fixed names and addresses, and the journal of host changes that down.sh undoes.
# Sourced by up.sh and down.sh (and by tests, for the addresses); defines variables and functions only.
#
# Every change to the host is written to DIR/node/host/journal *before* it is made, one line each:
#   link NAME                 an interface we create           -> ip link del NAME
#   sysctl KEY VALUE          a sysctl with its value before   -> written back
#   nft-table FAMILY NAME     an nftables table we own         -> nft delete table FAMILY NAME
#   iptables FILE             iptables-save/ip6tables-save before start -> every chain not in FILE, the rules
#                             that jump to them, and tables that were not there, are removed
#   ipsets FILE               `ipset list -n` before start     -> every other set is destroyed
#   path PATH                 a path that did not exist before -> removed (after unmounting what is under it)
#   cgroup NAME               a cgroup folder the node makes in every v1 hierarchy -> processes killed, removed
# Undo runs in reverse order and tolerates a change that was never made, so down.sh works after a crash or a
# half-finished up.sh, and twice.

NODE_NAME=sg-node
NODE_BRIDGE=sg-node0          # port-less bridge that holds the node IP (no dummy interfaces in this kernel)
NODE_IP=10.250.0.2
POD_BRIDGE=sg-cni0            # made by the bridge CNI plugin at the first pod
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16     # the control plane's --service-cluster-ip-range
LB_BRIDGE=sg-lb0              # the LoadBalancer network: MetalLB answers ARP here, test clients attach here
LB_BRIDGE_IP=10.250.1.1/24
LB_POOL=10.250.1.100-10.250.1.119
GUARD_RANGES="10.244.0.0/24, 10.96.0.0/16, 10.250.0.0/16"
GUARD_TABLE=sessiongate_node_guard
# Host paths the node's programs create even when told to keep their state under DIR (kubelet's
# /var/log/containers, libcni's cache, the containerd shims' sockets, kubelet's plugin registry probes).
NODE_HOST_PATHS="/run/containerd /var/lib/cni /var/log/containers /var/log/pods /var/lib/kubelet /etc/cni"
# kubelet sets these (protectKernelDefaults=false), kube-proxy and kube-router some more; we set ip_forward.
NODE_SYSCTLS="net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.netfilter.nf_conntrack_max
  net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_timeout_close_wait"
NODE_POINTER=/run/sessiongate-node.dir   # the DIR of the node that is up, so a later up.sh can clean after a crash
NODE_DAEMONS="kube-router kube-proxy kube-scheduler kubelet containerd"

node__log() { printf '[node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# node__journal DIR LINE...: records host changes before they are made.
node__journal() {
  local dir="$1"; shift
  mkdir -p "$dir/node/host"
  printf '%s\n' "$@" >> "$dir/node/host/journal"
}

# node__start NAME DIR [ENV=VALUE...] -- BIN ARGS...: starts BIN detached in its own session with no fd of
# ours but stdin (/dev/null) and its log (DIR/logs/NAME.log), pid in DIR/run/NAME.pid.
node__start() {
  local name="$1" dir="$2"; shift 2
  local envs=()
  while [[ $# -gt 0 && "$1" != -- ]]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$dir/run" "$dir/logs"
  rm -f "$dir/run/$name.pid"
  # The inner shell closes every fd above 2 before exec, so a caller reading our output through a pipe sees
  # EOF when we exit, not when the daemons do.
  setsid env SESSIONGATE_NODE_DIR="$dir" "${envs[@]}" bash -c '
    pidfile=$1; shift
    for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    echo $$ > "$pidfile"; exec "$@"' bash "$dir/run/$name.pid" "$@" \
    </dev/null >>"$dir/logs/$name.log" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do [[ -s "$dir/run/$name.pid" ]] && return 0; sleep 0.1; done
  node__log "$name did not start"; return 1
}

# node__alive DIR NAME: its pid file names a live process started by node__start for DIR.
node__alive() {
  local pid
  pid=$(cat "$1/run/$2.pid" 2>/dev/null) || return 1
  [[ -n "$pid" && -r "/proc/$pid/environ" ]] || return 1
  tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" | grep -qxF "SESSIONGATE_NODE_DIR=$1"
}

# node__any_alive DIR: some process recorded in DIR/run (the node's or the control plane's) still runs.
node__any_alive() {
  local f pid
  for f in "$1"/run/*.pid; do
    pid=$(cat "$f" 2>/dev/null) || continue
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || continue
    { tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" | grep -qxF "SESSIONGATE_NODE_DIR=$1"; } && return 0
    { tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -qF -- "$1"; } && return 0
  done
  return 1
}

# node__stop DIR NAME [GRACE-SECONDS]: TERM to its process group, KILL after the grace period.
node__stop() {
  local dir="$1" name="$2" grace="${3:-10}" pid i
  pid=$(cat "$dir/run/$name.pid" 2>/dev/null) || return 0
  if node__alive "$dir" "$name"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do node__alive "$dir" "$name" || break; sleep 0.1; done
    if node__alive "$dir" "$name"; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do node__alive "$dir" "$name" || break; sleep 0.1; done
    fi
  fi
  rm -f "$dir/run/$name.pid"
}

# node__uplink: the interface of the default route (empty if there is none).
node__uplink() { ip -4 route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") {print $(i+1); exit}}'; }

# node__mounts_under PATH: mount points at or below PATH, deepest first.
node__mounts_under() {
  awk -v p="$1" '{ m = $5; gsub(/\\040/, " ", m); if (m == p || index(m, p "/") == 1) print length(m) "\t" m }' \
    /proc/self/mountinfo | sort -rn | cut -f2-
}

# node__umount_under PATH: unmounts everything at or below PATH (lazily if busy).
node__umount_under() {
  local m i
  for ((i = 0; i < 5; i++)); do
    local any=0
    while IFS= read -r m; do
      [[ -n "$m" ]] || continue
      any=1
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done < <(node__mounts_under "$1")
    ((any)) || return 0
  done
}

# node__cgroup_kill NAME: kills every process in the cgroup folder NAME of every v1 hierarchy (and the
# unified one), then removes the folders, deepest first.
node__cgroup_kill() {
  local name="$1" d f pid i
  for ((i = 0; i < 20; i++)); do
    local left=0
    for d in /sys/fs/cgroup/*/"$name"; do
      [[ -d "$d" ]] || continue
      while IFS= read -r f; do
        while IFS= read -r pid; do
          [[ -n "$pid" ]] && { kill -KILL "$pid" 2>/dev/null || true; left=1; }
        done < "$f"
      done < <(find "$d" -name cgroup.procs 2>/dev/null)
    done
    ((left)) || break
    sleep 0.2
  done
  for d in /sys/fs/cgroup/*/"$name"; do
    [[ -d "$d" ]] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

# node__iptables_restore_without_new SAVE-BEFORE CMD: removes from the live ruleset of CMD (iptables or
# ip6tables) every chain that SAVE-BEFORE does not have, with the rules that jump to it, and empties tables
# SAVE-BEFORE did not have. Other rules, and chains that were there before, are left as they are.
node__iptables_clean() {
  local before="$1" cmd="$2" now table
  now=$("$cmd-save" 2>/dev/null) || return 0
  [[ -n "$now" ]] || return 0
  local old_chains
  old_chains=$(awk '/^\*/{t=substr($1,2)} /^:/{print t " " substr($1,2)}' "$before" 2>/dev/null | sort -u)
  local cleaned
  cleaned=$(awk -v old="$old_chains" '
    BEGIN { n = split(old, a, "\n"); for (i = 1; i <= n; i++) keep[a[i]] = 1 }
    /^\*/ { t = substr($1, 2); print; next }
    /^:/ { c = substr($1, 2); if ((t " " c) in keep || c ~ /^(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING)$/) print; else gone[t " " c] = 1; next }
    /^-A / {
      if ((t " " $2) in gone) next
      for (i = 3; i <= NF; i++) if (($i == "-j" || $i == "-g") && (t " " $(i+1)) in gone) next
      print; next
    }
    { print }
  ' <<<"$now")
  # Chains are declared before rules in iptables-save output, so `gone` is complete when rules are read.
  "$cmd-restore" <<<"$cleaned" 2>/dev/null || node__log "warning: $cmd-restore of the cleaned ruleset failed"
  # Tables iptables-nft created for us: delete them when they hold nothing but empty base chains.
  if command -v nft >/dev/null; then
    local family=ip; [[ "$cmd" == ip6tables ]] && family=ip6
    for table in filter nat mangle raw security; do
      grep -q "^\*$table\$" "$before" 2>/dev/null && continue
      nft list table "$family" "$table" >/dev/null 2>&1 || continue
      if ! nft list table "$family" "$table" 2>/dev/null | grep -qvE '^\s*(table|chain|type|policy|\}|$)'; then
        nft delete table "$family" "$table" 2>/dev/null || true
      fi
    done
  fi
}

# node__undo DIR: undoes the journal, newest first. Idempotent.
node__undo() {
  local dir="$1" journal="$1/node/host/journal" kind a b
  [[ -f "$journal" ]] || return 0
  while read -r kind a b; do
    case "$kind" in
      link) ip link show "$a" >/dev/null 2>&1 && { ip link del "$a" 2>/dev/null || node__log "warning: could not delete $a"; } ;;
      sysctl) sysctl -qw "$a=$b" >/dev/null 2>&1 || true ;;
      nft-table) nft delete table "$a" "$b" 2>/dev/null || true ;;
      iptables) node__iptables_clean "$a" iptables ;;
      ip6tables) node__iptables_clean "$a" ip6tables ;;
      ipsets)
        local s
        for s in $(ipset list -n 2>/dev/null); do
          grep -qxF "$s" "$a" 2>/dev/null || ipset destroy "$s" 2>/dev/null || true
        done ;;
      path) node__umount_under "$a"; rm -rf --one-file-system "$a" 2>/dev/null || true ;;
      cgroup) node__cgroup_kill "$a" ;;
    esac
  done < <(tac "$journal")
  mv -f "$journal" "$journal.undone.$(date +%s)"
}

# node__kill_marked DIR: kills every process started for DIR that is still there (containerd's shims carry
# the marker in their environment too, and live in sessions of their own).
node__kill_marked() {
  local dir="$1" p i
  for ((i = 0; i < 3; i++)); do
    local found=0
    for p in /proc/[0-9]*; do
      tr '\0' '\n' 2>/dev/null < "$p/environ" | grep -qxF "SESSIONGATE_NODE_DIR=$dir" || continue
      kill -KILL "${p#/proc/}" 2>/dev/null && found=1
    done
    ((found)) || return 0
    sleep 0.3
  done
}
