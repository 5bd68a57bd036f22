#pragma once
// ClusterView is the read-only picture of the cluster the admission rules need: the policy in force, the
// UserSessions and the session Namespaces. Filled from files offline or by watches in a cluster; reads
// never block on the API server.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/policy.h"
#include "core/user_session.h"

namespace sessiongate {

// NamespaceInfo is what the rules read of a Namespace.
struct NamespaceInfo {
  std::string name;
  std::map<std::string, std::string> labels;
};

// ClusterView answers the admission rules' questions about the cluster.
class ClusterView {
 public:
  virtual ~ClusterView() = default;
  // policy is the SessionPolicy in force, or null when none is loaded yet.
  virtual std::shared_ptr<const SessionPolicy> policy() const = 0;
  // policyName is the name of the SessionPolicy that is (or, once created, will be) in force.
  virtual std::string policyName() const = 0;
  // session is the UserSession named name, shared read-only (a lookup copies a pointer), or null. Its
  // status is not kept: no rule reads it.
  virtual std::shared_ptr<const UserSession> session(std::string_view name) const = 0;
  // sessionCountForUser counts the user's sessions that are not being deleted.
  virtual std::size_t sessionCountForUser(std::string_view user) const = 0;
  virtual std::optional<NamespaceInfo> namespaceInfo(std::string_view name) const = 0;
};

// MemoryClusterView is a thread-safe ClusterView filled by a loader or an informer. It keeps each user's
// count of sessions not being deleted as sessions come and go, so sessionCountForUser is one lookup.
class MemoryClusterView : public ClusterView {
 public:
  std::shared_ptr<const SessionPolicy> policy() const override;
  std::string policyName() const override;
  std::shared_ptr<const UserSession> session(std::string_view name) const override;
  std::size_t sessionCountForUser(std::string_view user) const override;
  std::optional<NamespaceInfo> namespaceInfo(std::string_view name) const override;

  void setPolicy(std::shared_ptr<const SessionPolicy> policy);
  // setPolicyName names the policy the view's source loads (default "default").
  void setPolicyName(std::string name);
  void upsertSession(UserSession session);
  void removeSession(std::string_view name);
  void upsertNamespace(NamespaceInfo ns);
  void removeNamespace(std::string_view name);
  // replaceObjects swaps all sessions and namespaces at once (a file reload).
  void replaceObjects(std::map<std::string, UserSession, std::less<>> sessions,
                      std::map<std::string, NamespaceInfo, std::less<>> namespaces);

 private:
  using SessionMap = std::map<std::string, std::shared_ptr<const UserSession>, std::less<>>;
  // count adds delta to the count of session's user when the session counts (it is not being deleted).
  void count(const UserSession& session, int delta);
  void setSessions(std::map<std::string, UserSession, std::less<>> sessions);

  mutable std::shared_mutex mu_;
  std::shared_ptr<const SessionPolicy> policy_;
  std::string policyName_ = "default";
  SessionMap sessions_;
  std::map<std::string, std::size_t, std::less<>> liveSessionsByUser_;  // users with a count of 0 erased
  std::map<std::string, NamespaceInfo, std::less<>> namespaces_;
};

}  // namespace sessiongate
