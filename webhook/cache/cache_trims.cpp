#include "webhook/cache/cache_trims.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sessiongate::webhook {
namespace {

// Keys are string literals, held by the trim it builds (an initializer_list would dangle once the call
// returned).
using Keys = std::vector<std::string_view>;

// trimTo keeps the top-level members in top and, of metadata, the members in metadata. A malformed object
// (metadata not an object) keeps what it has of those members, so the parser still reports it.
kube::ObjectTrim trimTo(Keys top, Keys metadata) {
  return [top = std::move(top), metadata = std::move(metadata)](Json& object) {
    kube::keepOnlyMembers(object, top);
    if (auto it = object.find("metadata"); it != object.end()) kube::keepOnlyMembers(*it, metadata);
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
