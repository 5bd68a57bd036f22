#include "controller/ipam/ipam.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace sessiongate {
namespace {

// kListedAddresses bounds how many addresses an error message names before it says "and N more".
constexpr std::size_t kListedAddresses = 5;

std::string describePort(std::size_t index, const PortRequest& port) {
  std::string text = "ports[" + std::to_string(index) + "]";
  if (!port.name.empty()) text += " (" + port.name + ")";
  return text;
}

std::string rangeText(const PortRange& range) {
  return std::to_string(range.first) + "-" + std::to_string(range.last);
}

std::string poolText(const IpPool& pool) {
  std::string text;
  for (const IpRange& range : pool.ranges) text += (text.empty() ? "" : ", ") + range.entry;
  return text;
}

std::string normalProtocol(const std::string& protocol) {
  return protocol.empty() ? "TCP" : protocol;
}

// Failure says why one address could not take the request.
struct Failure {
  IpAddress ip;
  std::string reason;
  std::optional<PortKey> heldKey;  // set when an explicit port is held by another session
  std::string holder;
};

// Fitter checks whether the request fits on one address and builds the allocation if it does.
class Fitter {
 public:
  Fitter(const IpamConfig& config, const AllocationTable& table, const AllocationRequest& request)
      : config_(config), table_(table), request_(request), own_(table.find(request.session)) {}

  // fit returns the allocation on ip, or records why it does not fit and returns nullopt.
  std::optional<Allocation> fit(const IpAddress& ip, std::vector<Failure>& failures) const {
    if (!config_.shareAddresses) {
      if (auto other = otherSessionOn(ip)) {
        failures.push_back({ip, "is used by session " + *other +
                                    " (sessions share an address only when publicExposure.sharedIPKey is set)",
                            std::nullopt, {}});
        return std::nullopt;
      }
    }
    Allocation allocation{ip, {}};
    std::set<PortKey> chosen;
    for (const PortRequest& p : request_.ports) {
      allocation.ports.push_back({p.name, normalProtocol(p.protocol), p.port, p.targetPort});
      if (p.port == 0) continue;
      const PortKey key{normalProtocol(p.protocol), p.port};
      if (auto holder = heldByOther(ip, key)) {
        failures.push_back({ip, key.str() + " is held by session " + *holder, key, *holder});
        return std::nullopt;
      }
      chosen.insert(key);
    }
    if (auto shortage = autoShortage(ip, chosen)) {
      failures.push_back({ip, *shortage, std::nullopt, {}});
      return std::nullopt;
    }
    keepOwnAutoPorts(allocation, chosen);
    for (AllocatedPort& port : allocation.ports) {
      if (port.port != 0) continue;
      port.port = lowestFree(ip, port.protocol, chosen);
      chosen.insert(port.key());
    }
    return allocation;
  }

 private:
  // otherSessionOn is a session other than the requester holding any pair of ip.
  std::optional<std::string> otherSessionOn(const IpAddress& ip) const {
    auto held = table_.holders().find(ip);
    if (held == table_.holders().end()) return std::nullopt;
    for (const auto& [key, session] : held->second) {
      if (session != request_.session) return session;
    }
    return std::nullopt;
  }

  std::optional<std::string> heldByOther(const IpAddress& ip, const PortKey& key) const {
    auto holder = table_.holder(ip, key);
    if (holder && *holder != request_.session) return holder;
    return std::nullopt;
  }

  bool usableAuto(const IpAddress& ip, const PortKey& key, const std::set<PortKey>& chosen) const {
    return config_.autoPortRange.contains(key.port) && !config_.isReserved(key.port) && !chosen.count(key) &&
           !heldByOther(ip, key);
  }

  // autoShortage explains which protocol lacks free automatic ports on ip, if any does.
  std::optional<std::string> autoShortage(const IpAddress& ip, const std::set<PortKey>& chosen) const {
    std::map<std::string, int> needed;
    for (const PortRequest& p : request_.ports) {
      if (p.port == 0) ++needed[normalProtocol(p.protocol)];
    }
    for (const auto& [protocol, count] : needed) {
      int free = 0;
      for (int port = config_.autoPortRange.first; port <= config_.autoPortRange.last && free < count;
           ++port) {
        if (usableAuto(ip, {protocol, port}, chosen)) ++free;
      }
      if (free < count) {
        return "only " + std::to_string(free) + " " + protocol + " port(s) of autoPortRange " +
               rangeText(config_.autoPortRange) + " are free, " + std::to_string(count) + " needed";
      }
    }
    return std::nullopt;
  }

