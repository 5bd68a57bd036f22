#pragma once
// Image globs of a profile's allowedImages: `*` matches any run of characters (including `/` and `:`, so
// `registry.example.com/lab/*` allows every repository and tag below lab/), `?` matches exactly one.
#include <string_view>

namespace sessiongate {

// globMatch is true when text matches pattern as a whole.
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace sessiongate
