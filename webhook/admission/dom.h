#pragma once
// Small readers over simdjson DOM elements: absent or mistyped fields read as empty, because the schema
// and the API server already rejected malformed objects and the rules only need to know what is set.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace sessiongate::webhook {

// member is obj[key] when obj is an object holding key.
std::optional<simdjson::dom::element> member(simdjson::dom::element obj, std::string_view key);

// memberAt follows a path of keys, e.g. memberAt(pod, {"metadata", "labels"}).
std::optional<simdjson::dom::element> memberAt(simdjson::dom::element obj,
                                               std::initializer_list<std::string_view> keys);

// stringMember is obj[key] when it is a string, else empty.
std::string_view stringMember(simdjson::dom::element obj, std::string_view key);

// isObject / isArray test an element's type.
bool isObject(simdjson::dom::element e);
bool isArray(simdjson::dom::element e);

// toJson copies an element into an nlohmann value, for the cold paths that want one.
Json toJson(simdjson::dom::element e);

// sameJson is toJson(a) == toJson(b) without the copies: objects equal when they hold the same keys with
// equal values (a repeated key counts once, with its last value), arrays item by item, numbers by value
// (1 equals 1.0, as nlohmann compares them).
bool sameJson(simdjson::dom::element a, simdjson::dom::element b);

}  // namespace sessiongate::webhook
