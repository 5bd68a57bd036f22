#include "controller/reconcile/applied_records.h"

#include <functional>

#include "core/object_meta.h"

namespace sessiongate::controller {

namespace {

// digestOf is the 64-bit digest of text, never 0 (0 is "no digest").
OwnershipDigest digestOf(std::string_view text) {
  const OwnershipDigest digest = std::hash<std::string_view>{}(text);
  return digest == 0 ? 1 : digest;
}

}  // namespace

OwnershipDigest ownershipDigest(const Json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return 0;
  auto managed = metadata->find("managedFields");
  if (managed != metadata->end() && managed->is_array() && !managed->empty()) {
    std::string text = "mf\n";
    for (const Json& entry : *managed) {
      if (!entry.is_object() || entry.contains("subresource")) continue;
      for (const char* member : {"manager", "operation", "apiVersion"}) {
        text += entry.value(member, "");
        text += '\n';
      }
      text += entry.value("fieldsV1", Json::object()).dump();
      text += '\n';
    }
    return digestOf(text);
  }
  auto kept = metadata->find(kOwnershipDigestKey);
  if (kept != metadata->end() && kept->is_number_unsigned()) return kept->get<OwnershipDigest>();
  std::string_view version = metaOf(object).resourceVersion();
  return version.empty() ? 0 : digestOf("rv\n" + std::string(version));
}

std::size_t desiredHashOf(const Json& desired) {
  return std::hash<std::string>{}(desired.dump());
}

std::string childKey(std::string_view resource, std::string_view ns, std::string_view name) {
  std::string key(resource);
  key += ' ';
  key += ns;
  key += '/';
  key += name;
  return key;
}

bool AppliedRecords::upToDate(const std::string& key, std::size_t desiredHash, OwnershipDigest cachedDigest) {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return false;
  it->second.seenByCache = true;
  return it->second.desiredHash == desiredHash && cachedDigest != 0 && it->second.digest == cachedDigest;
}

bool AppliedRecords::awaitingCache(const std::string& key, std::size_t desiredHash, WallTime now,
                                   std::chrono::milliseconds allowance) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = records_.find(key);
  return it != records_.end() && !it->second.seenByCache && it->second.desiredHash == desiredHash &&
         now - it->second.at < allowance;
}

AppliedRecords::ApplyNeed AppliedRecords::need(const std::string& key, std::size_t desiredHash,
                                               const Json* cached, WallTime now,
                                               std::chrono::milliseconds allowance) {
  if (cached)
    return upToDate(key, desiredHash, ownershipDigest(*cached)) ? ApplyNeed::UpToDate : ApplyNeed::Apply;
  return awaitingCache(key, desiredHash, now, allowance) ? ApplyNeed::AwaitingCache : ApplyNeed::Apply;
}

void AppliedRecords::record(const std::string& key, std::size_t desiredHash, OwnershipDigest digest,
                            bool seenByCache, WallTime at) {
  std::lock_guard<std::mutex> guard(mu_);
  Record& record = records_[key];
  record.desiredHash = desiredHash;
  record.digest = digest;
  record.seenByCache = seenByCache;
  record.at = at;
}

void AppliedRecords::noteDeletion(const std::string& key, NamespaceDeletion state, WallTime at) {
  std::lock_guard<std::mutex> guard(mu_);
  Record& record = records_[key];
  record.deletion = state;
  record.deletionAt = at;
}

AppliedRecords::NamespaceDeletion AppliedRecords::deletion(const std::string& key, WallTime now,
                                                           std::chrono::milliseconds allowance) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return NamespaceDeletion::None;
  if (it->second.deletion == NamespaceDeletion::Requested && now - it->second.deletionAt >= allowance)
    return NamespaceDeletion::None;
  return it->second.deletion;
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
