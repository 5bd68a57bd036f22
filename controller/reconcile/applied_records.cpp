#include "controller/reconcile/applied_records.h"

namespace sessiongate::controller {

std::string childKey(std::string_view resource, std::string_view ns, std::string_view name) {
  std::string key(resource);
  key += ' ';
  key += ns;
  key += '/';
  key += name;
  return key;
}

bool AppliedRecords::upToDate(const std::string& key, std::size_t desiredHash,
                              std::string_view cachedVersion) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = records_.find(key);
  return it != records_.end() && it->second.desiredHash == desiredHash && !cachedVersion.empty() &&
         it->second.resourceVersion == cachedVersion;
}

void AppliedRecords::record(const std::string& key, std::size_t desiredHash, std::string resourceVersion) {
  std::lock_guard<std::mutex> guard(mu_);
  records_[key] = Record{desiredHash, std::move(resourceVersion)};
}

void AppliedRecords::forgetNamespace(std::string_view ns) {
  std::string infix = " " + std::string(ns) + "/";
  std::string nsKey = "namespaces /" + std::string(ns);
  std::lock_guard<std::mutex> guard(mu_);
  for (auto it = records_.begin(); it != records_.end();) {
    if (it->first.find(infix) != std::string::npos || it->first == nsKey)
      it = records_.erase(it);
    else
      ++it;
  }
}

}  // namespace sessiongate::controller
