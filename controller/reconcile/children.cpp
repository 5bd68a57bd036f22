// SessionReconciler::applyChildren: the namespace and everything in it but the Service, applied in order
// (the namespace first, so the rest has somewhere to go). A child unchanged since our last apply is skipped
// (AppliedRecords); one missing, or no longer holding what we applied, while the session was already
// provisioned was deleted or edited by hand: re-applying it is the repair, and an Event says so.
#include <algorithm>
#include <vector>

#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"
#include "controller/reconcile/network_policies.h"
#include "controller/reconcile/ownership.h"
#include "controller/reconcile/quota.h"
#include "controller/reconcile/session_reconciler.h"
#include "controller/reconcile/worker_pod.h"
#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

// Child is one object to apply and the resource it is.
struct Child {
  const kube::ResourceRef& ref;
  Json object;
};

// covers is true when `have` (the stored object) holds everything `want` (what the controller applies) says:
// object keys recursively, lists of named items matched by name (the webhook adds its own containers), other
// lists element by element. Extra fields the API server defaulted are fine.
bool covers(const Json& have, const Json& want) {
  if (want.is_object()) {
    if (!have.is_object()) return false;
    for (auto it = want.begin(); it != want.end(); ++it) {
      auto found = have.find(it.key());
      if (found == have.end() || !covers(*found, it.value())) return false;
    }
    return true;
  }
  if (want.is_array()) {
    if (!have.is_array()) return false;
    bool named = !want.empty() && std::all_of(want.begin(), want.end(), [](const Json& item) {
      return item.is_object() && item.contains("name");
    });
    if (named) {
      return std::all_of(want.begin(), want.end(), [&](const Json& item) {
        return std::any_of(have.begin(), have.end(), [&](const Json& stored) {
          return stored.is_object() && stored.value("name", Json()) == item["name"] && covers(stored, item);
        });
      });
    }
    if (have.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (!covers(have[i], want[i])) return false;
    }
    return true;
  }
  return have == want;
}

std::string describe(const Child& child) {
  const ObjectMeta meta(child.object);
  std::string name(meta.name());
  if (!meta.ns().empty()) name = std::string(meta.ns()) + "/" + name;
  return child.object.value("kind", "") + " " + name;
}

// refusesCreate is true when the API server refused to create an object for a reason a retry will not fix:
// Forbidden (exceeded quota, an admission webhook or Pod Security admission), BadRequest, or Invalid for an
// object that did not exist (an Invalid apply of an existing pod is an immutable field, handled by replacing
// it).
bool refusesCreate(const kube::ApiError& error, bool existed) {
  if (error.code == 403 || error.reason == "Forbidden" || error.code == 400 || error.reason == "BadRequest")
    return true;
  return error.invalid() && !existed;
}

}  // namespace

ChildrenOutcome SessionReconciler::applyChildren(const SessionFacts& facts, bool wasProvisioned) {
  std::vector<Child> children;
  children.push_back({kube::resources::kNamespaces, namespaceObject(facts)});
  children.push_back({kube::resources::kResourceQuotas, resourceQuotaObject(facts)});
  children.push_back({kube::resources::kLimitRanges, limitRangeObject(facts)});
  for (Json& policy : networkPolicyObjects(facts)) {
    children.push_back({kube::resources::kNetworkPolicies, std::move(policy)});
  }
  children.push_back({kube::resources::kRoleBindings, roleBindingObject(facts)});
  children.push_back({kube::resources::kPods, workerPodObject(facts)});

  std::vector<std::string> repaired;
  ChildrenOutcome outcome;
  const WallTime now = options_.clock->wallNow();
  for (const Child& child : children) {
    const ObjectMeta meta(child.object);
    const std::string ns(meta.ns());
    const std::string name(meta.name());
    const std::string key = childKey(child.ref.resource, ns, name);
    const std::size_t desiredHash = desiredHashOf(child.object);
    // Every child kind is mirrored by an informer, so the cache shows whether it exists and who touched it.
    const kube::SharedObject cached = cache_.find(child.ref, ns, name);
    const bool isNamespace = &child.ref == &kube::resources::kNamespaces;
    // Never adopt: a namespace of that name that is not this session's stops everything (the namespace
    // informer only sees labelled namespaces; an unlabelled one shows up as AlreadyExists below).
    if (isNamespace && cached && namespaceOwner(*cached, facts.session) != NamespaceOwner::Ours)
      return ChildrenOutcome::foreign(foreignNamespaceMessage(*cached, facts.session));
    // Level-based and cheap: unchanged desired form, and nobody touched the object since our apply.
    // Created a moment ago and not delivered by the informer yet: its event will bring the session back.
    const AppliedRecords::ApplyNeed need =
        applied_.need(key, desiredHash, cached.get(), now, options_.cacheAllowance);
    if (need == AppliedRecords::ApplyNeed::UpToDate) continue;
    if (need == AppliedRecords::ApplyNeed::AwaitingCache) {
      outcome.awaitingCache = true;
      continue;
    }
    if (wasProvisioned && !cached) repaired.push_back(describe(child) + " was deleted");
    if (wasProvisioned && cached && !covers(*cached, child.object))
      repaired.push_back(describe(child) + " was edited");
    // A child the cache has never seen is created with a plain POST, which costs the API server a good deal
    // less than a server-side apply; one that turns out to exist (the cache was behind) is applied.
    bool existed = cached != nullptr;
    auto applied =
        cached ? client_.apply(child.ref, child.object) : client_.create(child.ref, ns, child.object);
    if (!applied && applied.error().alreadyExists()) {
      existed = true;
      if (isNamespace) {
        auto existing = client_.get(child.ref, "", name);
        if (!existing)
          return ChildrenOutcome::failed("reading " + describe(child) + ": " + existing.error().describe());
        if (namespaceOwner(*existing, facts.session) != NamespaceOwner::Ours)
          return ChildrenOutcome::foreign(foreignNamespaceMessage(*existing, facts.session));
      }
      applied = client_.apply(child.ref, child.object);
    }
    if (applied) {
      applied_.record(key, desiredHash, ownershipDigest(*applied), cached != nullptr, now);
      continue;
    }
    if (&child.ref == &kube::resources::kPods && applied.error().invalid() && existed) {
      // A pod's spec is immutable: one that no longer matches (a new profile image) is replaced.
      auto removed = client_.remove(kube::resources::kPods, facts.ns, kWorkerPodName);
      if (!removed && !removed.error().notFound())
        return ChildrenOutcome::failed("replacing " + describe(child) + ": " + removed.error().describe());
      repaired.push_back(describe(child) + " no longer matched its profile and was replaced");
      events_.normal(facts.session, reason::kDriftRepaired, repaired.back());
      return ChildrenOutcome::failed("waiting for the old " + describe(child) +
                                     " to go before creating it again");
    }
    if (&child.ref == &kube::resources::kPods && refusesCreate(applied.error(), existed)) {
      // Quota, admission or validation said no: a retry will not change that; the status says why.
      for (const std::string& what : repaired)
        events_.normal(facts.session, reason::kDriftRepaired, "restored: " + what);
      return ChildrenOutcome::refused(applied.error());
    }
    return ChildrenOutcome::failed("applying " + describe(child) + ": " + applied.error().describe());
  }
  for (const std::string& what : repaired)
    events_.normal(facts.session, reason::kDriftRepaired, "restored: " + what);
  return outcome;
}

}  // namespace sessiongate::controller
