#pragma once
// PatchWriter writes an RFC 6902 patch straight to text, for the pod mutation hot path: values arrive
// already rendered (from RenderedValues, or quoted with jsonString), so no JSON tree is built, copied
// or serialized per review. Paths are built with core's pointer(), which escapes `~` and `/`.
#include <string>
#include <string_view>

#include "webhook/admission/json_text.h"

namespace sessiongate::webhook {

// PatchWriter accumulates operations of one patch.
class PatchWriter {
 public:
  // add appends {"op":"add","path":path,"value":valueJson}; valueJson must be valid JSON text.
  void add(std::string_view path, std::string_view valueJson) { op("add", path, valueJson); }
  // replace appends {"op":"replace","path":path,"value":valueJson}.
  void replace(std::string_view path, std::string_view valueJson) { op("replace", path, valueJson); }
  // set is replace when the member exists, add otherwise.
  void set(bool exists, std::string_view path, std::string_view valueJson) {
    op(exists ? "replace" : "add", path, valueJson);
  }

  bool empty() const { return text_.empty(); }
  // text is the patch as a JSON array, "" when there are no operations.
  std::string text() &&;

 private:
  void op(std::string_view name, std::string_view path, std::string_view valueJson);

  std::string text_;
};

}  // namespace sessiongate::webhook
