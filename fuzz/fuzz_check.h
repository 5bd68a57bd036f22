#pragma once
// fuzzCheck turns a broken property into a crash that libFuzzer records with its input: the message says
// which property and shows the relevant text.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sessiongate::fuzz {

inline void fuzzCheck(bool holds, std::string_view property, std::string_view detail = {}) {
  if (holds) return;
  std::fprintf(stderr, "property broken: %.*s\n%.*s\n", static_cast<int>(property.size()), property.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace sessiongate::fuzz
