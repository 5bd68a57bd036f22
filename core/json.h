#pragma once
// Json is the one JSON value type of the project's cold paths (policies, sessions, API objects).
#include <nlohmann/json.hpp>

namespace sessiongate {
using Json = nlohmann::json;
}  // namespace sessiongate
