#include "controller/informers/tracker_informers.h"

#include "controller/informers/object_trim.h"

namespace sessiongate::controller {

TrackerInformers::TrackerInformers(const kube::KubeClient& client, const std::vector<std::string>& namespaces,
                                   const std::string& labelSelector)
    : namespaces_(namespaces) {
  for (const std::string& ns : namespaces_) {
    kube::ReflectorOptions options;
    options.ns = ns;
    options.labelSelector = labelSelector;
    informers_.push_back(std::make_unique<kube::Informer>(client, kube::resources::kEndpointSlices,
                                                          std::move(options), objectTrim(true),
                                                          [](const Json&) {}));
  }
}

void TrackerInformers::start() {
  for (auto& informer : informers_) informer->start();
}

void TrackerInformers::stop() {
  for (auto& informer : informers_) informer->stop();
}

std::vector<TrackerSlices> TrackerInformers::slices() const {
  std::vector<TrackerSlices> out;
  for (std::size_t i = 0; i < informers_.size(); ++i) {
    const bool listed = informers_[i]->hasSynced();
    out.push_back({namespaces_[i], listed, listed ? informers_[i]->store().list() : std::vector<kube::SharedObject>{}});
  }
  return out;
}

}  // namespace sessiongate::controller
