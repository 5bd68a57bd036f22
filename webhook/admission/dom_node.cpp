#include "webhook/admission/dom_node.h"

namespace sessiongate::webhook {

using simdjson::dom::element_type;

JsonKind DomNode::kind() const {
  switch (e_.type()) {
    case element_type::OBJECT:
      return JsonKind::Object;
    case element_type::ARRAY:
      return JsonKind::Array;
    case element_type::STRING:
      return JsonKind::String;
    case element_type::INT64:
      return JsonKind::Integer;
    case element_type::UINT64:  // simdjson uses it only above INT64_MAX
      return JsonKind::Unsigned;
    case element_type::DOUBLE:
      return JsonKind::Float;
    case element_type::BOOL:
      return JsonKind::Boolean;
    case element_type::NULL_VALUE:
      return JsonKind::Null;
  }
  return JsonKind::Null;
}

std::optional<DomNode> DomNode::member(std::string_view name) const {
  simdjson::dom::object object;
  if (e_.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  std::optional<simdjson::dom::element> last;
  for (auto field : object) {
    if (field.key == name) last = field.value;
  }
  if (!last || last->is_null()) return std::nullopt;
  return DomNode(*last);
}

}  // namespace sessiongate::webhook
