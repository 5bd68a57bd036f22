#!/usr/bin/env bash
# e2e for the admission webhook: a real control plane, the webhook in cluster mode registered by url +
# caBundle, every case of policies/tests applied with kubectl as its user (policy_cases_e2e), then the checks
# only a live API server can make: identity, server-side dry run, policy refusal and live policy change,
# printer columns, and fail-closed behaviour across a webhook restart.
#   E2E_BUILD_DIR=build tests/e2e/webhook_e2e.sh      (E2E_KEEP=1 keeps the work dir and its logs)
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

DENIED='admission webhook "usersessions.validate.sessiongate.io" denied the request: '

# session NAME USER PROFILE [EXTRA-SPEC-JSON]: a UserSession manifest as JSON.
session() {
  printf '{"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession","metadata":{"name":"%s"},"spec":{"user":"%s","profile":"%s"%s}}' \
    "$1" "$2" "$3" "${4:+,$4}"
}

# expect_contains NAME WANT OUTPUT: OUTPUT (kubectl's output) must contain WANT.
expect_contains() {
  if [[ $3 == *"$2"* ]]; then e2e_pass "$1"; else e2e_fail "$1" "expected '$2' in: $3"; fi
}

# until_allowed SECONDS CMD...: retries CMD until it succeeds (the webhook's cache follows a watch).
until_allowed() {
  local deadline=$((SECONDS + $1)); shift
  local out
  while :; do
    if out=$("$@" 2>&1); then return 0; fi
    ((SECONDS >= deadline)) && { printf '%s\n' "$out"; return 1; }
    sleep 0.3
  done
}

# current_policy: the stored policy as JSON, without what only the server sets, ready to change and apply.
current_policy() {
  kadmin get sessionpolicy default -o json |
    jq 'del(.metadata.resourceVersion, .metadata.uid, .metadata.creationTimestamp, .metadata.generation,
            .metadata.managedFields, .metadata.annotations)'
}

reset_sessions() {
  kadmin delete usersessions --all --wait=true >/dev/null
  kadmin apply -f "$E2E_SRC_DIR/policies/default.yaml" >/dev/null || e2e_fail "policies/default.yaml applies again"
}

if ! e2e_up; then
  e2e_fail "control plane and webhook come up" "see the log lines above"
  e2e_summary
  exit 1
fi

# ---------------------------------------------------------------- every policy case, through kubectl
e2e_log "policy cases (policies/tests) through the API server"
if CP_DIR=$CP_DIR "$E2E_BUILD_DIR/tests/e2e/policy_cases_e2e" "$E2E_SRC_DIR/policies/tests"; then
  e2e_pass "policy cases through kubectl"
else
  e2e_fail "policy cases through kubectl" "see the FAIL lines above"
fi
reset_sessions

# ---------------------------------------------------------------- workloads: pods made by controllers
# A Deployment's pods are created by the ReplicaSet controller (kube-controller-manager), not by the user, and
# get the same pod rules: the refusal shows on the ReplicaSet, a compliant Deployment gets its gateway.
e2e_log "Deployments in a session namespace"
WORK_NS=sess-alice-work
session alice-work alice shell | kas alice create -f - >/dev/null 2>&1
kadmin apply -f - >/dev/null <<EOF
{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"$WORK_NS",
  "labels":{"sessiongate.io/session":"alice-work","sessiongate.io/user":"alice"}}},
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"alice-edit","namespace":"$WORK_NS"},
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},
  "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"alice"}]}]}
EOF
# deployment NAME IMAGE [CONTAINER-EXTRA-JSON]: a one-replica Deployment in $WORK_NS as JSON.
deployment() {
  printf '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"%s"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"%s"}},"template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[{"name":"main","image":"%s","command":["sleep","infinity"]%s}]}}}}' \
    "$1" "$WORK_NS" "$1" "$1" "$2" "${3:+,$3}"
}
# replica_failure NAME: the ReplicaFailure message of the Deployment's ReplicaSet, once there is one (30 s).
replica_failure() {
  local i msg
  for i in $(seq 100); do
    msg=$(kadmin get rs -n "$WORK_NS" -l "app=$1" -o jsonpath='{.items[0].status.conditions[?(@.type=="ReplicaFailure")].message}' 2>/dev/null)
    [[ -n $msg ]] && { printf '%s' "$msg"; return 0; }
    sleep 0.3
  done
  return 1
}
# pod_init_containers NAME: the init container names of the Deployment's first pod, once there is one (30 s).
pod_init_containers() {
  local i names
  for i in $(seq 100); do
    names=$(kadmin get pods -n "$WORK_NS" -l "app=$1" -o jsonpath='{.items[0].spec.initContainers[*].name}' 2>/dev/null)
    [[ -n $names ]] && { printf '%s' "$names"; return 0; }
    sleep 0.3
  done
  return 1
}
if out=$(deployment evil docker.io/library/alpine:3.20 '"securityContext":{"privileged":true}' | kas alice create -f - 2>&1); then
  e2e_pass "alice may create a Deployment in her session namespace (its pods are checked when they are made)"
