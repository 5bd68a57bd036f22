#pragma once
// IpamAllocator is the controller's one shared IPAM state: the allocation table behind a mutex, so that
// concurrent reconciles never hand out the same address, port and protocol. A reconcile reserves before it
// creates or updates the Service, commits once the API server accepted it, and aborts on failure:
//   auto allocation = ipam.allocate(request);        // reserved in memory
//   if (!allocation) -> status.publicExposure Error with allocation.error()
//   if (applyService(*allocation)) ipam.commit(name); else ipam.abort(name);
// While a reservation is open the session holds both its old and its new pairs, since either may be live.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "controller/ipam/allocation.h"
#include "controller/ipam/allocation_table.h"
#include "controller/ipam/ipam.h"
#include "core/result.h"

namespace sessiongate {

// IpamAllocator is thread-safe; every method takes one mutex, so allocate calls are serialised.
class IpamAllocator {
 public:
  explicit IpamAllocator(IpamConfig config);

  // setConfig swaps the pool and port rules (a new policy); existing allocations stay as they are.
  void setConfig(IpamConfig config);
  // reset replaces the table with one rebuilt from the cluster; open reservations are kept on top of it.
  void reset(AllocationTable table);

  // allocate chooses and reserves the session's address and ports.
  Result<Allocation> allocate(const AllocationRequest& request);
  // commit makes the session's reservation final and frees the pairs it no longer uses.
  void commit(const std::string& session);
  // abort drops the session's reservation and gives it back what it held before allocate.
  void abort(const std::string& session);
  // release frees everything the session holds (the session is gone or no longer exposed).
  void release(const std::string& session);

  // find is a copy of the session's current record, reserved or committed.
  std::optional<Allocation> find(const std::string& session) const;
  // snapshot is a copy of the whole table.
  AllocationTable snapshot() const;

 private:
  mutable std::mutex mu_;
  IpamConfig config_;
  AllocationTable table_;
  // pending_ holds, per session with an open reservation, what it had before (nullopt: nothing).
  std::map<std::string, std::optional<Allocation>> pending_;
};

}  // namespace sessiongate
