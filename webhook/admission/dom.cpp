#include "webhook/admission/dom.h"

namespace sessiongate::webhook {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<element> member(element obj, std::string_view key) {
  simdjson::dom::object o;
  if (obj.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  element value;
  if (o.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::optional<element> memberAt(element obj, std::initializer_list<std::string_view> keys) {
  std::optional<element> at = obj;
  for (std::string_view key : keys) {
    at = member(*at, key);
    if (!at) return std::nullopt;
  }
  return at;
}

std::string_view stringMember(element obj, std::string_view key) {
  auto value = member(obj, key);
  std::string_view text;
  if (!value || value->get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

bool isObject(element e) {
  return e.type() == element_type::OBJECT;
}

bool isArray(element e) {
  return e.type() == element_type::ARRAY;
}

Json toJson(element e) {
  switch (e.type()) {
    case element_type::OBJECT: {
      Json out = Json::object();
      for (auto [key, value] : simdjson::dom::object(e)) out[std::string(key)] = toJson(value);
      return out;
    }
    case element_type::ARRAY: {
      Json out = Json::array();
      for (element value : simdjson::dom::array(e)) out.push_back(toJson(value));
      return out;
    }
    case element_type::STRING:
      return std::string(std::string_view(e));
    case element_type::INT64:
      return int64_t(e);
    case element_type::UINT64:
      return uint64_t(e);
    case element_type::DOUBLE:
      return double(e);
    case element_type::BOOL:
      return bool(e);
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

}  // namespace sessiongate::webhook
