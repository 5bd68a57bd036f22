#include "cli/json_subset.h"

#include "core/json_patch.h"

namespace sessiongate::cli {

std::optional<std::string> subsetMismatch(const Json& expected, const Json& actual, const std::string& path) {
  const std::string where = path.empty() ? "/" : path;
  if (expected.is_object()) {
    if (!actual.is_object()) return where + ": expected an object, got " + actual.dump();
    for (const auto& [key, value] : expected.items()) {
      std::string child = appendToken(path, key);
      auto it = actual.find(key);
      if (it == actual.end()) return child + ": expected " + value.dump() + ", got nothing";
      if (auto mismatch = subsetMismatch(value, *it, child)) return mismatch;
    }
    return std::nullopt;
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return where + ": expected a list, got " + actual.dump();
    if (expected.size() != actual.size()) {
      return where + ": expected " + std::to_string(expected.size()) + " items, got " +
             std::to_string(actual.size()) + ": " + actual.dump();
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (auto mismatch = subsetMismatch(expected[i], actual[i], path + "/" + std::to_string(i)))
        return mismatch;
    }
    return std::nullopt;
  }
  if (expected != actual) return where + ": expected " + expected.dump() + ", got " + actual.dump();
  return std::nullopt;
}

}  // namespace sessiongate::cli
