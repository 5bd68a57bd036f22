// bench-ceiling: the API server's own ceiling for provisioning sessions, to compare the controller against.
// A plain parallel client (one KubeClient per worker, so no shared connection pool limits it) does for each
// session the least a controller must do, with the controller's own object builders (ceiling_plan.h,
// events.h, finalizer.h) so every object has exactly the shape sessiongate-controller gives it:
//   patch the finalizer on, create Namespace, ResourceQuota, LimitRange, 3 NetworkPolicies, RoleBinding,
//   worker Pod, the LoadBalancer Service when exposed (address and ports from the controller's IPAM), one
//   Event, and the Ready status (merge patch on the status subresource).
// Children are created with POST rather than server-side apply: that is the cheapest write a client can make.
// --apply writes the children (and the Service) with server-side apply, the controller's verb, instead, to
// tell the cost of the verb from the cost of the controller.
// The UserSessions themselves are created before the clock starts and everything is deleted after it stops.
//
//   bench-ceiling --kubeconfig FILE [--sessions N] [--workers C] [--expose-every K] [--prefix P]
//                 [--policy-name NAME] [--profile NAME] [--apply] [--sessions-only] [--keep]
//                 [--dump-children]
//
// --sessions-only creates the UserSessions and stops (the controller run uses it to make its 500 sessions).
// --dump-children writes nothing: it reads the SessionPolicy once, then for each stored UserSession read from
// stdin (one JSON object a line) prints one line of JSON, the plan (ceiling_plan.h: children, Service,
// status) with the address and ports reserved in its own IPAM; the kopf operator of bench/kopfpeer/ runs it
// as a co-process, so both peers write the controller's objects.
// Output, one line: "ceiling verb=create|apply sessions=N workers=C seconds=S sessions_per_s=R requests=Q
// requests_per_session=Q/N errors=E".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/ceiling_plan.h"
#include "controller/ipam/ipam.h"
#include "controller/ipam/ipam_allocator.h"
#include "controller/reconcile/events.h"
#include "controller/reconcile/finalizer.h"
#include "controller/reconcile/kube_cluster_client.h"
#include "controller/reconcile/names.h"
#include "core/command_flags.h"
#include "core/api_names.h"
#include "core/kube/kube_client.h"

using namespace sessiongate;
using namespace sessiongate::controller;

namespace {

const CommandSpec kSpec{
    "bench-ceiling --kubeconfig FILE [flags]",
    "Provisions sessions as a plain parallel client with the controller's own objects and prints how fast.",
    {{"kubeconfig", "FILE", "kubeconfig of the API server to write to", true},
     {"sessions", "N", "how many UserSessions to create and provision", false, "500"},
     {"workers", "C", "parallel clients, one connection each", false, "16"},
     {"expose-every", "K", "every K-th session asks for one public port (0: none)", false, "10"},
     {"prefix", "P", "session names are P-0000, P-0001, ...", false, "ceil"},
     {"policy-name", "NAME", "the SessionPolicy whose profile and exposure the objects follow", false,
      "default"},
     {"profile", "NAME", "the sessions' profile", false, "shell"},
     {"apply", "", "write the children with server-side apply (the controller's verb) instead of POST", false,
      "", true},
     {"sessions-only", "", "create the UserSessions and stop", false, "", true},
     {"keep", "", "leave the sessions and their objects in place afterwards", false, "", true},
     {"dump-children", "", "read stored UserSessions from stdin, print each one's plan as a JSON line", false,
      "", true}},
    {}};

struct Args {
  std::string kubeconfig;
  int sessions = 500;
  int workers = 16;
  int exposeEvery = 10;  // every K-th session asks for one public port; 0: none
  std::string prefix;
  std::string policyName;
  std::string profile;
  bool sessionsOnly = false;
  bool apply = false;  // server-side apply instead of POST for the children
  bool keep = false;
  bool dumpChildren = false;
};

[[noreturn]] void usageExit(const std::string& message) {
  std::cerr << usageError("bench-ceiling", message);
  std::exit(kExitUsage);
}

// failExit reports a failure that is not the command line's (the API server, the policy) and exits 1.
[[noreturn]] void failExit(const std::string& message) {
  std::cerr << "bench-ceiling: " << message << "\n";
  std::exit(1);
}

Args readArgs(int argc, char** argv) {
  auto parsed = parseArgs(kSpec, std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed) usageExit(parsed.error());
  if (parsed->help) {
    std::cout << helpText(kSpec);
    std::exit(0);
  }
  auto number = [&](const char* name, long long min) {
    auto value = flagNumber(*parsed, name, min, 1000000);
    if (!value) usageExit(value.error());
    return static_cast<int>(*value);
  };
  Args args;
  args.kubeconfig = *parsed->flag("kubeconfig");
  args.sessions = number("sessions", 1);
  args.workers = number("workers", 1);
  args.exposeEvery = number("expose-every", 0);
  args.prefix = *parsed->flag("prefix");
  args.policyName = *parsed->flag("policy-name");
  args.profile = *parsed->flag("profile");
  args.sessionsOnly = parsed->isOn("sessions-only");
  args.apply = parsed->isOn("apply");
  args.keep = parsed->isOn("keep");
  args.dumpChildren = parsed->isOn("dump-children");
  return args;
}

std::string sessionName(const Args& args, int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", i);
  return args.prefix + "-" + buf;
}

// sessionObject is the UserSession the bench provisions: 50 users, every K-th session exposing port 8080.
Json sessionObject(const Args& args, int i) {
  Json spec = {{"user", "bench-user-" + std::to_string(i % 50)}, {"profile", args.profile}};
  if (args.exposeEvery > 0 && i % args.exposeEvery == 0) {
    spec["publicExposure"] = {{"ports", Json::array({{{"name", "web"}, {"targetPort", 8080}}})}};
  }
  return {{"apiVersion", kApiVersion},
          {"kind", kUserSessionKind},
          {"metadata", {{"name", sessionName(args, i)}}},
          {"spec", spec}};
}

// runPool runs job(i) for i in [0, n) on one thread per client.
void runPool(const std::vector<std::unique_ptr<kube::KubeClient>>& clients, int n,
             const std::function<void(const kube::KubeClient&, int)>& job) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (const auto& client : clients) {
    threads.emplace_back([&, c = client.get()] {
      for (int i = next++; i < n; i = next++) job(*c, i);
    });
  }
  for (std::thread& t : threads) t.join();
}

