#include "controller/ipam/allocation_table.h"

namespace sessiongate {

void AllocationTable::assign(const std::string& session, const Allocation& allocation) {
  releaseClaims(session);
  reserve(session, allocation);
}

void AllocationTable::reserve(const std::string& session, const Allocation& allocation) {
  sessions_[session] = allocation;
  for (const AllocatedPort& port : allocation.ports) claim(session, allocation.ip, port.key());
}

std::optional<std::string> AllocationTable::claim(const std::string& session, const IpAddress& ip,
                                                  const PortKey& key) {
  auto [it, inserted] = byIp_[ip].emplace(key, session);
  if (!inserted && it->second != session) return it->second;
  claims_[session].insert({ip, key});
  return std::nullopt;
}

void AllocationTable::setRecord(const std::string& session, const Allocation& allocation) {
  sessions_[session] = allocation;
}

void AllocationTable::release(const std::string& session) {
  releaseClaims(session);
  sessions_.erase(session);
}

void AllocationTable::releaseClaims(const std::string& session) {
  auto claims = claims_.find(session);
  if (claims == claims_.end()) return;
  for (const auto& [ip, key] : claims->second) {
    auto ports = byIp_.find(ip);
    if (ports == byIp_.end()) continue;
    auto held = ports->second.find(key);
    if (held != ports->second.end() && held->second == session) ports->second.erase(held);
    if (ports->second.empty()) byIp_.erase(ports);
  }
  claims_.erase(claims);
}

const Allocation* AllocationTable::find(const std::string& session) const {
  auto it = sessions_.find(session);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::optional<std::string> AllocationTable::holder(const IpAddress& ip, const PortKey& key) const {
  auto ports = byIp_.find(ip);
  if (ports == byIp_.end()) return std::nullopt;
  auto held = ports->second.find(key);
  if (held == ports->second.end()) return std::nullopt;
  return held->second;
}

}  // namespace sessiongate
