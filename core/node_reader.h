#pragma once
// NodeReader reads typed members of one JSON object given as a node (core/json_node.h) and records one
// FieldError per malformed member, with its path, in FieldReader's words: the same reads and the same
// messages whatever holds the JSON (an nlohmann value, the webhook's simdjson DOM). A member that is absent
// or null reads as absent.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_error.h"
#include "core/json_fields.h"
#include "core/json_node.h"

namespace sessiongate {

template <class Node>
class NodeReader {
 public:
  // NodeReader reads `value` found at `path`; a value that is not an object is reported once and reads as
  // empty; an absent or null value reads as an absent (empty) object.
  NodeReader(std::optional<Node> value, FieldPath path, FieldErrors& errors)
      : path_(std::move(path)), errors_(&errors) {
    if (!value || value->kind() == JsonKind::Null) return;
    if (value->kind() != JsonKind::Object) {
      errors.push_back(typeError(path_, value->toJson(), "object"));
      return;
    }
    object_ = value;
  }

  const FieldPath& path() const { return path_; }
  // present is true when the object exists (it was there and is an object).
  bool present() const { return object_.has_value(); }
  // member is the raw member, or nullopt when absent or JSON null.
  std::optional<Node> member(std::string_view name) const {
    if (!object_) return std::nullopt;
    return object_->member(name);
  }
  bool has(std::string_view name) const { return member(name).has_value(); }

  std::optional<std::string> string(std::string_view name) {
    auto v = typed(name, JsonKind::String, "string");
    if (!v) return std::nullopt;
    return std::string(v->text());
  }
  // requiredString reports Required when the member is absent or empty.
  std::optional<std::string> requiredString(std::string_view name) {
    const bool wasPresent = has(name);
    auto s = string(name);
    if (!wasPresent || (s && s->empty())) {
      errors_->push_back(required(path_.child(name)));
      return std::nullopt;
    }
    return s;
  }
  std::optional<bool> boolean(std::string_view name) {
    auto v = typed(name, JsonKind::Boolean, "boolean");
    if (!v) return std::nullopt;
    return v->boolean();
  }
  std::optional<std::int64_t> integer(std::string_view name) {
    auto v = typed(name, JsonKind::Integer, "integer");
    if (!v) return std::nullopt;
    return v->integer();
  }
  // object reads a nested object (absent reads as an empty reader).
  NodeReader object(std::string_view name) { return NodeReader(member(name), path_.child(name), *errors_); }
  // objects reads an array of objects; an entry that is not an object is reported and read as empty, so
  // later entries keep their indexes.
  std::vector<NodeReader> objects(std::string_view name) {
    std::vector<NodeReader> out;
    auto v = typed(name, JsonKind::Array, "array");
    if (!v) return out;
    std::size_t i = 0;
    v->forEach([&](Node item) {
      FieldPath at = path_.child(name).index(i++);
      if (item.kind() != JsonKind::Object) {
        errors_->push_back(typeError(at, item.toJson(), "object"));
        out.emplace_back(std::nullopt, std::move(at), *errors_);
        return;
      }
      out.emplace_back(item, std::move(at), *errors_);
    });
    return out;
  }

 private:
  // typed returns the member when it has the wanted kind, reporting it otherwise.
  std::optional<Node> typed(std::string_view name, JsonKind kind, std::string_view typeName) {
    auto v = member(name);
    if (!v) return std::nullopt;
    if (v->kind() != kind) {
      errors_->push_back(typeError(path_.child(name), v->toJson(), typeName));
      return std::nullopt;
    }
    return v;
  }

  std::optional<Node> object_;
  FieldPath path_;
  FieldErrors* errors_;
};

}  // namespace sessiongate
