#pragma once
// AppliedRecords remembers, per child object, what the controller last applied (a hash of the desired object)
// and the resourceVersion the API server answered with. A child whose desired form is unchanged and whose
// cached resourceVersion is still the one our apply produced needs no request; anything else (a new desired
// form, an edit or deletion by someone else, a restart that emptied the records) is applied again. This keeps
// the level-based reconcile cheap without weakening drift repair: a subset comparison alone could not see a
// field that the desired object dropped.
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sessiongate::controller {

// AppliedRecords is thread-safe: workers reconcile different sessions at once.
class AppliedRecords {
 public:
  // upToDate is true when key was last applied with desiredHash and the cache still shows that version.
  bool upToDate(const std::string& key, std::size_t desiredHash, std::string_view cachedVersion) const;
  void record(const std::string& key, std::size_t desiredHash, std::string resourceVersion);
  // forgetNamespace drops the records of every child in ns (its session is gone).
  void forgetNamespace(std::string_view ns);

 private:
  struct Record {
    std::size_t desiredHash = 0;
    std::string resourceVersion;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Record> records_;
};

// childKey is "resource namespace/name", the key of AppliedRecords.
std::string childKey(std::string_view resource, std::string_view ns, std::string_view name);

}  // namespace sessiongate::controller
