# shellcheck shell=bash
# e2e harness: a local control plane with sessiongate's CRDs and RBAC, the webhook started from the build tree
# with the webhook's own least-privilege kubeconfig, and the webhook configurations of manifests/ registered
# by url + caBundle (the API server reaches the webhook on 127.0.0.1). Source it, then `e2e_up`.
#
#   E2E_BUILD_DIR  build tree holding webhook/sessiongate-webhook and cli/sessiongatectl (required)
#   E2E_DIR        work dir (default: a new temp dir, removed on exit unless E2E_KEEP=1)

E2E_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_SRC_DIR="$(cd "$E2E_LIB_DIR/../.." && pwd)"
# shellcheck source=../../scripts/controlplane/lib.sh
source "$E2E_SRC_DIR/scripts/controlplane/lib.sh"

E2E_PASSED=0
E2E_FAILED=0

e2e_log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# pass/fail record one assertion and print one line per check.
e2e_pass() { E2E_PASSED=$((E2E_PASSED + 1)); printf 'PASS %s\n' "$1"; }
e2e_fail() { E2E_FAILED=$((E2E_FAILED + 1)); printf 'FAIL %s\n' "$1"; [[ -n ${2:-} ]] && printf '  %s\n' "$2"; return 0; }

# e2e_summary prints the runner's summary line and returns non-zero when a check failed.
e2e_summary() {
  printf '%d passed, %d failed\n' "$E2E_PASSED" "$E2E_FAILED"
  ((E2E_FAILED == 0))
}

kadmin() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
# kas USER ...: kubectl as one of the control plane's users (admin, alice, bob, carol, controller, webhook).
kas() { local u=$1; shift; kubectl --kubeconfig "$CP_DIR/kubeconfig/$u.kubeconfig" "$@"; }

e2e_cleanup() {
  e2e_webhook_stop || true
  [[ -n ${CP_DIR:-} ]] && cp_down "$CP_DIR"
  if [[ ${E2E_KEEP:-0} != 1 && -n ${E2E_OWN_DIR:-} ]]; then rm -rf "$E2E_OWN_DIR"; fi
}

# e2e_free_port prints a free TCP port on 127.0.0.1.
e2e_free_port() { cp_free_port; }

# e2e_webhook_start starts sessiongate-webhook in cluster mode and waits until /readyz answers. It requires
# the API server's webhook client certificate (--client-ca, see scripts/controlplane/README.md), as the
# manifests do, so every review of the e2e suites travels over mutual TLS.
e2e_webhook_start() {
  "$E2E_BUILD_DIR/webhook/sessiongate-webhook" \
    --listen "127.0.0.1:$E2E_WEBHOOK_PORT" \
    --tls-cert "$E2E_DIR/certs/tls.crt" --tls-key "$E2E_DIR/certs/tls.key" \
    --client-ca "$CP_WEBHOOK_CLIENT_CA" \
    --kubeconfig "$KUBECONFIG_WEBHOOK" --policy-name default \
    >>"$E2E_DIR/webhook.log" 2>&1 &
  E2E_WEBHOOK_PID=$!
  echo "$E2E_WEBHOOK_PID" >"$E2E_DIR/webhook.pid"
  local i
  for i in $(seq 100); do
    if curl -fsS --cacert "$E2E_DIR/certs/ca.crt" "https://127.0.0.1:$E2E_WEBHOOK_PORT/readyz" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$E2E_WEBHOOK_PID" 2>/dev/null || break
    sleep 0.2
  done
  e2e_log "webhook did not become ready; log tail:"; tail -20 "$E2E_DIR/webhook.log" >&2
  return 1
}

e2e_webhook_stop() {
  [[ -n ${E2E_WEBHOOK_PID:-} ]] || return 0
  kill -TERM "$E2E_WEBHOOK_PID" 2>/dev/null || true
  wait "$E2E_WEBHOOK_PID" 2>/dev/null || true
  E2E_WEBHOOK_PID=
}

# e2e_register_webhooks applies manifests/webhook/{validating,mutating}.yaml and points every webhook of
# them at the local server by url, with the generated CA as caBundle.
e2e_register_webhooks() {
  local ca; ca=$(base64 -w0 <"$E2E_DIR/certs/ca.crt")
  local kind file path name count i ops
  for kind in validating mutating; do
    file="$E2E_SRC_DIR/manifests/webhook/$kind.yaml"
    path=/validate; [[ $kind == mutating ]] && path=/mutate
    name=$(kadmin apply -f "$file" -o jsonpath='{.metadata.name}') || return 1
    count=$(kadmin get "${kind}webhookconfiguration" "$name" -o jsonpath='{range .webhooks[*]}x{end}')
    ops=""
    for ((i = 0; i < ${#count}; i++)); do
      ops+="${ops:+,}{\"op\":\"replace\",\"path\":\"/webhooks/$i/clientConfig\",\"value\":{\"url\":\"https://127.0.0.1:$E2E_WEBHOOK_PORT$path\",\"caBundle\":\"$ca\"}}"
    done
    kadmin patch "${kind}webhookconfiguration" "$name" --type=json -p "[$ops]" >/dev/null || return 1
  done
}

# e2e_up brings everything up; the EXIT trap tears it down even after a failure.
e2e_up() {
  : "${E2E_BUILD_DIR:?set E2E_BUILD_DIR to the build tree}"
  E2E_BUILD_DIR=$(cd "$E2E_BUILD_DIR" && pwd)
  if [[ -z ${E2E_DIR:-} ]]; then
    E2E_DIR=$(mktemp -d /tmp/sessiongate-e2e.XXXXXX)
    E2E_OWN_DIR=$E2E_DIR
  fi
  mkdir -p "$E2E_DIR"
  trap e2e_cleanup EXIT
  trap 'exit 143' TERM INT
  CP_DIR="$E2E_DIR/cp"
  cp_up "$CP_DIR" --sessiongate-ns || return 1
  e2e_log "control plane at $APISERVER_URL"
  kadmin apply -k "$E2E_SRC_DIR/manifests/crds" >/dev/null || return 1
  cp_wait_established "$KUBECONFIG_ADMIN" usersessions.sessiongate.io sessionpolicies.sessiongate.io || return 1
  kadmin apply -k "$E2E_SRC_DIR/manifests/rbac" >/dev/null || return 1
  # The webhook is ready only once the policy in force exists; it is applied before the webhook is
  # registered, so this one apply is the only one not reviewed by it.
  kadmin apply -f "$E2E_SRC_DIR/policies/default.yaml" >/dev/null || return 1
  "$E2E_BUILD_DIR/cli/sessiongatectl" certs --service sessiongate-webhook --namespace sessiongate-system \
    --out "$E2E_DIR/certs" >/dev/null || return 1
  E2E_WEBHOOK_PORT=$(e2e_free_port)
  e2e_webhook_start || return 1
  e2e_register_webhooks || return 1
  e2e_log "webhook on 127.0.0.1:$E2E_WEBHOOK_PORT registered"
}
