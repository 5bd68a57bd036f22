#pragma once
// FieldReader reads typed members of a JSON object (an API object's spec) and records one FieldError per
// malformed member, with its path, so a parser reports every problem at once instead of stopping at the
// first. A member that is absent or null reads as absent.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_error.h"
#include "core/json.h"
#include "core/policy.h"

namespace sessiongate {

// FieldReader reads one JSON object; object() and objects() give readers for nested objects.
class FieldReader {
 public:
  // FieldReader reads `value` found at `path`; a value that is not an object is reported once and reads as
  // empty. A null value pointer reads as an absent (empty) object.
  FieldReader(const Json* value, FieldPath path, FieldErrors& errors);

  const FieldPath& path() const { return path_; }
  // present is true when the object exists (it was there and is an object).
  bool present() const { return object_ != nullptr; }
  // member is the raw member, or null when absent or JSON null.
  const Json* member(std::string_view name) const;

  std::optional<std::string> string(std::string_view name);
  // requiredString reports Required when the member is absent or empty.
  std::optional<std::string> requiredString(std::string_view name);
  std::optional<bool> boolean(std::string_view name);
  std::optional<std::int64_t> integer(std::string_view name);
  // strings reads an array of strings; an entry of another type is reported and read as "", so later entries
  // keep their indexes.
  std::optional<std::vector<std::string>> strings(std::string_view name);
  std::optional<std::map<std::string, std::string>> stringMap(std::string_view name);
  // quantityMap reads a map of resource name to quantity written as a string or a number, kept as text;
  // the quantities themselves are checked by the policy checks.
  std::optional<std::map<std::string, std::string>> quantityMap(std::string_view name);
  // duration reads a Go duration string; a bad one is reported with Go's message.
  std::optional<Duration> duration(std::string_view name);
  // object reads a nested object (absent reads as an empty reader).
  FieldReader object(std::string_view name);
  // objects reads an array of objects; an entry that is not an object is reported and read as empty.
  std::vector<FieldReader> objects(std::string_view name);

 private:
  // typed returns the member when it has the wanted type, reporting it otherwise.
  const Json* typed(std::string_view name, bool (*is)(const Json&), std::string_view typeName);

  const Json* object_ = nullptr;
  FieldPath path_;
  FieldErrors* errors_;
};

// Lenient reads, for rules that compare objects the API server already typed (pods) or read a name to show:
// a member of another type, or a value that is not an object, reads as absent instead of throwing the way
// nlohmann's value() and get() do. Use FieldReader where a wrong type must be reported.

// memberOf is object[key], or null when object is not an object or the member is absent or JSON null.
const Json* memberOf(const Json& object, std::string_view key);
// stringOf is object[key] when it is a string, else fallback.
std::string stringOf(const Json& object, std::string_view key, std::string_view fallback = {});
// boolOf is object[key] when it is a boolean, else fallback.
bool boolOf(const Json& object, std::string_view key, bool fallback);

// typeError is the error for a value of the wrong JSON type: `path: Invalid value: 5: must be of type
// string`.
FieldError typeError(const FieldPath& path, const Json& value, std::string_view typeName);

}  // namespace sessiongate
