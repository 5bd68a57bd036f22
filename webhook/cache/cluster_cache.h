#pragma once
// ClusterCache mirrors, by list+watch, what the admission rules read: the SessionPolicy in force, every
// UserSession and the session Namespaces, with one kube::Informer per resource (cache_trims.h says what each
// lets through). Admission reads the MemoryClusterView it fills and never calls the API server inline. The
// view is the one holder of what the rules read (typed: the parsed policy, sessions without status, each
// Namespace's labels); the informers' stores keep only identities, to tell a relist what went away. A
// SessionPolicy that fails to parse is logged and the previous one stays in force.
#include <functional>
#include <memory>
#include <string>

#include "core/cluster_view.h"
#include "core/kube/informer.h"
#include "core/kube/kube_client.h"

namespace sessiongate::webhook {

// PolicyLoadObserver hears of every SessionPolicy version the cache tried to put in force.
using PolicyLoadObserver = std::function<void(bool ok)>;

// ClusterCache runs one informer thread per resource from start() until stop().
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
  // onPolicy, onSession and onNamespace are the informers' handlers: an object still in its informer's
  // store was added or changed, one no longer there was deleted.
  void onPolicy(const Json& object);
  void onSession(const Json& object);
  void onNamespace(const Json& object);
  void applyPolicy(const Json& object);

  const kube::KubeClient& client_;
  MemoryClusterView& view_;
  std::string policyName_;
  PolicyLoadObserver observer_;
  std::unique_ptr<kube::Informer> policies_;
  std::unique_ptr<kube::Informer> sessions_;
  std::unique_ptr<kube::Informer> namespaces_;
};

}  // namespace sessiongate::webhook
