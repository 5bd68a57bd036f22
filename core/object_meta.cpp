#include "core/object_meta.h"

namespace sessiongate {
namespace {

const Json* member(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}

std::optional<std::string_view> stringView(const Json* value) {
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->get_ref<const std::string&>());
}

}  // namespace

ObjectMeta::ObjectMeta(const Json& object) {
  const Json* meta = member(&object, "metadata");
  if (meta != nullptr && meta->is_object()) meta_ = meta;
}

std::string_view ObjectMeta::text(std::string_view key) const {
  return stringView(member(meta_, key)).value_or(std::string_view());
}

std::optional<std::string_view> ObjectMeta::entry(std::string_view mapKey, std::string_view key) const {
  return stringView(member(member(meta_, mapKey), key));
}

const Json& ObjectMeta::map(std::string_view key) const {
  static const Json empty = Json::object();
  const Json* value = member(meta_, key);
  return value != nullptr && value->is_object() ? *value : empty;
}

bool ObjectMeta::deleting() const {
  const Json* value = member(meta_, "deletionTimestamp");
  return value != nullptr && !value->is_null();
}

bool ObjectMeta::hasFinalizer(std::string_view finalizer) const {
  const Json* list = member(meta_, "finalizers");
  if (list == nullptr || !list->is_array()) return false;
  for (const Json& entry : *list) {
    if (stringView(&entry) == finalizer) return true;
  }
  return false;
}

std::vector<std::string_view> ObjectMeta::finalizers() const {
  std::vector<std::string_view> out;
  const Json* list = member(meta_, "finalizers");
  if (list == nullptr || !list->is_array()) return out;
  for (const Json& entry : *list) {
    if (auto text = stringView(&entry)) out.push_back(*text);
  }
  return out;
}

}  // namespace sessiongate
