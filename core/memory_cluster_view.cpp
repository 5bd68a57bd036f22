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

namespace {

// kept is what the view holds of a session: all the rules read, so not its status.
std::shared_ptr<const UserSession> kept(UserSession session) {
  session.status = nullptr;
  return std::make_shared<const UserSession>(std::move(session));
}

}  // namespace

std::shared_ptr<const UserSession> MemoryClusterView::session(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = sessions_.find(name);
  if (it == sessions_.end()) return nullptr;
  return it->second;
}

std::size_t MemoryClusterView::sessionCountForUser(std::string_view user) const {
  std::shared_lock lock(mu_);
  auto it = liveSessionsByUser_.find(user);
  return it == liveSessionsByUser_.end() ? 0 : it->second;
}

void MemoryClusterView::count(const UserSession& session, int delta) {
  if (session.deleting) return;
  auto it = liveSessionsByUser_.find(session.spec.user);
  if (delta > 0) {
    if (it == liveSessionsByUser_.end()) it = liveSessionsByUser_.emplace(session.spec.user, 0).first;
    ++it->second;
  } else if (it != liveSessionsByUser_.end() && --it->second == 0) {
    liveSessionsByUser_.erase(it);
  }
}

void MemoryClusterView::setSessions(std::map<std::string, UserSession, std::less<>> sessions) {
  sessions_.clear();
  liveSessionsByUser_.clear();
  for (auto& [name, session] : sessions) {
    count(session, +1);
    sessions_.emplace(name, kept(std::move(session)));
  }
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
  auto it = sessions_.find(session.name);
  if (it != sessions_.end()) {
    count(*it->second, -1);
  } else {
    it = sessions_.emplace(session.name, nullptr).first;
  }
  count(session, +1);
  it->second = kept(std::move(session));
}

void MemoryClusterView::removeSession(std::string_view name) {
  std::unique_lock lock(mu_);
  if (auto it = sessions_.find(name); it != sessions_.end()) {
    count(*it->second, -1);
    sessions_.erase(it);
  }
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

void MemoryClusterView::replaceObjects(std::map<std::string, UserSession, std::less<>> sessions,
                                       std::map<std::string, NamespaceInfo, std::less<>> namespaces) {
  std::unique_lock lock(mu_);
  setSessions(std::move(sessions));
  namespaces_ = std::move(namespaces);
}

}  // namespace sessiongate
