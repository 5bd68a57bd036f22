#include "core/label_value.h"

#include <cctype>

namespace sessiongate {
namespace {

bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string toLabelValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += (isAlnum(c) || c == '.' || c == '_' || c == '-') ? c : '-';
  if (out.size() > 63) out.resize(63);
  std::size_t first = 0;
  while (first < out.size() && !isAlnum(out[first])) ++first;
  std::size_t last = out.size();
  while (last > first && !isAlnum(out[last - 1])) --last;
  return out.substr(first, last - first);
}

}  // namespace sessiongate
