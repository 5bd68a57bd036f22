#!/usr/bin/env bash
# up.sh DIR [--sessiongate-ns] [--no-metallb]: a local cluster with one real node, all state under DIR.
#
# The control plane (scripts/controlplane/up.sh DIR --node-ip) listens on the node IP; the node runs
# containerd and runc from Debian with the bridge CNI plugin, kubelet, kube-scheduler and kube-proxy (iptables
# mode) of the same pinned release and kube-router as the NetworkPolicy agent, all on the host; MetalLB (L2)
# for LoadBalancer Services runs in pods from upstream's manifest. Images come from scripts/images/build.sh, imported offline.
#
# Host changes (interfaces, sysctls, iptables, ipsets, an nftables guard table, a few host paths, cgroups) are
# journalled in DIR/node/host/journal before they are made; scripts/node/down.sh DIR undoes them, also after a
# crash. Only one node can be up per machine (fixed names and addresses, see lib.sh).
#
#   --sessiongate-ns        passed to the control plane (namespace and service accounts for sessiongate)
#   --no-metallb            no LoadBalancer implementation (Services of that type keep no address)
#   SESSIONGATE_BUILD_DIR   also build and import sessiongate's image from the binaries in that build dir
#   NODE_READY_TIMEOUT      seconds to wait for each stage (default 180)
#
# Writes DIR/node/env (sources DIR/env, adds NODE_* variables and CONTAINERD_ADDRESS).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=../controlplane/lib.sh
source "$HERE/../controlplane/lib.sh"

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 && "$1" != -* ]] || usage
DIR_ARG="$1"; shift
CP_FLAGS=(); WITH_METALLB=1
for a in "$@"; do
  case "$a" in
    --sessiongate-ns) CP_FLAGS+=("$a") ;;
    --no-metallb) WITH_METALLB=0 ;;
    *) usage ;;
  esac
done
mkdir -p "$DIR_ARG"
DIR="$(cd "$DIR_ARG" && pwd)"
N="$DIR/node"
TIMEOUT="${NODE_READY_TIMEOUT:-180}"
T_START=$SECONDS

[[ $(id -u) -eq 0 ]] || { node__log "must run as root (it creates interfaces and runs kubelet)"; exit 1; }
for tool in containerd containerd-shim-runc-v2 runc ctr ip iptables iptables-save ip6tables-save ipset nft \
            conntrack kubectl openssl setsid gcc; do
  command -v "$tool" >/dev/null || { node__log "missing tool: $tool (run scripts/deps.sh)"; exit 1; }
done
[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] \
  || { node__log "missing CNI plugins in /usr/lib/cni (run scripts/deps.sh)"; exit 1; }
# One node per machine. A node left behind by a crash (none of its processes left) is torn down first; one
# that runs, or is starting, is not.
OTHER=$(cat "$NODE_POINTER" 2>/dev/null || true)
if [[ -n "$OTHER" && "$OTHER" != "$DIR" && -d "$OTHER" ]] && ! node__any_alive "$OTHER"; then
  node__log "tearing down the node $OTHER left behind"
  "$HERE/down.sh" "$OTHER" || true
fi
if ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
  node__log "$NODE_BRIDGE exists: a node is up (${OTHER:-DIR unknown}); run scripts/node/down.sh on its DIR"; exit 1
fi
if [[ -s "$N/host/journal" ]]; then
  node__log "$N/host/journal has changes not undone: run scripts/node/down.sh $DIR first"; exit 1
fi

PARTS=(k8s kube-router); NEEDED=(kubelet kube-scheduler kube-proxy kube-router)
((WITH_METALLB)) && { PARTS+=(metallb); NEEDED+=(metallb-controller metallb-speaker metallb-native.yaml); }
BIN=$("$HERE/build.sh" "${PARTS[@]}" | tail -n1)
for b in "${NEEDED[@]}"; do
  [[ -e "$BIN/$b" ]] || { node__log "missing $BIN/$b"; exit 1; }
