#include "core/kube/request_options.h"

#include <utility>
#include <vector>

#include "core/kube/resource_ref.h"

namespace sessiongate::kube {
namespace {

// QueryBuilder collects name=value pairs and renders them escaped, in insertion order.
class QueryBuilder {
 public:
  void add(const char* name, const std::string& value) {
    if (!value.empty()) pairs_.emplace_back(name, value);
  }
  void add(const char* name, std::int64_t value) {
    if (value != 0) pairs_.emplace_back(name, std::to_string(value));
  }
  void flag(const char* name, bool on) {
    if (on) pairs_.emplace_back(name, "true");
  }
  std::string str() const {
    std::string out;
    for (const auto& [name, value] : pairs_) {
      out += out.empty() ? '?' : '&';
      out += name;
      out += '=';
      out += escapeComponent(value);
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace

std::string listQuery(const ListOptions& options) {
  QueryBuilder q;
  q.add("labelSelector", options.labelSelector);
  q.add("fieldSelector", options.fieldSelector);
  q.add("limit", options.limit);
  q.add("continue", options.continueToken);
  q.add("resourceVersion", options.resourceVersion);
  q.add("resourceVersionMatch", options.resourceVersionMatch);
  q.add("timeoutSeconds", options.timeoutSeconds);
  return q.str();
}

std::string watchQuery(const WatchOptions& options) {
  QueryBuilder q;
  q.flag("watch", true);
  q.add("labelSelector", options.labelSelector);
  q.add("fieldSelector", options.fieldSelector);
  q.add("resourceVersion", options.resourceVersion);
  q.flag("allowWatchBookmarks", options.allowWatchBookmarks);
  q.add("timeoutSeconds", options.timeoutSeconds);
  return q.str();
}

std::string writeQuery(const WriteOptions& options) {
  QueryBuilder q;
  q.add("fieldManager", options.fieldManager);
  if (options.dryRun) q.add("dryRun", std::string("All"));
  return q.str();
}

std::string patchQuery(const PatchOptions& options, PatchType type) {
  QueryBuilder q;
  q.add("fieldManager", options.fieldManager);
  q.flag("force", options.force && type == PatchType::Apply);
  if (options.dryRun) q.add("dryRun", std::string("All"));
  return q.str();
}

std::string deleteBody(const DeleteOptions& options) {
  Json body = Json::object();
  if (!options.propagationPolicy.empty()) body["propagationPolicy"] = options.propagationPolicy;
  if (options.gracePeriodSeconds) body["gracePeriodSeconds"] = *options.gracePeriodSeconds;
  if (!options.preconditionUid.empty()) body["preconditions"]["uid"] = options.preconditionUid;
  if (!options.preconditionResourceVersion.empty()) {
    body["preconditions"]["resourceVersion"] = options.preconditionResourceVersion;
  }
  if (options.dryRun) body["dryRun"] = Json::array({"All"});
  if (body.empty()) return {};
  body["kind"] = "DeleteOptions";
  body["apiVersion"] = "v1";
  return body.dump();
}

const char* patchContentType(PatchType type) {
  switch (type) {
    case PatchType::Merge:
      return "application/merge-patch+json";
    case PatchType::Json:
      return "application/json-patch+json";
    case PatchType::StrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::Apply:
      return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

}  // namespace sessiongate::kube
