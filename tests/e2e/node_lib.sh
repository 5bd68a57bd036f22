# shellcheck shell=bash
# Helpers of the e2e suites on a real node (scripts/node): the host's state to compare before and after, and
# bounded polls. Source after lib.sh; the caller sets E2E_DIR (the node's DIR) before calling host_state.

# shellcheck source=../../scripts/node/lib.sh
source "$E2E_SRC_DIR/scripts/node/lib.sh"
NODE_SCRIPTS="$E2E_SRC_DIR/scripts/node"

# node_lock: one node per machine (fixed bridges and addresses), so a suite on the node holds this lock for
# its whole run and waits, bounded, for another one (a developer's second build tree) to finish. The node's
# daemons never inherit the lock's fd (node__start closes them); it is released when the suite exits.
NODE_LOCK=/run/sessiongate-node.lock
NODE_LOCK_WAIT=${NODE_LOCK_WAIT:-2400}
node_lock() {
  exec {NODE_LOCK_FD}>"$NODE_LOCK"
  flock -n "$NODE_LOCK_FD" && return 0
  e2e_log "another suite holds $NODE_LOCK; waiting up to ${NODE_LOCK_WAIT}s"
  flock -w "$NODE_LOCK_WAIT" "$NODE_LOCK_FD" && return 0
  echo "FAIL another suite on the node still holds $NODE_LOCK after ${NODE_LOCK_WAIT}s" >&2; exit 1
}

# host_state: what the node may change on the host, in a form to compare before and after.
# The veth pairs of the project's other host suites (sgi/sgt/sgb + 4 hex digits + h or p: the inactivity e2e,
# the tracker e2e, the flood bench) are left out with their addresses and routes: they may come and go while
# a node suite runs beside them (two test runs on one machine), and the node never makes such a link.
OTHER_SUITES_LINK='(^| )sg[bit][0-9a-f]{4}[hp]( |$)'
# The network namespaces those suites and the flood bench add with `ip netns add` (sg[bit]-PID-RANDOM), which
# come and go, with /run/netns itself, while a node suite runs beside them on a shared machine.
OTHER_SUITES_NETNS='sg[bit]-[0-9]+-[0-9a-f]+'
host_state() {
  echo "## links"; ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -Ev "$OTHER_SUITES_LINK" | sort
  echo "## addresses"; ip -o addr show | awk '{print $2, $4}' | grep -Ev "$OTHER_SUITES_LINK" | sort
  echo "## routes"; ip route show table all | grep -Ev "$OTHER_SUITES_LINK" | sort
  echo "## iptables"; iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
  echo "## ip6tables"; ip6tables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
  echo "## nft tables"; nft list tables 2>/dev/null
  echo "## ipsets"; ipset list -n 2>/dev/null | sort
  echo "## mounts"; awk '{print $5}' /proc/self/mountinfo | grep -Ev "^/run/netns(/$OTHER_SUITES_NETNS)?$" | sort
  echo "## sysctls"; for k in $NODE_SYSCTLS; do printf '%s=%s\n' "$k" "$(sysctl -n "$k" 2>/dev/null)"; done
  echo "## paths"; for p in $NODE_HOST_PATHS; do [[ -e $p ]] && echo "$p"; done
  # The node never adds a namespace under /run/netns (up.sh keeps pods' under its own dir); one there that is
  # not another suite's is a change it made.
  { ls /run/netns 2>/dev/null | grep -Ev "^$OTHER_SUITES_NETNS$" | sed 's|^|/run/netns/|'; } || true
  echo "## cgroups"; ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null
  echo "## processes"; grep -lsxF "SESSIONGATE_NODE_DIR=$E2E_DIR" /proc/[0-9]*/environ 2>/dev/null | wc -l
}

