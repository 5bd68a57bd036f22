#pragma once
// Helpers of the wrong-type sweeps (tests/core/wrong_types_test.cpp, tests/webhook/wrong_types_test.cpp):
// every value of an object is replaced in turn by a value of each other JSON type.
#include <cstddef>
#include <vector>

#include "core/json.h"

namespace sessiongate::testing {

// pointersUnder lists the JSON pointers of every value under `at` (itself included).
inline void pointersUnder(const Json& value, const Json::json_pointer& at,
                          std::vector<Json::json_pointer>& out) {
  out.push_back(at);
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) pointersUnder(item, at / key, out);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) pointersUnder(value[i], at / i, out);
  }
}

// sameType: a replacement of a value by one of its own JSON type (integer and float told apart) is skipped.
inline bool sameType(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return a.is_number_float() == b.is_number_float();
  return a.type() == b.type();
}

}  // namespace sessiongate::testing
