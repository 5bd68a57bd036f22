#pragma once
// SessionInformers are the controller's informers: UserSessions, the SessionPolicy in force, and the
// Namespaces, Services, Pods, ResourceQuotas, LimitRanges, NetworkPolicies and RoleBindings labelled
// sessiongate.io/session (so a child deleted or edited by hand triggers its repair at once). Every event is
// turned into the name of the session to reconcile (a session's own name, the label value of an owned object,
// every session when the policy changes). It is also the reconciler's ObjectCache.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "controller/reconcile/cluster_client.h"
#include "core/kube/informer.h"

namespace sessiongate::controller {

// Enqueue receives the name of a session to reconcile.
using Enqueue = std::function<void(const std::string& session)>;

// sessionOf is the session an object belongs to: its sessiongate.io/session label, or "" when it has none.
std::string sessionOf(const Json& object);

// userOf is a UserSession's spec.user ("" when it has none, or not a string): the key sessionsOf looks up.
std::string userOf(const Json& session);

// SessionInformers owns the informers and their threads.
class SessionInformers : public ObjectCache {
 public:
  SessionInformers(const kube::KubeClient& client, const std::string& policyName, Enqueue enqueue);

  void start();
  void stop();
  // hasSynced is true once every informer delivered its first list.
  bool hasSynced() const;
  // sessionNames is every cached UserSession's name.
  std::vector<std::string> sessionNames() const;
  // policy is the cached SessionPolicy in force, or null.
  kube::SharedObject policy() const;

  kube::SharedObject find(const kube::ResourceRef& ref, std::string_view ns,
                          std::string_view name) const override;
  std::vector<kube::SharedObject> sessionsOf(std::string_view user) const override;

 private:
  kube::Informer& add(const kube::ResourceRef& ref, kube::ReflectorOptions options,
                      kube::ObjectHandler handler, kube::IndexFunc index = {});

  const kube::KubeClient& client_;
  std::string policyName_;
  Enqueue enqueue_;
  std::vector<std::unique_ptr<kube::Informer>> informers_;
  kube::Informer* sessions_ = nullptr;
  kube::Informer* policies_ = nullptr;
};

}  // namespace sessiongate::controller
