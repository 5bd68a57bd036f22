#pragma once
// Informer is a Reflector feeding an ObjectStore on its own thread, calling a handler for every object that
// was added, changed or deleted (including those a relist found gone), so that the controller can enqueue
// the owning session.
#include <functional>
#include <memory>
#include <thread>

#include "controller/informers/object_store.h"
#include "core/kube/reflector.h"

namespace sessiongate::controller {

// storeKeepsStatus: the controller reads the status of its UserSessions, of the worker pods (WorkerReady)
// and of the Services (the load balancer's ingress, for Exposed); of the other kinds it never reads it, so
// their stores drop it.
bool storeKeepsStatus(const kube::ResourceRef& ref);

// ObjectHandler is told about an object that changed; it must not block.
using ObjectHandler = std::function<void(const Json& object)>;

// Informer mirrors one resource (optionally filtered by selectors in options).
class Informer {
 public:
  Informer(const kube::KubeClient& client, kube::ResourceRef ref, kube::ReflectorOptions options,
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
  const kube::ResourceRef& ref() const { return ref_; }

 private:
  kube::ResourceRef ref_;
  ObjectStore store_;
  ObjectHandler handler_;
  std::unique_ptr<kube::Reflector> reflector_;
  std::thread thread_;
};

}  // namespace sessiongate::controller
