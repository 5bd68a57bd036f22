#!/usr/bin/env bash
# Sessions created by alice get every child with the right spec and reach Ready; exposure honours explicit
# ports and assigns the rest; a child deleted by hand is restored; deleting a session removes everything;
# the controller holds the leader Lease and serves /metrics.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
ctl_start --leader-elect --workers 4 || fail "controller became ready" "$(tail -5 "$CTL_WORK/controller.log")"

session s1
check "s1 reaches Ready" eventually 30 phase_is s1 Ready
jp() { kadmin get "$@" 2>/dev/null; }
check "namespace labels" test "$(jp ns sess-s1 -o jsonpath='{.metadata.labels.sessiongate\.io/session},{.metadata.labels.sessiongate\.io/user}')" = "s1,alice"
check "finalizer set" test "$(jp usersession s1 -o jsonpath='{.metadata.finalizers[*]}')" = "sessiongate.io/cleanup"
check "quota from profile" test "$(jp resourcequota -n sess-s1 session-quota -o jsonpath='{.spec.hard.pods},{.spec.hard.requests\.cpu}')" = "4,1"
check "limit range defaults" test "$(jp limitrange -n sess-s1 session-limits -o jsonpath='{.spec.limits[0].default.cpu},{.spec.limits[0].defaultRequest.memory}')" = "500m,64Mi"
check "three network policies" test "$(jp networkpolicy -n sess-s1 -o name | sort | tr '\n' ' ')" = "networkpolicy.networking.k8s.io/allow-egress networkpolicy.networking.k8s.io/allow-exposed-ingress networkpolicy.networking.k8s.io/default-deny "
check "egress allows DNS, gateway and egressCIDRs" test "$(jp networkpolicy -n sess-s1 allow-egress -o jsonpath='{.spec.egress[0].ports[*].port} {.spec.egress[1].to[0].ipBlock.cidr} {.spec.egress[2].to[0].ipBlock.cidr}')" = "53 53 192.0.2.10/32 203.0.113.0/24"
check "rolebinding sessiongate:session-user for alice" test "$(jp rolebinding -n sess-s1 sessiongate-user -o jsonpath='{.roleRef.name},{.subjects[0].kind},{.subjects[0].name}')" = "sessiongate:session-user,User,alice"
check "alice may create pods in her namespace" test "$(kalice auth can-i create pods -n sess-s1)" = "yes"
check "worker pod image and command" test "$(jp pod -n sess-s1 worker -o jsonpath='{.spec.containers[0].image} {.spec.containers[0].command[*]}')" = "docker.io/library/busybox:1.36 sleep infinity"
check "status namespace and expiresAt" test -n "$(jp usersession s1 -o jsonpath='{.status.namespace}{.status.expiresAt}')"
check "Provisioned event" eventually 10 sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get events -n default --field-selector involvedObject.name=s1,reason=Provisioned -o name | grep -q ."

session s2 shell '  publicExposure:
    ports:
      - {name: web, protocol: TCP, targetPort: 8080, port: 443}
      - {name: game, protocol: UDP, targetPort: 27015}'
check "s2 reaches Ready" eventually 30 phase_is s2 Ready
check "exposure Ready with address and ports" test "$(jp usersession s2 -o jsonpath='{.status.publicExposure.phase} {.status.publicExposure.externalIP} {.status.publicExposure.ports[*].port}')" = "Ready 198.51.100.10 443 40000"
check "service annotations and ports" test "$(jp svc -n sess-s2 public -o jsonpath='{.spec.type} {.metadata.annotations.metallb\.universe\.tf/loadBalancerIPs} {.metadata.annotations.metallb\.universe\.tf/allow-shared-ip} {.spec.ports[*].port}')" = "LoadBalancer 198.51.100.10 sessiongate 443 40000"
check "the public Service allocates no node ports (allocateLoadBalancerNodePorts false)" test "$(jp svc -n sess-s2 public -o jsonpath='{.spec.allocateLoadBalancerNodePorts}/{.spec.ports[*].nodePort}')" = "false/"
check "ingress allowed on target ports" test "$(jp networkpolicy -n sess-s2 allow-exposed-ingress -o jsonpath='{.spec.ingress[0].ports[*].port}')" = "8080 27015"

kadmin delete pod -n sess-s1 worker --wait=false >/dev/null
kadmin delete networkpolicy -n sess-s1 default-deny >/dev/null
kadmin label ns sess-s1 sessiongate.io/user=mallory --overwrite >/dev/null
check "deleted pod restored" eventually 20 exists pod -n sess-s1 worker
check "deleted network policy restored" eventually 20 exists networkpolicy -n sess-s1 default-deny
check "edited namespace label restored" eventually 20 sh -c "test \"\$(kubectl --kubeconfig $KUBECONFIG_ADMIN get ns sess-s1 -o jsonpath='{.metadata.labels.sessiongate\.io/user}')\" = alice"
check "DriftRepaired event" eventually 10 sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get events -n default --field-selector involvedObject.name=s1,reason=DriftRepaired -o name | grep -q ."

kalice delete usersession s2 --wait=false >/dev/null
check "deleted session's namespace is gone" eventually 60 gone ns sess-s2
check "deleted session is gone" eventually 20 gone usersession s2
session s3 shell '  publicExposure:
    ports:
      - {name: web, protocol: TCP, targetPort: 8080, port: 443}'
check "freed address and port are given again" eventually 30 sh -c "test \"\$(kubectl --kubeconfig $KUBECONFIG_ADMIN get usersession s3 -o jsonpath='{.status.publicExposure.externalIP}:{.status.publicExposure.ports[0].port}')\" = 198.51.100.10:443"

check "leader lease held" test -n "$(jp lease -n sessiongate-system sessiongate-controller -o jsonpath='{.spec.holderIdentity}')"
metrics=$(curl -fsS "http://127.0.0.1:$CTL_METRICS_PORT/metrics")
check "metrics: reconciles counted" grep -q '^sessiongate_controller_reconcile_total{result="success"} [1-9]' <<<"$metrics"
check "metrics: leader gauge" grep -q '^sessiongate_controller_leader 1' <<<"$metrics"
check "healthz" curl -fsS "http://127.0.0.1:$CTL_METRICS_PORT/healthz" -o /dev/null
ctl_stop
check "SIGTERM released the lease" test -z "$(jp lease -n sessiongate-system sessiongate-controller -o jsonpath='{.spec.holderIdentity}')"
check "no RBAC denials in the controller log" sh -c "! grep -i forbidden $CTL_WORK/controller.log"
summary
