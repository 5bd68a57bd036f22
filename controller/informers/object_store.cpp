#include "controller/informers/object_store.h"

#include <utility>

#include "controller/reconcile/applied_records.h"

namespace sessiongate::controller {

std::string ObjectStore::keyOf(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  return std::string(ns) + "/" + std::string(name);
}

std::string ObjectStore::keyOf(const Json& object) {
  const Json& metadata = object.at("metadata");
  return keyOf(metadata.value("namespace", ""), metadata.value("name", ""));
}

// trim drops what the controller never reads but would pay for in memory on every cached object; of the
// managedFields it keeps only their ownership digest (AppliedRecords compares it).
void ObjectStore::trim(Json& object) const {
  auto metadata = object.find("metadata");
  if (metadata != object.end() && metadata->is_object() && metadata->contains("managedFields")) {
    std::string digest = ownershipDigest(object);
    metadata->erase("managedFields");
    (*metadata)[kOwnershipDigestKey] = std::move(digest);
  }
  if (!keepStatus_) object.erase("status");
}

std::vector<Json> ObjectStore::replace(std::vector<Json> items) {
  std::map<std::string, Json> next;
  for (Json& item : items) {
    trim(item);
    std::string key = keyOf(item);
    next[key] = std::move(item);
  }
  std::vector<Json> dropped;
  std::lock_guard<std::mutex> guard(mu_);
  for (auto& [key, object] : objects_) {
    if (!next.count(key)) dropped.push_back(std::move(object));
  }
  objects_ = std::move(next);
  return dropped;
}

void ObjectStore::upsert(const Json& object) {
  std::string key = keyOf(object);
  Json trimmed = object;
  trim(trimmed);
  std::lock_guard<std::mutex> guard(mu_);
  objects_[key] = std::move(trimmed);
}

void ObjectStore::erase(const Json& object) {
  std::string key = keyOf(object);
  std::lock_guard<std::mutex> guard(mu_);
  objects_.erase(key);
}

std::optional<Json> ObjectStore::find(std::string_view ns, std::string_view name) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = objects_.find(keyOf(ns, name));
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

std::vector<Json> ObjectStore::list() const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<Json> out;
  out.reserve(objects_.size());
  for (const auto& [key, object] : objects_) out.push_back(object);
  return out;
}

std::vector<Json> ObjectStore::select(const std::function<bool(const Json&)>& keep) const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<Json> out;
  for (const auto& [key, object] : objects_) {
    if (keep(object)) out.push_back(object);
  }
  return out;
}

std::size_t ObjectStore::size() const {
  std::lock_guard<std::mutex> guard(mu_);
  return objects_.size();
}

}  // namespace sessiongate::controller
