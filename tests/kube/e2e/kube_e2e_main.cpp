// kube-e2e: exercises KubeClient and Reflector against a real API server (scripts/controlplane/up.sh).
//   kube-e2e --kubeconfig FILE [--context NAME]
// Creates a namespace kube-e2e-<pid>, works on ConfigMaps in it, deletes it, and prints a line per check and
// "N passed, N failed"; exits 1 on any failure.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/kube/kube_client.h"
#include "core/kube/reflector.h"

namespace sessiongate::kube {
namespace {

const ResourceRef& kCm = resources::kConfigMaps;

// Checks counts and prints results.
class Checks {
 public:
  void expect(const std::string& name, bool ok, const std::string& detail = {}) {
    (ok ? passed_ : failed_)++;
    std::cout << (ok ? "PASS " : "FAIL ") << name << (ok || detail.empty() ? "" : ": " + detail) << std::endl;
  }
  int finish() const {
    std::cout << passed_ << " passed, " << failed_ << " failed" << std::endl;
    return failed_ == 0 ? 0 : 1;
  }

 private:
  int passed_ = 0, failed_ = 0;
};

template <typename T>
std::string why(const ApiResult<T>& r) {
  return r.ok() ? std::string("succeeded unexpectedly") : r.error().describe();
}

Json configMap(const std::string& name, Json data) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"labels", {{"kube-e2e", "yes"}}}}},
          {"data", std::move(data)}};
}

// EventLog collects watch events as "TYPE name".
struct EventLog {
  std::mutex mu;
  std::vector<std::string> events;
  bool has(const std::string& e) {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& x : events) {
      if (x == e) return true;
    }
    return false;
  }
  void add(std::string e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(std::move(e));
  }
};

