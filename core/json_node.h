#pragma once
// JsonKind and JsonValueNode: the small read-only node interface that NodeReader (core/node_reader.h) reads,
// here over an nlohmann value. The webhook offers the same interface over its simdjson DOM
// (webhook/admission/dom_node.h), so one parser reads both without converting one into the other.
//
// A node type N is a cheap copyable handle with:
//   JsonKind kind() const;
//   std::optional<N> member(std::string_view name) const;  // nullopt when not an object, absent or null
//   std::string_view text() const;                         // kind() == String
//   std::int64_t integer() const;                          // kind() == Integer
//   bool boolean() const;                                  // kind() == Boolean
//   template <class F> void forEach(F f) const;            // f(N) for each item, kind() == Array
//   Json toJson() const;                                   // a copy, for error messages (cold path)
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "core/json.h"

namespace sessiongate {

// JsonKind is a JSON value's type as the field readers tell them apart: Integer is a number without
// fraction or exponent that fits in int64; Unsigned one above that range.
enum class JsonKind { Null, Boolean, Integer, Unsigned, Float, String, Array, Object };

// JsonValueNode is the node interface over an nlohmann value, which must outlive it.
class JsonValueNode {
 public:
  explicit JsonValueNode(const Json& value) : value_(&value) {}

  JsonKind kind() const {
    switch (value_->type()) {
      case Json::value_t::boolean:
        return JsonKind::Boolean;
      case Json::value_t::number_integer:
        return JsonKind::Integer;
      case Json::value_t::number_unsigned:
        return value_->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? JsonKind::Integer
                   : JsonKind::Unsigned;
      case Json::value_t::number_float:
        return JsonKind::Float;
      case Json::value_t::string:
        return JsonKind::String;
      case Json::value_t::array:
        return JsonKind::Array;
      case Json::value_t::object:
        return JsonKind::Object;
      default:
        return JsonKind::Null;
    }
  }

  std::optional<JsonValueNode> member(std::string_view name) const {
    if (!value_->is_object()) return std::nullopt;
    auto it = value_->find(name);
    if (it == value_->end() || it->is_null()) return std::nullopt;
    return JsonValueNode(*it);
  }

  std::string_view text() const { return value_->get_ref<const std::string&>(); }
  std::int64_t integer() const { return value_->get<std::int64_t>(); }
  bool boolean() const { return value_->get<bool>(); }

  template <class F>
  void forEach(F f) const {
    for (const Json& item : *value_) f(JsonValueNode(item));
  }

  Json toJson() const { return *value_; }

 private:
  const Json* value_;
};

}  // namespace sessiongate