// Tally counts requests and remembers the first few failures.
struct Tally {
  std::atomic<long> requests{0};
  std::atomic<long> errors{0};
  std::mutex mu;
  std::vector<std::string> firstErrors;

  void fail(const std::string& what) {
    ++errors;
    std::lock_guard<std::mutex> lock(mu);
    if (firstErrors.size() < 5) firstErrors.push_back(what);
  }
};

// countingClient is the controller's KubeClusterClient with every request tallied.
KubeClusterClient countingClient(const kube::KubeClient& client, Tally& tally) {
  return KubeClusterClient(client, [&tally](const char*, int) { ++tally.requests; });
}

// provision does one session's writes; the first failure ends it.
void provision(const kube::KubeClient& kube, const Json& stored, const SessionPolicy& policy,
               const Profile& profile, IpamAllocator& ipam, bool apply, Tally& tally) {
  KubeClusterClient client = countingClient(kube, tally);
  auto write = [&](const kube::ResourceRef& ref, const Json& object) {
    std::string ns = object["metadata"].value("namespace", "");
    return apply ? client.apply(ref, object) : client.create(ref, ns, object);
  };
  auto check = [&](const kube::ApiResult<Json>& result, const std::string& what) {
    if (!result) tally.fail(what + ": " + result.error().describe());
    return result.ok();
  };
  std::string name = stored["metadata"].value("name", "");
  if (!check(addFinalizer(client, stored), "finalizer of " + name)) return;
  auto plan = bench::planProvision(stored, policy, profile, ipam, realClock().wallNow());
  if (!plan) return tally.fail(plan.error());
  for (const bench::PlannedChild& child : plan->children) {
    if (!check(write(*child.resource, child.object),
               "create " + child.object["kind"].get<std::string>() + " of " + name))
      return;
  }
  if (plan->service) {
    if (!check(write(kube::resources::kServices, *plan->service), "create Service of " + name)) {
      ipam.abort(name);
      return;
    }
    ipam.commit(name);
  }
  EventRecorder events(client, realClock(), "bench-ceiling");
  events.normal(plan->session, reason::kProvisioned, "namespace " + plan->ns + " and its objects are ready");
  check(client.mergePatchStatus(kube::resources::kUserSessions, "", name, plan->statusPatch),
        "status of " + name);
}

// dumpChildren prints the plan of every stored UserSession read from stdin, one JSON line each, flushed at
// once (the reader waits for it). A line that is not a UserSession gets {"error": "..."} and the loop goes
// on.
int dumpChildren(const SessionPolicy& policy, const Profile& profile, IpamAllocator& ipam) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    Json out;
    Json stored = Json::parse(line, nullptr, false);
    if (stored.is_discarded() || !stored.is_object()) {
      out = Json::object({{"error",
                           "bench-ceiling --dump-children: stdin line is not a JSON object; write one stored "
                           "UserSession per line"}});
    } else if (auto plan = bench::planProvision(stored, policy, profile, ipam, realClock().wallNow())) {
      // The reader writes the Service with the rest; its address is final for this peer.
      if (plan->service) ipam.commit(plan->session.name);
      out = bench::planJson(*plan);
    } else {
      out = Json::object({{"error", plan.error()}});
    }
    std::cout << out.dump() << std::endl;
  }
  return 0;
}

