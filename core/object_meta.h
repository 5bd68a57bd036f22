#pragma once
// ObjectMeta reads an API object's metadata (apimachinery's meta.Accessor): name, namespace, uid,
// resourceVersion, labels, annotations, finalizers, deletionTimestamp, on the JSON as it came from the API
// server, a file or a test. It never throws and never inserts: a missing member, a metadata that is not an
// object or a member of the wrong type (a number where a string belongs, a list for labels) reads as
// absent, an empty string or an empty map. The string_views point into the object, which must outlive them.
#include <optional>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace sessiongate {

// ObjectMeta is a read-only view of object's metadata; cheap to copy.
class ObjectMeta {
 public:
  explicit ObjectMeta(const Json& object);

  // present is true when the object has a metadata object.
  bool present() const { return meta_ != nullptr; }
  std::string_view name() const { return text("name"); }
  std::string_view generateName() const { return text("generateName"); }
  std::string_view ns() const { return text("namespace"); }
  std::string_view uid() const { return text("uid"); }
  std::string_view resourceVersion() const { return text("resourceVersion"); }
  std::string_view creationTimestamp() const { return text("creationTimestamp"); }
  // deletionTimestamp is the time deletion was asked for, empty while the object is not being deleted.
  std::string_view deletionTimestamp() const { return text("deletionTimestamp"); }
  // deleting is true when deletionTimestamp is set to anything but null, whatever its type: an object marked
  // for deletion is never mistaken for a live one because its timestamp is malformed.
  bool deleting() const;

  // label and annotation are the value under key; nullopt when absent or not a string.
  std::optional<std::string_view> label(std::string_view key) const { return entry("labels", key); }
  std::optional<std::string_view> annotation(std::string_view key) const { return entry("annotations", key); }
  // labels and annotations are the maps themselves; an empty object when absent or not an object.
  const Json& labels() const { return map("labels"); }
  const Json& annotations() const { return map("annotations"); }
  // hasFinalizer is true when metadata.finalizers holds the string finalizer.
  bool hasFinalizer(std::string_view finalizer) const;
  // finalizers are the string entries of metadata.finalizers, in order; other entries are skipped.
  std::vector<std::string_view> finalizers() const;

 private:
  std::string_view text(std::string_view key) const;
  std::optional<std::string_view> entry(std::string_view mapKey, std::string_view key) const;
  const Json& map(std::string_view key) const;

  const Json* meta_ = nullptr;
};

// metaOf is ObjectMeta(object), for reading one field: metaOf(pod).name().
inline ObjectMeta metaOf(const Json& object) { return ObjectMeta(object); }

}  // namespace sessiongate
