#include "webhook/mutators/pod_shape.h"

#include <optional>
#include <string>

#include "webhook/admission/dom.h"

namespace sessiongate::webhook {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

enum class Shape { Object, Array };

const char* typeName(element e) {
  switch (e.type()) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
    default: return "number";
  }
}

bool isNull(element e) {
  return e.type() == element_type::NULL_VALUE;
}

// PodShape collects the errors of one pod.
class PodShape {
 public:
  FieldErrors errors;

  // expect checks e's type; true when it has it (and can be read further).
  bool expect(element e, Shape shape, const FieldPath& path) {
    const bool ok = shape == Shape::Object ? isObject(e) : isArray(e);
    if (!ok) {
      errors.push_back(FieldError{FieldError::Type::Invalid, path.str(), typeName(e),
                                  shape == Shape::Object ? "must be an object" : "must be an array"});
    }
    return ok;
  }

  // optionalMember is obj[key] when present and not null, after checking its type.
  std::optional<element> optionalMember(element obj, std::string_view key, Shape shape, const FieldPath& path) {
    auto value = member(obj, key);
    if (!value || isNull(*value) || !expect(*value, shape, path)) return std::nullopt;
    return value;
  }

  // requiredMember is obj[key], which must be present with its type.
  std::optional<element> requiredMember(element obj, std::string_view key, Shape shape, const FieldPath& path) {
    auto value = member(obj, key);
    if (!value || isNull(*value)) {
      errors.push_back(required(path));
      return std::nullopt;
    }
    return expect(*value, shape, path) ? value : std::nullopt;
  }

  void containers(std::optional<element> list, const FieldPath& path, bool readMembers) {
    if (!list) return;
    std::size_t i = 0;
    for (element container : simdjson::dom::array(*list)) {
      FieldPath at = path.index(i++);
      if (!expect(container, Shape::Object, at)) continue;
      if (!readMembers) continue;
      if (auto resources = optionalMember(container, "resources", Shape::Object, at.child("resources"))) {
        optionalMember(*resources, "requests", Shape::Object, at.child("resources").child("requests"));
        optionalMember(*resources, "limits", Shape::Object, at.child("resources").child("limits"));
      }
      optionalMember(container, "volumeMounts", Shape::Array, at.child("volumeMounts"));
    }
  }
};

}  // namespace

FieldErrors podShapeErrors(element pod) {
  PodShape shape;
  if (!shape.expect(pod, Shape::Object, FieldPath("object"))) return shape.errors;
  const FieldPath metadataPath("metadata");
  if (auto metadata = shape.requiredMember(pod, "metadata", Shape::Object, metadataPath)) {
    shape.optionalMember(*metadata, "labels", Shape::Object, metadataPath.child("labels"));
  }
  const FieldPath specPath("spec");
  auto spec = shape.requiredMember(pod, "spec", Shape::Object, specPath);
  if (!spec) return shape.errors;
  shape.containers(shape.requiredMember(*spec, "containers", Shape::Array, specPath.child("containers")),
                   specPath.child("containers"), true);
  shape.containers(shape.optionalMember(*spec, "initContainers", Shape::Array, specPath.child("initContainers")),
                   specPath.child("initContainers"), false);
  shape.optionalMember(*spec, "volumes", Shape::Array, specPath.child("volumes"));
  if (auto dns = shape.optionalMember(*spec, "dnsConfig", Shape::Object, specPath.child("dnsConfig"))) {
    shape.optionalMember(*dns, "nameservers", Shape::Array, specPath.child("dnsConfig").child("nameservers"));
  }
  return shape.errors;
}

}  // namespace sessiongate::webhook
