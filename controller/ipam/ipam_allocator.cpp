#include "controller/ipam/ipam_allocator.h"

#include <utility>

namespace sessiongate {

IpamAllocator::IpamAllocator(IpamConfig config) : config_(std::move(config)) {}

void IpamAllocator::setConfig(IpamConfig config) {
  std::lock_guard<std::mutex> guard(mu_);
  config_ = std::move(config);
}

void IpamAllocator::reset(AllocationTable table) {
  std::lock_guard<std::mutex> guard(mu_);
  // An in-flight reconcile may have created its Service after the list was taken: keep its reservation.
  for (const auto& [session, before] : pending_) {
    if (const Allocation* reserved = table_.find(session)) table.reserve(session, *reserved);
  }
  table_ = std::move(table);
}

Result<Allocation> IpamAllocator::allocate(const AllocationRequest& request) {
  std::lock_guard<std::mutex> guard(mu_);
  auto allocation = sessiongate::allocate(config_, table_, request);
  if (!allocation) return allocation;
  // A second allocate before commit or abort keeps the state from before the first one.
  if (!pending_.count(request.session)) {
    const Allocation* before = table_.find(request.session);
    pending_[request.session] = before ? std::optional<Allocation>(*before) : std::nullopt;
  }
  table_.reserve(request.session, *allocation);
  return allocation;
}

void IpamAllocator::commit(const std::string& session) {
  std::lock_guard<std::mutex> guard(mu_);
  if (!pending_.erase(session)) return;
  if (const Allocation* reserved = table_.find(session)) table_.assign(session, Allocation(*reserved));
}

void IpamAllocator::abort(const std::string& session) {
  std::lock_guard<std::mutex> guard(mu_);
  auto pending = pending_.find(session);
  if (pending == pending_.end()) return;
  if (pending->second) {
    table_.assign(session, *pending->second);
  } else {
    table_.release(session);
  }
  pending_.erase(pending);
}

void IpamAllocator::release(const std::string& session) {
  std::lock_guard<std::mutex> guard(mu_);
  pending_.erase(session);
  table_.release(session);
}

std::optional<Allocation> IpamAllocator::find(const std::string& session) const {
  std::lock_guard<std::mutex> guard(mu_);
  const Allocation* allocation = table_.find(session);
  return allocation ? std::optional<Allocation>(*allocation) : std::nullopt;
}

AllocationTable IpamAllocator::snapshot() const {
  std::lock_guard<std::mutex> guard(mu_);
  return table_;
}

}  // namespace sessiongate
