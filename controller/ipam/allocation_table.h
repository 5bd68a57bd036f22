#pragma once
// AllocationTable is who holds what: each session's Allocation, and for every address the (protocol, port)
// pairs claimed on it and by which session. A pair has at most one holder; a session may claim more than
// its Allocation lists (while a change is in flight, or when the cluster had it on two addresses).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "controller/ipam/allocation.h"

namespace sessiongate {

// AllocationTable is not thread-safe; IpamAllocator guards the controller's one table.
class AllocationTable {
 public:
  // PortHolders maps each claimed (protocol, port) of one address to the session holding it.
  using PortHolders = std::map<PortKey, std::string>;

  // assign makes allocation the session's only record and claims; pairs another session already holds are
  // not taken from it (the conflict stays visible through holder()).
  void assign(const std::string& session, const Allocation& allocation);
  // reserve makes allocation the session's record and claims its pairs while keeping the session's earlier
  // claims, for the time between choosing new ports and the Service showing them.
  void reserve(const std::string& session, const Allocation& allocation);
  // claim records one pair for session without touching its record; returns the other holder if taken.
  std::optional<std::string> claim(const std::string& session, const IpAddress& ip, const PortKey& key);
  // setRecord sets the session's Allocation without claiming anything.
  void setRecord(const std::string& session, const Allocation& allocation);
  // release forgets the session: its record and every pair it holds.
  void release(const std::string& session);

  // find is the session's Allocation, or null.
  const Allocation* find(const std::string& session) const;
  // holder is the session holding ip's (protocol, port), if any.
  std::optional<std::string> holder(const IpAddress& ip, const PortKey& key) const;
  // holders is every address with at least one claimed pair, in numeric order.
  const std::map<IpAddress, PortHolders>& holders() const { return byIp_; }
  // sessions is every session's Allocation by session name.
  const std::map<std::string, Allocation>& sessions() const { return sessions_; }

 private:
  void releaseClaims(const std::string& session);

  std::map<std::string, Allocation> sessions_;
  std::map<IpAddress, PortHolders> byIp_;
  std::map<std::string, std::set<std::pair<IpAddress, PortKey>>> claims_;
};

}  // namespace sessiongate
