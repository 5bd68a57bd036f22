// sessiongatectl session open: the wiring of one run. Flags and kubeconfig are checked, the caller's identity
// comes from the API server (a SelfSubjectReview, never from a flag), and the run stops when stdin closes or
// on SIGTERM, SIGHUP or SIGINT; openSession does the rest.
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <istream>
#include <ostream>
#include <thread>

#include "cli/command_line.h"
#include "cli/session_open.h"
#include "core/kube/self_subject_review.h"

namespace sessiongate::cli {
namespace {

constexpr std::string_view kCommand = "session open";

// StdinWatcher requests a stop when the input ends (websocketd closes it when the client disconnects). A
// read blocked on a terminal or pipe cannot be interrupted, so a watcher still reading when the run ends is
// detached; it only touches the stream, which outlives it in the process. The caller unties the stream first:
// a tied std::cin flushes std::cout before every read, which would race with the lines the run prints.
class StdinWatcher {
 public:
  StdinWatcher(std::istream& in, StopRequest& stop)
      : thread_([this, &in, &stop] {
          std::string ignored;
          while (std::getline(in, ignored)) {
          }
          done_ = true;
          stop.request("stdin closed");
        }) {}
  ~StdinWatcher() {
    if (done_) {
      thread_.join();
    } else {
      thread_.detach();
    }
  }
  StdinWatcher(const StdinWatcher&) = delete;
  StdinWatcher& operator=(const StdinWatcher&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// SignalWatcher turns SIGTERM, SIGHUP and SIGINT into a stop for as long as it lives: the signals are blocked
// in this thread (and so in the threads it starts later) and taken by sigwait on a thread of its own. SIGPIPE
// is ignored, so a closed stdout (a gone WebSocket client) never kills the run before it deletes the session.
class SignalWatcher {
 public:
  explicit SignalWatcher(StopRequest& stop) {
    std::signal(SIGPIPE, SIG_IGN);
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGHUP);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
    thread_ = std::thread([this, &stop] {
      int signal = 0;
      sigwait(&set_, &signal);
      if (finished_) return;
      stop.request(signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "SIGINT");
    });
  }
  ~SignalWatcher() {
    finished_ = true;
    pthread_kill(thread_.native_handle(), SIGHUP);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  sigset_t set_{};
  sigset_t previous_{};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

int runOpen(const std::vector<std::string>& args, CommandIo io) {
  CommandLine line = parseCommandLine(kCommand, sessionOpenSpec(), args, io);
  if (line.exitNow) return *line.exitNow;
  auto request = sessionRequestFromArgs(line.args);
  if (!request) {
    io.err << "sessiongatectl " << kCommand << ": " << request.error() << "\n\n"
           << helpText(sessionOpenSpec());
    return kExitUsage;
  }
  kube::KubeconfigOptions kubeconfigOptions;
  kubeconfigOptions.context = request->context;
  auto config = kube::loadClientConfig(request->kubeconfig, kubeconfigOptions);
  if (!config) return fail(kCommand, config.error(), kExitUsage, io);
  auto client = kube::KubeClient::fromConfig(*config);
  if (!client) return fail(kCommand, client.error(), kExitUsage, io);

  auto identity = kube::whoAmI(**client);
  if (!identity) {
    const kube::ApiError& error = identity.error();
    return fail(kCommand, "asking the API server who you are (SelfSubjectReview): " + error.describe(),
                error.code >= 400 && error.code < 500 ? kExitProblems : kExitClusterError, io);
  }

  StopRequest stop;
  SignalWatcher signals(stop);
  io.in.tie(nullptr);
  StdinWatcher input(io.in, stop);
  return openSession(**client, *request, identity->username, io, stop);
}

}  // namespace

int runSession(const std::vector<std::string>& args, CommandIo io) {
  if (!args.empty() && args.front() == "open") return runOpen({args.begin() + 1, args.end()}, io);
  if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
    io.out << helpText(sessionOpenSpec());
    return kExitOk;
  }
  std::string problem =
      args.empty() ? "missing subcommand (open)" : "unknown subcommand \"" + args.front() + "\"";
  io.err << "sessiongatectl session: " << problem << "\n\n" << helpText(sessionOpenSpec());
  return kExitUsage;
}

}  // namespace sessiongate::cli
