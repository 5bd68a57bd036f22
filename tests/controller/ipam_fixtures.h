#pragma once
// Helpers shared by the IPAM tests: reading fixture files and turning their JSON into IPAM values.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "controller/ipam/allocation.h"
#include "controller/ipam/allocation_table.h"
#include "controller/ipam/ipam.h"
#include "core/json.h"

namespace sessiongate::testing {

inline Json readJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return Json::parse(in);
}

// fixtureCases reads every case of every .json file in fixtures/<dir>, in file name order.
inline std::vector<Json> fixtureCases(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SESSIONGATE_FIXTURES) + "/" + dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Json> cases;
  for (const auto& file : files) {
    for (Json& c : readJsonFile(file)) cases.push_back(std::move(c));
  }
  return cases;
}

inline IpAddress ip(const std::string& text) {
  auto parsed = IpAddress::parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

inline PortRange portRange(const std::string& text) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) return {std::stoi(text), std::stoi(text)};
  return {std::stoi(text.substr(0, dash)), std::stoi(text.substr(dash + 1))};
}

inline IpamConfig ipamConfig(const Json& c) {
  PublicExposureConfig exposure;
  exposure.ipPool = c.at("pool").get<std::vector<std::string>>();
  // Sessions share addresses only with a sharedIPKey; a case without the key shares ("" turns sharing off).
  exposure.sharedIPKey = c.value("sharedIPKey", std::string("fixture-shared"));
  if (c.contains("autoPortRange")) exposure.autoPortRange = portRange(c["autoPortRange"]);
  for (const Json& r : c.value("reservedPorts", Json::array()))
    exposure.reservedPorts.push_back(portRange(r));
  auto config = IpamConfig::fromPolicy(exposure);
  INFO((config.ok() ? std::string() : config.error()));
  REQUIRE(config.ok());
  return *config;
}

inline std::vector<AllocatedPort> allocatedPorts(const Json& ports) {
  std::vector<AllocatedPort> result;
  for (const Json& p : ports) {
    result.push_back({p.at("name"), p.at("protocol"), p.at("port"), p.at("targetPort")});
  }
  return result;
}

inline Allocation allocation(const Json& a) {
  return {ip(a.at("ip")), allocatedPorts(a.at("ports"))};
}

inline AllocationTable table(const Json& allocations) {
  AllocationTable t;
  for (const Json& a : allocations) t.assign(a.at("session"), allocation(a));
  return t;
}

inline AllocationRequest request(const Json& r) {
  AllocationRequest request;
  request.session = r.at("session");
  if (r.contains("currentIP")) request.currentIp = ip(r["currentIP"]);
  for (const Json& p : r.at("ports")) {
    request.ports.push_back({p.at("name"), p.value("protocol", ""), p.at("targetPort"), p.at("port")});
  }
  return request;
}

// holdersJson renders a table's claims as {"ip": {"TCP/8080": "session"}}.
inline Json holdersJson(const AllocationTable& t) {
  Json out = Json::object();
  for (const auto& [address, holders] : t.holders()) {
    Json ports = Json::object();
    for (const auto& [key, session] : holders) ports[key.protocol + "/" + std::to_string(key.port)] = session;
    out[address.str()] = ports;
  }
  return out;
}

}  // namespace sessiongate::testing
