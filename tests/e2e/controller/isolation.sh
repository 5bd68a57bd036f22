#!/usr/bin/env bash
# A session is a sandbox, as the controller and RBAC make it (no webhook here, so the controller alone must
# hold): the owner gets sessiongate:session-user in sess-<name> and cannot create NetworkPolicies, edit the
# ResourceQuota, create RoleBindings, impersonate or mint tokens for service accounts, delete the namespace or
# write the session's status; a widened NetworkPolicy is put back; a namespace sess-<name> the controller did
# not make is never adopted (Error, untouched, not deleted with the session); and maxSessionsPerUser holds when
# one user fires ten creates at once: exactly the two oldest are provisioned, the rest are Error.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ctl_up
kadmin patch sessionpolicy default --type=merge -p '{"spec":{"limits":{"maxSessionsPerUser":2}}}' >/dev/null
ctl_start --workers 4 || fail "controller became ready" "$(tail -5 "$CTL_WORK/controller.log")"

kbob() { kubectl --kubeconfig "$KUBECONFIG_BOB" "$@"; }
# refused NAME WANT CMD...: CMD must fail and its output contain WANT.
refused() {
  local name=$1 want=$2 out; shift 2
  if out=$("$@" 2>&1); then fail "$name" "allowed: $out"; return; fi
  if [[ $out == *"$want"* ]]; then pass "$name"; else fail "$name" "expected '$want' in: $out"; fi
}

# ---------------------------------------------------------------- a namespace made by someone else
kadmin create namespace sess-taken >/dev/null
kadmin create configmap keep-me -n sess-taken --from-literal=owner=admin >/dev/null
session taken
check "session over a foreign namespace goes to Error" eventually 30 phase_is taken Error
msg=$(kadmin get usersession taken -o jsonpath='{.status.message}')
check "its message says the namespace is not this session's" grep -q "namespace sess-taken already exists and was not created for this session" <<<"$msg"
check "NamespaceNotOwned event" eventually 10 sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get events -n default --field-selector involvedObject.name=taken,reason=NamespaceNotOwned -o name | grep -q ."
check "the foreign namespace is not labelled" test -z "$(kadmin get ns sess-taken -o jsonpath='{.metadata.labels.sessiongate\.io/session}')"
check "nothing was created in it" test -z "$(kadmin get rolebindings,networkpolicies,resourcequotas,pods -n sess-taken -o name 2>/dev/null)"
check "status names no namespace" test -z "$(kadmin get usersession taken -o jsonpath='{.status.namespace}')"
kalice delete usersession taken --wait=false >/dev/null
check "the session is deleted" eventually 30 gone usersession taken
check "the foreign namespace survives the session's deletion" exists configmap keep-me -n sess-taken

# ---------------------------------------------------------------- the owner's rights in her namespace
session s1
check "s1 is provisioned" eventually 30 provisioned s1
check "rolebinding names sessiongate:session-user for alice" test "$(kadmin get rolebinding -n sess-s1 sessiongate-user -o jsonpath='{.roleRef.kind}/{.roleRef.name},{.subjects[0].kind}/{.subjects[0].name}')" = "ClusterRole/sessiongate:session-user,User/alice"
check "alice may create pods" test "$(kalice auth can-i create pods -n sess-s1)" = yes
check "alice may exec into pods" test "$(kalice auth can-i create pods/exec -n sess-s1)" = yes
check "alice may create deployments" kalice create deployment web --image=docker.io/library/busybox:1.36 -n sess-s1
check "alice may create a ClusterIP service" kalice create service clusterip web --tcp=80:8080 -n sess-s1
check "alice may not create pods in bob's or any other namespace" test "$(kalice auth can-i create pods -n default)" = no
refused "alice cannot create a NetworkPolicy" \
  'User "alice" cannot create resource "networkpolicies" in API group "networking.k8s.io" in the namespace "sess-s1"' \
  kalice create -n sess-s1 -f - <<<'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"open"},"spec":{"podSelector":{},"egress":[{}],"policyTypes":["Egress"]}}'
refused "alice cannot delete the default-deny NetworkPolicy" \
  'User "alice" cannot delete resource "networkpolicies" in API group "networking.k8s.io" in the namespace "sess-s1"' \
  kalice delete networkpolicy default-deny -n sess-s1
check "alice may not patch, update or delete the ResourceQuota" test "$(for v in patch update delete; do kalice auth can-i $v resourcequotas -n sess-s1; done | sort -u)" = no
refused "alice cannot edit the ResourceQuota (kubectl patch reads it first and may not)" \
  'User "alice" cannot get resource "resourcequotas" in API group "" in the namespace "sess-s1"' \
  kalice patch resourcequota session-quota -n sess-s1 --type=merge -p '{"spec":{"hard":{"pods":"400"}}}'
refused "alice cannot edit the LimitRange" \
  'User "alice" cannot delete resource "limitranges" in API group "" in the namespace "sess-s1"' \
  kalice delete limitrange session-limits -n sess-s1
refused "alice cannot create a RoleBinding" \
  'User "alice" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "sess-s1"' \
  kalice create rolebinding mine --clusterrole=admin --user=alice -n sess-s1
refused "alice cannot impersonate the namespace's service account" \
  'User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "sess-s1"' \
  kalice get pods -n sess-s1 --as=system:serviceaccount:sess-s1:default