else
  e2e_fail "alice may create a Deployment in her session namespace (its pods are checked when they are made)" "$out"
fi
out=$(replica_failure evil)
expect_contains "the ReplicaSet of a privileged Deployment is refused its pods by the webhook" \
  'admission webhook "pods.validate.sessiongate.io" denied the request: ' "$out"
expect_contains "the refusal names the privileged container" \
  'spec.containers[0].securityContext.privileged: Forbidden: privileged containers are not allowed (Pod Security Standard "baseline")' "$out"
expect_contains "the refusal names the image outside the profile" \
  'spec.containers[0].image: Forbidden: image "docker.io/library/alpine:3.20" is not allowed in sessions of profile "shell"' "$out"
if [[ -z $(kadmin get pods -n "$WORK_NS" -l app=evil -o name 2>/dev/null) ]]; then
  e2e_pass "no pod of the refused Deployment exists"
else
  e2e_fail "no pod of the refused Deployment exists" "$(kadmin get pods -n "$WORK_NS" -l app=evil 2>&1)"
fi
deployment good docker.io/library/ubuntu:24.04 | kas alice create -f - >/dev/null 2>&1
out=$(pod_init_containers good)
if [[ $out == "gateway-init gateway-sidecar" ]]; then
  e2e_pass "a compliant Deployment's pod is admitted with its gateway (token mounts added by the API server included)"
else
  e2e_fail "a compliant Deployment's pod is admitted with its gateway (token mounts added by the API server included)" \
    "init containers: '$out'; ReplicaSet: $(replica_failure good)"
fi
kadmin delete namespace "$WORK_NS" --wait=false >/dev/null 2>&1
reset_sessions

# ---------------------------------------------------------------- identity
out=$(session bob-by-alice bob shell | kas alice create -f - 2>&1)
expect_contains "alice cannot create a session for bob" \
  "${DENIED}spec.user: Forbidden: alice may not create a session for bob; only members of adminGroups [sessiongate:admins] may" "$out"
if kadmin get usersession bob-by-alice >/dev/null 2>&1; then e2e_fail "refused session is not stored"; else e2e_pass "refused session is not stored"; fi

session alice-own alice shell | kas alice create -f - >/dev/null 2>&1
out=$(kas alice patch usersession alice-own --type=merge -p '{"spec":{"ttl":"1h"}}' 2>&1)
expect_contains "users may not update sessions (RBAC, manifests/rbac/users.yaml)" \
  'User "alice" cannot patch resource "usersessions"' "$out"

# ---------------------------------------------------------------- printer columns
out=$(kadmin get us 2>&1)
header=$(head -1 <<<"$out" | tr -s ' ')
if [[ $header == "NAME USER PROFILE PHASE EXTERNAL-IP AGE" ]] && grep -q '^alice-own  *alice  *shell' <<<"$out"; then
  e2e_pass "kubectl get us shows User, Profile, Phase, External-IP, Age"
else
  e2e_fail "kubectl get us shows User, Profile, Phase, External-IP, Age" "$out"
fi
reset_sessions

# ---------------------------------------------------------------- other users' sessions are out of reach
session alice-mine alice shell | kas alice create -f - >/dev/null 2>&1
out=$(kas bob delete usersession alice-mine --wait=false 2>&1)
expect_contains "bob cannot delete alice's session" \
  "${DENIED}spec.user: Forbidden: bob may not delete a session for alice; only members of adminGroups [sessiongate:admins] may" "$out"
