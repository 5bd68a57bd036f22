# shellcheck shell=bash
# Local Kubernetes control plane (etcd + kube-apiserver + kube-controller-manager) on 127.0.0.1.
# Source this file from test/demo scripts:
#
#   source scripts/controlplane/lib.sh
#   CP_DIR=$(mktemp -d)
#   trap 'cp_down "$CP_DIR"' EXIT          # set the trap BEFORE cp_up
#   cp_up "$CP_DIR" --sessiongate-ns       # starts, waits for /readyz, sources $CP_DIR/env
#   kubectl --kubeconfig "$KUBECONFIG_ADMIN" get ns
#
# or simply `cp_up_trap "$CP_DIR" [flags]`, which installs that EXIT trap itself.
# The scripts up.sh / down.sh are thin wrappers around the functions below.

CP_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# ------------------------------------------------------------------ public API

# cp_up DIR [--sessiongate-ns] [--no-controller-manager]
# Starts the control plane in DIR (created if missing) and sources DIR/env into the caller.
cp_up() {
  local dir="${1:?usage: cp_up DIR [flags]}"; shift
  "$CP_LIB_DIR/up.sh" "$dir" "$@" || return 1
  # shellcheck disable=SC1091
  source "$dir/env"
}

# cp_down DIR: stops whatever cp_up started in DIR. Safe to call twice or if cp_up never ran.
cp_down() {
  local dir="${1:?usage: cp_down DIR}"
  "$CP_LIB_DIR/down.sh" "$dir"
}

# cp_up_trap DIR [flags]: installs `trap 'cp_down DIR' EXIT` (replacing any EXIT trap), then cp_up.
cp_up_trap() {
  local dir="${1:?usage: cp_up_trap DIR [flags]}"
  # shellcheck disable=SC2064
  trap "cp_down '$dir'" EXIT
  cp_up "$@"
}

# cp_make_user DIR NAME [GROUP...]: issues a client cert signed by the cluster CA and writes
# DIR/kubeconfig/NAME.kubeconfig (works after cp_up; up.sh uses it for the built-in users).
cp_make_user() {
  local dir="${1:?}" name="${2:?}"; shift 2
  local subj="" g
  for g in "$@"; do subj+="/O=$g"; done
  subj+="/CN=$name"
  local file; file=$(cp__safe_name "$name")
  cp__issue_cert "$dir/pki" "$file" "$subj" client
  cp__write_kubeconfig "$dir" "$file" "$name"
}

# cp_issue_serving_cert DIR NAME SAN...: server cert signed by the cluster CA
# (SAN entries like IP:127.0.0.1 DNS:localhost). Writes DIR/pki/NAME.{crt,key}.
cp_issue_serving_cert() {
  local dir="${1:?}" name="${2:?}"; shift 2
  local IFS=,
  cp__issue_cert "$dir/pki" "$name" "/CN=$name" server "$*"
}

# cp_wait_established KUBECONFIG CRD...: waits (60 s at most) until each CRD reports Established True. A poll of
# the condition, not `kubectl wait`: kubectl 1.32 fails at once ("status.conditions accessor error") when it
# reads a CRD whose status has no conditions yet, which happens right after the apply on a busy machine.
cp_wait_established() {
  local kubeconfig="${1:?}" crd status deadline=$((SECONDS + 60)); shift
  for crd in "$@"; do
    while :; do
      status=$(kubectl --kubeconfig "$kubeconfig" get "crd/$crd" \
        -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null || true)
      [[ $status == True ]] && break
      ((SECONDS < deadline)) || { cp__log "CRD $crd not Established after 60 s"; return 1; }
      sleep 0.2
    done
  done
}

# ------------------------------------------------------------------ internals

cp__log() { printf '[controlplane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cp__safe_name() {  # system:serviceaccount:ns:name -> system-serviceaccount-ns-name
  local n="${1//:/-}"; echo "${n//\//-}"
}

# cp_free_port [VAR]: a TCP port on 127.0.0.1 that nobody listens on, for the caller's own servers: set into
# VAR (never the same one twice in this shell), or printed.
cp_free_port() {
  if [[ -n ${1:-} ]]; then cp__free_port "$1"; return; fi
  local port
  cp__free_port port && echo "$port"
}

