#include "core/kube/informer.h"

#include <utility>

namespace sessiongate::kube {
namespace {

// identityOf is what an identity-only store keeps of object: the metadata that names and versions it.
Json identityOf(const Json& object) {
  Json metadata = Json::object();
  auto full = object.find("metadata");
  if (full != object.end() && full->is_object()) {
    for (const char* key : {"name", "namespace", "uid", "resourceVersion"}) {
      if (auto it = full->find(key); it != full->end()) metadata[key] = *it;
    }
  }
  return Json{{"metadata", std::move(metadata)}};
}

}  // namespace

Informer::Informer(const KubeClient& client, ResourceRef ref, ReflectorOptions options, ObjectTrim trim,
                   ObjectHandler handler, InformerOptions informerOptions)
    : ref_(ref),
      store_(StoreOptions{informerOptions.identityOnly ? ObjectTrim{} : trim, informerOptions.packed,
                          informerOptions.compressed, std::move(informerOptions.index)}),
      handler_(std::move(handler)) {
  // Listed pages are trimmed as they arrive; the store's own trim then finds nothing left to drop.
  options.trimListed = trim;
  ReflectorHandlers handlers;
  if (informerOptions.identityOnly) {
    trim_ = std::move(trim);
    handlers.onReplace = [this](std::vector<Json> items) {
      std::vector<Json> identities;
      identities.reserve(items.size());
      for (const Json& item : items) identities.push_back(identityOf(item));
      for (const SharedObject& gone : store_.replace(std::move(identities))) handler_(*gone);
      for (Json& item : items) {
        handler_(item);
        item = Json();  // the owner has its copy now
      }
    };
    handlers.onAdd = [this](const Json& object) {
      Json trimmed = object;
      if (trim_) trim_(trimmed);
      store_.upsert(identityOf(trimmed));
      handler_(trimmed);
    };
  } else {
    handlers.onReplace = [this](std::vector<Json> items) {
      // The list is moved into the store (no second copy of it); the handler then sees what was stored, one
      // object at a time: a packed store decodes each on lookup, so only one is decoded at once.
      for (const SharedObject& gone : store_.replace(std::move(items))) handler_(*gone);
      for (const std::string& key : store_.keys()) {
        if (SharedObject object = store_.findKey(key)) handler_(*object);
      }
    };
    handlers.onAdd = [this](const Json& object) { handler_(*store_.upsert(object)); };
  }
  handlers.onUpdate = handlers.onAdd;
  handlers.onDelete = [this](const Json& object) {
    store_.erase(object);
    handler_(object);
  };
  handlers.onSynced = std::move(informerOptions.onSynced);
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
