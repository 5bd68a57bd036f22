#pragma once
// ObjectStore is an informer's thread-safe copy of one resource, keyed by namespace/name. Objects are held as
// shared read-only documents: a lookup copies a pointer, never an object, and a reader keeps the version it
// got alive for as long as it needs it, however the store changes meanwhile.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace sessiongate::kube {

// SharedObject is one cached object, shared read-only between the store and its readers (null: absent).
using SharedObject = std::shared_ptr<const Json>;

// ObjectTrim drops, on the way in, what the store's readers never read (status, managedFields, ...) so that
// it costs no memory; it runs once per delivered object, on the informer's thread. Empty: keep everything.
using ObjectTrim = std::function<void(Json& object)>;

// keepOnlyMembers, the building block of trims, erases every member of object not named in keys (an object
// that is not a JSON object is left alone, so its parser still reports it).
void keepOnlyMembers(Json& object, const std::vector<std::string_view>& keys);

// ObjectStore holds the latest version of each object the reflector delivered, trimmed.
class ObjectStore {
 public:
  explicit ObjectStore(ObjectTrim trim = {}) : trim_(std::move(trim)) {}

  // keyOf is "namespace/name", or "name" for cluster-scoped objects.
  static std::string keyOf(const Json& object);
  static std::string keyOf(std::string_view ns, std::string_view name);

  // replace swaps the whole content and returns the objects that were dropped (deleted while unwatched).
  std::vector<SharedObject> replace(std::vector<Json> items);
  // upsert stores (a trimmed copy of) object and returns what it stored.
  SharedObject upsert(Json object);
  void erase(const Json& object);
  SharedObject find(std::string_view ns, std::string_view name) const;
  // list is every object, in key order.
  std::vector<SharedObject> list() const;
  // select is the objects keep answers true for, in key order.
  std::vector<SharedObject> select(const std::function<bool(const Json&)>& keep) const;
  std::size_t size() const;

 private:
  ObjectTrim trim_;
  mutable std::mutex mu_;
  std::map<std::string, SharedObject, std::less<>> objects_;
};

}  // namespace sessiongate::kube
