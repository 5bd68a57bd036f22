#pragma once
// FieldError and FieldPath render validation problems exactly the way the Kubernetes API server does
// (k8s.io/apimachinery/pkg/util/validation/field), e.g.
//   spec.publicExposure.ports[1].port: Duplicate value: 8080
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace sessiongate {

// FieldPath is an immutable path such as spec.profiles[2].maxTTL or metadata.labels[sessiongate.io/user].
class FieldPath {
 public:
  FieldPath() = default;
  explicit FieldPath(std::string root) : path_(std::move(root)) {}
  FieldPath child(std::string_view name) const;
  FieldPath index(std::size_t i) const;
  FieldPath key(std::string_view k) const;
  const std::string& str() const { return path_; }

 private:
  std::string path_;
};

// FieldError is one problem with one field.
struct FieldError {
  enum class Type { Required, Invalid, Duplicate, NotSupported, Forbidden, TooMany, TooLong, Internal };
  Type type = Type::Invalid;
  std::string field;
  std::string value;   // already rendered: "\"text\"" for strings, 8080 for numbers; empty when none
  std::string detail;  // human explanation, may be empty

  // message renders "field: Type text[: value][: detail]" as the API server does.
  std::string message() const;
};

using FieldErrors = std::vector<FieldError>;

// Constructors mirroring field.Required, field.Invalid, ... of apimachinery.
FieldError required(const FieldPath& p, std::string detail = {});
FieldError invalid(const FieldPath& p, const Json& value, std::string detail);
FieldError duplicate(const FieldPath& p, const Json& value);
FieldError notSupported(const FieldPath& p, const Json& value, const std::vector<std::string>& supported);
FieldError forbidden(const FieldPath& p, std::string detail);
FieldError tooMany(const FieldPath& p, std::int64_t actual, std::int64_t max);
FieldError tooLong(const FieldPath& p, std::int64_t max);

// renderValue renders a JSON value the way field errors print it (strings quoted, numbers bare).
std::string renderValue(const Json& value);

// aggregate joins errors like ErrorList.ToAggregate(): one error alone, several as "[a, b]".
std::string aggregate(const FieldErrors& errors);

}  // namespace sessiongate
