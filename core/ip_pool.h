#pragma once
// IP pools for public exposure: entries are single addresses (`10.0.0.7`, `2001:db8::7`), CIDRs
// (`10.0.0.0/28`) or inclusive ranges (`10.0.0.1-10.0.0.9`), IPv4 or IPv6. A CIDR with host bits set
// (`10.0.0.5/24`) is rejected rather than silently widened, and the error names the network meant.
// Pools iterate lazily, in entry order, so even a /64 costs nothing until addresses are taken.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sessiongate {

// IpAddress is an IPv4 or IPv6 address. Bytes are big-endian; an IPv4 address sits in bytes[12..15] with the
// rest zero, so ordering within a family is numeric. IPv4 sorts before IPv6.
struct IpAddress {
  enum class Family { V4, V6 };
  Family family = Family::V4;
  std::array<std::uint8_t, 16> bytes{};

  // parse reads one address in the standard text forms (inet_pton); zones and prefixes are not accepted.
  static Result<IpAddress> parse(std::string_view text);
  // bits is 32 for IPv4 and 128 for IPv6.
  int bits() const { return family == Family::V4 ? 32 : 128; }
  // str renders the canonical text form (inet_ntop): "10.0.0.1", "2001:db8::1".
  std::string str() const;
  // next is the following address, or nullopt after the family's last address.
  std::optional<IpAddress> next() const;

  auto operator<=>(const IpAddress&) const = default;
  bool operator==(const IpAddress&) const = default;
};

// IpRange is an inclusive range of addresses of one family and the pool entry text it came from.
struct IpRange {
  IpAddress first;
  IpAddress last;
  std::string entry;

  bool contains(const IpAddress& a) const { return a.family == first.family && first <= a && a <= last; }
  bool overlaps(const IpRange& o) const {
    return first.family == o.first.family && first <= o.last && o.first <= last;
  }
  // size is the number of addresses, saturated at UINT64_MAX for huge IPv6 ranges.
  std::uint64_t size() const;
};

// parseIpRange reads one pool entry: an address, a CIDR or "a-b". The error explains what is wrong with the
// entry (the caller names the entry), e.g. "host bits are set; the network is 10.0.0.0/24".
Result<IpRange> parseIpRange(std::string_view entry);

// parseCidr reads exactly "address/prefix" (as NetworkPolicy ipBlock.cidr), host bits not allowed.
Result<IpRange> parseCidr(std::string_view text);

// IpOverlap says that entry `later` overlaps the earlier entry `earlier` (indexes into the ranges).
struct IpOverlap {
  std::size_t earlier = 0;
  std::size_t later = 0;
};

// findOverlaps reports, for each range that overlaps an earlier one, the first earlier range it overlaps.
std::vector<IpOverlap> findOverlaps(const std::vector<IpRange>& ranges);

// IpPool is a parsed, non-overlapping pool of addresses.
struct IpPool {
  std::vector<IpRange> ranges;

  // parse reads every entry; the first problem is reported as `ipPool[i] ("entry"): why`.
  static Result<IpPool> parse(const std::vector<std::string>& entries);

  bool contains(const IpAddress& a) const;
  // size is the number of addresses, saturated at UINT64_MAX.
  std::uint64_t size() const;

  // Iterator walks the pool's addresses in entry order without materialising them.
  class Iterator {
   public:
    using value_type = IpAddress;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const std::vector<IpRange>* ranges, std::size_t index);
    const IpAddress& operator*() const { return current_; }
    const IpAddress* operator->() const { return &current_; }
    Iterator& operator++();
    Iterator operator++(int) {
      Iterator copy = *this;
      ++*this;
      return copy;
    }
    // rangeIndex is the index of the range the current address belongs to.
    std::size_t rangeIndex() const { return index_; }
    bool operator==(const Iterator& o) const {
      return index_ == o.index_ && (atEnd() || current_ == o.current_);
    }

   private:
    bool atEnd() const { return ranges_ == nullptr || index_ >= ranges_->size(); }
    const std::vector<IpRange>* ranges_ = nullptr;
    std::size_t index_ = 0;
    IpAddress current_;
  };

  Iterator begin() const { return Iterator(&ranges, 0); }
  Iterator end() const { return Iterator(&ranges, ranges.size()); }
};

}  // namespace sessiongate
