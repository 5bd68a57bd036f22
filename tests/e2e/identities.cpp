#include "tests/e2e/identities.h"

#include <algorithm>

#include "tests/e2e/process.h"

namespace sessiongate::e2e {
namespace {

namespace fs = std::filesystem;

const std::string controllerUser = "system:serviceaccount:sessiongate-system:sessiongate-controller";

}  // namespace

Identities::Identities(fs::path cpDir, fs::path sourceDir, fs::path workDir)
    : cpDir_(std::move(cpDir)), sourceDir_(std::move(sourceDir)), workDir_(std::move(workDir)) {}

std::string Identities::admin() const {
  return (cpDir_ / "kubeconfig" / "admin.kubeconfig").string();
}

std::string Identities::sessionAdmin() const {
  return (cpDir_ / "kubeconfig" / "carol.kubeconfig").string();
}

Result<bool> Identities::prepareWorkDir() {
  if (prepared_) return true;
  // cp_make_user writes DIR/kubeconfig/NAME.kubeconfig and DIR/pki/NAME.*: a scratch DIR that borrows the
  // cluster CA keeps it from overwriting the control plane's own alice/bob/carol kubeconfigs.
  std::error_code ec;
  fs::create_directories(workDir_ / "pki", ec);
  fs::create_directories(workDir_ / "kubeconfig", ec);
  for (const char* file : {"ca.crt", "ca.key"}) {
    if (!fs::exists(workDir_ / "pki" / file))
      fs::create_symlink(cpDir_ / "pki" / file, workDir_ / "pki" / file, ec);
    if (ec) return Error{"cannot link " + (cpDir_ / "pki" / file).string() + ": " + ec.message()};
  }
  fs::copy_file(cpDir_ / "apiserver-url", workDir_ / "apiserver-url", fs::copy_options::overwrite_existing,
                ec);
  if (ec) return Error{"cannot copy " + (cpDir_ / "apiserver-url").string() + ": " + ec.message()};
  prepared_ = true;
  return true;
}

Result<std::string> Identities::kubeconfigFor(const std::string& username,
                                              const std::vector<std::string>& groups) {
  if (username == controllerUser) return (cpDir_ / "kubeconfig" / "controller.kubeconfig").string();
  std::vector<std::string> certGroups;
  for (const std::string& g : groups) {
    if (g != "system:authenticated") certGroups.push_back(g);
  }
  std::string key = username + "|";
  for (const std::string& g : certGroups) key += g + ",";
  if (auto it = made_.find(key); it != made_.end()) return it->second;
  if (auto r = prepareWorkDir(); !r) return Error{r.error()};

  std::vector<std::string> argv{"bash",
                                "-c",
                                "source \"$1\" && shift && cp_make_user \"$@\"",
                                "cp_make_user",
                                (sourceDir_ / "scripts/controlplane/lib.sh").string(),
                                workDir_.string(),
                                username};
  argv.insert(argv.end(), certGroups.begin(), certGroups.end());
  ProcessResult made = runProcess(argv);
  if (made.exitCode != 0) return Error{"cp_make_user " + username + " failed: " + made.err};
  std::string safe = username;
  std::replace(safe.begin(), safe.end(), ':', '-');
  std::replace(safe.begin(), safe.end(), '/', '-');
  fs::path written = workDir_ / "kubeconfig" / (safe + ".kubeconfig");
  fs::path kept = workDir_ / "kubeconfig" / (safe + "-" + std::to_string(made_.size()) + ".kubeconfig");
  std::error_code ec;
  fs::rename(written, kept, ec);
  if (ec) return Error{"cp_make_user wrote no " + written.string() + ": " + ec.message()};
  made_[key] = kept.string();
  return kept.string();
}

}  // namespace sessiongate::e2e