# host_diff BEFORE AFTER: a unified diff of two host_state files, empty when the host is as it was. Interfaces,
# addresses, routes and mounts count only when they appear: the machine is shared, and another suite's veth
# pair or netns that goes away while this one runs is not a change of the node (down.sh deletes only the
# links it journaled and unmounts only what is under its DIR).
host_diff() {
  diff -u <(awk 'NR == FNR { after[$0] = 1; next }
                 /^## / { section = $0 }
                 section ~ /^## (links|addresses|routes|mounts)$/ && !($0 in after) { next }
                 { print }' "$2" "$1") "$2"
}

# test_image_profile NAME: the head of a SessionPolicy profile (under `profiles:`) whose worker is the offline
# test image serving /etc on 8080, with small resources, quota and TTLs; the caller's heredoc adds the rest.
test_image_profile() {
  cat <<EOF
    - name: $1
      image: $NODE_TEST_IMAGE
      command: [httpd, -f, -p, "8080", -h, /etc]
      resources:
        requests: {cpu: 50m, memory: 32Mi}
        limits: {cpu: 200m, memory: 64Mi}
      quota:
        hard: {requests.cpu: "1", requests.memory: 1Gi, limits.cpu: "2", limits.memory: 2Gi, pods: "4", services: "2"}
      defaultTTL: 1h
      maxTTL: 2h
      maxInactivity: 30m
EOF
}

# poll SECONDS CMD...: runs CMD until it succeeds or SECONDS pass.
poll() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 1; done
}
# fails SECONDS CMD...: runs CMD until it fails or SECONDS pass.
fails() {
  local deadline=$((SECONDS + $1)); shift
  while "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 1; done
}

# cluster_rss_mib: the whole cluster's memory: our daemons and containerd's shims (they carry the node's
# marker), the control plane, and every process in kubelet's pods.
cluster_rss_mib() {
  local rss=0 pid r
  for pid in $(grep -lsxF "SESSIONGATE_NODE_DIR=$E2E_DIR" /proc/[0-9]*/environ | cut -d/ -f3; \
               cat "$E2E_DIR"/run/{etcd,kube-apiserver,kube-controller-manager}.pid 2>/dev/null; \
               find /sys/fs/cgroup/memory/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null); do
    r=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null) && rss=$((rss + ${r:-0}))
  done
  echo $((rss / 1024))
}

# ------------------------------------------------------------------ a client on the LoadBalancer network
# client_ns_up: a network namespace of its own (held by a process, so /run/netns is not touched), on a veth
# whose other end is a port of the LoadBalancer bridge, with CLIENT_IP. client_ns_down undoes it (also from
# a trap). The client runs the host's programs (curl, bash). On an existing cluster (E2E_KUBECONFIG) there is
# no such bridge: client_ns_up does nothing and the client is this host, wherever the LoadBalancer address
# is routed from (for kind: the kind network, reachable from the Docker host).
CLIENT_IF=${CLIENT_IF:-sg-e2e-client}   # the veth's host end, on the LoadBalancer bridge
CLIENT_IP=${CLIENT_IP:-10.250.1.50/24}
CLIENT_PID=
client_ns_up() {
  existing_cluster && return 0
  setsid unshare --net sleep 100000 </dev/null >/dev/null 2>&1 &
  CLIENT_PID=$!
  poll 10 client__own_netns || { echo "the client's process did not get a network namespace" >&2; return 1; }
  ip link add "$CLIENT_IF" type veth peer name eth0 netns "$CLIENT_PID"
  ip link set "$CLIENT_IF" master "$NODE_LB_BRIDGE" up
  nsenter -t "$CLIENT_PID" -n sh -c "ip link set lo up && ip link set eth0 up && ip addr add $CLIENT_IP dev eth0"
}
# client__own_netns: the client's process is in a network namespace other than ours (read at each poll).
client__own_netns() { [[ $(readlink "/proc/$CLIENT_PID/ns/net") != "$(readlink /proc/self/ns/net)" ]]; }
client_ns_down() {
  [[ -n $CLIENT_PID ]] && { kill -KILL "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID" 2>/dev/null; }
  CLIENT_PID=
  existing_cluster || ip link del "$CLIENT_IF" 2>/dev/null || true
}
# client_run CMD...: runs CMD as the client (in its namespace when there is one).
client_run() { if [[ -n $CLIENT_PID ]]; then nsenter -t "$CLIENT_PID" -n "$@"; else "$@"; fi; }
# http_from_client_ns URL [TEXT]: fetches URL as the client and finds TEXT (default hello-from-web).
http_from_client_ns() { client_run curl -fsS --max-time 5 "$1" 2>/dev/null | grep -q "${2:-hello-from-web}"; }
# tcp_from_client_ns IP PORT: a TCP connection from the client is accepted.
tcp_from_client_ns() { client_run timeout 5 bash -c "echo > /dev/tcp/$1/$2" 2>/dev/null; }