out=$(kas bob delete usersessions --all --wait=false 2>&1)
expect_contains "bob's delete --all is refused for alice's sessions" "bob may not delete a session for alice" "$out"
if kadmin get usersession alice-mine >/dev/null 2>&1; then e2e_pass "alice's session survives bob"; else e2e_fail "alice's session survives bob"; fi
out=$(kas bob patch usersession alice-mine --type=merge -p '{"metadata":{"labels":{"x":"y"}}}' 2>&1)
expect_contains "bob cannot patch alice's session (RBAC)" 'User "bob" cannot patch resource "usersessions"' "$out"
out=$(kas alice patch usersession alice-mine --subresource=status --type=merge -p '{"status":{"phase":"Ready"}}' 2>&1)
expect_contains "alice cannot write her session's status (RBAC)" 'User "alice" cannot get resource "usersessions/status"' "$out"
if out=$(kas alice delete usersession alice-mine --wait=false 2>&1); then
  e2e_pass "alice deletes her own session"
else
  e2e_fail "alice deletes her own session" "$out"
fi
session alice-by-carol alice shell | kas carol create -f - >/dev/null 2>&1
if out=$(kas carol delete usersession alice-by-carol --wait=false 2>&1); then
  e2e_pass "an admin (carol) deletes alice's session"
else
  e2e_fail "an admin (carol) deletes alice's session" "$out"
fi
# The controller's own bookkeeping: it adds and removes its finalizer and deletes expired sessions.
session alice-expiring alice shell | kas alice create -f - >/dev/null 2>&1
if out=$(kas controller patch usersession alice-expiring --type=merge -p '{"metadata":{"finalizers":["sessiongate.io/cleanup"]}}' 2>&1) &&
   out=$(kas controller delete usersession alice-expiring --wait=false 2>&1) &&
   out=$(kas controller patch usersession alice-expiring --type=merge -p '{"metadata":{"finalizers":null}}' 2>&1); then
  e2e_pass "the controller adds its finalizer, deletes an expired session and removes the finalizer"
else
  e2e_fail "the controller adds its finalizer, deletes an expired session and removes the finalizer" "$out"
fi
if until_allowed 10 bash -c "! kubectl --kubeconfig '$KUBECONFIG_ADMIN' get usersession alice-expiring"; then
  e2e_pass "the expired session is gone"
else
  e2e_fail "the expired session is gone"
fi
reset_sessions

# ---------------------------------------------------------------- only the API server may send reviews
review='{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","kind":{"group":"sessiongate.io","version":"v1alpha1","kind":"UserSession"},"operation":"DELETE","name":"x","userInfo":{"username":"mallory"}}}'
out=$(curl -sS --cacert "$E2E_DIR/certs/ca.crt" -H 'Content-Type: application/json' -d "$review" \
  -w ' HTTP %{http_code}' "https://127.0.0.1:$E2E_WEBHOOK_PORT/validate" 2>&1)
expect_contains "a review without a client certificate is refused (403)" \
  "a client certificate signed by the --client-ca is required for admission reviews (only the API server may send them)
 HTTP 403" "$out"
if out=$(curl -sS --cacert "$E2E_DIR/certs/ca.crt" --cert "$CP_DIR/pki/alice.crt" --key "$CP_DIR/pki/alice.key" \
    -H 'Content-Type: application/json' -d "$review" "https://127.0.0.1:$E2E_WEBHOOK_PORT/validate" 2>&1); then
  e2e_fail "a user's cluster certificate does not pass for the API server's" "$out"
else
  e2e_pass "a user's cluster certificate does not pass for the API server's"
fi
if out=$(curl -fsS --cacert "$E2E_DIR/certs/ca.crt" --cert "$CP_WEBHOOK_CLIENT_CERT" --key "$CP_WEBHOOK_CLIENT_KEY" \
    -H 'Content-Type: application/json' -d "$review" "https://127.0.0.1:$E2E_WEBHOOK_PORT/validate" 2>&1) &&
   [[ $out == *'"allowed":true'* || $out == *'"allowed":false'* ]]; then
  e2e_pass "the API server's client certificate is served"
else
  e2e_fail "the API server's client certificate is served" "$out"
fi

# ---------------------------------------------------------------- server-side dry run
if out=$(session alice-dry alice shell | kas alice create --dry-run=server -f - 2>&1); then
  e2e_pass "dry-run=server of a valid session is allowed"
