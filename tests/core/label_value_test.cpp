#include <catch2/catch.hpp>

#include "core/label_value.h"

using sessiongate::toLabelValue;

TEST_CASE("usernames become valid label values", "[core][label]") {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"alice", "alice"},
      {"alice@example.com", "alice-example.com"},
      {"system:serviceaccount:sessiongate-system:sessiongate-controller",
       "system-serviceaccount-sessiongate-system-sessiongate-controller"},
      {"-_.x.-_", "x"},
      {"Ünïcode", "n--code"},
      {"", ""},
      {"a234567890123456789012345678901234567890123456789012345678901234567890",
       "a23456789012345678901234567890123456789012345678901234567890123"},
      {"ends-with-dash-after-cut-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbb", "ends-with-dash-after-cut-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
  };
  for (const auto& row : rows) {
    INFO(row.in);
    CHECK(toLabelValue(row.in) == row.out);
  }
}
