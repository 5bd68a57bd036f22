#include "core/ip_pool.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using sessiongate::IpAddress;
using sessiongate::IpPool;
using sessiongate::IpRange;
using sessiongate::parseCidr;
using sessiongate::parseIpRange;

namespace {

struct RangeRow {
  const char* entry;
  const char* first;
  const char* last;
  std::uint64_t size;
};

const RangeRow kRangeRows[] = {
    {"10.0.0.7", "10.0.0.7", "10.0.0.7", 1},
    {"10.0.0.0/28", "10.0.0.0", "10.0.0.15", 16},
    {"10.0.0.0/32", "10.0.0.0", "10.0.0.0", 1},
    {"0.0.0.0/0", "0.0.0.0", "255.255.255.255", 4294967296},
    {"192.168.1.250-192.168.2.4", "192.168.1.250", "192.168.2.4", 11},
    {" 10.0.0.1 - 10.0.0.9 ", "10.0.0.1", "10.0.0.9", 9},
    {"10.0.0.5-10.0.0.5", "10.0.0.5", "10.0.0.5", 1},
    {"2001:db8::7", "2001:db8::7", "2001:db8::7", 1},
    {"2001:DB8::/126", "2001:db8::", "2001:db8::3", 4},
    {"2001:db8::/64", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", UINT64_MAX},
    {"2001:db8::ff-2001:db8::1:1", "2001:db8::ff", "2001:db8::1:1", 65283},
    {"::ffff:10.0.0.1", "::ffff:10.0.0.1", "::ffff:10.0.0.1", 1},
};

struct ErrorRow {
  const char* entry;
  const char* error;
};

const char* const kNotAnEntry =
    "must be an IP address, a CIDR such as 10.0.0.0/28 or a range such as 10.0.0.1-10.0.0.9";

const ErrorRow kErrorRows[] = {
    {"", "an entry must be an IP address, a CIDR (10.0.0.0/28) or a range (10.0.0.1-10.0.0.9)"},
    {"10.0.0.300", kNotAnEntry},
    {"010.0.0.1", kNotAnEntry},
    {"example.com", kNotAnEntry},
    {"fe80::1%eth0", kNotAnEntry},
    {"10.0.0.5/24", "host bits are set; the network is 10.0.0.0/24"},
    {"2001:db8::1/64", "host bits are set; the network is 2001:db8::/64"},
    {"10.0.0.0/33", "the prefix length must be a number between 0 and 32"},
    {"2001:db8::/129", "the prefix length must be a number between 0 and 128"},
    {"10.0.0.0/", "the prefix length must be a number between 0 and 32"},
    {"10.0.0.0/x", "the prefix length must be a number between 0 and 32"},
    {"10.0.0.300/24", "\"10.0.0.300\" is not a valid IP address"},
    {"10.0.0.9-10.0.0.1", "the first address of a range must not be after the last"},
    {"10.0.0.1-2001:db8::1", "both ends of a range must be of the same IP family"},
    {"10.0.0.1-x", "\"x\" is not a valid IP address"},
};

IpAddress ip(const char* text) {
  auto a = IpAddress::parse(text);
  REQUIRE(a.ok());
  return *a;
}

std::vector<std::string> addresses(const IpPool& pool, std::size_t max) {
  std::vector<std::string> out;
  for (auto it = pool.begin(); it != pool.end() && out.size() < max; ++it) out.push_back(it->str());
  return out;
}

}  // namespace

TEST_CASE("pool entries parse into inclusive ranges", "[core][ip_pool]") {
  for (const auto& row : kRangeRows) {
    INFO("entry " << row.entry);
    auto r = parseIpRange(row.entry);
    REQUIRE(r.ok());
    CHECK(r->first.str() == row.first);
    CHECK(r->last.str() == row.last);
    CHECK(r->size() == row.size);
    CHECK(r->entry == row.entry);
  }
}

TEST_CASE("malformed pool entries explain what is wrong", "[core][ip_pool]") {
  for (const auto& row : kErrorRows) {
    INFO("entry \"" << row.entry << "\"");
    auto r = parseIpRange(row.entry);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == row.error);
  }
  CHECK(parseCidr("10.0.0.1").error() == "a CIDR needs a prefix length, e.g. 10.0.0.0/24");
}

