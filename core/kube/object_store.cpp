#include "core/kube/object_store.h"

#include <iterator>
#include <utility>

namespace sessiongate::kube {

void keepOnlyMembers(Json& object, const std::vector<std::string_view>& keys) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end();) {
    bool wanted = false;
    for (std::string_view key : keys) wanted = wanted || it.key() == key;
    it = wanted ? std::next(it) : object.erase(it);
  }
}

std::string ObjectStore::keyOf(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  std::string key;
  key.reserve(ns.size() + 1 + name.size());
  key.append(ns).append("/").append(name);
  return key;
}

std::string ObjectStore::keyOf(const Json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  return keyOf(metadata->value("namespace", ""), metadata->value("name", ""));
}

std::vector<SharedObject> ObjectStore::replace(std::vector<Json> items) {
  std::map<std::string, SharedObject, std::less<>> next;
  for (Json& item : items) {
    if (trim_) trim_(item);
    std::string key = keyOf(item);
    next[std::move(key)] = std::make_shared<const Json>(std::move(item));
  }
  items.clear();
  items.shrink_to_fit();
  std::vector<SharedObject> dropped;
  std::lock_guard<std::mutex> guard(mu_);
  for (auto& [key, object] : objects_) {
    if (!next.count(key)) dropped.push_back(std::move(object));
  }
  objects_ = std::move(next);
  return dropped;
}

SharedObject ObjectStore::upsert(Json object) {
  if (trim_) trim_(object);
  std::string key = keyOf(object);
  auto stored = std::make_shared<const Json>(std::move(object));
  std::lock_guard<std::mutex> guard(mu_);
  objects_[std::move(key)] = stored;
  return stored;
}

void ObjectStore::erase(const Json& object) {
  std::string key = keyOf(object);
  std::lock_guard<std::mutex> guard(mu_);
  objects_.erase(key);
}

SharedObject ObjectStore::find(std::string_view ns, std::string_view name) const {
  const std::string key = keyOf(ns, name);
  std::lock_guard<std::mutex> guard(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return nullptr;
  return it->second;
}

std::vector<SharedObject> ObjectStore::list() const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<SharedObject> out;
  out.reserve(objects_.size());
  for (const auto& [key, object] : objects_) out.push_back(object);
  return out;
}

std::vector<SharedObject> ObjectStore::select(const std::function<bool(const Json&)>& keep) const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<SharedObject> out;
  for (const auto& [key, object] : objects_) {
    if (keep(*object)) out.push_back(object);
  }
  return out;
}

std::size_t ObjectStore::size() const {
  std::lock_guard<std::mutex> guard(mu_);
  return objects_.size();
}

}  // namespace sessiongate::kube
