#pragma once
// Options of the API verbs and their encoding as query strings (and, for delete, a DeleteOptions body),
// matching the parameters of k8s.io/apimachinery's ListOptions, CreateOptions, PatchOptions, DeleteOptions.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.h"

namespace sessiongate::kube {

// ListOptions selects one page of a list.
struct ListOptions {
  std::string labelSelector;
  std::string fieldSelector;
  std::int64_t limit = 0;            // page size; 0 = everything in one response
  std::string continueToken;         // metadata.continue of the previous page
  std::string resourceVersion;       // "" = most recent (quorum read), "0" = any (watch cache)
  std::string resourceVersionMatch;  // "", "NotOlderThan" or "Exact"
  int timeoutSeconds = 0;
};

// WatchOptions starts a watch; resourceVersion is where to resume (events after it are delivered).
struct WatchOptions {
  std::string labelSelector;
  std::string fieldSelector;
  std::string resourceVersion;
  bool allowWatchBookmarks = true;
  int timeoutSeconds = 300;  // the server ends the watch cleanly after this long
};

// WriteOptions apply to create, update and updateStatus.
struct WriteOptions {
  std::string fieldManager;
  bool dryRun = false;
};

// PatchType selects the patch format (and so the request's Content-Type).
enum class PatchType { Merge, Json, StrategicMerge, Apply };

// PatchOptions apply to patch; fieldManager is required by the server for Apply.
struct PatchOptions {
  std::string fieldManager;
  bool force = false;  // Apply only: take ownership of conflicting fields
  bool dryRun = false;
};

// DeleteOptions becomes the body of a DELETE, as kubectl sends it.
struct DeleteOptions {
  std::string propagationPolicy;  // "", "Foreground", "Background" or "Orphan"
  std::optional<std::int64_t> gracePeriodSeconds;
  std::string preconditionUid;
  std::string preconditionResourceVersion;
  bool dryRun = false;
};

// listQuery is "?labelSelector=...&limit=..." for the set fields, or "" when none is set.
std::string listQuery(const ListOptions& options);
// watchQuery always carries watch=true.
std::string watchQuery(const WatchOptions& options);
std::string writeQuery(const WriteOptions& options);
std::string patchQuery(const PatchOptions& options, PatchType type);
// deleteBody is the DeleteOptions object, or an empty string when no option is set.
std::string deleteBody(const DeleteOptions& options);
// patchContentType is the Content-Type the API server expects for the patch type.
const char* patchContentType(PatchType type);

}  // namespace sessiongate::kube
