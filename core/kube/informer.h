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

// Informer mirrors one resource (optionally filtered by selectors in options).
class Informer {
 public:
  Informer(const KubeClient& client, ResourceRef ref, ReflectorOptions options, ObjectTrim trim,
           ObjectHandler handler);
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
  std::unique_ptr<Reflector> reflector_;
  std::thread thread_;
};

}  // namespace sessiongate::kube
