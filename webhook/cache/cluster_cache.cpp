#include "webhook/cache/cluster_cache.h"

#include <spdlog/spdlog.h>

#include "core/api_names.h"
#include "core/object_meta.h"

namespace sessiongate::webhook {
namespace {

std::string nameOf(const Json& object) { return std::string(metaOf(object).name()); }

std::optional<UserSession> toSession(const Json& object) {
  SessionParse parsed = parseUserSession(object);
  if (!parsed.errors.empty()) {
    // Stored objects passed the CRD schema; a parse error here means the schema and the model disagree.
    spdlog::warn("usersession {}: ignored in the admission cache: {}", nameOf(object), aggregate(parsed.errors));
    return std::nullopt;
  }
  return std::move(parsed.session);
}

NamespaceInfo toNamespace(const Json& object) {
  NamespaceInfo ns{nameOf(object), {}};
  for (const auto& [k, v] : metaOf(object).labels().items()) {
    if (v.is_string()) ns.labels.emplace(k, v.get<std::string>());
  }
  return ns;
}

}  // namespace

ClusterCache::ClusterCache(const kube::KubeClient& client, MemoryClusterView& view, std::string policyName,
                           PolicyLoadObserver observer)
    : client_(client), view_(view), policyName_(std::move(policyName)), observer_(std::move(observer)) {}

ClusterCache::~ClusterCache() { stop(); }

void ClusterCache::applyPolicy(const Json& object) {
  if (nameOf(object) != policyName_) return;
  PolicyParse parsed = parsePolicy(object);
  if (!parsed.errors.empty()) {
    if (observer_) observer_(false);
    spdlog::error("sessionpolicy {}: not loaded, the previous policy stays in force: {}", policyName_,
                  aggregate(parsed.errors));
    return;
  }
  if (observer_) observer_(true);
  spdlog::info("sessionpolicy {} loaded: resourceVersion {}, {} profiles, {} gateways", policyName_,
               parsed.policy.resourceVersion, parsed.policy.profiles.size(), parsed.policy.gateways.size());
  view_.setPolicy(std::make_shared<const SessionPolicy>(std::move(parsed.policy)));
}

void ClusterCache::clearPolicy(const Json& object) {
  if (nameOf(object) != policyName_) return;
  spdlog::warn("sessionpolicy {} deleted: sessions are denied until a policy is created", policyName_);
  view_.setPolicy(nullptr);
}

void ClusterCache::start() {
  using kube::ReflectorHandlers;
  using kube::ReflectorOptions;

  ReflectorOptions policyOptions;
  policyOptions.fieldSelector = "metadata.name=" + policyName_;
  ReflectorHandlers policyHandlers;
  policyHandlers.onReplace = [this](std::vector<Json> items) {
    bool found = false;
    for (const Json& item : items) {
      if (nameOf(item) == policyName_) {
        found = true;
        applyPolicy(item);
      }
    }
    if (!found) {
      spdlog::warn("sessionpolicy {} does not exist: sessions are denied until it is created", policyName_);
      view_.setPolicy(nullptr);
    }
  };
  policyHandlers.onAdd = [this](const Json& o) { applyPolicy(o); };
  policyHandlers.onUpdate = [this](const Json& o) { applyPolicy(o); };
  policyHandlers.onDelete = [this](const Json& o) { clearPolicy(o); };

  ReflectorHandlers sessionHandlers;
  sessionHandlers.onReplace = [this](std::vector<Json> items) {
    std::map<std::string, UserSession, std::less<>> sessions;
    for (const Json& item : items) {
      if (auto s = toSession(item)) sessions.insert_or_assign(s->name, std::move(*s));
    }
    view_.replaceSessions(std::move(sessions));
  };
  auto upsertSession = [this](const Json& o) {
    if (auto s = toSession(o)) view_.upsertSession(std::move(*s));
  };
  sessionHandlers.onAdd = upsertSession;
  sessionHandlers.onUpdate = upsertSession;
  sessionHandlers.onDelete = [this](const Json& o) { view_.removeSession(nameOf(o)); };

  ReflectorOptions namespaceOptions;
  namespaceOptions.labelSelector = kSessionLabel;
  ReflectorHandlers namespaceHandlers;
  namespaceHandlers.onReplace = [this](std::vector<Json> items) {
    std::map<std::string, NamespaceInfo, std::less<>> namespaces;
    for (const Json& item : items) {
      NamespaceInfo ns = toNamespace(item);
      namespaces.insert_or_assign(ns.name, std::move(ns));
    }
    view_.replaceNamespaces(std::move(namespaces));
  };
  namespaceHandlers.onAdd = [this](const Json& o) { view_.upsertNamespace(toNamespace(o)); };
  namespaceHandlers.onUpdate = namespaceHandlers.onAdd;
  namespaceHandlers.onDelete = [this](const Json& o) { view_.removeNamespace(nameOf(o)); };

  reflectors_.push_back(std::make_unique<kube::Reflector>(client_, kube::resources::kSessionPolicies,
                                                          policyOptions, std::move(policyHandlers)));
  reflectors_.push_back(std::make_unique<kube::Reflector>(client_, kube::resources::kUserSessions,
                                                          ReflectorOptions{}, std::move(sessionHandlers)));
  reflectors_.push_back(std::make_unique<kube::Reflector>(client_, kube::resources::kNamespaces,
                                                          namespaceOptions, std::move(namespaceHandlers)));
  for (auto& r : reflectors_) threads_.emplace_back([&r] { r->run(); });
}

void ClusterCache::stop() {
  for (auto& r : reflectors_) r->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool ClusterCache::synced() const {
  if (reflectors_.empty()) return false;
  for (const auto& r : reflectors_) {
    if (!r->hasSynced()) return false;
  }
  return true;
}

}  // namespace sessiongate::webhook
