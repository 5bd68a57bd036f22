// Fuzzes Kubernetes quantities and Go durations. Properties: a parsed quantity's canonical text parses back
// to the same value, and canonicalising that again changes nothing (the first round may move a binary
// quantity to decimal: 62.5Ki is 64000, which reads back as 64k, as in the API server); a parsed duration's Go rendering parses back to the same duration;
// refusals carry a message.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/duration.h"
#include "core/quantity.h"
#include "fuzz/fuzz_check.h"

using namespace sessiongate;
using sessiongate::fuzz::fuzzCheck;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto quantity = Quantity::parse(text)) {
    const std::string canonical = quantity->str();
    auto again = Quantity::parse(canonical);
    fuzzCheck(again.ok(), "a canonical quantity parses", canonical);
    fuzzCheck(*again == *quantity, "a canonical quantity keeps the value", canonical);
    const std::string second = again->str();
    auto third = Quantity::parse(second);
    fuzzCheck(third.ok() && third->str() == second, "a canonical quantity is stable", second);
    fuzzCheck(quantity->milliValue() >= quantity->value() || quantity->value() <= 0 ||
                  quantity->milliValue() == INT64_MAX,
              "milli-units are at least units", canonical);
  } else {
    fuzzCheck(!quantity.error().empty(), "a refused quantity says why", text);
  }
  if (auto duration = parseDuration(text)) {
    const std::string rendered = formatDuration(*duration);
    auto again = parseDuration(rendered);
    fuzzCheck(again.ok(), "a rendered duration parses", rendered);
    fuzzCheck(*again == *duration, "a rendered duration keeps the value", rendered);
  } else {
    fuzzCheck(!duration.error().empty(), "a refused duration says why", text);
  }
  return 0;
}
