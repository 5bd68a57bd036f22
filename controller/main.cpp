// sessiongate-controller: flags, logging, signals, and the wiring of informers, work queue, reconciler,
// IPAM, leader election and the metrics endpoint. The logic lives in the folders next to this file.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "controller/http/metrics_server.h"
#include "controller/inactivity/activity_cache.h"
#include "controller/informers/session_informers.h"
#include "controller/informers/tracker_informers.h"
#include "controller/leader/leader_elector.h"
#include "controller/options.h"
#include "controller/reconcile/ipam_bootstrap.h"
#include "controller/reconcile/kube_cluster_client.h"
#include "controller/reconcile/workers.h"
#include "core/kube/kube_client.h"
#include "core/logging.h"
#include "core/malloc_tuning.h"

using namespace sessiongate;
using namespace sessiongate::controller;

namespace {

// After SIGTERM the drain's reconciles may call the API server for kDrainTimeout, then releasing the lease
// for kReleaseTimeout (a successor that finds it unreleased takes it once it expires, 15 s); calls still in
// flight then are cancelled. Together well within the kubelet's 30 s before SIGKILL.
constexpr std::chrono::seconds kDrainTimeout{10};
constexpr std::chrono::seconds kReleaseTimeout{2};

// watchSignals blocks SIGTERM and SIGINT in every thread and turns them into stop on a thread of its own.
void watchSignals(kube::StopSignal& stop) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, &stop] {
    int signal = 0;
    sigwait(&set, &signal);
    spdlog::info("received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    stop.stop();
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  fixMmapThreshold();
  limitMallocArenas(1);
  auto parsed = parseOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed) {
    std::cerr << usageError("sessiongate-controller", parsed.error());
    return kExitUsage;
  }
  const ControllerOptions& options = *parsed;
  if (options.help) {
    std::cout << helpText(controllerCommand());
    return 0;
  }
  if (auto logging = configureLogging("sessiongate-controller", options.logFormat, options.logLevel);
      !logging) {
    std::cerr << usageError("sessiongate-controller", logging.error());
    return kExitUsage;
  }
  kube::StopSignal stop;
  watchSignals(stop);

  kube::KubeconfigOptions kubeconfigOptions;
  kubeconfigOptions.context = options.context;
  auto config = kube::loadClientConfig(options.kubeconfig, kubeconfigOptions);
  if (!config) {
    spdlog::error("loading client config: {}", config.error());
    return 1;
  }
  auto client = kube::KubeClient::fromConfig(*config);
  if (!client) {
    spdlog::error("preparing the API client: {}", client.error());
    return 1;
  }
  const kube::KubeClient& kube = **client;
  // Informers cancel their own calls on stop, and so do the calls made until reconciling starts and the
  // lease's renewals. The reconciles a drain still runs, and the lease's release, are cancelled once their
  // step of the shutdown has taken too long (kube::StopAfter).
  kube::StopSignal drainOverdue, releaseOverdue;
  const kube::KubeClient untilStop = kube.cancelledBy(stop);
  const kube::KubeClient untilDrainOverdue = kube.cancelledBy(drainOverdue);
  const kube::KubeClient untilReleaseOverdue = kube.cancelledBy(releaseOverdue);

  ControllerMetrics metrics;
  const Clock& clock = realClock();
  WorkQueue queue(clock);
  metrics.setQueueDepth([&queue] { return queue.len(); });
  SessionInformers informers(kube, options.policyName, [&queue](const std::string& name) {
    if (!name.empty()) queue.add(name);
  });
  MetricsServer server(metrics, [&informers] { return informers.hasSynced(); });
  if (auto bound = server.start(options.metricsListen); !bound) {
    spdlog::error("{}", bound.error());
    return 1;
  }
  informers.start();
  TrackerInformers trackerInformers(kube, options.trackerNamespaces, options.trackerSelector);
  trackerInformers.start();

  KubeLeaseClient leaseClient(untilStop);
  KubeLeaseClient releasingLeaseClient(untilReleaseOverdue);
  LeaderElectionConfig electionConfig;
  electionConfig.ns = options.leaderElectNamespace;
  electionConfig.name = options.leaderElectName;
  electionConfig.identity = options.leaderElectIdentity;
  LeaderElector elector(leaseClient, electionConfig, clock);
  std::thread holder;
  if (options.leaderElect) {
    spdlog::info("waiting for lease {}/{} as {}", electionConfig.ns, electionConfig.name,
                 electionConfig.identity);
    if (!elector.acquire(stop)) {
      informers.stop();
      return 0;
    }
    holder = std::thread([&] {
      if (!elector.hold(stop)) {
        // Like controller-runtime: a replica that lost the lease exits, and its restart starts clean.
        spdlog::error("lost the leader lease; exiting");
        _exit(1);
      }
    });
  }
  metrics.setLeader(true);

  while (!informers.hasSynced() && !stop.stopped()) stop.waitFor(std::chrono::milliseconds(100));
  IpamAllocator ipam(IpamConfig{});
  while (!stop.stopped() && !rebuildIpamFromCluster(untilStop, informers.policy().get(), ipam))
    stop.waitFor(std::chrono::seconds(2));

  KubeClusterClient cluster(untilDrainOverdue,
                            [&metrics](const char* verb, int code) { metrics.recordApiRequest(verb, code); });
  EventRecorder events(cluster, clock, options.leaderElectIdentity);
  ReconcilerOptions reconcilerOptions;
  reconcilerOptions.policyName = options.policyName;
  reconcilerOptions.clock = &clock;
  reconcilerOptions.enqueue = [&queue](const std::string& name) { queue.add(name); };
  reconcilerOptions.sessionEnded = [&metrics](const std::string& reason) {
    metrics.recordSessionEnded(reason);
  };
  // Trackers (--tracker-url, and those --tracker-selector finds) are read at most every 5 s, each GET
  // bounded by 2 s; with neither flag activity is unknown.
  const TrackerPort trackerPort = *parseTrackerPort(options.trackerPort);
  HttpTrackerReader trackerReader(
      [&options, &trackerInformers, trackerPort] {
        std::vector<TrackerTarget> targets = fixedTargets(options.trackerUrls);
        if (!options.trackerSelector.empty()) {
          for (TrackerTarget& found : trackerTargets(trackerInformers.slices(), trackerPort))
            targets.push_back(std::move(found));
        }
        return targets;
      },
      std::chrono::seconds(2));
  ActivityCache activity(trackerReader, clock, std::chrono::seconds(5));
  if (!options.trackerUrls.empty() || !options.trackerSelector.empty())
    reconcilerOptions.activity = [&activity] { return activity.readings(); };
  reconcilerOptions.idle.warningLead = options.idleWarningLead;
  SessionReconciler reconciler(cluster, informers, ipam, events, reconcilerOptions);
  Workers workers(queue, reconciler, metrics, clock);
  bool working = !stop.stopped();
  if (working) {
    for (const std::string& name : informers.sessionNames()) queue.add(name);
    workers.start(options.workers);
    spdlog::info("reconciling with {} workers", options.workers);
  }
  while (!stop.stopped()) stop.waitFor(std::chrono::seconds(1));

  {
    kube::StopAfter bound(drainOverdue, kDrainTimeout, "shutdown: the drain");
    informers.stop();
    trackerInformers.stop();
    // Drain: what is queued is reconciled before the lease is released (shutDownWithDrain needs workers).
    if (working) {
      queue.shutDownWithDrain();
    } else {
      queue.shutDown();
    }
    workers.join();
    if (holder.joinable()) holder.join();
  }
  {
    kube::StopAfter bound(releaseOverdue, kReleaseTimeout, "shutdown: releasing the lease");
    elector.release(releasingLeaseClient);
  }
  metrics.setLeader(false);
  server.stop();
  spdlog::info("stopped");
  return 0;
}
