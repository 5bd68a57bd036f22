#pragma once
// openSession is the life of one `session open` run against an API server: create the UserSession, follow it
// with a watch on that one object (resumed after a dropped stream, re-read after 410 Gone), and when asked to
// stop, delete it (unless --keep) and wait, bounded, until it is gone. The caller decides what "asked to
// stop" means (stdin closed, a signal) through a StopRequest.
#include <mutex>
#include <string>

#include "cli/commands.h"
#include "cli/session_request.h"
#include "core/clock.h"
#include "core/kube/kube_client.h"

namespace sessiongate::cli {

// kExitClusterError: the API server could not be reached (or failed), or the session was not gone in time.
inline constexpr int kExitClusterError = 3;

// StopRequest is a StopSignal with the reason of whoever stopped first ("stdin closed", "SIGTERM").
class StopRequest {
 public:
  void request(const std::string& reason);
  std::string reason() const;
  kube::StopSignal& signal() { return signal_; }

 private:
  mutable std::mutex mu_;
  std::string reason_;
  kube::StopSignal signal_;
};

// openSession creates the session for username and follows it until stop or until the session goes away;
// returns the exit code (see sessionOpenSpec's summary). Lines go to io.out, problems to io.err; clock
// paces the retries and bounds the wait for the deletion.
int openSession(const kube::KubeClient& client, const SessionRequest& request, const std::string& username,
                CommandIo io, StopRequest& stop, const Clock& clock = realClock());

}  // namespace sessiongate::cli
