#pragma once
// WrittenSessions bridges the time between a write the controller makes to a UserSession (its finalizer, its
// status) and the moment the session informer shows that write. A reconcile that runs in between (the write
// itself, a child's event or a requeue trigger one) would otherwise read the old version from the cache,
// find the status not yet written and the Provisioned Event not yet sent, and do both again.
//
// Only resourceVersion equality is used, never ordering (resourceVersions are opaque): each write records
// the version it was computed from as superseded by the API server's answer. While the cache still shows a
// superseded version, the answer is the freshest object; once it shows any other version (the answer
// itself, or a newer write by anyone) the cache is right again and the record goes.
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/json.h"
#include "core/kube/object_store.h"

namespace sessiongate::controller {

// WrittenSessions is thread-safe: workers reconcile different sessions at once.
class WrittenSessions {
 public:
  // wrote records that the version baseVersion of session name is superseded by answer (the object the API
  // server answered the write with).
  void wrote(const std::string& name, std::string_view baseVersion, Json answer);
  // freshest is the newest version the controller knows of: the answer to its last write while the cache
  // still shows a version that write superseded (decoded from its packed form), else cached as given.
  kube::SharedObject freshest(const std::string& name, kube::SharedObject cached);
  // forget drops what is known of name (the session is gone).
  void forget(const std::string& name);
  std::size_t size() const;

 private:
  // Entry: the versions superseded, and the latest answer, packed as the informers keep objects (between a
  // write and the informer's event thousands of answers may be held at once).
  struct Entry {
    std::set<std::string, std::less<>> superseded;
    std::string latestVersion;
    std::string latest;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace sessiongate::controller