# ------------------------------------------------------------------ an existing cluster
# With E2E_KUBECONFIG set, the suites on the node (node_sessiongate_e2e.sh, node_exposure_e2e.sh) run against
# that cluster (kind or a real one) instead of starting the local node: no node lock, no host changes; the
# images must already be loaded, the API server must present the webhook client certificate of
# E2E_APISERVER_CLIENT_CA (manifests/README.md), and for node_exposure_e2e.sh MetalLB must run with a pool
# that holds E2E_LB_IP. Users are impersonated (the admin kubeconfig needs `impersonate`), since the suite
# cannot mint client certificates there.
#   E2E_KUBECONFIG            the cluster's admin kubeconfig
#   E2E_APISERVER_CLIENT_CA   the CA of the API server's webhook client certificate
#   E2E_LB_IP                 (node_exposure_e2e.sh) one address of MetalLB's pool, for the suite's policy alone
#   E2E_TEST_IMAGE            the test image as loaded (default sessiongate.local/testbox:1)
existing_cluster() { [[ -n ${E2E_KUBECONFIG:-} ]]; }
# existing_cluster_env [VAR...]: the variables the local node's env file would give, or a message saying what
# is missing; VARs are the suite's own required variables besides E2E_KUBECONFIG and E2E_APISERVER_CLIENT_CA.
existing_cluster_env() {
  local v missing=()
  for v in E2E_KUBECONFIG E2E_APISERVER_CLIENT_CA "$@"; do [[ -n ${!v:-} ]] || missing+=("$v"); done
  ((${#missing[@]} == 0)) || { echo "set ${missing[*]} (see tests/e2e/node_lib.sh)"; return 1; }
  [[ -r $E2E_KUBECONFIG && -r $E2E_APISERVER_CLIENT_CA ]] \
    || { echo "cannot read $E2E_KUBECONFIG or $E2E_APISERVER_CLIENT_CA"; return 1; }
  export KUBECONFIG_ADMIN=$E2E_KUBECONFIG
  export NODE_TEST_IMAGE=${E2E_TEST_IMAGE:-sessiongate.local/testbox:1}
  kas() { local u=$1; shift; kubectl --kubeconfig "$E2E_KUBECONFIG" --as "$u" --as-group system:authenticated "$@"; }
}

# ------------------------------------------------------------------ sessiongate as a user installs it
# sg_install_files SGCTL DIR [CLIENT_CA]: a copy of manifests/ in DIR/manifests (the generated certificates
# stay out of the source tree), with a serving certificate from `sessiongatectl certs` and the CA of the API
# server's webhook client certificate (the webhook requires it; default: the local control plane's) in the
# local-certs overlay.
sg_install_files() {
  local sgctl=$1 dir=$2 client_ca=${3:-$2/pki/webhook-client/ca.crt}
  cp -r "$E2E_SRC_DIR/manifests" "$dir/manifests"
  "$sgctl" certs --service sessiongate-webhook --namespace sessiongate-system \
    --out "$dir/manifests/overlays/local-certs/certs" >"$dir/certs.log" 2>&1 || { cat "$dir/certs.log"; return 1; }
  cp "$client_ca" "$dir/manifests/overlays/local-certs/certs/apiserver-client-ca.crt"
}

# ------------------------------------------------------------------ a suite's start and end
# node_suite_lock: one node per machine; a suite against an existing cluster needs no lock.
node_suite_lock() { existing_cluster || node_lock; }

# node_suite_up [VAR...]: the cluster a suite runs on, and sessiongate's install files. On an existing cluster
# (E2E_KUBECONFIG; VARs as for existing_cluster_env) it checks the variables and points kadmin and kas at it;
# otherwise it records the host's state (host.before) and starts the local node with sessiongate's image from
# E2E_BUILD_DIR. Then sg_install_files. Sets SGCTL and CLIENT_CA; on failure it prints why and returns 1
# (the caller ends with e2e_summary).
node_suite_up() {
  local out t0=$SECONDS
  SGCTL=$(find "$E2E_BUILD_DIR" -type f -name sessiongatectl -perm -u+x | head -n1)
  [[ -n $SGCTL ]] || { e2e_fail "sessiongatectl in $E2E_BUILD_DIR"; return 1; }
  if existing_cluster; then
    out=$(existing_cluster_env "$@") && existing_cluster_env "$@" \
      || { e2e_fail "an existing cluster given by E2E_KUBECONFIG" "$out"; return 1; }
    CLIENT_CA=$E2E_APISERVER_CLIENT_CA
    e2e_log "existing cluster: $(kadmin config current-context 2>&1) ($E2E_KUBECONFIG)"
  else
    [[ $(id -u) -eq 0 ]] || { e2e_fail "running as root"; return 1; }
    host_state > "$E2E_DIR/host.before"
    if SESSIONGATE_BUILD_DIR="$E2E_BUILD_DIR" "$NODE_SCRIPTS/up.sh" "$E2E_DIR" 2>"$E2E_DIR/up.log"; then
      e2e_pass "node up with sessiongate's image imported ($((SECONDS - t0))s)"
    else
      tail -40 "$E2E_DIR/up.log"; e2e_fail "node up"; return 1
    fi
    source "$E2E_DIR/node/env"
    CLIENT_CA=$E2E_DIR/pki/webhook-client/ca.crt
  fi
  sg_install_files "$SGCTL" "$E2E_DIR" "$CLIENT_CA" >"$E2E_DIR/install-files.log" 2>&1 \
    || { e2e_fail "sessiongatectl certs" "$(cat "$E2E_DIR/install-files.log")"; return 1; }
}

# node_suite_down: on the local node, down.sh and the check that the host is as it was; nothing on an
# existing cluster (the suite's cleanup deletes what it made there).
node_suite_down() {
  existing_cluster && return 0
  "$NODE_SCRIPTS/down.sh" "$E2E_DIR" 2>>"$E2E_DIR/down.log"
  host_state > "$E2E_DIR/host.after"
  if host_diff "$E2E_DIR/host.before" "$E2E_DIR/host.after" > "$E2E_DIR/host.diff"; then
    e2e_pass "down.sh leaves the host as it was"
  else
    e2e_fail "down.sh leaves the host as it was" "$(head -40 "$E2E_DIR/host.diff")"
  fi
}

# node_suite_cleanup CLEANUP...: the suite's EXIT trap: on an existing cluster CLEANUP (the suite's function
# deleting what it made there, sessions first: their finalizer needs the controller), else down.sh (it
# always works, also after a crash); then the work dir goes unless E2E_KEEP=1.
node_suite_cleanup() {
  if existing_cluster; then
    [[ -n ${KUBECONFIG_ADMIN:-} ]] && "$@"
  else
    "$NODE_SCRIPTS/down.sh" "$E2E_DIR" || true
  fi
  if [[ ${E2E_KEEP:-0} != 1 ]]; then rm -rf "$E2E_DIR"; else e2e_log "kept $E2E_DIR"; fi
}

# ------------------------------------------------------------------ a session as kubectl shows it
# expect NAME CMD...: PASS NAME when CMD succeeds, FAIL NAME otherwise.
expect() { local name=$1; shift; if "$@"; then e2e_pass "$name"; else e2e_fail "$name"; fi; }
us_phase_is() { [[ $(kadmin get usersession "$1" -o jsonpath='{.status.phase}' 2>/dev/null) == "$2" ]]; }
# us_condition_is NAME TYPE STATUS [REASON]: the session's condition TYPE has that status (and reason).
us_condition_is() {
  local got
  got=$(kadmin get usersession "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].status}/{.status.conditions[?(@.type==\"$2\")].reason}" 2>/dev/null)
  [[ $got == "$3/${4:-${got#*/}}" ]]
}
# us_event NAME REASON: the type and message of the session's (cluster-scoped: in default) Event with that reason.
us_event() {
  kadmin get events -n default --field-selector "involvedObject.name=$1,reason=$2" \
    -o jsonpath='{.items[0].type} {.items[0].message}' 2>/dev/null
}
us_event_seen() { [[ -n $(us_event "$1" "$2") ]]; }
us_gone() { ! kadmin get usersession "$1" >/dev/null 2>&1; }
