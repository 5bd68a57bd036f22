#include "tests/e2e/case_exceptions.h"

namespace sessiongate::e2e {
namespace {

// In the API server, a request passes mutating admission, then the CRD's schema and CEL rules, then
// validating admission. What the schema already refuses never reaches the webhook, so kubectl shows the
// schema's field errors instead of the webhook's message; the outcome (denied) is the same.
const std::vector<CaseException> exceptions{
    {"exposure-bad-port-names",
     "the schema's name pattern and maxLength 15; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(The UserSession "alice-web" is invalid)",
      R"(spec.publicExposure.ports[0].name: Invalid value: "Web_Server")",
      R"(spec.publicExposure.ports[1].name: Too long: may not be more than 15 bytes)"}},
    {"exposure-duplicate-name",
     "ports is a list-map keyed by name; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(The UserSession "alice-web" is invalid)",
      R"(spec.publicExposure.ports[1]: Duplicate value: map[string]interface {}{"name":"web"})"}},
    {"exposure-duplicate-port",
     "a CEL rule on (protocol, port); the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(The UserSession "alice-web" is invalid)",
      R"(spec.publicExposure.ports: Invalid value: "array": two ports use the same (protocol, port))"}},
    {"exposure-duplicate-target-port",
     "a CEL rule on (protocol, targetPort); the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(The UserSession "alice-web" is invalid)",
      R"(spec.publicExposure.ports: Invalid value: "array": two ports use the same (protocol, targetPort))"}},
    {"exposure-every-violation-listed",
     "duplicate names and target ports are schema errors; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml); the schema lists every violation it finds too",
     false,
     {R"(The UserSession "alice-web" is invalid)",
      R"(spec.publicExposure.ports[1]: Duplicate value: map[string]interface {}{"name":"web"})",
      R"(two ports use the same (protocol, targetPort))"}},
    {"exposure-port-out-of-range",
     "minimum/maximum of targetPort and port; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(spec.publicExposure.ports[0].targetPort: Invalid value: 0)",
      R"(spec.publicExposure.ports[0].port: Invalid value: 70000)"}},
    {"exposure-unsupported-protocol",
     "protocol is an enum; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(spec.publicExposure.ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP")"}},
    {"pod-namespace-not-known-yet-denied",
     "a namespace unknown to the webhook's cache cannot be made on a real API server, since the namespace "
     "does not exist at all: the API server's NamespaceLifecycle admission refuses the pod before any "
     "webhook; "
     "offline the case pins the webhook's own refusal of a namespace it has not seen (a lagging watch)",
     false,
     {R"(namespaces "sess-alice-newer" not found)"}},
    {"pod-procmount-denied",
     "the API server drops securityContext.procMount while its ProcMountType feature gate is off (the "
     "default "
     "of v1.32): the pod is stored without it, so there is nothing left to refuse; offline, and on clusters "
     "with the gate on, the webhook refuses Unmasked",
     true,
     {}},
    {"policy-bad-port-range",
     "autoPortRange has a CEL rule; the CRD schema refuses it before admission "
     "(manifests/crds/sessionpolicies.yaml)",
     false,
     {R"(The SessionPolicy "staging" is invalid)",
      R"(spec.publicExposure.autoPortRange: Invalid value: "string": autoPortRange must be first-last with 1 <= first <= last <= 65535)"}},
    {"policy-default-ttl-above-max",
     "a CEL rule compares defaultTTL with maxTTL; the CRD schema refuses it before admission "
     "(manifests/crds/sessionpolicies.yaml)",
     false,
     {R"(The SessionPolicy "staging" is invalid)",
      R"(spec.profiles[0].defaultTTL: Invalid value: "object": defaultTTL must not exceed maxTTL)"}},
    {"policy-duplicate-names",
     "profiles and gateways are list-maps keyed by name; the CRD schema refuses it before admission "
     "(manifests/crds/sessionpolicies.yaml)",
     false,
     {R"(spec.gateways[1]: Duplicate value: map[string]interface {}{"name":"campus"})",
      R"(spec.profiles[1]: Duplicate value: map[string]interface {}{"name":"shell"})"}},
    {"policy-malformed-durations",
     "durations have a pattern; the CRD schema refuses it before admission "
     "(manifests/crds/sessionpolicies.yaml)",
     false,
     {R"(spec.profiles[0].defaultTTL: Invalid value: "one hour": spec.profiles[0].defaultTTL in body should match)"}},
    {"policy-unknown-gateway-referenced",
     "a CEL rule checks gateway references; the CRD schema refuses it before admission "
     "(manifests/crds/sessionpolicies.yaml)",
     false,
     {R"(The SessionPolicy "staging" is invalid)",
      R"(spec.profiles: Invalid value: "object": a profile lists a gateway that spec.gateways does not define)"}},
    {"session-missing-user",
     "spec.user is required; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(The UserSession "alice-anonymous" is invalid)", R"(spec.user: Required value)"}},
    {"session-ttl-malformed",
     "ttl has a duration pattern; the CRD schema refuses it before admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(spec.ttl: Invalid value: "two hours": spec.ttl in body should match)"}},
    {"update-profile-immutable",
     "a CEL transition rule (self == oldSelf): the CRD schema refuses it before validating admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(spec.profile: Invalid value: "string": spec.profile is immutable; delete the session and create a new one)"}},
    {"update-claims-session-denied",
     "a CEL transition rule (self == oldSelf) on spec.user: the CRD schema refuses the rewrite before "
     "validating admission (manifests/crds/usersessions.yaml); the webhook would refuse it too, as the stored "
     "owner is not the requester",
     false,
     {R"(spec.user: Invalid value: "string": spec.user is immutable; delete the session and create a new one)"}},
    {"update-user-immutable",
     "a CEL transition rule (self == oldSelf): the CRD schema refuses it before validating admission "
     "(manifests/crds/usersessions.yaml)",
     false,
     {R"(spec.user: Invalid value: "string": spec.user is immutable; delete the session and create a new one)"}},
};

}  // namespace

const CaseException* findException(const std::string& caseName) {
  for (const CaseException& e : exceptions) {
    if (e.caseName == caseName) return &e;
  }
  return nullptr;
}

const std::vector<CaseException>& allExceptions() {
  return exceptions;
}

}  // namespace sessiongate::e2e
