// Fuzzes IP pool entries: each input line is one entry. Properties: a parsed range is ordered, of one
// family, contains its ends, and its first address renders to text that parses back to it; a parsed CIDR is
// a range too; a pool parses exactly when every entry parses and none overlaps, and its first addresses
// iterate inside it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ip_pool.h"
#include "fuzz/fuzz_check.h"

using namespace sessiongate;
using sessiongate::fuzz::fuzzCheck;

namespace {

void checkRange(const IpRange& range, std::string_view entry) {
  fuzzCheck(range.first.family == range.last.family, "a range has one family", entry);
  fuzzCheck(range.first <= range.last, "a range is ordered", entry);
  fuzzCheck(range.contains(range.first) && range.contains(range.last), "a range contains its ends", entry);
  fuzzCheck(range.size() >= 1, "a range is not empty", entry);
  auto again = IpAddress::parse(range.first.str());
  fuzzCheck(again.ok() && *again == range.first, "an address renders to text that parses back", entry);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> entries;
  std::vector<IpRange> ranges;
  bool allParse = true;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string entry(text.substr(start, end - start));
    start = end + 1;
    entries.push_back(entry);
    auto range = parseIpRange(entry);
    if (range) {
      checkRange(*range, entry);
      ranges.push_back(*range);
    } else {
      fuzzCheck(!range.error().empty(), "a refused entry says why", entry);
      allParse = false;
    }
    if (auto cidr = parseCidr(entry)) checkRange(*cidr, entry);
  }
  auto pool = IpPool::parse(entries);
  fuzzCheck(pool.ok() == (allParse && findOverlaps(ranges).empty()),
            "a pool parses exactly when its entries parse and do not overlap", text);
  if (!pool) return 0;
  int taken = 0;
  for (auto it = pool->begin(); it != pool->end() && taken < 16; ++it, ++taken) {
    fuzzCheck(pool->contains(*it), "iterated addresses are in the pool", it->str());
  }
  return 0;
}
