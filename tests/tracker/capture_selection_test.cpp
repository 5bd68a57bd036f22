// CaptureSelection: parsing --ports and --destinations, the exact user-space check, and the BPF expression
// (exact text, and that libpcap compiles it).
#include "controller/tracker/capture_selection.h"

#include <catch2/catch.hpp>

#include "controller/tracker/pcap_source.h"
#include "tests/tracker/frame_builder.h"

using namespace sessiongate;
using namespace sessiongate::tracker;
using testing::ip;

TEST_CASE("CaptureSelection::parse rejects bad entries with a message naming them", "[tracker][selection]") {
  struct Case {
    std::vector<std::string> ports, destinations;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{"0"}, {}, "--ports entry \"0\": expected a port 1-65535 or a range FIRST-LAST"},
      {{"65536"}, {}, "--ports entry \"65536\": expected a port 1-65535 or a range FIRST-LAST"},
      {{"ssh"}, {}, "--ports entry \"ssh\": expected a port 1-65535 or a range FIRST-LAST"},
      {{"9000-8000"}, {}, "--ports entry \"9000-8000\": the range is empty (first port after last)"},
      {{"22-"}, {}, "--ports entry \"22-\": expected a port 1-65535 or a range FIRST-LAST"},
      {{},
       {"10.0.0.1-10.0.0.9"},
       "--destinations entry \"10.0.0.1-10.0.0.9\": give an address or a CIDR; a-b ranges cannot be "
       "expressed as "
       "a capture filter"},
      {{},
       {"10.0.0.5/24"},
       "--destinations entry \"10.0.0.5/24\": host bits are set; the network is 10.0.0.0/24"},
  };
  for (const Case& c : cases) {
    auto parsed = CaptureSelection::parse(c.ports, c.destinations);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == c.error);
  }
}

TEST_CASE("CaptureSelection::matches ports, ranges, addresses and networks of both families",
          "[tracker][selection]") {
  auto selection = CaptureSelection::parse({"22", "30000-32767"}, {"10.0.0.0/8", "192.0.2.7", "fd00::/8"});
  REQUIRE(selection);
  struct Case {
    std::string address;
    unsigned port;
    bool counted;
  };
  const std::vector<Case> cases = {
      {"10.1.2.3", 22, true},     {"10.1.2.3", 23, false},        {"10.1.2.3", 30000, true},
      {"10.1.2.3", 32767, true},  {"10.1.2.3", 32768, false},     {"11.0.0.1", 22, false},
      {"192.0.2.7", 22, true},    {"192.0.2.8", 22, false},       {"fd12::1", 31000, true},
      {"2001:db8::1", 22, false}, {"::ffff:10.1.2.3", 22, false},
  };
  for (const Case& c : cases) {
    INFO(c.address << " port " << c.port);
    CHECK(selection->matches(testing::ip(c.address), static_cast<std::uint16_t>(c.port)) == c.counted);
  }
  auto everything = CaptureSelection::parse({}, {});
  REQUIRE(everything);
  CHECK(everything->matches(testing::ip("2001:db8::1"), 1));
}

TEST_CASE("bpfFilter writes the expected expression and libpcap compiles it", "[tracker][selection]") {
  struct Case {
    std::vector<std::string> ports, destinations;
    std::string filter;
  };
  const std::string v6Any =
      "(ip6 and ((ip6[6] == 6 and ip6[53] & 0x12 == 0x02) or ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or "
      "ip6[6] == 51 or ip6[6] == 60))";
  const std::string anySyn = "(ip and tcp[13] & 0x12 == 0x02) or " + v6Any;
  const std::string v4Only =
      "(ip and tcp[13] & 0x12 == 0x02 and (tcp dst port 22 or tcp dst portrange 30000-32767) and "
      "(dst net 10.0.0.0/8 or dst host 192.0.2.7))";
  const std::string v6Only =
      "(ip6 and ((ip6[6] == 6 and ip6[53] & 0x12 == 0x02 and (tcp dst port 443)) or ip6[6] == 0 or ip6[6] == "
      "43 "
      "or ip6[6] == 44 or ip6[6] == 51 or ip6[6] == 60) and (dst net fd00::/8))";
  const std::vector<Case> cases = {
      {{}, {}, "(" + anySyn + ") or (vlan and ((" + anySyn + ") or (vlan and (" + anySyn + "))))"},
      {{"22", "30000-32767"},
       {"10.0.0.0/8", "192.0.2.7"},
       "(" + v4Only + ") or (vlan and ((" + v4Only + ") or (vlan and (" + v4Only + "))))"},
      {{"443"},
       {"fd00::/8"},
       "(" + v6Only + ") or (vlan and ((" + v6Only + ") or (vlan and (" + v6Only + "))))"},
  };
  for (const Case& c : cases) {
    auto selection = CaptureSelection::parse(c.ports, c.destinations);
    REQUIRE(selection);
    CHECK(bpfFilter(*selection) == c.filter);
    auto compiled = checkFilter(bpfFilter(*selection));
    INFO((compiled ? "" : compiled.error()));
    CHECK(compiled);
  }
  // libpcap has no `vlan` for Linux cooked or raw captures: the same expression without the VLAN branches.
  auto v4Selection = CaptureSelection::parse({"22", "30000-32767"}, {"10.0.0.0/8", "192.0.2.7"});
  CHECK(bpfFilter(*v4Selection, LinkType::LinuxCooked) == v4Only);
  CHECK(bpfFilter(*v4Selection, LinkType::RawIp) == v4Only);
  CHECK(checkFilter("tcp[[").error().rfind("capture filter does not compile: ", 0) == 0);
}
