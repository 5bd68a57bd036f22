#include "controller/reconcile/written_sessions.h"

#include <utility>

#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

std::string versionOf(const Json& object) { return std::string(metaOf(object).resourceVersion()); }

}  // namespace

void WrittenSessions::wrote(const std::string& name, std::string_view baseVersion, Json answer) {
  std::lock_guard<std::mutex> guard(mu_);
  Entry& entry = entries_[name];
  if (!baseVersion.empty()) entry.superseded.emplace(baseVersion);
  // A second write before the cache caught up supersedes the first one's answer too.
  if (std::string previous = entry.latest ? versionOf(*entry.latest) : ""; !previous.empty()) entry.superseded.insert(previous);
  entry.superseded.erase(versionOf(answer));
  // Kept like the informer keeps objects: without managedFields, which nothing here reads.
  if (auto metadata = answer.find("metadata"); metadata != answer.end() && metadata->is_object())
    metadata->erase("managedFields");
  entry.latest = std::make_shared<const Json>(std::move(answer));
}

kube::SharedObject WrittenSessions::freshest(const std::string& name, kube::SharedObject cached) {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return cached;
  if (it->second.superseded.count(versionOf(*cached)) != 0) return it->second.latest;
  entries_.erase(it);
  return cached;
}

void WrittenSessions::forget(const std::string& name) {
  std::lock_guard<std::mutex> guard(mu_);
  entries_.erase(name);
}

std::size_t WrittenSessions::size() const {
  std::lock_guard<std::mutex> guard(mu_);
  return entries_.size();
}

}  // namespace sessiongate::controller
