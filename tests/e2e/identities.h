#pragma once
// Identities hands out a kubeconfig per requester (username + groups) of a policy case: a client
// certificate signed by the control plane's CA, made with scripts/controlplane/lib.sh's cp_make_user, so
// the API server authenticates the request exactly as it would a real user's.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace sessiongate::e2e {

// Identities makes and caches kubeconfigs under workDir; the control plane lives in cpDir.
class Identities {
 public:
  Identities(std::filesystem::path cpDir, std::filesystem::path sourceDir, std::filesystem::path workDir);

  // kubeconfigFor is the kubeconfig of (username, groups). The controller's service-account username uses
  // the control plane's controller.kubeconfig; system:authenticated is implied by the API server.
  Result<std::string> kubeconfigFor(const std::string& username, const std::vector<std::string>& groups);

  // admin is the system:masters kubeconfig.
  std::string admin() const;

  // sessionAdmin is carol's kubeconfig (group sessiongate:admins, the default policy's admin group).
  std::string sessionAdmin() const;

 private:
  Result<bool> prepareWorkDir();

  std::filesystem::path cpDir_;
  std::filesystem::path sourceDir_;
  std::filesystem::path workDir_;
  bool prepared_ = false;
  std::map<std::string, std::string> made_;  // "username|group,group" -> kubeconfig
};

}  // namespace sessiongate::e2e