int run(const KubeClient& client) {
  Checks c;
  const std::string ns = "kube-e2e-" + std::to_string(::getpid());
  auto nsCreated = client.create(resources::kNamespaces, "",
                                 {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
  c.expect("create namespace " + ns, nsCreated.ok(), why(nsCreated));
  if (!nsCreated) return c.finish();

  for (const char* name : {"cm-a", "cm-b", "cm-c"}) {
    auto made = client.create(kCm, ns, configMap(name, {{"k", "v"}}), {"kube-e2e", false});
    c.expect(std::string("create ") + name,
             made.ok() && (*made)["metadata"].value("uid", "") != "" && (*made)["data"]["k"] == "v",
             why(made));
  }
  auto again = client.create(kCm, ns, configMap("cm-a", {}));
  c.expect("create twice is AlreadyExists",
           !again.ok() && again.error().alreadyExists() && again.error().code == 409 &&
               again.error().describe() ==
                   R"(Error from server (AlreadyExists): configmaps "cm-a" already exists)",
           why(again));
  auto invalid = client.create(kCm, ns, configMap("Bad_Name", {}));
  c.expect("invalid name is 422 Invalid with the field",
           !invalid.ok() && invalid.error().invalid() && !invalid.error().causes.empty() &&
               invalid.error().causes[0].field == "metadata.name",
           why(invalid));

  auto got = client.get(kCm, ns, "cm-a");
  c.expect("get", got.ok() && (*got)["data"]["k"] == "v", why(got));
  auto missing = client.get(kCm, ns, "missing");
  c.expect("get missing is NotFound",
           !missing.ok() && missing.error().notFound() &&
               missing.error().message == R"(configmaps "missing" not found)",
           why(missing));

  ListOptions onePerPage;
  onePerPage.limit = 1;
  onePerPage.labelSelector = "kube-e2e=yes";
  auto page = client.list(kCm, ns, onePerPage);
  c.expect("list with limit=1 returns one item and a continue token",
           page.ok() && (*page)["items"].size() == 1 && !(*page)["metadata"].value("continue", "").empty(),
           why(page));
  auto all = client.listAll(kCm, ns, onePerPage);
  c.expect("listAll follows continue over three pages",
           all.ok() && all->items.size() == 3 && !all->resourceVersion.empty(), why(all));
  if (!all) return c.finish();

  // A watch from the list's version, ended by the server after a few seconds (a bookmark comes ~2s before).
  EventLog log;
  StopSignal stop;
  ApiResult<WatchEnd> watchEnd = transportError("not run");
  WatchOptions wo;
  wo.resourceVersion = all->resourceVersion;
  wo.timeoutSeconds = 8;
  wo.labelSelector = "kube-e2e=yes";
  std::thread watcher([&] {
    watchEnd = client.watch(
        kCm, ns, wo,
        [&](const WatchEvent& e) {
          log.add(std::string(toString(e.type)) +
                  (e.type == WatchEventType::Bookmark ? "" : " " + e.object["metadata"].value("name", "")));
          return true;
        },
        stop);
  });

  auto merged = client.patch(kCm, ns, "cm-a", PatchType::Merge, {{"data", {{"merge", "1"}}}});
  c.expect("merge patch", merged.ok() && (*merged)["data"]["merge"] == "1", why(merged));
  auto jsonPatched = client.patch(kCm, ns, "cm-a", PatchType::Json,
                                  Json::parse(R"([{"op":"add","path":"/data/json","value":"2"}])"));
  c.expect("JSON patch", jsonPatched.ok() && (*jsonPatched)["data"]["json"] == "2", why(jsonPatched));
  auto strategic = client.patch(kCm, ns, "cm-a", PatchType::StrategicMerge, {{"data", {{"smp", "3"}}}});
  c.expect("strategic merge patch", strategic.ok() && (*strategic)["data"]["smp"] == "3", why(strategic));
  Json applied = configMap("cm-c", {{"applied", "4"}});
  auto apply = client.patch(kCm, ns, "cm-c", PatchType::Apply, applied, {"kube-e2e-apply", true, false});
  bool managed = false;
  if (apply.ok()) {
    for (const Json& m : (*apply)["metadata"]["managedFields"])
      managed |= m.value("manager", "") == "kube-e2e-apply";
  }
  c.expect("server-side apply records its field manager",
           apply.ok() && (*apply)["data"]["applied"] == "4" && managed, why(apply));

  Json current = *client.get(kCm, ns, "cm-a");
  Json stale = current;
  current["data"]["updated"] = "5";
  auto updated = client.update(kCm, ns, current);
  c.expect(
      "update changes resourceVersion",
      updated.ok() && (*updated)["metadata"]["resourceVersion"] != current["metadata"]["resourceVersion"],
      why(updated));
  stale["data"]["stale"] = "x";
  auto conflict = client.update(kCm, ns, stale);
  c.expect("update from a stale version is 409 Conflict", !conflict.ok() && conflict.error().conflict(),
           why(conflict));

  auto created = client.create(kCm, ns, configMap("cm-d", {{"k", "d"}}));
  c.expect("create during the watch", created.ok(), why(created));
  DeleteOptions del;
  del.propagationPolicy = "Background";
  del.preconditionUid = (*client.get(kCm, ns, "cm-b"))["metadata"].value("uid", "");
  auto removed = client.remove(kCm, ns, "cm-b", del);
  c.expect("delete with precondition and propagation policy", removed.ok(), why(removed));
  auto removedAgain = client.remove(kCm, ns, "cm-b");
  c.expect("delete twice is NotFound", !removedAgain.ok() && removedAgain.error().notFound(),
           why(removedAgain));

  Json nsObject = *client.get(resources::kNamespaces, "", ns);
  auto status = client.updateStatus(resources::kNamespaces, "", nsObject);
  c.expect("updateStatus on the namespace status subresource",
           status.ok() && (*status)["status"]["phase"] == "Active", why(status));

  watcher.join();
  c.expect("watch ends cleanly at timeoutSeconds", watchEnd.ok() && *watchEnd == WatchEnd::Closed,
           why(watchEnd));
  c.expect("watch saw MODIFIED cm-a", log.has("MODIFIED cm-a"));
  c.expect("watch saw MODIFIED cm-c (apply)", log.has("MODIFIED cm-c"));
  c.expect("watch saw ADDED cm-d", log.has("ADDED cm-d"));
  c.expect("watch saw DELETED cm-b", log.has("DELETED cm-b"));
  // Bookmarks are best effort (the API server sends them when it can, and not at all under load), so their
  // handling is proven against the fake server in tests/kube/reflector_test.cpp, not required here.

  // A Reflector: list, watch, deliver an add, stop promptly.
  std::atomic<int> replaced{0};
  std::atomic<bool> sawAdd{false};
  ReflectorOptions ro;
  ro.ns = ns;
  ro.pageSize = 1;
  ReflectorHandlers rh;
  rh.onReplace = [&](std::vector<Json> items) { replaced = static_cast<int>(items.size()); };
  rh.onAdd = [&](const Json& o) { sawAdd = sawAdd || o["metadata"].value("name", "") == "cm-e"; };
  Reflector reflector(client, kCm, ro, rh);
  std::thread reflecting([&] { reflector.run(); });
  for (int i = 0; i < 100 && !reflector.hasSynced(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  c.expect("reflector syncs with every ConfigMap of the namespace", reflector.hasSynced() && replaced >= 3,
           "replaced " + std::to_string(replaced.load()));
  client.create(kCm, ns, configMap("cm-e", {}));
  for (int i = 0; i < 100 && !sawAdd; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  c.expect("reflector delivers an add", sawAdd.load());
  auto stopAt = std::chrono::steady_clock::now();
  reflector.stop();
  reflecting.join();
  c.expect("reflector stops promptly", std::chrono::steady_clock::now() - stopAt < std::chrono::seconds(30));

  auto nsDeleted = client.remove(resources::kNamespaces, "", ns);
  c.expect("delete namespace", nsDeleted.ok(), why(nsDeleted));
  return c.finish();
}

}  // namespace
}  // namespace sessiongate::kube

int main(int argc, char** argv) {
  std::string kubeconfig, context;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--kubeconfig" && i + 1 < argc) {
      kubeconfig = argv[++i];
    } else if (arg == "--context" && i + 1 < argc) {
      context = argv[++i];
    } else {
      std::cerr << "usage: kube-e2e --kubeconfig FILE [--context NAME]\n"
                   "  --kubeconfig FILE  kubeconfig of a user allowed to manage namespaces and ConfigMaps\n"
                   "  --context NAME     context to use (default: current-context)\n";
      return 2;
    }
  }
  auto config = sessiongate::kube::loadClientConfig(kubeconfig, {context, false});
  if (!config) {
    std::cerr << config.error() << "\n";
    return 2;
  }
  auto client = sessiongate::kube::KubeClient::fromConfig(*config);
  if (!client) {
    std::cerr << client.error() << "\n";
    return 2;
  }
  return sessiongate::kube::run(**client);
}
