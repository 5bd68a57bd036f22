#!/usr/bin/env bash
# Sessions created by alice get every child with the right spec and are provisioned (this control plane has
# no node: their workers stay Pending, so WorkerReady is False with reason PodPending and Ready False); the
# conditions follow the worker pod's and the Service's status as the kubelet and a load balancer write them
# (written here by the test, since neither runs here; tests/e2e/node_sessiongate_e2e.sh has the real ones);
# a worker pod the quota refuses shows why; exposure honours explicit ports and assigns the rest; a child deleted by hand is restored; deleting a session removes everything;
# the controller holds the leader Lease and serves /metrics.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
ctl_start --leader-elect --workers 4 || fail "controller became ready" "$(tail -5 "$CTL_WORK/controller.log")"

session s1
check "s1 is provisioned, its worker waiting for a node" eventually 30 provisioned s1
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
check "s2 is provisioned" eventually 30 provisioned s2
check "exposure allocated with address and ports, waiting for the load balancer" test "$(jp usersession s2 -o jsonpath='{.status.publicExposure.phase} {.status.publicExposure.externalIP} {.status.publicExposure.ports[*].port}')" = "Provisioning 198.51.100.10 443 40000"
check "s2: Exposed False, LoadBalancerPending" condition_is s2 Exposed False LoadBalancerPending
check "s1 asks for no exposure: Exposed False, NotRequested" condition_is s1 Exposed False NotRequested
# What a load balancer (MetalLB) writes once it announces an address.
lb_announces() { kadmin patch svc -n sess-s2 public --subresource=status --type=merge -p "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"$1\"}]}}}" >/dev/null; }
lb_announces 198.51.100.99
check "another address announced: Exposed False, LoadBalancerMismatch" eventually 20 condition_is s2 Exposed False LoadBalancerMismatch
lb_announces 198.51.100.10
check "the allocated address announced: Exposed True, LoadBalancerReady" eventually 20 condition_is s2 Exposed True LoadBalancerReady
check "publicExposure.phase Ready" test "$(jp usersession s2 -o jsonpath='{.status.publicExposure.phase}')" = Ready
check "s2 still not Ready: its worker is not" condition_is s2 Ready False WorkerNotReady

# What the kubelet writes of a worker whose image cannot be pulled, then of one that runs and is ready.
kubelet_writes() { kadmin patch pod -n sess-s1 worker --subresource=status --type=merge -p "$1" >/dev/null; }
kubelet_writes '{"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}],"containerStatuses":[{"name":"worker","image":"docker.io/library/busybox:1.36","imageID":"","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ErrImagePull","message":"failed to pull image: not found"}}}]}}'
pull_failed() { phase_is s1 Error && condition_is s1 WorkerReady False ImagePullFailed; }
check "image pull failure: phase Error, WorkerReady ImagePullFailed" eventually 20 pull_failed
check "the status message quotes the kubelet" test "$(jp usersession s1 -o jsonpath='{.status.message}')" = "worker pod sess-s1/worker: container worker cannot get its image docker.io/library/busybox:1.36 (ErrImagePull): failed to pull image: not found"
check "ImagePullFailed Warning event" eventually 10 event_seen s1 ImagePullFailed
kubelet_writes '{"status":{"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"worker","image":"docker.io/library/busybox:1.36","imageID":"","ready":true,"started":true,"restartCount":0,"state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]}}'
running() { phase_is s1 Ready && condition_is s1 WorkerReady True PodReady && condition_is s1 Ready True Running; }
check "worker Ready: phase Ready, WorkerReady and Ready True" eventually 20 running
check "Ready event" eventually 10 event_seen s1 Ready

session q1 noroom
refused() { phase_is q1 Error && condition_is q1 WorkerReady False PodCreateRefused; }
check "a worker the quota refuses: phase Error, WorkerReady PodCreateRefused" eventually 30 refused
check "the status message carries the API server's refusal" grep -q "^the API server refused to create worker pod sess-q1/worker: Error from server (Forbidden): .*session-quota" <<<"$(jp usersession q1 -o jsonpath='{.status.message}')"
check "PodCreateRefused Warning event" eventually 10 event_seen q1 PodCreateRefused
check "everything else of q1 is in place" condition_is q1 Provisioned True Applied
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
check "no RBAC denials in the controller log" sh -c "! grep -i 'forbidden: User' $CTL_WORK/controller.log"
summary
