#include "webhook/admission/dom.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace sessiongate::webhook {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

bool isNumber(element_type t) {
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

// sameNumber compares two numbers by value; integers exactly, an integer and a float as doubles.
bool sameNumber(element a, element b) {
  const element_type ta = a.type();
  const element_type tb = b.type();
  if (ta == element_type::DOUBLE || tb == element_type::DOUBLE) {
    auto asDouble = [](element e, element_type t) {
      if (t == element_type::INT64) return static_cast<double>(int64_t(e));
      if (t == element_type::UINT64) return static_cast<double>(uint64_t(e));
      return double(e);
    };
    return asDouble(a, ta) == asDouble(b, tb);
  }
  if (ta != tb) return false;  // simdjson's UINT64 is only above INT64_MAX, so never an INT64's value
  return ta == element_type::INT64 ? int64_t(a) == int64_t(b) : uint64_t(a) == uint64_t(b);
}

// lastMembers lists an object's distinct keys with their last value, sorted by key.
std::vector<std::pair<std::string_view, element>> lastMembers(element e) {
  std::vector<std::pair<std::string_view, element>> out;
  for (auto field : simdjson::dom::object(e)) out.emplace_back(field.key, field.value);
  // A stable sort keeps repeated keys in document order; the last of each run wins.
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::pair<std::string_view, element>> distinct;
  for (auto& m : out) {
    if (!distinct.empty() && distinct.back().first == m.first) {
      distinct.back().second = m.second;
    } else {
      distinct.push_back(m);
    }
  }
  return distinct;
}

}  // namespace

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

bool sameJson(element a, element b) {
  const element_type ta = a.type();
  const element_type tb = b.type();
  if (isNumber(ta) && isNumber(tb)) return sameNumber(a, b);
  if (ta != tb) return false;
  switch (ta) {
    case element_type::OBJECT: {
      auto ma = lastMembers(a);
      auto mb = lastMembers(b);
      if (ma.size() != mb.size()) return false;
      for (std::size_t i = 0; i < ma.size(); ++i) {
        if (ma[i].first != mb[i].first || !sameJson(ma[i].second, mb[i].second)) return false;
      }
      return true;
    }
    case element_type::ARRAY: {
      simdjson::dom::array xa(a);
      simdjson::dom::array xb(b);
      if (xa.size() != xb.size()) return false;
      auto ib = xb.begin();
      for (element item : xa) {
        if (!sameJson(item, *ib)) return false;
        ++ib;
      }
      return true;
    }
    case element_type::STRING:
      return std::string_view(a) == std::string_view(b);
    case element_type::BOOL:
      return bool(a) == bool(b);
    default:
      return true;  // both null
  }
}

}  // namespace sessiongate::webhook
