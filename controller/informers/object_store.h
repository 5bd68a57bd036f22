#pragma once
// ObjectStore is an informer's thread-safe copy of one resource, keyed by namespace/name.
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace sessiongate::controller {

// ObjectStore holds the latest version of each object the reflector delivered.
class ObjectStore {
 public:
  // keepStatus false drops each object's status on the way in, for kinds whose status the controller never
  // reads (it reads its UserSessions', the worker pods' and the Services').
  explicit ObjectStore(bool keepStatus = true) : keepStatus_(keepStatus) {}

  // keyOf is "namespace/name", or "name" for cluster-scoped objects.
  static std::string keyOf(const Json& object);
  static std::string keyOf(std::string_view ns, std::string_view name);

  // replace swaps the whole content and returns the objects that were dropped (deleted while unwatched).
  std::vector<Json> replace(std::vector<Json> items);
  void upsert(const Json& object);
  void erase(const Json& object);
  std::optional<Json> find(std::string_view ns, std::string_view name) const;
  // list is a copy of every object, in key order.
  std::vector<Json> list() const;
  // select is a copy of the objects keep answers true for, in key order (copies only those).
  std::vector<Json> select(const std::function<bool(const Json&)>& keep) const;
  std::size_t size() const;

 private:
  void trim(Json& object) const;

  bool keepStatus_;
  mutable std::mutex mu_;
  std::map<std::string, Json> objects_;
};

}  // namespace sessiongate::controller
