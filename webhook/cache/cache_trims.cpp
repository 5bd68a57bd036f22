#include "webhook/cache/cache_trims.h"

#include <string>
#include <utility>
#include <vector>

namespace sessiongate::webhook {
namespace {

// Keys are held by the trim it builds (an initializer_list would dangle once the call returned).
using Keys = std::vector<std::string>;

// keepOnly erases every member of object not in keys (object left alone when it is not an object).
void keepOnly(Json& object, const Keys& keys) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end();) {
    bool wanted = false;
    for (const std::string& key : keys) wanted = wanted || it.key() == key;
    it = wanted ? std::next(it) : object.erase(it);
  }
}

// trimTo keeps the top-level members in top and, of metadata, the members in metadata. A malformed object
// (metadata not an object) keeps what it has of those members, so the parser still reports it.
kube::ObjectTrim trimTo(Keys top, Keys metadata) {
  return [top = std::move(top), metadata = std::move(metadata)](Json& object) {
    keepOnly(object, top);
    if (auto it = object.find("metadata"); it != object.end()) keepOnly(*it, metadata);
  };
}

}  // namespace

kube::ObjectTrim sessionTrim() {
  return trimTo({"metadata", "spec"},
                {"name", "uid", "creationTimestamp", "resourceVersion", "generation", "deletionTimestamp"});
}

kube::ObjectTrim policyTrim() {
  return trimTo({"metadata", "spec"}, {"name", "resourceVersion"});
}

kube::ObjectTrim namespaceTrim() {
  return trimTo({"metadata"}, {"name", "resourceVersion", "labels"});
}

}  // namespace sessiongate::webhook