  // keepOwnAutoPorts gives automatic ports the port they already had on this address when still usable.
  void keepOwnAutoPorts(Allocation& allocation, std::set<PortKey>& chosen) const {
    if (own_ == nullptr || own_->ip != allocation.ip) return;
    for (AllocatedPort& port : allocation.ports) {
      if (port.port != 0) continue;
      for (const AllocatedPort& had : own_->ports) {
        if (had.name != port.name || had.protocol != port.protocol) continue;
        if (usableAuto(allocation.ip, had.key(), chosen)) {
          port.port = had.port;
          chosen.insert(port.key());
        }
        break;
      }
    }
  }

  int lowestFree(const IpAddress& ip, const std::string& protocol, const std::set<PortKey>& chosen) const {
    for (int port = config_.autoPortRange.first; port <= config_.autoPortRange.last; ++port) {
      if (usableAuto(ip, {protocol, port}, chosen)) return port;
    }
    return 0;  // unreachable: autoShortage checked there are enough
  }

  const IpamConfig& config_;
  const AllocationTable& table_;
  const AllocationRequest& request_;
  const Allocation* own_;
};

// validateRequest reports problems of the request itself, which no address could solve.
std::optional<std::string> validateRequest(const IpamConfig& config, const AllocationRequest& request) {
  if (request.ports.empty()) return "no ports to expose: spec.publicExposure.ports is empty";
  if (config.pool.ranges.empty()) {
    return "the policy's publicExposure.ipPool is empty; add addresses to it to expose sessions";
  }
  std::map<PortKey, std::size_t> explicitPorts;
  std::map<std::string, int> autoCount;
  for (std::size_t i = 0; i < request.ports.size(); ++i) {
    const PortRequest& p = request.ports[i];
    const std::string protocol = normalProtocol(p.protocol);
    if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
      return describePort(i, p) + ": protocol \"" + protocol + "\" is not TCP, UDP or SCTP";
    }
    if (p.targetPort < 1 || p.targetPort > 65535) {
      return describePort(i, p) + ": targetPort " + std::to_string(p.targetPort) + " is outside 1-65535";
    }
    if (p.port < 0 || p.port > 65535) {
      return describePort(i, p) + ": port " + std::to_string(p.port) +
             " is outside 1-65535 (use 0 to have one assigned)";
    }
    if (p.port == 0) {
      ++autoCount[protocol];
      continue;
    }
    const PortKey key{protocol, p.port};
    if (config.isReserved(p.port)) {
      return describePort(i, p) + ": " + key.str() + " is reserved by the policy (reservedPorts)";
    }
    auto [first, inserted] = explicitPorts.emplace(key, i);
    if (!inserted) {
      return describePort(i, p) + ": " + key.str() + " is already requested by " +
             describePort(first->second, request.ports[first->second]);
    }
  }
  for (const auto& [protocol, count] : autoCount) {
    int usable = 0;
    for (int port = config.autoPortRange.first; port <= config.autoPortRange.last; ++port) {
      if (!config.isReserved(port) && !explicitPorts.count({protocol, port})) ++usable;
    }
    if (usable < count) {
      return std::to_string(count) + " automatic " + protocol + " ports are requested but autoPortRange " +
             rangeText(config.autoPortRange) + " has only " + std::to_string(usable) +
             " usable (reservedPorts and explicitly requested ports excluded)";
    }
  }
  return std::nullopt;
}

