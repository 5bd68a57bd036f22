#pragma once
// Informer is a Reflector feeding an ObjectStore on its own thread, calling a handler for every object that
// was added, changed or deleted (including those a relist found gone), in the spirit of client-go's shared
// informer: one copy of each object, shared read-only with every reader. Which fields are worth keeping is
// the owner's choice (ObjectTrim); the informer itself knows no kind.
#include <functional>
#include <memory>
#include <thread>

#include "core/kube/object_store.h"
#include "core/kube/reflector.h"

namespace sessiongate::kube {

// ObjectHandler is told about an object that changed (as stored, trimmed; or as last seen, when deleted);
// it runs on the informer's thread and must not block.
using ObjectHandler = std::function<void(const Json& object)>;

// InformerOptions are the informer's own choices beyond what to mirror (ReflectorOptions).
struct InformerOptions {
  // identityOnly: the store keeps only each object's identity (metadata name, namespace, uid and
  // resourceVersion) while the handler is given the whole trimmed object, after the store changed as for
  // any informer. For an owner that keeps its own typed copy of what it reads (the webhook's view), so
  // that no object is held twice; store() then answers whether an object exists, not what it holds.
  bool identityOnly = false;
  // onSynced runs once, on the informer's thread, after the first list has been given to the handler.
  std::function<void()> onSynced;
  // packed, compressed and index: StoreOptions of the informer's store.
  bool packed = false;
  bool compressed = false;
  IndexFunc index;
};

// Informer mirrors one resource (optionally filtered by selectors in options).
class Informer {
 public:
  Informer(const KubeClient& client, ResourceRef ref, ReflectorOptions options, ObjectTrim trim,
           ObjectHandler handler, InformerOptions informerOptions = {});
  ~Informer();
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // start runs the reflector on a new thread.
  void start();
  // stop ends the reflector and joins its thread; safe to call twice.
  void stop();
  bool hasSynced() const { return reflector_->hasSynced(); }
  const ObjectStore& store() const { return store_; }
  const ResourceRef& ref() const { return ref_; }

 private:
  ResourceRef ref_;
  ObjectStore store_;
  ObjectHandler handler_;
  ObjectTrim trim_;  // identityOnly: applied here to watched objects; the store keeps identities only
  std::unique_ptr<Reflector> reflector_;
  std::thread thread_;
};

}  // namespace sessiongate::kube
