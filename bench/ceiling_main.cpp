// bench-ceiling: the API server's own ceiling for provisioning sessions, to compare the controller against.
// A plain parallel client (one KubeClient per worker, so no shared connection pool limits it) does for each
// session the least a controller must do, with the controller's own object builders (namespace.h, quota.h,
// network_policies.h, worker_pod.h, exposure.h, events.h, status.h, finalizer.h) so every object has exactly
// the shape sessiongate-controller gives it:
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
//
// --sessions-only creates the UserSessions and stops (the controller run uses it to make its 500 sessions).
// Output, one line: "ceiling verb=create|apply sessions=N workers=C seconds=S sessions_per_s=R requests=Q
// requests_per_session=Q/N errors=E".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "controller/ipam/ipam.h"
#include "controller/ipam/ipam_allocator.h"
#include "controller/reconcile/events.h"
#include "controller/reconcile/exposure.h"
#include "controller/reconcile/finalizer.h"
#include "controller/reconcile/kube_cluster_client.h"
#include "controller/reconcile/names.h"
#include "controller/reconcile/namespace.h"
#include "controller/reconcile/network_policies.h"
#include "controller/reconcile/quota.h"
#include "controller/reconcile/status.h"
#include "controller/reconcile/worker_pod.h"
#include "controller/reconcile/worker_status.h"
#include "core/kube/kube_client.h"

using namespace sessiongate;
using namespace sessiongate::controller;

