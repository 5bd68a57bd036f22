// SessionReconciler::applyChildren: the namespace and everything in it but the Service, applied in order
// (the namespace first, so the rest has somewhere to go). A child missing from the cache, or whose labels
// were changed, while the session was already provisioned was deleted or edited by hand: re-applying it is
// the repair, and an Event says so.
#include <vector>

#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"
#include "controller/reconcile/network_policies.h"
#include "controller/reconcile/quota.h"
#include "controller/reconcile/session_reconciler.h"
#include "controller/reconcile/worker_pod.h"

namespace sessiongate::controller {

namespace {

// Child is one object to apply and the resource it is.
struct Child {
  const kube::ResourceRef& ref;
  Json object;
  bool cached;  // an informer mirrors this kind, so drift can be seen
};

bool labelsDiffer(const Json& cached, const Json& desired) {
  const Json& want = desired["metadata"]["labels"];
  if (!cached.contains("metadata") || !cached["metadata"].contains("labels")) return true;
  const Json& have = cached["metadata"]["labels"];
  for (auto it = want.begin(); it != want.end(); ++it) {
    if (!have.contains(it.key()) || have[it.key()] != it.value()) return true;
  }
  return false;
}

std::string describe(const Child& child) {
  const Json& metadata = child.object["metadata"];
  std::string name = metadata["name"].get<std::string>();
  if (metadata.contains("namespace")) name = metadata["namespace"].get<std::string>() + "/" + name;
  return child.object["kind"].get<std::string>() + " " + name;
}

}  // namespace

std::optional<std::string> SessionReconciler::applyChildren(const SessionFacts& facts, bool wasProvisioned) {
  std::vector<Child> children;
  children.push_back({kube::resources::kNamespaces, namespaceObject(facts), true});
  children.push_back({kube::resources::kResourceQuotas, resourceQuotaObject(facts), true});
  children.push_back({kube::resources::kLimitRanges, limitRangeObject(facts), true});
  for (Json& policy : networkPolicyObjects(facts)) {
    children.push_back({kube::resources::kNetworkPolicies, std::move(policy), true});
  }
  children.push_back({kube::resources::kRoleBindings, roleBindingObject(facts), true});
  children.push_back({kube::resources::kPods, workerPodObject(facts), true});

  std::vector<std::string> repaired;
  for (const Child& child : children) {
    if (child.cached && wasProvisioned) {
      const Json& metadata = child.object["metadata"];
      auto cached =
          cache_.find(child.ref, metadata.value("namespace", ""), metadata["name"].get<std::string>());
      if (!cached) {
        repaired.push_back(describe(child) + " was deleted");
      } else if (labelsDiffer(*cached, child.object)) {
        repaired.push_back(describe(child) + " had its labels changed");
      }
    }
    auto applied = client_.apply(child.ref, child.object);
    if (applied) continue;
    if (&child.ref == &kube::resources::kPods && applied.error().invalid()) {
      // A pod's spec is immutable: one that no longer matches (a new profile image) is replaced.
      auto removed = client_.remove(kube::resources::kPods, facts.ns, kWorkerPodName);
      if (!removed && !removed.error().notFound())
        return "replacing " + describe(child) + ": " + removed.error().describe();
      repaired.push_back(describe(child) + " no longer matched its profile and was replaced");
      events_.normal(facts.session, reason::kDriftRepaired, repaired.back());
      return "waiting for the old " + describe(child) + " to go before creating it again";
    }
    return "applying " + describe(child) + ": " + applied.error().describe();
  }
  for (const std::string& what : repaired)
    events_.normal(facts.session, reason::kDriftRepaired, "restored: " + what);
  return std::nullopt;
}

}  // namespace sessiongate::controller
