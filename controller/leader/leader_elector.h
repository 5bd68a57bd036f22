#pragma once
// LeaderElector implements client-go's Lease-based leader election: a candidate takes the Lease when it is
// free or its holder has not renewed it for leaseDuration (measured on the candidate's own clock from when
// it last saw the record change, so clock skew between machines does not matter), the leader renews every
// retryPeriod and gives up once renewDeadline passes without a successful renewal. With 15 s / 10 s / 2 s a
// dead leader is replaced within about 15 s; release clears holderIdentity so a successor need not wait.
#include <chrono>
#include <string>

#include "controller/leader/lease_client.h"
#include "core/clock.h"
#include "core/kube/stop_signal.h"
#include "core/timestamps.h"

namespace sessiongate::controller {

// LeaderElectionConfig names the Lease and sets the timings.
struct LeaderElectionConfig {
  std::string ns = "sessiongate-system";
  std::string name = "sessiongate-controller";
  std::string identity;
  std::chrono::seconds leaseDuration{15};
  std::chrono::seconds renewDeadline{10};
  std::chrono::seconds retryPeriod{2};
};

// LeaderElector is used from one thread (acquire, then hold), release from any once hold returned.
class LeaderElector {
 public:
  LeaderElector(LeaseClient& client, LeaderElectionConfig config, const Clock& clock);

  // tryAcquireOrRenew makes one attempt; true when this candidate holds the lease afterwards.
  bool tryAcquireOrRenew();
  // acquire retries every retryPeriod until the lease is ours (true) or stop fires (false).
  bool acquire(kube::StopSignal& stop);
  // hold renews every retryPeriod; it returns false when the lease was lost (no renewal within renewDeadline)
  // and true when stop fired while still leading, also when it cut a renewal short.
  bool hold(kube::StopSignal& stop);
  // release clears holderIdentity if we hold the lease, so another candidate takes over at once. It writes
  // through client when given: a client whose calls are cancelled by something else than the stop that
  // ended hold (which would end this write before it started).
  void release() { release(client_); }
  void release(LeaseClient& client);
  bool isLeader() const { return leader_; }
  const LeaderElectionConfig& config() const { return config_; }

 private:
  Json newLease(const Json* old, WallTime now) const;

  LeaseClient& client_;
  LeaderElectionConfig config_;
  const Clock& clock_;
  bool leader_ = false;
  // The record last seen, and when (our clock) it last changed.
  std::string observedHolder_;
  std::string observedRenewTime_;
  Clock::TimePoint observedAt_{};
  Json lastLease_;
};

}  // namespace sessiongate::controller
