#pragma once
// AppliedRecords remembers, per child object, what the controller last applied (a hash of the desired object)
// and the object's ownership digest the API server answered with. A child whose desired form is unchanged and
// whose cached ownership digest is still the one our apply produced needs no request; anything else (a new
// desired form, an edit or deletion by someone else, a restart that emptied the records) is applied again.
// This keeps the level-based reconcile cheap without weakening drift repair: a subset comparison alone could
// not see a field that the desired object dropped.
//
// The ownership digest covers the object's managedFields entries outside subresources (manager, operation,
// apiVersion, fieldsV1; not their times). Whoever changes a field the controller applied takes it from the
// controller's set, so the digest moves; status writes (the kubelet's pod status, kube-controller-manager's
// quota usage, the load balancer's ingress address) go through the status subresource and leave it alone,
// so they cost no re-apply, where a resourceVersion comparison re-applied on each of them.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/api_names.h"
#include "core/clock.h"
#include "core/json.h"

namespace sessiongate::controller {

// OwnershipDigest is a 64-bit digest of an object's ownership (ownershipDigest below); 0 means none.
using OwnershipDigest = std::uint64_t;

// AppliedRecords is thread-safe: workers reconcile different sessions at once.
class AppliedRecords {
 public:
  // upToDate is true when key was last applied with desiredHash and the cache still shows that ownership
  // digest. Called only for an object the cache holds, it also notes that the cache has seen key.
  bool upToDate(const std::string& key, std::size_t desiredHash, OwnershipDigest cachedDigest);
  // awaitingCache is true when the controller created key with desiredHash less than `allowance` before
  // now and the cache has not shown it since: an object missing from the cache then is one the informer
  // has not delivered yet, not one somebody deleted (recreating it would answer 409 and report a repair).
  bool awaitingCache(const std::string& key, std::size_t desiredHash, WallTime now,
                     std::chrono::milliseconds allowance) const;
  // ApplyNeed is what a child needs: nothing (unchanged since our apply), to wait for the cache (created a
  // moment ago, not delivered yet), or a request.
  enum class ApplyNeed { UpToDate, AwaitingCache, Apply };
  // need is upToDate for a child the cache holds, awaitingCache for one it does not.
  ApplyNeed need(const std::string& key, std::size_t desiredHash, const Json* cached, WallTime now,
                 std::chrono::milliseconds allowance);
  // record notes an apply or create of key; seenByCache is false for an object the cache did not hold.
  void record(const std::string& key, std::size_t desiredHash, OwnershipDigest digest, bool seenByCache,
              WallTime at);
  // NamespaceDeletion is what the finalizer knows of a namespace it is deleting: nothing, its DELETE sent
  // (the cache may still show the namespace without deletionTimestamp for a moment), or the namespace seen
  // terminating in the cache (after which its absence from the cache means it is gone: a terminating
  // namespace never comes back, so no GET is needed to tell).
  enum class NamespaceDeletion { None, Requested, SeenTerminating };
  void noteDeletion(const std::string& key, NamespaceDeletion state, WallTime at);
  // deletion is key's state; Requested only within allowance of its DELETE (later it counts as None, so the
  // DELETE is sent again should the first one have been lost).
  NamespaceDeletion deletion(const std::string& key, WallTime now, std::chrono::milliseconds allowance) const;

  // forgetNamespace drops the records of every child in ns (its session is gone).
  void forgetNamespace(std::string_view ns);

 private:
  struct Record {
    std::size_t desiredHash = 0;
    OwnershipDigest digest = 0;
    bool seenByCache = false;
    WallTime at;
    NamespaceDeletion deletion = NamespaceDeletion::None;
    WallTime deletionAt;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Record> records_;
};

// ownershipDigest is the object's ownership digest: computed from metadata.managedFields when the object
// carries them (an API answer, a watch event), else the one a store kept under kOwnershipDigestKey (a
// number). An object with neither (managed fields disabled) falls back to a digest of its resourceVersion, so
// any change re-applies; one without a resourceVersion either has none (0).
OwnershipDigest ownershipDigest(const Json& object);

// desiredHashOf is the hash AppliedRecords keeps of a desired object.
std::size_t desiredHashOf(const Json& desired);

// childKey is "resource namespace/name", the key of AppliedRecords.
std::string childKey(std::string_view resource, std::string_view ns, std::string_view name);

}  // namespace sessiongate::controller