namespace {

struct Args {
  std::string kubeconfig;
  int sessions = 500;
  int workers = 16;
  int exposeEvery = 10;  // every K-th session asks for one public port; 0: none
  std::string prefix = "ceil";
  std::string policyName = "default";
  std::string profile = "shell";
  bool sessionsOnly = false;
  bool apply = false;  // server-side apply instead of POST for the children
  bool keep = false;
};

[[noreturn]] void usageExit(const std::string& message) {
  std::fprintf(
      stderr,
      "bench-ceiling: %s\nusage: bench-ceiling --kubeconfig FILE [--sessions N] [--workers C] "
      "[--expose-every K] [--prefix P] [--policy-name NAME] [--profile NAME] [--apply] [--sessions-only] "
      "[--keep]\n",
      message.c_str());
  std::exit(2);
}

Args parseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--sessions-only") {
      args.sessionsOnly = true;
      continue;
    }
    if (flag == "--keep") {
      args.keep = true;
      continue;
    }
    if (flag == "--apply") {
      args.apply = true;
      continue;
    }
    if (i + 1 >= argc) usageExit(flag + " needs a value");
    std::string value = argv[++i];
    if (flag == "--kubeconfig")
      args.kubeconfig = value;
    else if (flag == "--sessions")
      args.sessions = std::atoi(value.c_str());
    else if (flag == "--workers")
      args.workers = std::atoi(value.c_str());
    else if (flag == "--expose-every")
      args.exposeEvery = std::atoi(value.c_str());
    else if (flag == "--prefix")
      args.prefix = value;
    else if (flag == "--policy-name")
      args.policyName = value;
    else if (flag == "--profile")
      args.profile = value;
    else
      usageExit("unknown flag " + flag);
  }
  if (args.kubeconfig.empty()) usageExit("--kubeconfig is required");
  if (args.sessions <= 0 || args.workers <= 0) usageExit("--sessions and --workers must be positive");
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
  return {{"apiVersion", "sessiongate.io/v1alpha1"},
          {"kind", "UserSession"},
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
  auto write = [&](const kube::ResourceRef& ref, const std::string& ns, const Json& object) {
    return apply ? client.apply(ref, object) : client.create(ref, ns, object);
  };
  UserSession session = parseUserSession(stored).session;
  SessionFacts facts{session,
                     policy,
                     profile,
                     profile.defaultGateway,
                     namespaceFor(session.name),
                     toLabelValue(session.spec.user)};
  auto check = [&](const kube::ApiResult<Json>& result, const std::string& what) {
    if (!result) tally.fail(what + " of " + session.name + ": " + result.error().describe());
    return result.ok();
  };
  if (!check(addFinalizer(client, stored), "finalizer")) return;
  std::vector<std::pair<const kube::ResourceRef*, Json>> children;
  children.emplace_back(&kube::resources::kNamespaces, namespaceObject(facts));
  children.emplace_back(&kube::resources::kResourceQuotas, resourceQuotaObject(facts));
  children.emplace_back(&kube::resources::kLimitRanges, limitRangeObject(facts));
  for (Json& np : networkPolicyObjects(facts)) children.emplace_back(&kube::resources::kNetworkPolicies, np);
  children.emplace_back(&kube::resources::kRoleBindings, roleBindingObject(facts));
  children.emplace_back(&kube::resources::kPods, workerPodObject(facts));
  for (const auto& [ref, object] : children) {
    std::string ns = object["metadata"].value("namespace", "");
    if (!check(write(*ref, ns, object), "create " + object["kind"].get<std::string>())) return;
  }
  // The status the controller writes for a session on a control plane without a node: provisioned, the
  // worker pod pending (Ready means running, which no pod is here).
  StatusReport report;
  report.phase = phase::kProvisioning;
  report.generation = session.generation;
  report.ns = facts.ns;
  WorkerAssessment worker = assessWorkerPod(nullptr, facts.ns, kWorkerPodName);
  report.message = worker.condition.message;
  ExposureOutcome exposure;
  if (session.spec.hasPublicExposure && !session.spec.ports.empty() && policy.publicExposure) {
    AllocationRequest request{session.name, {}, std::nullopt};
    for (const ExposedPort& p : session.spec.ports)
      request.ports.push_back({p.name, p.protocol, static_cast<int>(p.targetPort), static_cast<int>(p.port)});
    auto allocation = ipam.allocate(request);
    if (!allocation) return tally.fail("IPAM for " + session.name + ": " + allocation.error());
    Json service = serviceObject(facts, *policy.publicExposure, *allocation);
    if (!check(write(kube::resources::kServices, facts.ns, service), "create Service")) {
      ipam.abort(session.name);
      return;
    }
    ipam.commit(session.name);
    exposure.status = PublicExposureStatus{exposure_phase::kProvisioning,
                                           "allocated " + allocation->ip.str() +
                                               "; waiting for the load balancer to announce it",
                                           allocation->ip.str(), allocation->ports};
  }
  report.publicExposure = exposure.status;
  report.conditions = {
      {condition::kProvisioned, true, "Applied", "namespace " + facts.ns + " and its objects are in place"},
      worker.condition, exposedCondition(exposure), {condition::kReady, false, "WorkerNotReady", report.message}};
  EventRecorder events(client, realClock(), "bench-ceiling");
  events.normal(session, reason::kProvisioned, "namespace " + facts.ns + " and its objects are ready");
  Json patch = statusPatch(session.status, desiredStatus(session.status, report, realClock().wallNow()));
  check(client.mergePatchStatus(kube::resources::kUserSessions, "", session.name, patch), "status");
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
  Args args = parseArgs(argc, argv);
  auto config = kube::loadKubeconfig(args.kubeconfig);
  if (!config) usageExit("loading " + args.kubeconfig + ": " + config.error());
  std::vector<std::unique_ptr<kube::KubeClient>> clients;
  for (int w = 0; w < args.workers; ++w) {
    auto client = kube::KubeClient::fromConfig(*config);
    if (!client) usageExit("preparing the API client: " + client.error());
    clients.push_back(std::move(*client));
  }
  const kube::KubeClient& admin = *clients.front();

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

  auto policyObject = admin.get(kube::resources::kSessionPolicies, "", args.policyName);
  if (!policyObject)
    usageExit("reading SessionPolicy " + args.policyName + ": " + policyObject.error().describe());
  PolicyParse policy = parsePolicy(*policyObject);
  const Profile* profile = policy.policy.profile(args.profile);
  if (!policy.errors.empty() || profile == nullptr)
    usageExit("SessionPolicy is invalid or lacks profile " + args.profile);
  IpamAllocator ipam(IpamConfig{});
  if (policy.policy.publicExposure) {
    auto ipamConfig = IpamConfig::fromPolicy(*policy.policy.publicExposure);
    if (!ipamConfig) usageExit("publicExposure: " + ipamConfig.error());
    ipam.setConfig(std::move(*ipamConfig));
  }

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
