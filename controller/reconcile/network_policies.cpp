#include "controller/reconcile/network_policies.h"

#include <set>
#include <string>
#include <utility>

#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"
#include "core/ip_pool.h"

namespace sessiongate::controller {

namespace {

Json policy(const SessionFacts& facts, const std::string& name, Json spec) {
  return {
      {"apiVersion", "networking.k8s.io/v1"},
      {"kind", "NetworkPolicy"},
      {"metadata", {{"name", name}, {"namespace", facts.ns}, {"labels", sessionLabels(facts)}}},
      {"spec", std::move(spec)},
  };
}

Json dnsRule() {
  return {
      {"to", Json::array(
                 {{{"namespaceSelector", {{"matchLabels", {{"kubernetes.io/metadata.name", "kube-system"}}}}},
                   {"podSelector", {{"matchLabels", {{"k8s-app", "kube-dns"}}}}}}})},
      {"ports", Json::array({{{"protocol", "UDP"}, {"port", 53}}, {{"protocol", "TCP"}, {"port", 53}}})},
  };
}

Json cidrRule(const std::string& cidr) {
  return {{"to", Json::array({{{"ipBlock", {{"cidr", cidr}}}}})}};
}

// egressPolicy builds allow-egress; the annotation is set when the gateway is a DNS name.
Json egressPolicy(const SessionFacts& facts) {
  Json rules = Json::array();
  if (facts.policy.network.allowDNS) rules.push_back(dnsRule());
  std::string note;
  if (const Gateway* gateway = facts.gateway == "none" ? nullptr : facts.policy.gateway(facts.gateway)) {
    if (auto ip = IpAddress::parse(gateway->address)) {
      rules.push_back(cidrRule(ip->str() + (ip->family == IpAddress::Family::V4 ? "/32" : "/128")));
    } else {
      note = "gateway " + gateway->name + " is the DNS name " + gateway->address +
             ", which a NetworkPolicy cannot match; list its addresses in the policy's network.egressCIDRs";
    }
  }
  for (const std::string& cidr : facts.policy.network.egressCIDRs) rules.push_back(cidrRule(cidr));
  Json object = policy(facts, kEgressPolicy,
                       {{"podSelector", Json::object()}, {"policyTypes", {"Egress"}}, {"egress", rules}});
  if (!note.empty()) object["metadata"]["annotations"] = {{kGatewayEgressAnnotation, note}};
  return object;
}

Json ingressPolicy(const SessionFacts& facts) {
  std::set<std::pair<std::string, std::int64_t>> seen;
  Json ports = Json::array();
  for (const ExposedPort& port : facts.session.spec.ports) {
    if (!seen.insert({port.protocol, port.targetPort}).second) continue;
    ports.push_back({{"protocol", port.protocol}, {"port", port.targetPort}});
  }
  Json spec = {{"podSelector", Json::object()}, {"policyTypes", {"Ingress"}}};
  // No rules means no "ingress" key at all: the API server drops an empty list, so sending one would change
  // the stored object on every apply and every change would trigger another reconcile.
  if (facts.session.spec.hasPublicExposure && !ports.empty()) spec["ingress"] = Json::array({Json{{"ports", ports}}});
  return policy(facts, kIngressPolicy, std::move(spec));
}

}  // namespace

std::vector<Json> networkPolicyObjects(const SessionFacts& facts) {
  return {
      policy(facts, kDenyAllPolicy,
             {{"podSelector", Json::object()}, {"policyTypes", {"Ingress", "Egress"}}}),
      egressPolicy(facts),
      ingressPolicy(facts),
  };
}

}  // namespace sessiongate::controller
