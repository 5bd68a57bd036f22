# bench/lib.sh: set-up shared by the benches that run on a local control plane; sourced after
# scripts/controlplane/lib.sh, with ROOT set.

# bench_control_plane DIR starts a control plane in DIR with sessiongate's CRDs, RBAC and the default policy,
# its per-user limit lifted (0: none): the benches give many sessions to few users to measure provisioning
# and caching, not refusals. Defines kadmin (kubectl as the cluster admin).
bench_control_plane() {
  cp_up "$1" --sessiongate-ns >/dev/null
  kadmin() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
  kadmin apply -k "$ROOT/manifests/crds" >/dev/null
  cp_wait_established "$KUBECONFIG_ADMIN" usersessions.sessiongate.io sessionpolicies.sessiongate.io
  kadmin apply -k "$ROOT/manifests/rbac" >/dev/null
  kadmin apply -f "$ROOT/policies/default.yaml" >/dev/null
  kadmin patch sessionpolicy default --type=merge -p '{"spec":{"limits":{"maxSessionsPerUser":0}}}' >/dev/null
}
