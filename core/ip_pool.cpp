#include "core/ip_pool.h"

#include <arpa/inet.h>

#include <charconv>
#include <limits>

namespace sessiongate {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// withHostBits returns the address with every bit after the first `prefix` bits set to `value`.
IpAddress withHostBits(IpAddress a, int prefix, bool value) {
  const int offset = a.family == IpAddress::Family::V4 ? 96 : 0;
  for (int bit = offset + prefix; bit < 128; ++bit) {
    const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    if (value) {
      a.bytes[bit / 8] |= mask;
    } else {
      a.bytes[bit / 8] &= static_cast<std::uint8_t>(~mask);
    }
  }
  return a;
}

std::uint64_t distance(const IpAddress& first, const IpAddress& last) {
  // The difference fits in 64 bits only if the top 8 bytes agree.
  for (int i = 0; i < 8; ++i) {
    if (first.bytes[i] != last.bytes[i]) return std::numeric_limits<std::uint64_t>::max();
  }
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  for (int i = 8; i < 16; ++i) {
    a = (a << 8) | first.bytes[i];
    b = (b << 8) | last.bytes[i];
  }
  return b - a;
}

}  // namespace

Result<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string s(text);
  IpAddress a;
  if (s.find(':') == std::string::npos) {
    std::uint8_t v4[4];
    if (inet_pton(AF_INET, s.c_str(), v4) != 1) return Error{quoted(text) + " is not a valid IP address"};
    a.family = Family::V4;
    for (int i = 0; i < 4; ++i) a.bytes[12 + i] = v4[i];
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) {
    return Error{quoted(text) + " is not a valid IP address"};
  }
  a.family = Family::V6;
  return a;
}

std::string IpAddress::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family == Family::V4) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<IpAddress> IpAddress::next() const {
  IpAddress n = *this;
  const int lowest = family == Family::V4 ? 12 : 0;
  for (int i = 15; i >= lowest; --i) {
    if (++n.bytes[i] != 0) return n;
  }
  return std::nullopt;
}

std::uint64_t IpRange::size() const {
  const std::uint64_t d = distance(first, last);
  return d == std::numeric_limits<std::uint64_t>::max() ? d : d + 1;
}

Result<IpRange> parseCidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return Error{"a CIDR needs a prefix length, e.g. 10.0.0.0/24"};
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return Error{address.error()};
  const std::string_view prefixText = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(prefixText.data(), prefixText.data() + prefixText.size(), prefix);
  if (prefixText.empty() || ec != std::errc() || end != prefixText.data() + prefixText.size() || prefix < 0 ||
      prefix > address->bits()) {
    return Error{"the prefix length must be a number between 0 and " + std::to_string(address->bits())};
  }
  const IpAddress network = withHostBits(*address, prefix, false);
  if (network != *address) {
    return Error{"host bits are set; the network is " + network.str() + "/" + std::to_string(prefix)};
  }
  return IpRange{network, withHostBits(*address, prefix, true), std::string(text)};
}

Result<IpRange> parseIpRange(std::string_view entry) {
  const std::string_view text = trim(entry);
  if (text.empty()) {
    return Error{"an entry must be an IP address, a CIDR (10.0.0.0/28) or a range (10.0.0.1-10.0.0.9)"};
  }
  if (text.find('/') != std::string_view::npos) {
    auto cidr = parseCidr(text);
    if (cidr) cidr->entry = std::string(entry);
    return cidr;
  }
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    auto address = IpAddress::parse(text);
    if (!address) {
      return Error{"must be an IP address, a CIDR such as 10.0.0.0/28 or a range such as 10.0.0.1-10.0.0.9"};
    }
    return IpRange{*address, *address, std::string(entry)};
  }
  auto first = IpAddress::parse(trim(text.substr(0, dash)));
  if (!first) return Error{first.error()};
  auto last = IpAddress::parse(trim(text.substr(dash + 1)));
  if (!last) return Error{last.error()};
  if (first->family != last->family) return Error{"both ends of a range must be of the same IP family"};
  if (*last < *first) return Error{"the first address of a range must not be after the last"};
  return IpRange{*first, *last, std::string(entry)};
}

std::vector<IpOverlap> findOverlaps(const std::vector<IpRange>& ranges) {
  std::vector<IpOverlap> overlaps;
  for (std::size_t later = 1; later < ranges.size(); ++later) {
    for (std::size_t earlier = 0; earlier < later; ++earlier) {
      if (ranges[earlier].overlaps(ranges[later])) {
        overlaps.push_back({earlier, later});
        break;
      }
    }
  }
  return overlaps;
}

Result<IpPool> IpPool::parse(const std::vector<std::string>& entries) {
  IpPool pool;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto range = parseIpRange(entries[i]);
    if (!range)
      return Error{"ipPool[" + std::to_string(i) + "] (" + quoted(entries[i]) + "): " + range.error()};
    pool.ranges.push_back(std::move(*range));
  }
  for (const auto& o : findOverlaps(pool.ranges)) {
    return Error{"ipPool[" + std::to_string(o.later) + "] (" + quoted(entries[o.later]) +
                 ") overlaps ipPool[" + std::to_string(o.earlier) + "] (" + quoted(entries[o.earlier]) + ")"};
  }
  return pool;
}

bool IpPool::contains(const IpAddress& a) const {
  for (const auto& r : ranges) {
    if (r.contains(a)) return true;
  }
  return false;
}

std::uint64_t IpPool::size() const {
  std::uint64_t total = 0;
  for (const auto& r : ranges) {
    const std::uint64_t n = r.size();
    if (n > std::numeric_limits<std::uint64_t>::max() - total)
      return std::numeric_limits<std::uint64_t>::max();
    total += n;
  }
  return total;
}

IpPool::Iterator::Iterator(const std::vector<IpRange>* ranges, std::size_t index)
    : ranges_(ranges), index_(index) {
  if (!atEnd()) current_ = (*ranges_)[index_].first;
}

IpPool::Iterator& IpPool::Iterator::operator++() {
  if (atEnd()) return *this;
  const IpRange& range = (*ranges_)[index_];
  auto n = current_.next();
  if (current_ != range.last && n) {
    current_ = *n;
    return *this;
  }
  ++index_;
  current_ = atEnd() ? IpAddress{} : (*ranges_)[index_].first;
  return *this;
}

}  // namespace sessiongate
