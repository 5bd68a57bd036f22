#include "core/cluster_view.h"

namespace sessiongate {

std::shared_ptr<const SessionPolicy> MemoryClusterView::policy() const {
  std::shared_lock lock(mu_);
  return policy_;
}

std::string MemoryClusterView::policyName() const {
  std::shared_lock lock(mu_);
  return policyName_;
}

void MemoryClusterView::setPolicyName(std::string name) {
  std::unique_lock lock(mu_);
  policyName_ = std::move(name);
}

std::optional<UserSession> MemoryClusterView::session(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = sessions_.find(name);
  if (it == sessions_.end()) return std::nullopt;
  return it->second;
}

std::size_t MemoryClusterView::sessionCountForUser(std::string_view user) const {
  std::shared_lock lock(mu_);
  std::size_t n = 0;
  for (const auto& [name, s] : sessions_) {
    if (s.spec.user == user && !s.deleting) ++n;
  }
  return n;
}

std::optional<NamespaceInfo> MemoryClusterView::namespaceInfo(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = namespaces_.find(name);
  if (it == namespaces_.end()) return std::nullopt;
  return it->second;
}

void MemoryClusterView::setPolicy(std::shared_ptr<const SessionPolicy> policy) {
  std::unique_lock lock(mu_);
  policy_ = std::move(policy);
}

void MemoryClusterView::upsertSession(UserSession session) {
  std::unique_lock lock(mu_);
  std::string name = session.name;
  sessions_.insert_or_assign(std::move(name), std::move(session));
}

void MemoryClusterView::removeSession(std::string_view name) {
  std::unique_lock lock(mu_);
  if (auto it = sessions_.find(name); it != sessions_.end()) sessions_.erase(it);
}

void MemoryClusterView::upsertNamespace(NamespaceInfo ns) {
  std::unique_lock lock(mu_);
  std::string name = ns.name;
  namespaces_.insert_or_assign(std::move(name), std::move(ns));
}

void MemoryClusterView::removeNamespace(std::string_view name) {
  std::unique_lock lock(mu_);
  if (auto it = namespaces_.find(name); it != namespaces_.end()) namespaces_.erase(it);
}

void MemoryClusterView::replaceSessions(std::map<std::string, UserSession, std::less<>> sessions) {
  std::unique_lock lock(mu_);
  sessions_ = std::move(sessions);
}

void MemoryClusterView::replaceNamespaces(std::map<std::string, NamespaceInfo, std::less<>> namespaces) {
  std::unique_lock lock(mu_);
  namespaces_ = std::move(namespaces);
}

void MemoryClusterView::replaceObjects(std::map<std::string, UserSession, std::less<>> sessions,
                                       std::map<std::string, NamespaceInfo, std::less<>> namespaces) {
  std::unique_lock lock(mu_);
  sessions_ = std::move(sessions);
  namespaces_ = std::move(namespaces);
}

}  // namespace sessiongate
