#include "core/kube/informer.h"

#include <utility>

namespace sessiongate::kube {

Informer::Informer(const KubeClient& client, ResourceRef ref, ReflectorOptions options, ObjectTrim trim,
                   ObjectHandler handler)
    : ref_(ref), store_(trim), handler_(std::move(handler)) {
  // Listed pages are trimmed as they arrive; the store's own trim then finds nothing left to drop.
  options.trimListed = std::move(trim);
  ReflectorHandlers handlers;
  handlers.onReplace = [this](std::vector<Json> items) {
    // The list is moved into the store (no second copy of it); the handler then sees what was stored.
    for (const SharedObject& gone : store_.replace(std::move(items))) handler_(*gone);
    for (const SharedObject& object : store_.list()) handler_(*object);
  };
  handlers.onAdd = [this](const Json& object) { handler_(*store_.upsert(object)); };
  handlers.onUpdate = handlers.onAdd;
  handlers.onDelete = [this](const Json& object) {
    store_.erase(object);
    handler_(object);
  };
  reflector_ = std::make_unique<Reflector>(client, std::move(ref), std::move(options), std::move(handlers));
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

}  // namespace sessiongate::kube
