#include "core/json_fields.h"

#include <limits>

#include "core/duration.h"

namespace sessiongate {
namespace {

bool isString(const Json& v) {
  return v.is_string();
}
bool isBool(const Json& v) {
  return v.is_boolean();
}
bool isArray(const Json& v) {
  return v.is_array();
}
bool isObject(const Json& v) {
  return v.is_object();
}
bool isInteger(const Json& v) {
  return v.is_number_integer() &&
         (!v.is_number_unsigned() || v.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max());
}

}  // namespace

const Json* memberOf(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string stringOf(const Json& object, std::string_view key, std::string_view fallback) {
  const Json* v = memberOf(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

bool boolOf(const Json& object, std::string_view key, bool fallback) {
  const Json* v = memberOf(object, key);
  return v != nullptr && v->is_boolean() ? v->get<bool>() : fallback;
}

FieldError typeError(const FieldPath& path, const Json& value, std::string_view typeName) {
  return invalid(path, value, "must be of type " + std::string(typeName));
}

FieldReader::FieldReader(const Json* value, FieldPath path, FieldErrors& errors)
    : path_(std::move(path)), errors_(&errors) {
  if (value == nullptr || value->is_null()) return;
  if (!value->is_object()) {
    errors.push_back(typeError(path_, *value, "object"));
    return;
  }
  object_ = value;
}

const Json* FieldReader::member(std::string_view name) const {
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(name);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

const Json* FieldReader::typed(std::string_view name, bool (*is)(const Json&), std::string_view typeName) {
  const Json* v = member(name);
  if (v == nullptr) return nullptr;
  if (!is(*v)) {
    errors_->push_back(typeError(path_.child(name), *v, typeName));
    return nullptr;
  }
  return v;
}

std::optional<std::string> FieldReader::string(std::string_view name) {
  const Json* v = typed(name, isString, "string");
  if (v == nullptr) return std::nullopt;
  return v->get<std::string>();
}

std::optional<std::string> FieldReader::requiredString(std::string_view name) {
  const bool wasPresent = member(name) != nullptr;
  auto s = string(name);
  if (!wasPresent || (s && s->empty())) {
    errors_->push_back(required(path_.child(name)));
    return std::nullopt;
  }
  return s;
}

std::optional<bool> FieldReader::boolean(std::string_view name) {
  const Json* v = typed(name, isBool, "boolean");
  if (v == nullptr) return std::nullopt;
  return v->get<bool>();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view name) {
  const Json* v = typed(name, isInteger, "integer");
  if (v == nullptr) return std::nullopt;
  return v->get<std::int64_t>();
}

std::optional<std::vector<std::string>> FieldReader::strings(std::string_view name) {
  const Json* v = typed(name, isArray, "array");
  if (v == nullptr) return std::nullopt;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      errors_->push_back(typeError(path_.child(name).index(i), item, "string"));
      out.emplace_back();  // keeps later entries at their indexes
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::map<std::string, std::string>> FieldReader::stringMap(std::string_view name) {
  const Json* v = typed(name, isObject, "object");
  if (v == nullptr) return std::nullopt;
  std::map<std::string, std::string> out;
  bool ok = true;
  for (const auto& [key, item] : v->items()) {
    if (!item.is_string()) {
      errors_->push_back(typeError(path_.child(name).key(key), item, "string"));
      ok = false;
      continue;
    }
    out.emplace(key, item.get<std::string>());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::map<std::string, std::string>> FieldReader::quantityMap(std::string_view name) {
  const Json* v = typed(name, isObject, "object");
  if (v == nullptr) return std::nullopt;
  std::map<std::string, std::string> out;
  bool ok = true;
  for (const auto& [key, item] : v->items()) {
    if (item.is_string()) {
      out.emplace(key, item.get<std::string>());
    } else if (item.is_number()) {
      out.emplace(key, item.dump());
    } else {
      errors_->push_back(typeError(path_.child(name).key(key), item, "string or number"));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Duration> FieldReader::duration(std::string_view name) {
  auto text = string(name);
  if (!text) return std::nullopt;
  auto d = parseDuration(*text);
  if (!d) {
    errors_->push_back(invalid(path_.child(name), *text, d.error()));
    return std::nullopt;
  }
  return *d;
}

FieldReader FieldReader::object(std::string_view name) {
  return FieldReader(member(name), path_.child(name), *errors_);
}

std::vector<FieldReader> FieldReader::objects(std::string_view name) {
  std::vector<FieldReader> out;
  const Json* v = typed(name, isArray, "array");
  if (v == nullptr) return out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_object()) {
      errors_->push_back(typeError(path_.child(name).index(i), item, "object"));
      out.emplace_back(nullptr, path_.child(name).index(i),
                       *errors_);  // keeps later entries at their indexes
      continue;
    }
    out.emplace_back(&item, path_.child(name).index(i), *errors_);
  }
  return out;
}

}  // namespace sessiongate
