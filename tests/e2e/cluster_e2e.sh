#!/usr/bin/env bash
# e2e of the parts that talk to the API server without the webhook: the C++ API client (kube-e2e: CRUD, paged
# lists, every patch type, watch and bookmarks) and the manifests (`kubectl apply --dry-run=server -k
# manifests/` after the CRDs are installed, and a real install of the RBAC that the other suites rely on).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
: "${E2E_BUILD_DIR:?set E2E_BUILD_DIR to the build tree}"
E2E_DIR=$(mktemp -d /tmp/sessiongate-cluster-e2e.XXXXXX)
E2E_OWN_DIR=$E2E_DIR
trap e2e_cleanup EXIT
trap 'exit 143' TERM INT
CP_DIR="$E2E_DIR/cp"
cp_up "$CP_DIR" --sessiongate-ns || { e2e_fail "control plane starts"; e2e_summary; exit 1; }

# The API client against the real server; its own lines are kept, its verdict becomes one check here.
if "$E2E_BUILD_DIR/core/kube/kube-e2e" --kubeconfig "$KUBECONFIG_ADMIN" >"$E2E_DIR/kube-e2e.log" 2>&1; then
  e2e_pass "kube client e2e: $(tail -1 "$E2E_DIR/kube-e2e.log")"
else
  e2e_fail "kube client e2e" "$(grep -E '^FAIL|failed' "$E2E_DIR/kube-e2e.log" | head -10)"
fi

# Manifests: CRDs for real (a dry run cannot establish them), then everything with --dry-run=server.
if out=$(kadmin apply -k "$E2E_SRC_DIR/manifests/crds" 2>&1) &&
   cp_wait_established "$KUBECONFIG_ADMIN" usersessions.sessiongate.io sessionpolicies.sessiongate.io 2>/dev/null; then
  e2e_pass "CRDs install and become Established"
else
  e2e_fail "CRDs install and become Established" "$out"
fi
if out=$(kadmin apply --dry-run=server -k "$E2E_SRC_DIR/manifests" 2>&1); then
  e2e_pass "kubectl apply --dry-run=server -k manifests/ ($(grep -c 'server dry run' <<<"$out") objects)"
else
  e2e_fail "kubectl apply --dry-run=server -k manifests/" "$out"
fi
# The inactivity overlay (the install plus the tracker) is accepted too, and the controller accepts the
# arguments it gives it ($(...) references are filled by the kubelet: a sample value stands in). Its
# namespace for real first: a dry run does not create one for the objects in it.
if out=$(kadmin apply -f "$E2E_SRC_DIR/manifests/tracker/namespace.yaml" 2>&1) &&
   out=$(kadmin apply --dry-run=server -k "$E2E_SRC_DIR/manifests/overlays/inactivity" -o json \
     2>"$E2E_DIR/overlay.err") &&
   count=$(jq '.items | length' <<<"$out" 2>/dev/null); then
  # stderr has the namespace's Pod Security warn-level (baseline) notice about the host-network tracker.
  e2e_pass "kubectl apply --dry-run=server -k manifests/overlays/inactivity ($count objects)"
else
  e2e_fail "kubectl apply --dry-run=server -k manifests/overlays/inactivity" "$out $(cat "$E2E_DIR/overlay.err")"
fi
mapfile -t ctl_args < <(jq -r '.items[] | select(.kind == "Deployment" and .metadata.name == "sessiongate-controller")
  | .spec.template.spec.containers[0].args[]' <<<"$out" 2>/dev/null | sed 's/\$([A-Z_]*)/sample/g')
# The arguments are parsed and checked first; with a kubeconfig that does not exist the controller then stops
# at loading it (exit 1), where a refused argument exits 2. (--help would print the table whatever else is given.)
ctl_status=0
help=$("$E2E_BUILD_DIR/controller/sessiongate-controller" "${ctl_args[@]}" --kubeconfig "$E2E_DIR/none.kubeconfig" \
  2>&1 >/dev/null) || ctl_status=$?
if grep -q -- '--tracker-selector=' <<<"${ctl_args[*]}" && [[ $ctl_status == 1 ]] &&
   ! grep -q -- '--help for the flags' <<<"$help"; then
  e2e_pass "sessiongate-controller accepts the inactivity overlay's arguments (${ctl_args[*]})"
else
  e2e_fail "sessiongate-controller accepts the inactivity overlay's arguments" "${ctl_args[*]}: ${help:-}"
fi
# Nothing of the dry run was stored.
if ! kadmin get deployment -n sessiongate-system sessiongate-webhook >/dev/null 2>&1; then
  e2e_pass "the dry run stored nothing"
else
  e2e_fail "the dry run stored nothing"
fi
# The default policy is valid for the CRD schema and CEL rules, and its defaults are filled in.
if kadmin apply -f "$E2E_SRC_DIR/policies/default.yaml" >/dev/null 2>&1 &&
   [[ $(kadmin get sessionpolicy default -o jsonpath='{.spec.network.allowDNS}') == true ]]; then
  e2e_pass "policies/default.yaml is accepted by the CRD schema, with defaults"
else
  e2e_fail "policies/default.yaml is accepted by the CRD schema, with defaults"
fi
e2e_summary
