#pragma once
// Running kubectl and bash from the e2e runner: one child process, its stdin given as text, its exit code,
// stdout and stderr captured whole. Only the e2e runner uses this; it is not product code.
#include <string>
#include <vector>

namespace sessiongate::e2e {

// ProcessResult is what a finished child left behind.
struct ProcessResult {
  int exitCode = -1;  // -1 when it could not be started or was killed by a signal
  std::string out;
  std::string err;
};

// runProcess runs argv (argv[0] looked up in PATH) with stdinText on its standard input and waits for it.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& stdinText = "");

// Kubectl runs kubectl with one kubeconfig, i.e. as one user.
class Kubectl {
 public:
  explicit Kubectl(std::string kubeconfig) : kubeconfig_(std::move(kubeconfig)) {}

  // run is `kubectl --kubeconfig K args...` with stdinText on stdin (for `-f -`).
  ProcessResult run(const std::vector<std::string>& args, const std::string& stdinText = "") const;

  // kubeconfig is the file this kubectl uses.
  const std::string& kubeconfig() const { return kubeconfig_; }

 private:
  std::string kubeconfig_;
};

}  // namespace sessiongate::e2e
