#include "webhook/mutators/patch_writer.h"

namespace sessiongate::webhook {

void PatchWriter::op(std::string_view name, std::string_view path, std::string_view valueJson) {
  if (text_.empty()) {
    text_.reserve(4096);  // typical pod patches fit; avoids regrowing on the hot path
    text_ += "[{\"op\":\"";
  } else {
    text_ += ",{\"op\":\"";
  }
  text_ += name;
  text_ += "\",\"path\":";
  appendJsonString(text_, path);
  text_ += ",\"value\":";
  text_ += valueJson;
  text_ += '}';
}

std::string PatchWriter::text() && {
  if (text_.empty()) return {};
  text_ += ']';
  return std::move(text_);
}

}  // namespace sessiongate::webhook
