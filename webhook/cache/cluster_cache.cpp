#include "webhook/cache/cluster_cache.h"

#include <spdlog/spdlog.h>

#include "core/api_names.h"
#include "core/object_meta.h"
#include "webhook/cache/cache_trims.h"

namespace sessiongate::webhook {
namespace {

std::string nameOf(const Json& object) {
  return std::string(metaOf(object).name());
}

// stored is whether object is (still) in informer's store: the handler's event was an add or an update.
bool stored(const kube::Informer& informer, const Json& object) {
  return informer.store().find("", nameOf(object)) != nullptr;
}

std::optional<UserSession> toSession(const Json& object) {
  SessionParse parsed = parseUserSession(object);
  if (!parsed.errors.empty()) {
    // Stored objects passed the CRD schema; a parse error here means the schema and the model disagree.
    spdlog::warn("usersession {}: ignored in the admission cache: {}", nameOf(object),
                 aggregate(parsed.errors));
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

ClusterCache::~ClusterCache() {
  stop();
}

void ClusterCache::applyPolicy(const Json& object) {
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

void ClusterCache::onPolicy(const Json& object) {
  if (nameOf(object) != policyName_) return;
  if (stored(*policies_, object)) {
    applyPolicy(object);
    return;
  }
  spdlog::warn("sessionpolicy {} deleted: sessions are denied until a policy is created", policyName_);
  view_.setPolicy(nullptr);
}

void ClusterCache::onSession(const Json& object) {
  if (!stored(*sessions_, object)) {
    view_.removeSession(nameOf(object));
  } else if (auto session = toSession(object)) {
    view_.upsertSession(std::move(*session));
  } else {
    view_.removeSession(nameOf(object));  // an unreadable version does not leave an older one in force
  }
}

void ClusterCache::onNamespace(const Json& object) {
  if (stored(*namespaces_, object)) {
    view_.upsertNamespace(toNamespace(object));
  } else {
    view_.removeNamespace(nameOf(object));
  }
}

void ClusterCache::start() {
  using kube::InformerOptions;
  using kube::ReflectorOptions;
  InformerOptions identities;
  identities.identityOnly = true;

  ReflectorOptions policyOptions;
  policyOptions.fieldSelector = "metadata.name=" + policyName_;
  InformerOptions policyInformer = identities;
  policyInformer.onSynced = [this] {
    if (policies_->store().size() == 0) {
      spdlog::warn("sessionpolicy {} does not exist: sessions are denied until it is created", policyName_);
      view_.setPolicy(nullptr);
    }
  };
  policies_ = std::make_unique<kube::Informer>(
      client_, kube::resources::kSessionPolicies, policyOptions, policyTrim(),
      [this](const Json& o) { onPolicy(o); }, policyInformer);
  sessions_ = std::make_unique<kube::Informer>(
      client_, kube::resources::kUserSessions, ReflectorOptions{}, sessionTrim(),
      [this](const Json& o) { onSession(o); }, identities);
  ReflectorOptions namespaceOptions;
  namespaceOptions.labelSelector = kSessionLabel;
  namespaces_ = std::make_unique<kube::Informer>(
      client_, kube::resources::kNamespaces, namespaceOptions, namespaceTrim(),
      [this](const Json& o) { onNamespace(o); }, identities);
  for (kube::Informer* informer : {policies_.get(), sessions_.get(), namespaces_.get()}) informer->start();
}

void ClusterCache::stop() {
  for (kube::Informer* informer : {policies_.get(), sessions_.get(), namespaces_.get()}) {
    if (informer) informer->stop();
  }
}

bool ClusterCache::synced() const {
  if (!policies_ || !sessions_ || !namespaces_) return false;
  return policies_->hasSynced() && sessions_->hasSynced() && namespaces_->hasSynced();
}

}  // namespace sessiongate::webhook
