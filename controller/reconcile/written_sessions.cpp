#include "controller/reconcile/written_sessions.h"

#include <utility>

#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

std::string versionOf(const Json& object) {
  return std::string(metaOf(object).resourceVersion());
}

}  // namespace

void WrittenSessions::wrote(const std::string& name, std::string_view baseVersion, Json answer) {
  // Kept like the informer keeps objects: without managedFields, which nothing here reads, and packed.
  if (auto metadata = answer.find("metadata"); metadata != answer.end() && metadata->is_object())
    metadata->erase("managedFields");
  std::string version = versionOf(answer);
  std::string packed = kube::packObject(answer);
  std::lock_guard<std::mutex> guard(mu_);
  Entry& entry = entries_[name];
  if (!baseVersion.empty()) entry.superseded.emplace(baseVersion);
  // A second write before the cache caught up supersedes the first one's answer too.
  if (!entry.latestVersion.empty()) entry.superseded.insert(entry.latestVersion);
  entry.superseded.erase(version);
  entry.latestVersion = std::move(version);
  entry.latest = std::move(packed);
}

kube::SharedObject WrittenSessions::freshest(const std::string& name, kube::SharedObject cached) {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return cached;
  if (it->second.superseded.count(versionOf(*cached)) != 0) return kube::unpackObject(it->second.latest);
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