refused "alice cannot request a service account token" \
  'User "alice" cannot create resource "serviceaccounts/token" in API group "" in the namespace "sess-s1"' \
  kalice create token default -n sess-s1
refused "alice cannot delete her session namespace" \
  'User "alice" cannot delete resource "namespaces" in API group "" in the namespace "sess-s1"' \
  kalice delete namespace sess-s1 --wait=false
check "alice may not patch or update her session's status" test "$(for v in patch update; do kalice auth can-i $v usersessions --subresource=status; done | sort -u)" = no
refused "alice cannot write her session's status (kubectl patch reads it first and may not)" \
  'User "alice" cannot get resource "usersessions/status" in API group "sessiongate.io" at the cluster scope' \
  kalice patch usersession s1 --subresource=status --type=merge -p '{"status":{"expiresAt":"2999-01-01T00:00:00Z"}}'
refused "alice cannot create Ingresses" \
  'User "alice" cannot create resource "ingresses" in API group "networking.k8s.io" in the namespace "sess-s1"' \
  kalice create ingress open --rule='x.example.org/*=web:80' -n sess-s1
# What would reach past the Service rules: endpoints of the controller's Service, a load balancer's status.
check "alice may not write EndpointSlices, Endpoints or services/status" test "$(kalice auth can-i create endpointslices.discovery.k8s.io -n sess-s1; kalice auth can-i create endpoints -n sess-s1; kalice auth can-i patch services --subresource=status -n sess-s1)" = "$(printf 'no\nno\nno')"
check "alice may not add ephemeral containers (kubectl debug)" test "$(kalice auth can-i patch pods --subresource=ephemeralcontainers -n sess-s1)" = no
egress_before=$(kadmin get networkpolicy -n sess-s1 allow-egress -o jsonpath='{.spec.egress}')
kadmin patch networkpolicy allow-egress -n sess-s1 --type=merge -p '{"spec":{"egress":[{}]}}' >/dev/null
egress_restored() { [[ $(kadmin get networkpolicy -n sess-s1 allow-egress -o jsonpath='{.spec.egress}') == "$egress_before" ]]; }
check "a widened NetworkPolicy is put back by the controller" eventually 20 egress_restored

# ---------------------------------------------------------------- ten creates at once, limit 2
creates=()
for i in $(seq -w 1 10); do
  kbob create -f - >/dev/null 2>&1 <<YAML &
{"apiVersion":"sessiongate.io/v1alpha1","kind":"UserSession","metadata":{"name":"burst-$i"},"spec":{"user":"bob","profile":"shell"}}
YAML
  creates+=($!)
done
wait "${creates[@]}"  # not a bare wait: the controller runs in the background too
check "all ten creates were stored (no webhook: the controller alone decides)" test "$(kadmin get usersessions -o name | grep -c burst-)" = 10
phases() { kadmin get usersessions -o json | jq -r '[.items[] | select(.spec.user=="bob") | .status.phase] | sort | group_by(.) | map("\(.[0])=\(length)") | join(",")'; }
phases_are() { [[ $(phases) == "$1" ]]; }
check "exactly two of bob's sessions are provisioned and eight are Error" eventually 90 phases_are Error=8,Provisioning=2
log "bob's sessions: $(phases)"
oldest=$(kadmin get usersessions -o json | jq -r '[.items[] | select(.spec.user=="bob")] | sort_by(.metadata.creationTimestamp, .metadata.name) | .[0:2] | map(.metadata.name) | join(" ")')
ready=$(kadmin get usersessions -o json | jq -r '[.items[] | select(.spec.user=="bob" and .status.phase=="Provisioning") | .metadata.name] | sort | join(" ")')
check "the provisioned ones are the two oldest (creationTimestamp, then name)" test "$(tr ' ' '\n' <<<"$oldest" | sort | xargs)" = "$ready"
bob_namespaces() { [[ $(kadmin get ns -l sessiongate.io/user=bob -o name | wc -l) == "$1" ]]; }
check "only those two have namespaces" eventually 60 bob_namespaces 2
want_message="bob has 10 sessions and the policy's maxSessionsPerUser is 2: only the oldest ($(sed 's/ /, /' <<<"$oldest")) are provisioned and this one gets no namespace; delete it, or delete an older session and it will be provisioned"
# Every Error session says so (one reconciled while the cache held fewer sessions catches up when requeued).
error_messages_say() { [[ $(kadmin get usersessions -o json | jq -r '[.items[] | select(.spec.user=="bob" and .status.phase=="Error") | .status.message] | unique | .[]') == "$want_message" ]]; }
check "an over-limit session says why and what to do" eventually 40 error_messages_say
check "SessionLimitExceeded events" eventually 10 sh -c "kubectl --kubeconfig $KUBECONFIG_ADMIN get events -n default --field-selector reason=SessionLimitExceeded -o name | grep -q ."
first=${oldest%% *}
kbob delete usersession "$first" --wait=false >/dev/null
bob_ready() { [[ $(kadmin get usersessions -o json | jq '[.items[] | select(.spec.user=="bob" and .status.phase=="Provisioning" and .metadata.deletionTimestamp==null)] | length') == "$1" ]]; }
check "after bob deletes one, the next oldest is provisioned (level-based, within 90 s)" eventually 90 bob_ready 2

check "no RBAC denials in the controller log" sh -c "! grep -i 'forbidden: User' $CTL_WORK/controller.log"
ctl_stop
summary