else
  e2e_fail "dry-run=server of a valid session is allowed" "$out"
fi
if kadmin get usersession alice-dry >/dev/null 2>&1; then e2e_fail "dry-run stores nothing"; else e2e_pass "dry-run stores nothing"; fi
out=$(session alice-dry alice quantum | kas alice create --dry-run=server -f - 2>&1)
expect_contains "dry-run=server of an invalid session is denied by the webhook" \
  "${DENIED}spec.profile: Unsupported value: \"quantum\"" "$out"

# ---------------------------------------------------------------- a bad policy is refused, the old one stays
bad=$(current_policy |
  jq '.spec.publicExposure.ipPool += ["192.0.2.300", "192.0.2.5"] | .spec.profiles |= map(select(.name != "desktop"))')
out=$(kadmin apply -f - <<<"$bad" 2>&1)
expect_contains "kubectl apply of a bad SessionPolicy is refused with its field errors" \
  'admission webhook "sessionpolicies.validate.sessiongate.io" denied the request: ' "$out"
expect_contains "the refusal names the unparseable pool entry" 'spec.publicExposure.ipPool[3]: Invalid value: "192.0.2.300"' "$out"
expect_contains "the refusal names the overlapping pool entry" 'spec.publicExposure.ipPool[4]: Invalid value: "192.0.2.5": overlaps' "$out"
if kadmin get sessionpolicy default -o json | jq -e '.spec.profiles | map(.name) | index("desktop")' >/dev/null; then
  e2e_pass "the stored policy is unchanged after the refusal"
else
  e2e_fail "the stored policy is unchanged after the refusal"
fi
sleep 1
if out=$(session alice-desktop alice desktop | kas alice create -f - 2>&1); then
  e2e_pass "a session valid only under the old policy is still allowed"
else
  e2e_fail "a session valid only under the old policy is still allowed" "$out"
fi
reset_sessions

# ---------------------------------------------------------------- a valid change takes effect live
out=$(session alice-scratch alice scratch | kas alice create --dry-run=server -f - 2>&1)
expect_contains "profile scratch is unknown before the change" "${DENIED}spec.profile: Unsupported value: \"scratch\"" "$out"
changed=$(current_policy |
  jq '.spec.profiles += [{"name":"scratch","image":"docker.io/library/busybox:1.36","defaultTTL":"1h","maxTTL":"2h","maxInactivity":"30m","defaultGateway":"none","allowNoGateway":true}]')
if out=$(kadmin apply -f - <<<"$changed" 2>&1); then
  e2e_pass "a valid changed SessionPolicy is accepted"
else
  e2e_fail "a valid changed SessionPolicy is accepted" "$out"
fi
if out=$(until_allowed 10 bash -c "$(declare -f session); session alice-scratch alice scratch | kubectl --kubeconfig '$CP_DIR/kubeconfig/alice.kubeconfig' create -f -"); then
  e2e_pass "the new profile is usable within 10 s, without restarting the webhook"
else
  e2e_fail "the new profile is usable within 10 s, without restarting the webhook" "$out"
fi
reset_sessions

# ---------------------------------------------------------------- webhook down: fail closed; back: answered
e2e_webhook_stop
out=$(session alice-down alice shell | kas alice create -f - 2>&1)
expect_contains "with the webhook down, session requests fail closed (failurePolicy Fail)" \
  'failed calling webhook "usersessions.validate.sessiongate.io"' "$out"
if kadmin get usersession alice-down >/dev/null 2>&1; then
  e2e_fail "nothing is stored while the webhook is down"
else
  e2e_pass "nothing is stored while the webhook is down"
fi
if e2e_webhook_start; then e2e_pass "the webhook restarts and becomes ready"; else e2e_fail "the webhook restarts and becomes ready"; fi
if out=$(until_allowed 10 bash -c "$(declare -f session); session alice-up alice shell | kubectl --kubeconfig '$CP_DIR/kubeconfig/alice.kubeconfig' create -f -"); then
  e2e_pass "after the restart, requests are answered again"
else
  e2e_fail "after the restart, requests are answered again" "$out"
fi
out=$(session bob-by-alice-2 bob shell | kas alice create -f - 2>&1)
expect_contains "after the restart, denials come from the reloaded policy" "${DENIED}spec.user: Forbidden: alice may not" "$out"

e2e_summary
