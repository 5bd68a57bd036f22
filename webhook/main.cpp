// sessiongate-webhook: wires flags, logging, the cluster picture, the Reviewer and the HTTPS server, and
// drains on SIGTERM. Everything it calls is tested where it lives; this file only connects the parts.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "core/cluster_files.h"
#include "core/cluster_view.h"
#include "core/kube/client_config.h"
#include "core/kube/kube_client.h"
#include "core/logging.h"
#include "core/malloc_tuning.h"
#include "webhook/admission/readiness.h"
#include "webhook/admission/reviewer.h"
#include "webhook/cache/cluster_cache.h"
#include "webhook/server/file_reloader.h"
#include "webhook/server/options.h"
#include "webhook/server/webhook_server.h"

using namespace sessiongate;
using namespace sessiongate::webhook;

namespace {

// loadPolicies puts the objects of the policy files in force, or logs why not and keeps the old ones.
bool loadPolicies(const WebhookFlags& flags, MemoryClusterView& view) {
  auto loaded = loadClusterFiles(flags.policies, flags.policyName);
  if (!loaded) {
    spdlog::error("policy files not loaded, the previous policy stays in force: {}", loaded.error());
    return false;
  }
  const std::size_t sessions = loaded->sessions.size();
  const std::size_t namespaces = loaded->namespaces.size();
  applyClusterFiles(std::move(*loaded), view);
  spdlog::info("policy \"{}\" in force with {} sessions and {} namespaces", flags.policyName, sessions,
               namespaces);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  fixMmapThreshold();
  auto flags = parseWebhookFlags(std::vector<std::string>(argv + 1, argv + argc));
  if (!flags) {
    std::cerr << usageError("sessiongate-webhook", flags.error());
    return kExitUsage;
  }
  if (flags->help) {
    std::cout << helpText(webhookCommand());
    return 0;
  }
  if (auto logging = configureLogging("sessiongate-webhook", flags->logFormat, flags->logLevel); !logging) {
    std::cerr << usageError("sessiongate-webhook", logging.error());
    return kExitUsage;
  }

  // Block the stop signals before any thread starts, so that only sigwait() below receives them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  // The cluster picture: from --policies files (polled for changes), or in cluster mode from a watch-fed
  // cache of the SessionPolicy, UserSessions and session Namespaces. Admission only ever reads `view`.
  MemoryClusterView view;
  view.setPolicyName(flags->policyName);
  const bool clusterMode = flags->policies.empty();
  std::unique_ptr<kube::KubeClient> client;
  std::unique_ptr<ClusterCache> cache;
  if (clusterMode) {
    auto config = kube::loadClientConfig(flags->kubeconfig, kube::KubeconfigOptions{flags->context, false});
    if (!config) {
      spdlog::critical("cannot reach the cluster: {} (give --kubeconfig, or --policies for file mode)",
                       config.error());
      return 1;
    }
    auto made = kube::KubeClient::fromConfig(*config);
    if (!made) {
      spdlog::critical("cannot reach the cluster: {}", made.error());
      return 1;
    }
    client = std::move(*made);
    spdlog::info("cluster mode: watching SessionPolicy \"{}\", UserSessions and session Namespaces via {}",
                 flags->policyName, config->origin);
  }
  Reviewer reviewer(view, ReviewerOptions{flags->controllerServiceAccount});

  ServerOptions options;
  options.host = flags->listenHost;
  options.port = flags->listenPort;
  options.certFile = flags->tlsCert;
  options.keyFile = flags->tlsKey;
  options.clientCAFile = flags->clientCA;
  options.maxBodyBytes = flags->maxBodyBytes;
  options.maxWorkers = flags->maxWorkers;
  options.maxHandshakes = flags->maxHandshakes;
  options.maxHeaderBytes = flags->maxHeaderBytes;
  options.maxConnectionsPerClient = flags->maxConnectionsPerClient;
  auto server = WebhookServer::create(
      options, [&reviewer](Endpoint endpoint, std::string_view body) { return reviewer(endpoint, body); },
      [&view, &cache, clusterMode, name = flags->policyName]() {
        return notReadyReason(ReadinessState{clusterMode ? PolicySource::Cluster : PolicySource::Files,
                                             cache && cache->synced(), view.policy() != nullptr, name});
      });
  if (!server) {
    spdlog::critical("cannot start: {}", server.error());
    return 1;
  }
  Metrics& metrics = (*server)->metrics();

  FileReloader policyWatch(
      flags->policies, [&] { return loadPolicies(*flags, view); },
      [&metrics](bool ok) { metrics.recordPolicyReload(ok); }, *options.clock);
  if (clusterMode) {
    cache = std::make_unique<ClusterCache>(*client, view, flags->policyName,
                                           [&metrics](bool ok) { metrics.recordPolicyReload(ok); });
    cache->start();
  } else {
    policyWatch.loadNow();
    policyWatch.start();
  }

  std::thread serving([&] { (*server)->serve(); });
  int signal = 0;
  sigwait(&stopSignals, &signal);
  // Grace period: the endpoints are leaving the Service and the API server may still open connections
  // here; accept them, and close every connection after its next answer so clients move elsewhere. A
  // second signal ends the grace period early.
  spdlog::info("received {}, accepting for {} ms more, then draining for at most {} ms",
               signal == SIGTERM ? "SIGTERM" : "SIGINT", flags->shutdownGrace.count(),
               flags->drainTimeout.count());
  (*server)->beginDrain();
  // Real time, not a Clock: only sigtimedwait both waits the grace period and sees a second signal.
  timespec grace{static_cast<time_t>(flags->shutdownGrace.count() / 1000),
                 static_cast<long>(flags->shutdownGrace.count() % 1000) * 1'000'000};
  while (sigtimedwait(&stopSignals, nullptr, &grace) < 0 && errno == EINTR) {
  }
  policyWatch.stop();
  if (cache) cache->stop();
  bool drained = (*server)->shutdown(flags->drainTimeout);
  if (!drained) {
    // A connection that never finished its handshake may still hold a worker; do not wait for it.
    spdlog::warn("drain incomplete, exiting anyway");
    spdlog::shutdown();
    std::_Exit(0);
  }
  serving.join();
  spdlog::info("drained, exiting");
  return 0;
}
