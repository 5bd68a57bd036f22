#include "controller/informers/informer.h"

#include <utility>

namespace sessiongate::controller {

bool storeKeepsStatus(const kube::ResourceRef& ref) {
  return ref.group == "sessiongate.io" ||
         (ref.group.empty() && (ref.resource == "pods" || ref.resource == "services"));
}

Informer::Informer(const kube::KubeClient& client, kube::ResourceRef ref, kube::ReflectorOptions options,
                   ObjectHandler handler)
    : ref_(ref), store_(storeKeepsStatus(ref)), handler_(std::move(handler)) {
  kube::ReflectorHandlers handlers;
  handlers.onReplace = [this](std::vector<Json> items) {
    std::vector<Json> current = items;
    for (const Json& gone : store_.replace(std::move(items))) handler_(gone);
    for (const Json& object : current) handler_(object);
  };
  handlers.onAdd = [this](const Json& object) {
    store_.upsert(object);
    handler_(object);
  };
  handlers.onUpdate = handlers.onAdd;
  handlers.onDelete = [this](const Json& object) {
    store_.erase(object);
    handler_(object);
  };
  reflector_ =
      std::make_unique<kube::Reflector>(client, std::move(ref), std::move(options), std::move(handlers));
}

Informer::~Informer() {
  stop();
}

void Informer::start() {
  thread_ = std::thread([this] { reflector_->run(); });
}

void Informer::stop() {
  reflector_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sessiongate::controller
