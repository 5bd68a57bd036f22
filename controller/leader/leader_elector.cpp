#include "controller/leader/leader_elector.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

std::string specString(const Json& lease, const char* key) {
  if (!lease.contains("spec") || !lease["spec"].is_object()) return "";
  const Json& spec = lease["spec"];
  return spec.contains(key) && spec[key].is_string() ? spec[key].get<std::string>() : "";
}

}  // namespace

LeaderElector::LeaderElector(LeaseClient& client, LeaderElectionConfig config, const Clock& clock)
    : client_(client), config_(std::move(config)), clock_(clock) {}

Json LeaderElector::newLease(const Json* old, WallTime now) const {
  std::string at = formatTimestamp(now, TimestampPrecision::Micros);
  Json spec = {{"holderIdentity", config_.identity},
               {"leaseDurationSeconds", config_.leaseDuration.count()},
               {"renewTime", at}};
  std::int64_t transitions = 0;
  std::string acquired = at;
  if (old != nullptr && old->contains("spec")) {
    transitions = (*old)["spec"].value("leaseTransitions", 0);
    if (specString(*old, "holderIdentity") == config_.identity) {
      acquired = specString(*old, "acquireTime").empty() ? at : specString(*old, "acquireTime");
    } else {
      ++transitions;
    }
  }
  spec["acquireTime"] = acquired;
  spec["leaseTransitions"] = transitions;
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", config_.name}, {"namespace", config_.ns}}},
                {"spec", spec}};
  if (old != nullptr) lease["metadata"]["resourceVersion"] = std::string(metaOf(*old).resourceVersion());
  return lease;
}

bool LeaderElector::tryAcquireOrRenew() {
  WallTime now = clock_.wallNow();
  auto current = client_.get(config_.ns, config_.name);
  if (!current) {
    if (!current.error().notFound()) {
      spdlog::warn("leader election: reading lease {}/{}: {}", config_.ns, config_.name,
                   current.error().describe());
      return false;
    }
    auto created = client_.create(config_.ns, newLease(nullptr, now));
    if (!created) return false;
    lastLease_ = *created;
    observedAt_ = clock_.now();
    return leader_ = true;
  }
  std::string holder = specString(*current, "holderIdentity");
  std::string renewTime = specString(*current, "renewTime");
  if (holder != observedHolder_ || renewTime != observedRenewTime_) {
    observedHolder_ = holder;
    observedRenewTime_ = renewTime;
    observedAt_ = clock_.now();
  }
  bool heldByOther = !holder.empty() && holder != config_.identity;
  if (heldByOther && clock_.now() < observedAt_ + config_.leaseDuration) return leader_ = false;
  auto updated = client_.update(config_.ns, newLease(&*current, now));
  if (!updated) return leader_ = false;
  lastLease_ = *updated;
  observedHolder_ = config_.identity;
  observedRenewTime_ = specString(*updated, "renewTime");
  observedAt_ = clock_.now();
  if (heldByOther)
    spdlog::info("leader election: took lease {}/{} over from {}", config_.ns, config_.name, holder);
  return leader_ = true;
}

bool LeaderElector::acquire(kube::StopSignal& stop) {
  while (!stop.stopped()) {
    if (tryAcquireOrRenew()) {
      spdlog::info("leader election: {} leads (lease {}/{})", config_.identity, config_.ns, config_.name);
      return true;
    }
    stop.waitFor(config_.retryPeriod, clock_);
  }
  return false;
}

bool LeaderElector::hold(kube::StopSignal& stop) {
  Clock::TimePoint lastRenew = clock_.now();
  while (true) {
    if (!stop.waitFor(config_.retryPeriod, clock_)) return true;
    if (tryAcquireOrRenew()) {
      lastRenew = clock_.now();
    } else if (stop.stopped()) {
      return true;
    } else if (clock_.now() - lastRenew >= config_.renewDeadline) {
      spdlog::error("leader election: could not renew lease {}/{} within {}s; leadership lost", config_.ns,
                    config_.name, config_.renewDeadline.count());
      leader_ = false;
      return false;
    }
  }
}

void LeaderElector::release(LeaseClient& client) {
  if (!leader_ || lastLease_.is_null()) return;
  Json lease = lastLease_;
  lease["spec"]["holderIdentity"] = "";
  lease["spec"]["leaseDurationSeconds"] = 1;
  lease["spec"]["renewTime"] = formatTimestamp(clock_.wallNow(), TimestampPrecision::Micros);
  auto released = client.update(config_.ns, lease);
  if (!released) {
    spdlog::warn("leader election: releasing lease {}/{}: {}", config_.ns, config_.name,
                 released.error().describe());
  }
  leader_ = false;
}

}  // namespace sessiongate::controller
