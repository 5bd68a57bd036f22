#include "controller/informers/session_informers.h"

#include <utility>

#include "controller/informers/object_trim.h"
#include "controller/reconcile/names.h"
#include "core/json_fields.h"

namespace sessiongate::controller {

std::string sessionOf(const Json& object) {
  if (!object.contains("metadata")) return "";
  const Json& metadata = object["metadata"];
  if (!metadata.contains("labels") || !metadata["labels"].is_object()) return "";
  return metadata["labels"].value(kSessionLabel, "");
}

// userOf is a UserSession's spec.user, the sessions store's index.
std::string userOf(const Json& session) {
  const Json* spec = memberOf(session, "spec");
  return spec ? stringOf(*spec, "user") : "";
}

SessionInformers::SessionInformers(const kube::KubeClient& client, const std::string& policyName,
                                   Enqueue enqueue)
    : client_(client), policyName_(policyName), enqueue_(std::move(enqueue)) {
  sessions_ = &add(
      kube::resources::kUserSessions, {},
      [this](const Json& object) { enqueue_(object["metadata"].value("name", "")); }, userOf);
  kube::ReflectorOptions policyOptions;
  policyOptions.fieldSelector = "metadata.name=" + policyName_;
  policies_ = &add(kube::resources::kSessionPolicies, policyOptions, [this](const Json&) {
    for (const std::string& name : sessionNames()) enqueue_(name);
  });
  kube::ReflectorOptions owned;
  owned.labelSelector = kSessionLabel;
  auto enqueueOwner = [this](const Json& object) {
    std::string session = sessionOf(object);
    if (!session.empty()) enqueue_(session);
  };
  for (const kube::ResourceRef* ref :
       {&kube::resources::kNamespaces, &kube::resources::kServices, &kube::resources::kPods,
        &kube::resources::kResourceQuotas, &kube::resources::kLimitRanges, &kube::resources::kNetworkPolicies,
        &kube::resources::kRoleBindings}) {
    add(*ref, owned, enqueueOwner);
  }
}

kube::Informer& SessionInformers::add(const kube::ResourceRef& ref, kube::ReflectorOptions options,
                                      kube::ObjectHandler handler, kube::IndexFunc index) {
  kube::InformerOptions informerOptions;
  // Every store but the policy's (one object, read by every reconcile) holds thousands of objects of one
  // kind: packed and compressed.
  informerOptions.compressed = &ref != &kube::resources::kSessionPolicies;
  informerOptions.index = std::move(index);
  informers_.push_back(std::make_unique<kube::Informer>(client_, ref, std::move(options), trimFor(ref),
                                                        std::move(handler), std::move(informerOptions)));
  return *informers_.back();
}

void SessionInformers::start() {
  for (auto& informer : informers_) informer->start();
}

void SessionInformers::stop() {
  for (auto& informer : informers_) informer->stop();
}

bool SessionInformers::hasSynced() const {
  for (const auto& informer : informers_) {
    if (!informer->hasSynced()) return false;
  }
  return true;
}

std::vector<std::string> SessionInformers::sessionNames() const {
  // UserSessions are cluster-scoped: their keys are their names.
  return sessions_->store().keys();
}

kube::SharedObject SessionInformers::policy() const {
  return policies_->store().find("", policyName_);
}

kube::SharedObject SessionInformers::find(const kube::ResourceRef& ref, std::string_view ns,
                                          std::string_view name) const {
  for (const auto& informer : informers_) {
    if (informer->ref().resource == ref.resource && informer->ref().group == ref.group) {
      return informer->store().find(ref.namespaced ? ns : std::string_view{}, name);
    }
  }
  return nullptr;
}

std::vector<kube::SharedObject> SessionInformers::sessionsOf(std::string_view user) const {
  return sessions_->store().byIndex(user);  // "" is never indexed: no sessions
}

}  // namespace sessiongate::controller