// cleanUpSession removes the finalizer, the session and its namespace (background deletion).
void cleanUpSession(const kube::KubeClient& kube, const std::string& name) {
  Json patch = {{"metadata", {{"finalizers", nullptr}}}};
  kube.patch(kube::resources::kUserSessions, "", name, kube::PatchType::Merge, patch);
  kube.remove(kube::resources::kUserSessions, "", name);
  kube::DeleteOptions options;
  options.propagationPolicy = "Background";
  kube.remove(kube::resources::kNamespaces, "", namespaceFor(name), options);
}

}  // namespace

int main(int argc, char** argv) {
  Args args = readArgs(argc, argv);
  auto config = kube::loadKubeconfig(args.kubeconfig);
  if (!config) usageExit("loading --kubeconfig " + args.kubeconfig + ": " + config.error());
  std::vector<std::unique_ptr<kube::KubeClient>> clients;
  for (int w = 0; w < (args.dumpChildren ? 1 : args.workers); ++w) {
    auto client = kube::KubeClient::fromConfig(*config);
    if (!client) failExit("preparing the API client from " + args.kubeconfig + ": " + client.error());
    clients.push_back(std::move(*client));
  }
  const kube::KubeClient& admin = *clients.front();

  // loadPolicy reads the SessionPolicy whose profile and exposure the objects follow, and sets up IPAM.
  IpamAllocator ipam(IpamConfig{});
  PolicyParse policy;
  const Profile* profile = nullptr;
  auto loadPolicy = [&] {
    auto policyObject = admin.get(kube::resources::kSessionPolicies, "", args.policyName);
    if (!policyObject)
      failExit("reading SessionPolicy " + args.policyName + ": " + policyObject.error().describe() +
               "; apply policies/default.yaml or pass --policy-name");
    policy = parsePolicy(*policyObject);
    profile = policy.policy.profile(args.profile);
    if (!policy.errors.empty() || profile == nullptr)
      failExit("SessionPolicy " + args.policyName + " is invalid or lacks profile " + args.profile +
               "; check it with kubectl get sessionpolicy " + args.policyName +
               " -o yaml, or pass --profile");
    if (policy.policy.publicExposure) {
      auto ipamConfig = IpamConfig::fromPolicy(*policy.policy.publicExposure);
      if (!ipamConfig)
        failExit("SessionPolicy " + args.policyName + " publicExposure: " + ipamConfig.error());
      ipam.setConfig(std::move(*ipamConfig));
    }
  };
  if (args.dumpChildren) {
    loadPolicy();
    return dumpChildren(policy.policy, *profile, ipam);
  }

  // The UserSessions, untimed; their stored copies (uid, generation) feed the builders.
  std::vector<Json> stored(args.sessions);
  Tally setup;
  runPool(clients, args.sessions, [&](const kube::KubeClient& kube, int i) {
    auto created = kube.create(kube::resources::kUserSessions, "", sessionObject(args, i));
    if (created)
      stored[i] = std::move(*created);
    else
      setup.fail("create UserSession " + sessionName(args, i) + ": " + created.error().describe());
  });
  for (const std::string& e : setup.firstErrors) std::fprintf(stderr, "bench-ceiling: %s\n", e.c_str());
  if (setup.errors > 0) return 1;
  if (args.sessionsOnly) {
    std::printf("created %d UserSessions %s-0000..%s\n", args.sessions, args.prefix.c_str(),
                sessionName(args, args.sessions - 1).c_str());
    return 0;
  }
  loadPolicy();

  Tally tally;
  auto started = std::chrono::steady_clock::now();
  runPool(clients, args.sessions, [&](const kube::KubeClient& kube, int i) {
    provision(kube, stored[i], policy.policy, *profile, ipam, args.apply, tally);
  });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const std::string& e : tally.firstErrors) std::fprintf(stderr, "bench-ceiling: %s\n", e.c_str());
  std::printf(
      "ceiling verb=%s sessions=%d workers=%d seconds=%.2f sessions_per_s=%.1f requests=%ld "
      "requests_per_session=%.2f errors=%ld\n",
      args.apply ? "apply" : "create", args.sessions, args.workers, seconds, args.sessions / seconds,
      tally.requests.load(), static_cast<double>(tally.requests) / args.sessions, tally.errors.load());
  std::fflush(stdout);

  if (!args.keep) {
    runPool(clients, args.sessions,
            [&](const kube::KubeClient& kube, int i) { cleanUpSession(kube, sessionName(args, i)); });
  }
  return tally.errors > 0 ? 1 : 0;
}
