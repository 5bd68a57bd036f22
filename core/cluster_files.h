#pragma once
// ClusterFiles is the cluster picture loaded from files (`--policies PATH`, `--objects PATH`): the
// SessionPolicy in force, the UserSessions (without their status, which no rule reads) and the Namespaces;
// other kinds are ignored. Loading is all or
// nothing, so a caller that reloads on change simply keeps its old view when a reload fails.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster_view.h"
#include "core/result.h"

namespace sessiongate {

// ClusterFiles holds the objects the admission rules need, keyed by name.
struct ClusterFiles {
  std::shared_ptr<const SessionPolicy> policy;
  std::map<std::string, UserSession, std::less<>> sessions;
  std::map<std::string, NamespaceInfo, std::less<>> namespaces;
};

// loadClusterFiles loads every path (a file or a folder, see loadObjects) and picks the SessionPolicy named
// policyName. It fails when that policy is missing, defined twice or invalid (listing every field error, one
// per line, prefixed with its file), or when a UserSession or Namespace is malformed or duplicated.
Result<ClusterFiles> loadClusterFiles(const std::vector<std::filesystem::path>& paths,
                                      std::string_view policyName);

// applyClusterFiles replaces the view's policy, sessions and namespaces with the loaded ones; the second
// form moves them in instead of copying (a reload of thousands of sessions).
void applyClusterFiles(const ClusterFiles& files, MemoryClusterView& view);
void applyClusterFiles(ClusterFiles&& files, MemoryClusterView& view);

}  // namespace sessiongate