# cp__free_port VAR: sets VAR to a TCP port on 127.0.0.1 nobody listens on (and not handed out
# earlier by this shell). Ports are only reserved by binding, so callers retry on bind failure.
CP__HANDED_OUT=" "
cp__free_port() {
  local __var="$1" p i
  for ((i = 0; i < 500; i++)); do
    p=$(( 20000 + ( (RANDOM << 15) | RANDOM ) % 40000 ))
    [[ "$CP__HANDED_OUT" == *" $p "* ]] && continue
    if [[ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]]; then
      CP__HANDED_OUT+="$p "
      printf -v "$__var" '%s' "$p"
      return 0
    fi
  done
  cp__log "no free port found"; return 1
}

cp__init_ca() {
  local pki="$1"
  mkdir -p "$pki"
  [[ -f "$pki/ca.crt" && -f "$pki/ca.key" ]] && return 0
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$pki/ca.key" -sha256 -days 3650 -subj "/CN=sessiongate-local-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$pki/ca.crt" 2>/dev/null
  chmod 600 "$pki/ca.key"
}

# cp__issue_cert PKI NAME SUBJ client|server [SAN-list]
cp__issue_cert() {
  local pki="$1" name="$2" subj="$3" kind="$4" san="${5:-}"
  local ext="$pki/$name.ext"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ "$kind" == server ]]; then
      echo "extendedKeyUsage=serverAuth"
      [[ -n "$san" ]] && echo "subjectAltName=$san"
    else
      echo "extendedKeyUsage=clientAuth"
    fi
  } > "$ext"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/$name.key" 2>/dev/null
  chmod 600 "$pki/$name.key"
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 365 -sha256 -extfile "$ext" \
    -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$ext"
}

# cp__write_kubeconfig DIR FILE USERNAME (needs DIR/apiserver-url written by up.sh)
cp__write_kubeconfig() {
  local dir="$1" file="$2" user="$3" url
  url=$(cat "$dir/apiserver-url")
  mkdir -p "$dir/kubeconfig"
  cat > "$dir/kubeconfig/$file.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: sessiongate-local
  cluster:
    server: $url
    certificate-authority-data: $(base64 -w0 < "$dir/pki/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 < "$dir/pki/$file.crt")
    client-key-data: $(base64 -w0 < "$dir/pki/$file.key")
contexts:
- name: $file@sessiongate-local
  context:
    cluster: sessiongate-local
    user: $user
current-context: $file@sessiongate-local
EOF
  chmod 600 "$dir/kubeconfig/$file.kubeconfig"
}

# cp__start NAME DIR BIN ARGS...: starts BIN detached (own session, logs in DIR/logs/NAME.log),
# records its pid in DIR/run/NAME.pid.
cp__start() {
  local name="$1" dir="$2"; shift 2
  mkdir -p "$dir/run" "$dir/logs"
  rm -f "$dir/run/$name.pid"
  # The inner shell closes every fd above 2 before exec: a daemon holding the caller's pipe open would keep
  # a reader of the caller's output from ever seeing EOF.
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    echo $$ > "$0"; exec "$@"' "$dir/run/$name.pid" "$@" \
    </dev/null >>"$dir/logs/$name.log" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do [[ -s "$dir/run/$name.pid" ]] && return 0; sleep 0.1; done
  cp__log "$name did not start"; return 1
}

cp__alive() {  # cp__alive DIR NAME: pid file present, process alive and really ours
  local pid
  pid=$(cat "$1/run/$2.pid" 2>/dev/null) || return 1
  [[ -n "$pid" ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -qF -- "$1" || return 1
}

cp__stop() {  # cp__stop DIR NAME: TERM, wait up to 10 s, KILL. Removes the pid file.
  local dir="$1" name="$2" pid i
  pid=$(cat "$dir/run/$name.pid" 2>/dev/null) || return 0
  if cp__alive "$dir" "$name"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      cp__alive "$dir" "$name" || break
      sleep 0.1
    done
    if cp__alive "$dir" "$name"; then
      cp__log "$name (pid $pid) ignored TERM, sending KILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do cp__alive "$dir" "$name" || break; sleep 0.1; done
    fi
    # Dead but maybe not yet reaped (zombie): give init a moment so pgrep shows nothing.
    for ((i = 0; i < 30; i++)); do [[ -e "/proc/$pid" ]] || break; sleep 0.1; done
  fi
  rm -f "$dir/run/$name.pid"
}