done
METALLB_BIN_DIR=$( ((WITH_METALLB)) && echo "$BIN" || true) \
  "$HERE/../images/build.sh" "$N/images" ${SESSIONGATE_BUILD_DIR:+"$SESSIONGATE_BUILD_DIR"} >/dev/null

STARTED=0
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && $STARTED -eq 1 ]]; then
    node__log "startup failed (rc=$rc); logs in $DIR/logs; tearing down"
    local f
    for f in "$DIR"/logs/*.log; do [[ -f "$f" ]] && { echo "----- tail of $f" >&2; tail -n 15 "$f" >&2; }; done
    "$HERE/down.sh" "$DIR" || true
  fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ host: journal first, then change
STARTED=1
mkdir -p "$N/host"
for p in $NODE_HOST_PATHS; do [[ -e "$p" ]] || node__journal "$DIR" "path $p"; done
node__journal "$DIR" "path $NODE_POINTER"
echo "$DIR" > "$NODE_POINTER"
for k in $NODE_SYSCTLS; do
  v=$(sysctl -n "$k" 2>/dev/null) && node__journal "$DIR" "sysctl $k $v"
done
ipset list -n > "$N/host/ipsets.before" 2>/dev/null || true
iptables-save > "$N/host/iptables.before" 2>/dev/null || true
ip6tables-save > "$N/host/ip6tables.before" 2>/dev/null || true
# Undone in reverse: iptables rules go before the ipsets they name, cgroups before nothing else needs them.
node__journal "$DIR" "ipsets $N/host/ipsets.before" "iptables $N/host/iptables.before" \
  "ip6tables $N/host/ip6tables.before" "cgroup kubepods"

# The guard: nothing from the pod, service or LoadBalancer ranges leaves by the default route, whatever the
# other tables accept (a drop in any base chain is final).
UPLINK=$(node__uplink)
if [[ -n "$UPLINK" ]]; then
  node__journal "$DIR" "nft-table inet $GUARD_TABLE"
  nft -f - <<EOF
table inet $GUARD_TABLE {
  chain postrouting {
    type filter hook postrouting priority -300; policy accept;
    oifname "$UPLINK" ip saddr { $GUARD_RANGES } counter drop
    oifname "$UPLINK" ip daddr { $GUARD_RANGES } counter drop
  }
}
EOF
fi

node__journal "$DIR" "link $NODE_BRIDGE" "link $LB_BRIDGE" "link $POD_BRIDGE"
ip link add "$NODE_BRIDGE" type bridge
ip addr add "$NODE_IP/32" dev "$NODE_BRIDGE"
ip link set "$NODE_BRIDGE" up
ip link add "$LB_BRIDGE" type bridge
ip addr add "$LB_BRIDGE_IP" dev "$LB_BRIDGE"
ip link set "$LB_BRIDGE" up
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.bridge.bridge-nf-call-iptables=1   # pod-to-pod on one bridge passes iptables (policies, services)

# ------------------------------------------------------------------ control plane on the node IP
"$HERE/../controlplane/up.sh" "$DIR" --node-ip "$NODE_IP" "${CP_FLAGS[@]}"
# shellcheck disable=SC1091
source "$DIR/env"
K=(kubectl --kubeconfig "$KUBECONFIG_ADMIN" --request-timeout=20s)

PKI="$DIR/pki"
if [[ ! -f "$PKI/.node-complete" ]]; then
  cp_make_user "$DIR" "system:node:$NODE_NAME" system:nodes
  cp_issue_serving_cert "$DIR" kubelet-serving "IP:$NODE_IP" "DNS:$NODE_NAME"
  cp_make_user "$DIR" system:kube-proxy
  cp_make_user "$DIR" system:kube-scheduler
  SAG=(system:serviceaccounts)
  cp_make_user "$DIR" system:serviceaccount:kube-system:kube-router "${SAG[@]}" system:serviceaccounts:kube-system
  touch "$PKI/.node-complete"
fi
KC="$DIR/kubeconfig"
# MetalLB's objects go in now, so its pods are scheduled as soon as the node is Ready.
((WITH_METALLB)) && "${K[@]}" apply --server-side -f "$BIN/metallb-native.yaml" >/dev/null

# ------------------------------------------------------------------ containerd
CTRD="$N/containerd"
CONTAINERD_ADDRESS="$CTRD/containerd.sock"
mkdir -p "$CTRD" "$N/cni/net.d" "$N/cni/ipam" "$N/runc" "$N/pod-logs" "$N/kubelet"
cat > "$CTRD/config.toml" <<EOF
version = 2
root = "$CTRD/root"
state = "$CTRD/state"
plugin_dir = ""
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
oom_score = 0

[grpc]
  address = "$CONTAINERD_ADDRESS"
[ttrpc]
  address = "$CTRD/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$CTRD/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "sessiongate.local/pause:1"
  # root here lacks CAP_SYS_RESOURCE: kubelet's oom_score_adj of -998 would make runc fail every sandbox.
  restrict_oom_score_adj = true
  # Pod network namespaces under the state dir, not /run/netns, where the first \`ip netns add\` would hide them.
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$N/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$N/runc"
        SystemdCgroup = false
EOF
cat > "$N/cni/net.d/10-sessiongate.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "sessiongate",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$POD_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$N/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
EOF
node__log "starting containerd"
node__start containerd "$DIR" -- containerd --config "$CTRD/config.toml"
deadline=$((SECONDS + TIMEOUT))
until ctr --address "$CONTAINERD_ADDRESS" version >/dev/null 2>&1; do
  node__alive "$DIR" containerd || { node__log "containerd exited"; exit 1; }
  ((SECONDS < deadline)) || { node__log "containerd not ready after ${TIMEOUT}s"; exit 1; }
  sleep 0.2
done
for img in "$N"/images/*.tar; do
  ctr --address "$CONTAINERD_ADDRESS" -n k8s.io images import "$img" >/dev/null
done
node__log "containerd up, images: $(ctr --address "$CONTAINERD_ADDRESS" -n k8s.io images ls -q | grep -v '^sha256' | tr '\n' ' ')"

# ------------------------------------------------------------------ kubelet, scheduler, proxy
cp__free_port KUBELET_PORT; cp__free_port KUBELET_HEALTHZ_PORT
cp__free_port PROXY_HEALTHZ_PORT; cp__free_port PROXY_METRICS_PORT
cat > "$N/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization:
  mode: Webhook
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
containerRuntimeEndpoint: unix://$CONTAINERD_ADDRESS
cgroupDriver: cgroupfs
failSwapOn: false
makeIPTablesUtilChains: false
clusterDomain: cluster.local
clusterDNS: [10.96.0.10]
resolvConf: ""
podLogsDir: $N/pod-logs
maxPods: 110   # kubelet default; the /24 pod range holds it, and make bench runs 50 sessions beside system pods
serializeImagePulls: false
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
EOF
node__log "starting kubelet, kube-scheduler, kube-proxy"
node__start kubelet "$DIR" -- "$BIN/kubelet" --config="$N/kubelet/config.yaml" \
  --kubeconfig="$KC/system-node-$NODE_NAME.kubeconfig" --root-dir="$N/kubelet" \
  --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1
node__start kube-scheduler "$DIR" -- "$BIN/kube-scheduler" \
  --kubeconfig="$KC/system-kube-scheduler.kubeconfig" --secure-port=0 --leader-elect=false --v=1
cat > "$N/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $KC/system-kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:$PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$PROXY_METRICS_PORT
nodePortAddresses: [$NODE_IP/32]
iptables: {localhostNodePorts: false, masqueradeAll: false}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
node__start kube-proxy "$DIR" -- "$BIN/kube-proxy" --config="$N/kube-proxy.yaml" --v=1

deadline=$((SECONDS + TIMEOUT))
until [[ "$("${K[@]}" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]; do
  for d in containerd kubelet kube-scheduler kube-proxy; do
    node__alive "$DIR" "$d" || { node__log "$d exited"; exit 1; }
  done
  ((SECONDS < deadline)) || { node__log "node $NODE_NAME not Ready after ${TIMEOUT}s"; exit 1; }
  sleep 0.5
done
# kube-controller-manager's nodelifecycle lifts the not-ready taint once it sees the node Ready.
until [[ -z "$("${K[@]}" get node "$NODE_NAME" -o jsonpath='{.spec.taints[?(@.key=="node.kubernetes.io/not-ready")].key}' 2>/dev/null)" ]]; do
  ((SECONDS < deadline)) || { node__log "the not-ready taint was not lifted after ${TIMEOUT}s"; exit 1; }
  sleep 0.5
done
node__log "node $NODE_NAME Ready ($((SECONDS - T_START))s)"

# ------------------------------------------------------------------ kube-router (NetworkPolicy)
"${K[@]}" apply -f "$HERE/manifests/kube-router.yaml" >/dev/null
node__start kube-router "$DIR" -- "$BIN/kube-router" \
  --kubeconfig="$KC/system-serviceaccount-kube-system-kube-router.kubeconfig" \
  --hostname-override="$NODE_NAME" --run-firewall=true --run-router=false --run-service-proxy=false \
  --enable-cni=false --enable-ipv4=true --enable-ipv6=false --health-port=0 --metrics-port=0 \
  --service-cluster-ip-range="$SERVICE_CIDR" --v=1

# ------------------------------------------------------------------ MetalLB (L2)
# Upstream's install manifest as it is (controller Deployment, speaker DaemonSet, webhooks, CRDs, RBAC), with
# the images scripts/images/build.sh made from the binaries built here under upstream's names.
if ((WITH_METALLB)); then
  "${K[@]}" -n metallb-system rollout status deployment/controller --timeout="${TIMEOUT}s" >/dev/null
  "${K[@]}" -n metallb-system rollout status daemonset/speaker --timeout="${TIMEOUT}s" >/dev/null
  # The pool goes through MetalLB's validating webhook, which answers once the controller has its certificate.
  deadline=$((SECONDS + TIMEOUT))
  until "${K[@]}" apply -f - >/dev/null 2>"$N/metallb-pool.err" <<EOF
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: local, namespace: metallb-system}
spec:
  addresses: [$LB_POOL]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: local, namespace: metallb-system}
spec:
  ipAddressPools: [local]
  interfaces: [$LB_BRIDGE]
EOF
  do
    ((SECONDS < deadline)) || { node__log "MetalLB pool not accepted: $(cat "$N/metallb-pool.err")"; exit 1; }
    sleep 1
  done
  node__log "MetalLB running, pool $LB_POOL on $LB_BRIDGE"
fi

sleep 1
for d in $NODE_DAEMONS; do
  [[ -f "$DIR/run/$d.pid" ]] || continue
  node__alive "$DIR" "$d" || { node__log "$d exited"; exit 1; }
done

cat > "$N/env.tmp" <<EOF
# generated by scripts/node/up.sh; source it (it sources the control plane's env too)
source '$DIR/env'
export NODE_DIR='$N'
export NODE_NAME='$NODE_NAME'
export NODE_IP='$NODE_IP'
export NODE_POD_CIDR='$POD_CIDR'
export NODE_LB_BRIDGE='$LB_BRIDGE'
export NODE_LB_BRIDGE_IP='$LB_BRIDGE_IP'
export NODE_LB_POOL='$LB_POOL'
export CONTAINERD_ADDRESS='$CONTAINERD_ADDRESS'
export NODE_TEST_IMAGE='sessiongate.local/testbox:1'
EOF
mv "$N/env.tmp" "$N/env"
node__log "node up in $((SECONDS - T_START))s: $APISERVER_URL, node $NODE_NAME ($NODE_IP); env: $N/env"