TEST_CASE("addresses order by family then value and step to the next", "[core][ip_pool]") {
  CHECK(ip("10.0.0.9") < ip("10.0.0.10"));
  CHECK(ip("255.255.255.255") < ip("::"));
  CHECK(ip("10.0.0.255").next()->str() == "10.0.1.0");
  CHECK_FALSE(ip("255.255.255.255").next().has_value());
  CHECK(ip("2001:db8::ffff").next()->str() == "2001:db8::1:0");
  CHECK_FALSE(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").next().has_value());
  CHECK(ip("10.0.0.1").family == IpAddress::Family::V4);
  CHECK(ip("::1").family == IpAddress::Family::V6);
}

TEST_CASE("overlapping pool entries are found with both indexes", "[core][ip_pool]") {
  struct OverlapRow {
    std::vector<std::string> entries;
    std::vector<std::pair<std::size_t, std::size_t>> overlaps;  // (earlier, later)
  };
  const std::vector<OverlapRow> rows = {
      {{"10.0.0.0/28", "10.0.0.16/28", "10.0.0.8/29"}, {{0, 2}}},
      {{"10.0.0.1", "10.0.0.0/30"}, {{0, 1}}},
      {{"10.0.0.1-10.0.0.5", "10.0.0.5-10.0.0.9", "10.0.0.10"}, {{0, 1}}},
      {{"10.0.0.1-10.0.0.4", "10.0.0.5-10.0.0.9"}, {}},
      {{"10.0.0.1", "::ffff:10.0.0.1", "::a00:1"}, {}},  // different families never overlap
      {{"2001:db8::/64", "2001:db8::5", "2001:db8:1::/64", "2001:db8::/48"}, {{0, 1}, {0, 3}}},
  };
  for (const auto& row : rows) {
    std::vector<IpRange> ranges;
    for (const auto& e : row.entries) ranges.push_back(*parseIpRange(e));
    std::vector<std::pair<std::size_t, std::size_t>> found;
    for (const auto& o : sessiongate::findOverlaps(ranges)) found.emplace_back(o.earlier, o.later);
    INFO("first entry " << row.entries.front());
    CHECK(found == row.overlaps);
  }
}

TEST_CASE("a pool iterates its addresses lazily in entry order", "[core][ip_pool]") {
  auto pool = IpPool::parse({"10.0.0.254-10.0.1.1", "192.168.0.7", "2001:db8::/64", "10.0.0.0/31"});
  REQUIRE(pool.ok());
  CHECK(addresses(*pool, 10) == std::vector<std::string>{"10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1",
                                                         "192.168.0.7", "2001:db8::", "2001:db8::1",
                                                         "2001:db8::2", "2001:db8::3", "2001:db8::4"});
  CHECK(pool->size() == UINT64_MAX);
  CHECK(pool->contains(ip("2001:db8::ffff:1")));
  CHECK(pool->contains(ip("10.0.0.1")));
  CHECK_FALSE(pool->contains(ip("10.0.0.2")));
  CHECK_FALSE(pool->contains(ip("2001:db8:0:1::")));

  auto small = IpPool::parse({"10.0.0.0/31", "10.0.0.9"});
  REQUIRE(small.ok());
  CHECK(addresses(*small, 100) == std::vector<std::string>{"10.0.0.0", "10.0.0.1", "10.0.0.9"});
  auto it = small->begin();
  ++it;
  ++it;
  CHECK(it.rangeIndex() == 1);
  CHECK(IpPool{}.begin() == IpPool{}.end());
}

TEST_CASE("pool parsing reports the first bad or overlapping entry", "[core][ip_pool]") {
  CHECK(IpPool::parse({"10.0.0.0/28", "10.0.0.x"}).error() ==
        "ipPool[1] (\"10.0.0.x\"): must be an IP address, a CIDR such as 10.0.0.0/28 or a range such as "
        "10.0.0.1-10.0.0.9");
  CHECK(IpPool::parse({"10.0.0.0/28", "10.0.0.16/28", "10.0.0.8/29"}).error() ==
        "ipPool[2] (\"10.0.0.8/29\") overlaps ipPool[0] (\"10.0.0.0/28\")");
}
