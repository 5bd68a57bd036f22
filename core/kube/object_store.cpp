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

ObjectStore::ObjectStore(StoreOptions options) : options_(std::move(options)) {
  if (options_.compressed) {
    options_.packed = true;
    codec_ = std::make_unique<ObjectCodec>();
  }
}

ObjectStore::Entry ObjectStore::entryOf(SharedObject object) const {
  Entry entry;
  if (options_.index) entry.indexValue = options_.index(*object);
  if (codec_) {
    entry.packed = codec_->encode(*object);
  } else if (options_.packed) {
    entry.packed = packObject(*object);
  } else {
    entry.object = std::move(object);
  }
  return entry;
}

SharedObject ObjectStore::objectOf(const Entry& entry) const {
  if (codec_) return codec_->decode(entry.packed);
  return options_.packed ? unpackObject(entry.packed) : entry.object;
}

void ObjectStore::unindex(const std::string& key, const Entry& entry) {
  if (entry.indexValue.empty()) return;
  auto it = index_.find(entry.indexValue);
  if (it == index_.end()) return;
  it->second.erase(key);
  if (it->second.empty()) index_.erase(it);
}

void ObjectStore::reindex(const std::string& key, const Entry& entry) {
  if (!entry.indexValue.empty()) index_[entry.indexValue].insert(key);
}

std::vector<SharedObject> ObjectStore::replace(std::vector<Json> items) {
  std::map<std::string, Entry, std::less<>> next;
  for (Json& item : items) {
    if (options_.trim) options_.trim(item);
    std::string key = keyOf(item);
    next[std::move(key)] = entryOf(std::make_shared<const Json>(std::move(item)));
  }
  items.clear();
  items.shrink_to_fit();
  std::vector<SharedObject> dropped;
  std::lock_guard<std::mutex> guard(mu_);
  for (const auto& [key, entry] : objects_) {
    if (!next.count(key)) dropped.push_back(objectOf(entry));
  }
  objects_ = std::move(next);
  index_.clear();
  for (const auto& [key, entry] : objects_) reindex(key, entry);
  return dropped;
}

SharedObject ObjectStore::upsert(Json object) {
  if (options_.trim) options_.trim(object);
  std::string key = keyOf(object);
  // The caller gets the object as stored: the one the store shares, or, for a packed store, the parsed object
  // its encoding was made from.
  SharedObject stored = std::make_shared<const Json>(std::move(object));
  Entry entry = entryOf(stored);
  std::lock_guard<std::mutex> guard(mu_);
  auto it = objects_.find(key);
  if (it != objects_.end()) {
    unindex(key, it->second);
    it->second = std::move(entry);
  } else {
    it = objects_.emplace(std::move(key), std::move(entry)).first;
  }
  reindex(it->first, it->second);
  return stored;
}

void ObjectStore::erase(const Json& object) {
  std::string key = keyOf(object);
  std::lock_guard<std::mutex> guard(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return;
  unindex(key, it->second);
  objects_.erase(it);
}

SharedObject ObjectStore::find(std::string_view ns, std::string_view name) const {
  return findKey(keyOf(ns, name));
}

SharedObject ObjectStore::findKey(std::string_view key) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return nullptr;
  return objectOf(it->second);
}

std::vector<SharedObject> ObjectStore::list() const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<SharedObject> out;
  out.reserve(objects_.size());
  for (const auto& [key, entry] : objects_) out.push_back(objectOf(entry));
  return out;
}

std::vector<std::string> ObjectStore::keys() const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<std::string> out;
  out.reserve(objects_.size());
  for (const auto& [key, entry] : objects_) out.push_back(key);
  return out;
}

std::vector<SharedObject> ObjectStore::byIndex(std::string_view value) const {
  std::lock_guard<std::mutex> guard(mu_);
  std::vector<SharedObject> out;
  auto keys = index_.find(value);
  if (keys == index_.end()) return out;
  for (const std::string& key : keys->second) {
    if (auto it = objects_.find(key); it != objects_.end()) out.push_back(objectOf(it->second));
  }
  return out;
}

std::size_t ObjectStore::size() const {
  std::lock_guard<std::mutex> guard(mu_);
  return objects_.size();
}

}  // namespace sessiongate::kube
