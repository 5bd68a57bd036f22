#include "core/kube/kube_client.h"

#include <optional>

namespace sessiongate::kube {
namespace {

// checkScope refuses a namespaced object call without a namespace before the server answers a puzzling 404.
std::optional<ApiError> checkScope(const ResourceRef& ref, std::string_view ns, std::string_view name) {
  if (ref.namespaced && ns.empty()) {
    return ApiError{0,
                    "BadRequest",
                    ref.qualifiedName() + " \"" + std::string(name) + "\": a namespace is required (" +
                        ref.resource + " are namespaced)",
                    {}};
  }
  if (name.empty())
    return ApiError{0, "BadRequest", ref.qualifiedName() + ": an object name is required", {}};
  return std::nullopt;
}

std::string objectName(const Json& object) {
  if (!object.is_object()) return {};
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return {};
  return meta->value("name", "");
}

}  // namespace

Result<std::unique_ptr<KubeClient>> KubeClient::fromConfig(const ClientConfig& config,
                                                           TransportTimeouts timeouts) {
  auto transport = HttpTransport::create(config, timeouts);
  if (!transport) return Error{transport.error()};
  std::unique_ptr<KubeClient> client(new KubeClient());
  client->transport_ = std::move(*transport);
  client->defaultNamespace_ = config.defaultNamespace;
  return client;
}

KubeClient KubeClient::cancelledBy(StopSignal& stop) const {
  KubeClient cancellable = *this;
  cancellable.cancel_ = &stop;
  return cancellable;
}

ApiResult<Json> KubeClient::call(const std::string& method, const std::string& pathAndQuery,
                                 const std::string& body, const std::string& contentType) const {
  auto res = transport_->send(method, pathAndQuery, body, contentType, cancel_);
  if (!res) return res.error();
  if (res->status < 200 || res->status > 299) return apiErrorFromResponse(res->status, res->body);
  Json parsed = Json::parse(res->body, nullptr, false);
  if (parsed.is_discarded()) {
    return transportError(method + " " + transport_->url(pathAndQuery) + ": the answer (HTTP " +
                          std::to_string(res->status) + ") is not JSON");
  }
  return parsed;
}

ApiResult<Json> KubeClient::get(const ResourceRef& ref, std::string_view ns, std::string_view name) const {
  if (auto bad = checkScope(ref, ns, name)) return *bad;
  return call("GET", ref.objectPath(ns, name), {}, {});
}

ApiResult<Json> KubeClient::list(const ResourceRef& ref, std::string_view ns,
                                 const ListOptions& options) const {
  return call("GET", ref.collectionPath(ns) + listQuery(options), {}, {});
}

ApiResult<ObjectList> KubeClient::listAll(const ResourceRef& ref, std::string_view ns, ListOptions options,
                                          const std::function<void(Json& item)>& eachItem) const {
  ObjectList all;
  options.continueToken.clear();
  do {
    auto page = list(ref, ns, options);
    if (!page) return page.error();
    if (auto items = page->find("items"); items != page->end() && items->is_array()) {
      for (Json& item : *items) {
        if (eachItem) eachItem(item);
        all.items.push_back(std::move(item));
      }
    }
    const Json& meta = page->value("metadata", Json::object());
    // The first page's version is the snapshot every later page is consistent with.
    if (all.resourceVersion.empty()) all.resourceVersion = meta.value("resourceVersion", "");
    options.continueToken = meta.value("continue", "");
    // A continued list is served at the snapshot of its token; the version option applies to the first page.
    options.resourceVersion.clear();
    options.resourceVersionMatch.clear();
  } while (!options.continueToken.empty());
  return all;
}

ApiResult<Json> KubeClient::write(const std::string& method, const ResourceRef& ref, std::string_view ns,
                                  const Json& object, std::string_view subresource,
                                  const WriteOptions& options) const {
  std::string name = objectName(object);
  if (auto bad = checkScope(ref, ns, name.empty() ? "<metadata.name>" : name)) return *bad;
  if (name.empty())
    return ApiError{0, "BadRequest", ref.qualifiedName() + ": the object has no metadata.name", {}};
  return call(method, ref.objectPath(ns, name, subresource) + writeQuery(options), object.dump(),
              "application/json");
}

ApiResult<Json> KubeClient::create(const ResourceRef& ref, std::string_view ns, const Json& object,
                                   const WriteOptions& options) const {
  if (ref.namespaced && ns.empty()) {
    return ApiError{0, "BadRequest", ref.qualifiedName() + ": a namespace is required to create one", {}};
  }
  return call("POST", ref.collectionPath(ns) + writeQuery(options), object.dump(), "application/json");
}

ApiResult<Json> KubeClient::update(const ResourceRef& ref, std::string_view ns, const Json& object,
                                   const WriteOptions& options) const {
  return write("PUT", ref, ns, object, {}, options);
}

ApiResult<Json> KubeClient::updateStatus(const ResourceRef& ref, std::string_view ns, const Json& object,
                                         const WriteOptions& options) const {
  return write("PUT", ref, ns, object, "status", options);
}

ApiResult<Json> KubeClient::patchAt(const ResourceRef& ref, std::string_view ns, std::string_view name,
                                    std::string_view subresource, PatchType type, const Json& patch,
                                    const PatchOptions& options) const {
  if (auto bad = checkScope(ref, ns, name)) return *bad;
  if (type == PatchType::Json && !patch.is_array()) {
    return ApiError{0, "BadRequest", "a JSON patch (RFC 6902) must be an array of operations", {}};
  }
  if (type == PatchType::Apply && options.fieldManager.empty()) {
    return ApiError{0, "BadRequest", "server-side apply needs a fieldManager", {}};
  }
  return call("PATCH", ref.objectPath(ns, name, subresource) + patchQuery(options, type), patch.dump(),
              patchContentType(type));
}

ApiResult<Json> KubeClient::patch(const ResourceRef& ref, std::string_view ns, std::string_view name,
                                  PatchType type, const Json& patch, const PatchOptions& options) const {
  return patchAt(ref, ns, name, {}, type, patch, options);
}

ApiResult<Json> KubeClient::patchStatus(const ResourceRef& ref, std::string_view ns, std::string_view name,
                                        PatchType type, const Json& patch,
                                        const PatchOptions& options) const {
  return patchAt(ref, ns, name, "status", type, patch, options);
}

ApiResult<Json> KubeClient::remove(const ResourceRef& ref, std::string_view ns, std::string_view name,
                                   const DeleteOptions& options) const {
  if (auto bad = checkScope(ref, ns, name)) return *bad;
  std::string body = deleteBody(options);
  return call("DELETE", ref.objectPath(ns, name), body, body.empty() ? "" : "application/json");
}

ApiResult<WatchEnd> KubeClient::watch(const ResourceRef& ref, std::string_view ns,
                                      const WatchOptions& options, const WatchCallback& callback,
                                      StopSignal& stop) const {
  std::string path = ref.collectionPath(ns) + watchQuery(options);
  WatchDecoder decoder;
  bool callbackStopped = false;
  std::string decodeError;
  auto emit = [&](WatchEvent&& event) {
    if (!callback(event)) callbackStopped = true;
    return !callbackStopped;
  };
  auto receive = [&](std::string_view chunk) {
    auto status = decoder.feed(chunk, emit);
    if (!status) {
      decodeError = status.error();
      return false;
    }
    return *status == WatchDecoder::DecodeStatus::Continue;
  };
  // The server sends bookmarks about once a minute; a stream silent much longer than its timeout is dead.
  int idleSeconds = (options.timeoutSeconds > 0 ? options.timeoutSeconds : 1800) + 30;
  auto res = transport_->stream(path, receive, stop, idleSeconds);
  if (!res) return res.error();
  if (stop.stopped()) return WatchEnd::Stopped;
  if (!decodeError.empty()) return transportError("GET " + transport_->url(path) + ": " + decodeError);
  if (callbackStopped) return WatchEnd::StoppedByCallback;
  if (res->status != 200) return apiErrorFromResponse(res->status, res->body);
  if (decoder.pending()) {
    return transportError("GET " + transport_->url(path) + ": the watch stream ended inside an event");
  }
  return WatchEnd::Closed;
}

}  // namespace sessiongate::kube
