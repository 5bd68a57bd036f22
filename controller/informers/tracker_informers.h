#pragma once
// TrackerInformers watch the EndpointSlices of the activity trackers' Services: one informer per namespace
// given by --tracker-namespace, filtered by --tracker-selector (the Service's labels, which the
// endpointslice controller copies onto its slices). Namespaced on purpose: the controller's RBAC lets it
// list and watch EndpointSlices only in the trackers' namespaces (manifests/tracker/rbac.yaml). The
// reconciler asks for slices() once per activity round; events enqueue nothing.
#include <memory>
#include <string>
#include <vector>

#include "controller/inactivity/tracker_endpoints.h"
#include "core/kube/informer.h"

namespace sessiongate::controller {

// TrackerInformers owns one EndpointSlice informer per namespace.
class TrackerInformers {
 public:
  TrackerInformers(const kube::KubeClient& client, const std::vector<std::string>& namespaces,
                   const std::string& labelSelector);

  void start();
  void stop();
  // slices is each namespace's EndpointSlices, and whether its first list came.
  std::vector<TrackerSlices> slices() const;

 private:
  std::vector<std::string> namespaces_;
  std::vector<std::unique_ptr<kube::Informer>> informers_;
};

}  // namespace sessiongate::controller
