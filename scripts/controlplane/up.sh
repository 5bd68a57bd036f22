#!/usr/bin/env bash
# up.sh DIR [--sessiongate-ns] [--no-controller-manager] [--node-ip IP]
#
# Starts etcd + kube-apiserver (+ kube-controller-manager) on 127.0.0.1 with free ports, PKI and
# data in DIR, kubeconfigs in DIR/kubeconfig/, and writes DIR/env. Builds the binaries first if
# the cache is empty (see build.sh). On any failure it stops what it started and exits non-zero.
#
#   --sessiongate-ns          also create namespace sessiongate-system with service accounts
#                             sessiongate-webhook and sessiongate-controller
#   --no-controller-manager   do not start kube-controller-manager
#   --node-ip IP              for a real node (scripts/node/up.sh): the API server listens on IP (an address
#                             pods reach) instead of 127.0.0.1, publishes it as the kubernetes Service's
#                             endpoint, reaches kubelets by InternalIP with a client certificate, and the
#                             controller manager runs nodelifecycle (it lifts the not-ready taint)
#   CP_BIN_DIR                use binaries from there instead of build.sh's cache
#   CP_READY_TIMEOUT          seconds to wait for /readyz (default 60)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 && "$1" != -* ]] || usage
DIR_ARG="$1"; shift
WITH_NS=0; WITH_KCM=1; NODE_IP=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sessiongate-ns) WITH_NS=1 ;;
    --no-controller-manager) WITH_KCM=0 ;;
    --node-ip) [[ $# -ge 2 ]] || usage; NODE_IP="$2"; shift ;;
    *) usage ;;
  esac
  shift
done
LISTEN_IP="${NODE_IP:-127.0.0.1}"

mkdir -p "$DIR_ARG"
DIR="$(cd "$DIR_ARG" && pwd)"
READY_TIMEOUT="${CP_READY_TIMEOUT:-60}"

for tool in openssl kubectl ss setsid base64; do
  command -v "$tool" >/dev/null || { cp__log "missing tool: $tool (run scripts/deps.sh)"; exit 1; }
done

if [[ -f "$DIR/run/kube-apiserver.pid" ]] && cp__alive "$DIR" kube-apiserver; then
  cp__log "a control plane is already running in $DIR (run down.sh first)"; exit 1
fi

BIN="${CP_BIN_DIR:-}"
if [[ -z "$BIN" ]]; then
  BIN=$("$HERE/build.sh" | tail -n1)
fi
for b in etcd kube-apiserver kube-controller-manager; do
  [[ -x "$BIN/$b" ]] || { cp__log "missing $BIN/$b"; exit 1; }
done

STARTED=0
cleanup_on_failure() {
  local rc=$?
  if [[ $rc -ne 0 && $STARTED -eq 1 ]]; then
    cp__log "startup failed (rc=$rc), stopping what was started"
    "$HERE/down.sh" "$DIR" || true
  fi
}
trap cleanup_on_failure EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  local f
  for f in "$DIR"/logs/*.log; do
    [[ -f "$f" ]] || continue
    echo "----- tail of $f" >&2
    tail -n 25 "$f" >&2
  done
}

# ------------------------------------------------------------------ PKI
PKI="$DIR/pki"
mkdir -p "$PKI" "$DIR/kubeconfig"
if [[ ! -f "$PKI/.complete" ]]; then
  cp__log "generating PKI in $PKI"
  cp__init_ca "$PKI"
  cp__issue_cert "$PKI" apiserver "/CN=kube-apiserver" server \
    "IP:127.0.0.1,IP:10.96.0.1,${NODE_IP:+IP:$NODE_IP,}DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  chmod 600 "$PKI/sa.key"
  cp__issue_cert "$PKI" admin "/O=system:masters/CN=admin" client
  cp__issue_cert "$PKI" alice "/CN=alice" client
  cp__issue_cert "$PKI" bob "/CN=bob" client
  cp__issue_cert "$PKI" carol "/O=sessiongate:admins/CN=carol" client
  SA_GROUPS="/O=system:serviceaccounts/O=system:serviceaccounts:sessiongate-system"
  cp__issue_cert "$PKI" controller "$SA_GROUPS/CN=system:serviceaccount:sessiongate-system:sessiongate-controller" client
  cp__issue_cert "$PKI" webhook "$SA_GROUPS/CN=system:serviceaccount:sessiongate-system:sessiongate-webhook" client
  cp__issue_cert "$PKI" kube-controller-manager "/CN=system:kube-controller-manager" client
  cp__issue_cert "$PKI" apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  touch "$PKI/.complete"
fi

# ------------------------------------------------------------------ the API server's webhook client certificate
# Admission webhooks may require a client certificate of the API server (sessiongate-webhook --client-ca).
# It comes from a CA of its own (PKI/webhook-client/ca.crt), so that no user certificate of the cluster CA can
# pass for the API server. The admission configuration's kubeConfigFile presents it to every webhook ('*').
WEBHOOK_CLIENT="$PKI/webhook-client"
if [[ ! -f "$WEBHOOK_CLIENT/.complete" ]]; then
  cp__init_ca "$WEBHOOK_CLIENT"
  cp__issue_cert "$WEBHOOK_CLIENT" apiserver "/CN=kube-apiserver-webhook-client" client
  touch "$WEBHOOK_CLIENT/.complete"
fi
mkdir -p "$DIR/admission"
cat > "$DIR/admission/webhook-client.kubeconfig" <<EOF
apiVersion: v1
kind: Config
users:
  - name: '*'
    user:
      client-certificate: $WEBHOOK_CLIENT/apiserver.crt
      client-key: $WEBHOOK_CLIENT/apiserver.key
EOF
cat > "$DIR/admission/admission-config.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: ValidatingAdmissionWebhook
    configuration:
      apiVersion: apiserver.config.k8s.io/v1
      kind: WebhookAdmissionConfiguration
      kubeConfigFile: $DIR/admission/webhook-client.kubeconfig
  - name: MutatingAdmissionWebhook
    configuration:
      apiVersion: apiserver.config.k8s.io/v1
      kind: WebhookAdmissionConfiguration
      kubeConfigFile: $DIR/admission/webhook-client.kubeconfig
EOF

# ------------------------------------------------------------------ start
# Without a node nothing serves the kubernetes Service, so no endpoint is published for it.
NODE_FLAGS=(--endpoint-reconciler-type=none)
KCM_CONTROLLERS='*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
if [[ -n "$NODE_IP" ]]; then
  NODE_FLAGS=(--kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt"
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key"
    --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP)
  KCM_CONTROLLERS='*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
fi

start_all() {
  cp__free_port ETCD_PORT; cp__free_port ETCD_PEER_PORT
  if [[ -n "$NODE_IP" ]]; then
    # With a node, pods reach the API server through the kubernetes Service, and NetworkPolicies (such as
    # sessiongate-system's egress policy) name its port: listen on 6443 as kubeadm and kind do. The node IP is
    # on the node's own bridge, so only a listener on every address can be in the way.
    API_PORT=6443
    if [[ -n "$(ss -Htln "( sport = :$API_PORT )" 2>/dev/null | awk -v ip="$LISTEN_IP" \
                '$4 ~ "^(0\\.0\\.0\\.0|\\*|\\[::\\]|" ip "):"')" ]]; then
      cp__log "port $API_PORT is taken on $LISTEN_IP (ss -tlnp 'sport = :$API_PORT'); the node's API server needs it"
      return 1
    fi
  else
    cp__free_port API_PORT
  fi
  APISERVER_URL="https://$LISTEN_IP:$API_PORT"
  ETCD_URL="http://127.0.0.1:$ETCD_PORT"
  echo "$APISERVER_URL" > "$DIR/apiserver-url"
  STARTED=1

  mkdir -p -m 700 "$DIR/etcd"
  cp__log "starting etcd on $ETCD_URL"
  cp__start etcd "$DIR" "$BIN/etcd" \
    --name default --data-dir "$DIR/etcd" \
    --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --quota-backend-bytes=$((2 * 1024 * 1024 * 1024)) --log-level=warn

  cp__log "starting kube-apiserver on $APISERVER_URL"
  cp__start kube-apiserver "$DIR" "$BIN/kube-apiserver" \
    --bind-address="$LISTEN_IP" --advertise-address="$LISTEN_IP" --secure-port="$API_PORT" \
    --etcd-servers="$ETCD_URL" --etcd-prefix=/registry \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --admission-control-config-file="$DIR/admission/admission-config.yaml" \
    --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --allow-privileged=true \
    --cert-dir="$DIR/apiserver-certs" \
    "${NODE_FLAGS[@]}" \
    --profiling=false --v=1
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) n
  while ((SECONDS < deadline)); do
    for n in etcd kube-apiserver; do
      cp__alive "$DIR" "$n" || { cp__log "$n exited"; return 1; }
    done
    if [[ "$(kubectl --kubeconfig "$DIR/kubeconfig/admin.kubeconfig" --request-timeout=5s \
            get --raw /readyz 2>/dev/null)" == ok ]]; then
      return 0
    fi
    sleep 0.5
  done
  cp__log "kube-apiserver not ready after ${READY_TIMEOUT}s"
  return 1
}

write_kubeconfigs() {
  local u
  for u in admin alice bob carol controller webhook kube-controller-manager; do
    case "$u" in
      controller) cp__write_kubeconfig "$DIR" controller system:serviceaccount:sessiongate-system:sessiongate-controller ;;
      webhook) cp__write_kubeconfig "$DIR" webhook system:serviceaccount:sessiongate-system:sessiongate-webhook ;;
      kube-controller-manager) cp__write_kubeconfig "$DIR" kube-controller-manager system:kube-controller-manager ;;
      *) cp__write_kubeconfig "$DIR" "$u" "$u" ;;
    esac
  done
}

ok=0
for attempt in 1 2 3; do
  rm -rf "$DIR/etcd"   # fresh cluster state on every attempt
  start_all
  write_kubeconfigs
  if wait_ready; then ok=1; break; fi
  # Retry only when a port was taken between choosing and binding.
  if grep -qsE "address already in use" "$DIR"/logs/*.log; then
    cp__log "port collision, retrying (attempt $attempt)"
    "$HERE/down.sh" "$DIR" >/dev/null 2>&1 || true
    mkdir -p "$DIR/logs/old" && for f in "$DIR"/logs/*.log; do mv "$f" "$DIR/logs/old/$(basename "$f").$attempt"; done
    continue
  fi
  break
done
if [[ $ok -ne 1 ]]; then
  show_logs
  exit 1
fi
cp__log "kube-apiserver ready"

# ------------------------------------------------------------------ controller manager
if [[ $WITH_KCM -eq 1 ]]; then
  cp__log "starting kube-controller-manager"
  cp__start kube-controller-manager "$DIR" "$BIN/kube-controller-manager" \
    --kubeconfig="$DIR/kubeconfig/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --controllers="$KCM_CONTROLLERS" \
    --leader-elect=false --profiling=false --v=1
  # The serviceaccount controller creating default/default proves the KCM works.
  deadline=$((SECONDS + READY_TIMEOUT))
  until kubectl --kubeconfig "$DIR/kubeconfig/admin.kubeconfig" -n default get serviceaccount default >/dev/null 2>&1; do
    if ! cp__alive "$DIR" kube-controller-manager || ((SECONDS >= deadline)); then
      cp__log "kube-controller-manager did not come up"; show_logs; exit 1
    fi
    sleep 0.5
  done
  cp__log "kube-controller-manager running"
fi

# ------------------------------------------------------------------ sessiongate namespace
if [[ $WITH_NS -eq 1 ]]; then
  K=(kubectl --kubeconfig "$DIR/kubeconfig/admin.kubeconfig")
  "${K[@]}" create namespace sessiongate-system --dry-run=client -o yaml | "${K[@]}" apply -f - >/dev/null
  for sa in sessiongate-webhook sessiongate-controller; do
    "${K[@]}" -n sessiongate-system create serviceaccount "$sa" --dry-run=client -o yaml | "${K[@]}" apply -f - >/dev/null
  done
  cp__log "namespace sessiongate-system with service accounts sessiongate-webhook, sessiongate-controller created"
fi

# ------------------------------------------------------------------ env
pid_of() { cat "$DIR/run/$1.pid" 2>/dev/null || true; }
cat > "$DIR/env.tmp" <<EOF
# generated by scripts/controlplane/up.sh; source it
export CP_DIR='$DIR'
export CP_BIN_DIR='$BIN'
export APISERVER_URL='$APISERVER_URL'
export APISERVER_PORT='$API_PORT'
export ETCD_URL='$ETCD_URL'
export CP_CA_CERT='$PKI/ca.crt'
export CP_CA_KEY='$PKI/ca.key'
export CP_WEBHOOK_CLIENT_CA='$WEBHOOK_CLIENT/ca.crt'
export CP_WEBHOOK_CLIENT_CERT='$WEBHOOK_CLIENT/apiserver.crt'
export CP_WEBHOOK_CLIENT_KEY='$WEBHOOK_CLIENT/apiserver.key'
export KUBECONFIG_ADMIN='$DIR/kubeconfig/admin.kubeconfig'
export KUBECONFIG_ALICE='$DIR/kubeconfig/alice.kubeconfig'
export KUBECONFIG_BOB='$DIR/kubeconfig/bob.kubeconfig'
export KUBECONFIG_CAROL='$DIR/kubeconfig/carol.kubeconfig'
export KUBECONFIG_CONTROLLER='$DIR/kubeconfig/controller.kubeconfig'
export KUBECONFIG_WEBHOOK='$DIR/kubeconfig/webhook.kubeconfig'
export ETCD_PID='$(pid_of etcd)'
export APISERVER_PID='$(pid_of kube-apiserver)'
export KCM_PID='$(pid_of kube-controller-manager)'
EOF
mv "$DIR/env.tmp" "$DIR/env"
cp__log "control plane up: $APISERVER_URL (env: $DIR/env)"
