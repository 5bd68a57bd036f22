# shellcheck shell=bash
# Controller e2e harness: a local control plane (scripts/controlplane) with the CRDs and RBAC of manifests/,
# a test SessionPolicy, and sessiongate-controller started from the build tree with the controller's own
# least-privilege kubeconfig (system:serviceaccount:sessiongate-system:sessiongate-controller). The webhook
# is not started: these tests are about the controller. Source it, then `ctl_up`.
#
#   E2E_BUILD_DIR  build tree holding controller/sessiongate-controller (default: build-controller)
#   E2E_KEEP=1     keep the work dir (logs) after the run

CTL_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CTL_SRC_DIR="$(cd "$CTL_LIB_DIR/../../.." && pwd)"
# shellcheck source=../../../scripts/controlplane/lib.sh
source "$CTL_SRC_DIR/scripts/controlplane/lib.sh"
E2E_BUILD_DIR="${E2E_BUILD_DIR:-$CTL_SRC_DIR/build-controller}"
CTL_BIN="$E2E_BUILD_DIR/controller/sessiongate-controller"

PASSED=0
FAILED=0
CTL_PID=""

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$1"; [[ -n ${2:-} ]] && printf '  %s\n' "$2"; return 0; }
# check NAME CMD...: pass when CMD succeeds.
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name" "command: $*"; fi; }
summary() { printf '%d passed, %d failed\n' "$PASSED" "$FAILED"; ((FAILED == 0)); }

kadmin() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
kalice() { kubectl --kubeconfig "$KUBECONFIG_ALICE" "$@"; }

