#pragma once
// subsetMismatch compares an expected partial object with an actual one, for the test runner's
// mutatedObject: every member of an expected object must be present and match; lists must have the same
// length and match element by element; scalars must be equal.
#include <optional>
#include <string>

#include "core/json.h"

namespace sessiongate::cli {

// subsetMismatch returns nothing when expected is a subset of actual, else where and how they differ, e.g.
// "/spec/containers/0/name: expected \"shell\", got \"job\"". path is the JSON Pointer of the values.
std::optional<std::string> subsetMismatch(const Json& expected, const Json& actual,
                                          const std::string& path = "");

}  // namespace sessiongate::cli
