#pragma once
// JSON Pointers (RFC 6901) for RFC 6902 patches: build them with pointer(), which escapes each token
// (`sessiongate.io/user` becomes `sessiongate.io~1user`). The pod mutator writes its patch as text
// (webhook/mutators/patch_writer.h) and json_patch_apply.h applies one.
#include <concepts>
#include <string>
#include <string_view>

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

}  // namespace sessiongate
