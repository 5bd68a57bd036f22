#pragma once
// JsonPatch builds RFC 6902 patches operation by operation, so a mutator emits only what it changes and never
// copies and diffs a whole object. Pointers are RFC 6901: build them with pointer(), which escapes each token
// (`sessiongate.io/user` becomes `sessiongate.io~1user`).
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/json.h"

namespace sessiongate {

// escapePointerToken escapes one JSON Pointer token: "~" becomes "~0" and "/" becomes "~1".
std::string escapePointerToken(std::string_view token);

// unescapePointerToken reverses escapePointerToken.
std::string unescapePointerToken(std::string_view token);

namespace detail {
inline std::string pointerToken(std::string_view s) {
  return escapePointerToken(s);
}
inline std::string pointerToken(const std::string& s) {
  return escapePointerToken(s);
}
inline std::string pointerToken(const char* s) {
  return escapePointerToken(s);
}
template <std::integral T>
std::string pointerToken(T n) {
  return std::to_string(n);
}
}  // namespace detail

// pointer joins tokens (strings or array indexes) into an escaped JSON Pointer:
// pointer("metadata", "labels", "sessiongate.io/user") == "/metadata/labels/sessiongate.io~1user".
template <typename... Tokens>
std::string pointer(const Tokens&... tokens) {
  std::string out;
  ((out += "/", out += detail::pointerToken(tokens)), ...);
  return out;
}

// appendToken extends an already escaped pointer by one raw token.
std::string appendToken(std::string_view base, std::string_view token);

// JsonPatch is an ordered list of RFC 6902 operations.
class JsonPatch {
 public:
  // add inserts or sets the member or array element at path ("/spec/containers/-" appends).
  JsonPatch& add(std::string path, Json value);
  // replace sets an existing member or element.
  JsonPatch& replace(std::string path, Json value);
  // remove deletes an existing member or element.
  JsonPatch& remove(std::string path);
  // test makes the whole patch fail unless the value at path equals value.
  JsonPatch& test(std::string path, Json value);

  // set makes document's value at path equal to value with the fewest operations: nothing when it already is,
  // replace when the member exists, add otherwise. Missing parent objects are added as one nested object at
  // the first missing level. The path must only cross objects (and existing array elements).
  JsonPatch& set(const Json& document, std::string_view path, Json value);

  // append adds all operations of another patch after this one's.
  JsonPatch& append(const JsonPatch& other);

  bool empty() const { return ops_.empty(); }
  std::size_t size() const { return ops_.size(); }
  // toJson is the patch as a JSON array of operations.
  const Json& toJson() const { return ops_; }
  // dump is the patch as compact JSON text.
  std::string dump() const { return ops_.dump(); }

 private:
  Json ops_ = Json::array();
};

}  // namespace sessiongate