// noFitMessage explains, address by address, why the request fits nowhere in a fully used pool.
std::string noFitMessage(const IpamConfig& config, const AllocationRequest& request,
                         const std::vector<Failure>& failures) {
  const std::string pool = poolText(config.pool);
  if (failures.empty()) {  // no address was tried: each one belongs to another session, and none is shared
    return "every address of the pool (" + pool +
           ") is used by another session, and sessions share an address only when publicExposure.sharedIPKey "
           "is set. Add addresses to the pool, or set sharedIPKey (with MetalLB, Services with the same key "
           "share an address)";
  }
  const bool sameHeldPort = std::all_of(failures.begin(), failures.end(), [&](const Failure& f) {
    return f.heldKey && f.heldKey == failures.front().heldKey;
  });
  std::string message;
  if (sameHeldPort) {
    message = "no IP in the pool has " + failures.front().heldKey->str() + " free: ";
  } else {
    message = "no IP in the pool fits the " + std::to_string(request.ports.size()) + " requested port(s): ";
  }
  for (std::size_t i = 0; i < failures.size() && i < kListedAddresses; ++i) {
    if (i > 0) message += ", ";
    const Failure& f = failures[i];
    message += f.ip.str() + (sameHeldPort ? " holds it for session " + f.holder : " (" + f.reason + ")");
  }
  if (failures.size() > kListedAddresses) {
    message += ", and " + std::to_string(failures.size() - kListedAddresses) + " more";
  }
  message += "; every address of the pool (" + pool + ") is in use. ";
  message += sameHeldPort
                 ? "Choose another port, or port 0 to have one assigned, or add addresses to the pool"
                 : "Request fewer or other ports, or add addresses to the pool";
  return message;
}

// poolPosition orders addresses the way the pool lists them: by entry, then numerically.
std::optional<std::pair<std::size_t, IpAddress>> poolPosition(const IpPool& pool, const IpAddress& ip) {
  for (std::size_t i = 0; i < pool.ranges.size(); ++i) {
    if (pool.ranges[i].contains(ip)) return std::make_pair(i, ip);
  }
  return std::nullopt;
}

}  // namespace

Result<IpamConfig> IpamConfig::fromPolicy(const PublicExposureConfig& exposure) {
  auto pool = IpPool::parse(exposure.ipPool);
  if (!pool) return Error{"publicExposure." + pool.error()};
  IpamConfig config;
  config.pool = std::move(*pool);
  config.autoPortRange = exposure.autoPortRange;
  config.reservedPorts = exposure.reservedPorts;
  config.shareAddresses = !exposure.sharedIPKey.empty();
  return config;
}

bool IpamConfig::isReserved(int port) const {
  return std::any_of(reservedPorts.begin(), reservedPorts.end(),
                     [port](const PortRange& r) { return r.contains(port); });
}

Result<Allocation> allocate(const IpamConfig& config, const AllocationTable& table,
                            const AllocationRequest& request) {
  if (auto invalid = validateRequest(config, request)) return Error{*invalid};
  const Fitter fitter(config, table, request);
  std::vector<Failure> failures;
  std::set<IpAddress> tried;
  auto tryAddress = [&](const IpAddress& ip) -> std::optional<Allocation> {
    if (!tried.insert(ip).second) return std::nullopt;
    return fitter.fit(ip, failures);
  };

  // 1. Sticky: the address the session has now, if the pool still contains it.
  std::optional<IpAddress> current = request.currentIp;
  if (!current) {
    if (const Allocation* own = table.find(request.session)) current = own->ip;
  }
  if (current && config.pool.contains(*current)) {
    if (auto allocation = tryAddress(*current)) return *allocation;
  }

  // 2. Packing: addresses in use, in pool order (only where addresses may be shared).
  std::vector<std::pair<std::size_t, IpAddress>> inUse;
  for (const auto& [ip, holders] : table.holders()) {
    if (!config.shareAddresses) break;
    if (auto position = poolPosition(config.pool, ip)) inUse.push_back(*position);
  }
  std::sort(inUse.begin(), inUse.end());
  for (const auto& [rangeIndex, ip] : inUse) {
    if (auto allocation = tryAddress(ip)) return *allocation;
  }

  // 3. The first unused address. The request was validated, so it fits any address nobody holds.
  for (const IpAddress& ip : config.pool) {
    if (table.holders().count(ip) || tried.count(ip)) continue;
    if (auto allocation = tryAddress(ip)) return *allocation;
    break;
  }
  return Error{noFitMessage(config, request, failures)};
}

}  // namespace sessiongate
