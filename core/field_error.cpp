#include "core/field_error.h"

namespace sessiongate {
namespace {

const char* typeText(FieldError::Type t) {
  switch (t) {
    case FieldError::Type::Required: return "Required value";
    case FieldError::Type::Invalid: return "Invalid value";
    case FieldError::Type::Duplicate: return "Duplicate value";
    case FieldError::Type::NotSupported: return "Unsupported value";
    case FieldError::Type::Forbidden: return "Forbidden";
    case FieldError::Type::TooMany: return "Too many";
    case FieldError::Type::TooLong: return "Too long";
    case FieldError::Type::Internal: return "Internal error";
  }
  return "Invalid value";
}

bool printsValue(FieldError::Type t) {
  return t != FieldError::Type::Required && t != FieldError::Type::Forbidden &&
         t != FieldError::Type::TooLong && t != FieldError::Type::Internal;
}

}  // namespace

FieldPath FieldPath::child(std::string_view name) const {
  if (path_.empty()) return FieldPath(std::string(name));
  return FieldPath(path_ + "." + std::string(name));
}

FieldPath FieldPath::index(std::size_t i) const { return FieldPath(path_ + "[" + std::to_string(i) + "]"); }

FieldPath FieldPath::key(std::string_view k) const { return FieldPath(path_ + "[" + std::string(k) + "]"); }

std::string FieldError::message() const {
  std::string s = field + ": " + typeText(type);
  if (printsValue(type)) s += ": " + value;
  if (!detail.empty()) s += ": " + detail;
  return s;
}

// renderValue never throws: a value that is not valid UTF-8 is printed with U+FFFD in place of the bad bytes.
std::string renderValue(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

FieldError required(const FieldPath& p, std::string detail) {
  return {FieldError::Type::Required, p.str(), {}, std::move(detail)};
}

FieldError invalid(const FieldPath& p, const Json& value, std::string detail) {
  return {FieldError::Type::Invalid, p.str(), renderValue(value), std::move(detail)};
}

FieldError duplicate(const FieldPath& p, const Json& value) {
  return {FieldError::Type::Duplicate, p.str(), renderValue(value), {}};
}

FieldError notSupported(const FieldPath& p, const Json& value, const std::vector<std::string>& supported) {
  std::string detail;
  if (!supported.empty()) {
    detail = "supported values: ";
    for (std::size_t i = 0; i < supported.size(); ++i) {
      if (i) detail += ", ";
      detail += Json(supported[i]).dump();
    }
  }
  return {FieldError::Type::NotSupported, p.str(), renderValue(value), std::move(detail)};
}

FieldError forbidden(const FieldPath& p, std::string detail) {
  return {FieldError::Type::Forbidden, p.str(), {}, std::move(detail)};
}

FieldError tooMany(const FieldPath& p, std::int64_t actual, std::int64_t max) {
  return {FieldError::Type::TooMany, p.str(), std::to_string(actual),
          "must have at most " + std::to_string(max) + " items"};
}

FieldError tooLong(const FieldPath& p, std::int64_t max) {
  return {FieldError::Type::TooLong, p.str(), {}, "may not be more than " + std::to_string(max) + " bytes"};
}

std::string aggregate(const FieldErrors& errors) {
  if (errors.empty()) return {};
  if (errors.size() == 1) return errors.front().message();
  std::string s = "[";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i) s += ", ";
    s += errors[i].message();
  }
  return s + "]";
}

}  // namespace sessiongate
