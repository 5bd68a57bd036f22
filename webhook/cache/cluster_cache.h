#pragma once
// ClusterCache mirrors, by list+watch, what the admission rules read: the SessionPolicy in force, every
// UserSession and the session Namespaces. Admission reads the MemoryClusterView it fills and never calls the
// API server inline. A SessionPolicy that fails to parse is logged and the previous one stays in force.
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/cluster_view.h"
#include "core/kube/kube_client.h"
#include "core/kube/reflector.h"

namespace sessiongate::webhook {

// PolicyLoadObserver hears of every SessionPolicy version the cache tried to put in force.
using PolicyLoadObserver = std::function<void(bool ok)>;

// ClusterCache runs one reflector thread per resource until stop().
class ClusterCache {
 public:
  ClusterCache(const kube::KubeClient& client, MemoryClusterView& view, std::string policyName,
               PolicyLoadObserver observer = {});
  ~ClusterCache();
  ClusterCache(const ClusterCache&) = delete;
  ClusterCache& operator=(const ClusterCache&) = delete;

  void start();
  void stop();
  // synced is true once every resource has been listed once.
  bool synced() const;

 private:
  void applyPolicy(const Json& object);
  void clearPolicy(const Json& object);

  const kube::KubeClient& client_;
  MemoryClusterView& view_;
  std::string policyName_;
  PolicyLoadObserver observer_;
  std::vector<std::unique_ptr<kube::Reflector>> reflectors_;
  std::vector<std::thread> threads_;
};

}  // namespace sessiongate::webhook