# eventually SECONDS CMD...: retries CMD every half second until it succeeds or SECONDS pass.
eventually() {
  local deadline=$((SECONDS + $1)); shift
  while ((SECONDS < deadline)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  "$@" >/dev/null 2>&1
}

ctl_cleanup() {
  ctl_stop || true
  [[ -n ${CP_DIR:-} ]] && cp_down "$CP_DIR"
  if [[ ${E2E_KEEP:-0} != 1 && -n ${CTL_WORK:-} ]]; then rm -rf "$CTL_WORK"; else log "kept $CTL_WORK"; fi
}

# ctl_up starts the control plane, installs CRDs, RBAC and the test policy.
ctl_up() {
  [[ -x $CTL_BIN ]] || { echo "missing $CTL_BIN (build target sessiongate-controller)" >&2; exit 2; }
  CTL_WORK=$(mktemp -d /tmp/sessiongate-ctl-e2e.XXXXXX)
  trap ctl_cleanup EXIT
  cp_up "$CTL_WORK/cp" --sessiongate-ns >/dev/null
  kadmin apply -k "$CTL_SRC_DIR/manifests/crds" >/dev/null
  kadmin wait --for condition=established --timeout=60s crd/usersessions.sessiongate.io crd/sessionpolicies.sessiongate.io >/dev/null
  kadmin apply -k "$CTL_SRC_DIR/manifests/rbac" >/dev/null
  kadmin apply -f "$CTL_LIB_DIR/policy.yaml" >/dev/null
}

# ctl_start [FLAGS...] starts the controller with the controller's kubeconfig; logs go to $CTL_WORK/controller.log.
ctl_start() {
  CTL_METRICS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$CTL_BIN" --kubeconfig "$KUBECONFIG_CONTROLLER" --metrics-listen "127.0.0.1:$CTL_METRICS_PORT" "$@" \
    >>"$CTL_WORK/controller.log" 2>&1 &
  CTL_PID=$!
  eventually 20 curl -fsS "http://127.0.0.1:$CTL_METRICS_PORT/readyz"
}

# ctl_stop sends SIGTERM and waits for the controller to exit.
ctl_stop() {
  [[ -n $CTL_PID ]] || return 0
  kill -TERM "$CTL_PID" 2>/dev/null || true
  wait "$CTL_PID" 2>/dev/null || true
  CTL_PID=""
}

# ctl_term_exits SECONDS: sends SIGTERM and succeeds when the controller exits 0 within SECONDS (else it is
# killed, and this fails); CTL_EXIT_TOOK is how long it took.
ctl_term_exits() {
  [[ -n $CTL_PID ]] || return 1
  local started=$SECONDS code
  kill -TERM "$CTL_PID" 2>/dev/null || true
  while kill -0 "$CTL_PID" 2>/dev/null && ((SECONDS - started < $1)); do sleep 0.2; done
  CTL_EXIT_TOOK=$((SECONDS - started))
  if kill -0 "$CTL_PID" 2>/dev/null; then
    log "controller (pid $CTL_PID) ignored SIGTERM for $1 s; killing it"
    kill -KILL "$CTL_PID" 2>/dev/null || true
    wait "$CTL_PID" 2>/dev/null
    CTL_PID=""
    return 1
  fi
  wait "$CTL_PID" 2>/dev/null
  code=$?
  CTL_PID=""
  ((code == 0))
}

# apiserver_freeze / apiserver_thaw stop and resume kube-apiserver (SIGSTOP, SIGCONT): its port still accepts
# connections (the kernel completes them) and nothing answers, as with an API server whose etcd is gone.
apiserver_freeze() { kill -STOP "$(cat "$CTL_WORK/cp/run/kube-apiserver.pid")"; }
apiserver_thaw() { kill -CONT "$(cat "$CTL_WORK/cp/run/kube-apiserver.pid")"; }
# apiserver_kill kills kube-apiserver at once (SIGKILL): its port refuses from then on. It is this shell's
# child (cp__start), reaped here so that bash does not report it Killed.
apiserver_kill() {
  local pid
  pid=$(cat "$CTL_WORK/cp/run/kube-apiserver.pid")
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
}

# ctl_kill9 kills the controller without a chance to clean up.
ctl_kill9() {
  [[ -n $CTL_PID ]] || return 0
  kill -KILL "$CTL_PID" 2>/dev/null || true
  wait "$CTL_PID" 2>/dev/null || true
  CTL_PID=""
}

# session NAME [PROFILE] [EXTRA-SPEC-YAML]: alice creates a UserSession.
session() {
  local name=$1 profile=${2:-shell} extra=${3:-}
  kalice apply -f - >/dev/null <<YAML
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata:
  name: $name
spec:
  user: alice
  profile: $profile
$extra
YAML
}

phase_is() { [[ $(kadmin get usersession "$1" -o jsonpath='{.status.phase}' 2>/dev/null) == "$2" ]]; }
# condition_is NAME TYPE STATUS [REASON]: the session's condition TYPE has that status (and reason).
condition_is() {
  local got
  got=$(kadmin get usersession "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].status}/{.status.conditions[?(@.type==\"$2\")].reason}" 2>/dev/null)
  [[ $got == "$3/${4:-${got#*/}}" ]]
}
# provisioned NAME: everything the controller makes is in place and the worker pod waits for a node, which
# this control plane has none of: phase Provisioning, Provisioned True, WorkerReady False (PodPending), Ready
# False. (Ready means the worker pod is Ready: the node suite, tests/e2e/node_sessiongate_e2e.sh, sees that.)
provisioned() {
  phase_is "$1" Provisioning && condition_is "$1" Provisioned True Applied &&
    condition_is "$1" WorkerReady False PodPending && condition_is "$1" Ready False WorkerNotReady
}
# event_seen NAME REASON: an Event with that reason about the session exists.
event_seen() {
  kadmin get events -n default --field-selector "involvedObject.name=$1,reason=$2" -o name 2>/dev/null | grep -q .
}
gone() { ! kadmin get "$@" >/dev/null 2>&1; }
exists() { kadmin get "$@" >/dev/null 2>&1; }

# restart_apiserver stops kube-apiserver and starts it again with the same command line.
restart_apiserver() {
  local dir="$CTL_WORK/cp" pid
  pid=$(cat "$dir/run/kube-apiserver.pid")
  mapfile -d '' -t args < "/proc/$pid/cmdline"
  cp__stop "$dir" kube-apiserver
  cp__start kube-apiserver "$dir" "${args[@]}"
  eventually 60 kadmin get --raw /readyz
}

# unique_ports prints nothing when every IP:port/protocol of the session Services is held once.
duplicate_ports() {
  kadmin get services -A -l sessiongate.io/session -o json |
    jq -r '.items[] | .metadata.annotations["metallb.universe.tf/loadBalancerIPs"] as $ip | .spec.ports[] | "\($ip):\(.port)/\(.protocol)"' |
    sort | uniq -d
}
