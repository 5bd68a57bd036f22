#pragma once
// LeaseClient is the leader elector's seam to coordination.k8s.io/v1 Leases; KubeLeaseClient is the real one.
#include <string_view>

#include "core/json.h"
#include "core/kube/api_error.h"
#include "core/kube/kube_client.h"

namespace sessiongate::controller {

// LeaseClient reads and writes Lease objects of one namespace.
class LeaseClient {
 public:
  virtual ~LeaseClient() = default;
  virtual kube::ApiResult<Json> get(std::string_view ns, std::string_view name) = 0;
  virtual kube::ApiResult<Json> create(std::string_view ns, const Json& lease) = 0;
  // update replaces the lease; a stale metadata.resourceVersion is a Conflict.
  virtual kube::ApiResult<Json> update(std::string_view ns, const Json& lease) = 0;
};

// KubeLeaseClient talks to the API server.
class KubeLeaseClient : public LeaseClient {
 public:
  explicit KubeLeaseClient(const kube::KubeClient& client) : client_(client) {}
  kube::ApiResult<Json> get(std::string_view ns, std::string_view name) override {
    return client_.get(kube::resources::kLeases, ns, name);
  }
  kube::ApiResult<Json> create(std::string_view ns, const Json& lease) override {
    return client_.create(kube::resources::kLeases, ns, lease);
  }
  kube::ApiResult<Json> update(std::string_view ns, const Json& lease) override {
    return client_.update(kube::resources::kLeases, ns, lease);
  }

 private:
  const kube::KubeClient& client_;
};

}  // namespace sessiongate::controller
