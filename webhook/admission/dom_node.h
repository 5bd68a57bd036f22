#pragma once
// DomNode is the node interface of core/json_node.h over the review's simdjson DOM, so core's parsers
// (readUserSession) read a reviewed object in place instead of from an nlohmann copy of it.
#include <simdjson.h>

#include <optional>
#include <string_view>

#include "core/json_node.h"
#include "webhook/admission/dom.h"

namespace sessiongate::webhook {

// DomNode views one DOM element; the DOM must outlive it.
class DomNode {
 public:
  explicit DomNode(simdjson::dom::element e) : e_(e) {}

  JsonKind kind() const;
  // member is the last member named name, as the nlohmann copy (and Go's encoding/json) would keep it when
  // a key is repeated; nullopt when this is not an object, or the member is absent or null.
  std::optional<DomNode> member(std::string_view name) const;
  std::string_view text() const { return std::string_view(e_); }
  std::int64_t integer() const { return std::int64_t(e_); }
  bool boolean() const { return bool(e_); }
  template <class F>
  void forEach(F f) const {
    for (simdjson::dom::element item : simdjson::dom::array(e_)) f(DomNode(item));
  }
  Json toJson() const { return webhook::toJson(e_); }

 private:
  simdjson::dom::element e_;
};

}  // namespace sessiongate::webhook
